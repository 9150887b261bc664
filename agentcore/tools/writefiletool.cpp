#include "writefiletool.h"

#include "../workspace/workspace.h"
#include "textcodec.h"

namespace reins::tools {

QString WriteFileTool::name() const
{
    return QStringLiteral("write_file");
}

provider::ToolSchema WriteFileTool::schema() const
{
    return {name(),
            QStringLiteral("Create a file, or replace a whole file, with the given content. Prefer edit_file for "
                           "changes to an existing file."),
            jsonObject(R"json({"type":"object","properties":{
                "path":{"type":"string","description":"File path, relative to the workspace root"},
                "content":{"type":"string","description":"The complete new content of the file"}},
                "required":["path","content"],"additionalProperties":false})json")};
}

Result<std::vector<FileChange>> WriteFileTool::plan(const QJsonObject &arguments, ToolContext &context)
{
    auto path = stringArgument(arguments, "path");
    if (!path)
        return std::unexpected(path.error());
    auto content = stringArgument(arguments, "content", true);
    if (!content)
        return std::unexpected(content.error());
    auto relative = context.workspace->resolve(*path);
    if (!relative)
        return std::unexpected(relative.error());
    auto info = context.workspace->stat(*relative);
    if (!info)
        return std::unexpected(info.error());
    if (!info->exists)
        return std::vector<FileChange>{{*relative, QString(), std::nullopt, content->toUtf8()}};
    auto before = readForEdit(*relative, context);
    if (!before)
        return std::unexpected(before.error());
    // Keep what the file was: its encoding, byte order mark, and CRLF line ends if the model wrote plain LF.
    DecodedText like;
    if (auto decoded = decodeText(*before))
        like = *decoded;
    QString text = *content;
    if (lineEnding(like.text) == QLatin1String("\r\n") && !text.contains(u'\r'))
        text.replace(u'\n', QLatin1String("\r\n"));
    return std::vector<FileChange>{{*relative, QString(), *before, encodeText(like, text)}};
}

void WriteFileTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto changes = plan(arguments, context);
    if (!changes)
        return done(ToolResult::failure(changes.error().message));
    const FileChange &c = changes->front();
    done(applyChanges(*changes, context,
                      QStringLiteral("%1 %2 (%3 bytes).")
                          .arg(c.before ? QStringLiteral("Replaced") : QStringLiteral("Created"), c.path)
                          .arg(c.after->size())));
}

} // namespace reins::tools
