#include "editfiletool.h"

#include "../workspace/workspace.h"
#include "editmatcher.h"
#include "textcodec.h"

namespace reins::tools {

QString EditFileTool::name() const
{
    return QStringLiteral("edit_file");
}

provider::ToolSchema EditFileTool::schema() const
{
    return {name(),
            QStringLiteral("Replace text in a file. old_string must match the file's text (copy it from read_file "
                           "output, without the line numbers) and be unique unless replace_all is true. Include "
                           "enough surrounding lines to make it unique."),
            jsonObject(R"json({"type":"object","properties":{
                "path":{"type":"string","description":"File path, relative to the workspace root"},
                "old_string":{"type":"string","description":"The exact text to replace"},
                "new_string":{"type":"string","description":"The text to put in its place"},
                "replace_all":{"type":"boolean","description":"Replace every occurrence (default false)"}},
                "required":["path","old_string","new_string"],"additionalProperties":false})json")};
}

Result<std::vector<FileChange>> EditFileTool::plan(const QJsonObject &arguments, ToolContext &context)
{
    auto path = stringArgument(arguments, "path");
    auto oldString = stringArgument(arguments, "old_string", true);
    auto newString = stringArgument(arguments, "new_string", true);
    for (const auto *arg : {&path, &oldString, &newString})
        if (!*arg)
            return std::unexpected(arg->error());
    auto relative = context.workspace->resolve(*path);
    if (!relative)
        return std::unexpected(relative.error());
    auto bytes = readForEdit(*relative, context);
    if (!bytes)
        return std::unexpected(bytes.error());
    auto decoded = decodeText(*bytes);
    if (!decoded)
        return fail(QStringLiteral("%1: %2").arg(*relative, decoded.error().message));
    auto edit = applyEdit(decoded->text,
                          EditRequest{*oldString, *newString, arguments.value(QLatin1String("replace_all")).toBool()});
    if (!edit)
        return fail(QStringLiteral("%1: %2").arg(*relative, edit.error().message));
    return std::vector<FileChange>{{*relative, QString(), *bytes, encodeText(*decoded, edit->text)}};
}

void EditFileTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto changes = plan(arguments, context);
    if (!changes)
        return done(ToolResult::failure(changes.error().message));
    done(applyChanges(*changes, context, QStringLiteral("Edited %1.").arg(changes->front().path)));
}

} // namespace reins::tools
