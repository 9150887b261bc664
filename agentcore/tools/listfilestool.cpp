#include "listfilestool.h"

#include "../workspace/filewalker.h"
#include "../workspace/workspace.h"

namespace reins::tools {

namespace {
constexpr int kMaxEntries = 1000;
}

QString ListFilesTool::name() const
{
    return QStringLiteral("list_files");
}

provider::ToolSchema ListFilesTool::schema() const
{
    return {name(),
            QStringLiteral("List the files and folders under a folder of the workspace, as git sees them (ignored "
                           "files are left out). Folders end with '/'; hidden entries are marked."),
            jsonObject(R"json({"type":"object","properties":{
                "path":{"type":"string","description":"Folder, relative to the workspace root (default: the root)"},
                "depth":{"type":"integer","description":"How many levels to descend (default 3)"}},
                "additionalProperties":false})json")};
}

void ListFilesTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    const QString path = arguments.value(QLatin1String("path")).toString(QStringLiteral("."));
    auto relative = context.workspace->resolve(path.isEmpty() ? QStringLiteral(".") : path);
    if (!relative)
        return done(ToolResult::failure(relative.error().message));
    auto info = context.workspace->stat(*relative);
    if (!info)
        return done(ToolResult::failure(info.error().message));
    if (!info->exists || !info->isDir)
        return done(ToolResult::failure(QStringLiteral("%1 is not a folder of the workspace").arg(*relative)));
    const int depth = std::clamp(arguments.value(QLatin1String("depth")).toInt(3), 1, 50);

    QString out;
    int shown = 0, left = 0;
    workspace::WalkOptions options;
    options.start = *relative == QLatin1String(".") ? QString() : *relative;
    options.maxDepth = depth;
    workspace::walk(context.workspace->root(), options, [&](const workspace::WalkEntry &e) {
        if (shown >= kMaxEntries) {
            ++left;
            return true;
        }
        out += e.path;
        if (e.isDir)
            out += u'/';
        if (e.isSymlink)
            out += QStringLiteral(" (symbolic link)");
        if (e.hidden)
            out += QStringLiteral(" (hidden)");
        out += u'\n';
        ++shown;
        return true;
    });
    if (shown == 0)
        out = QStringLiteral("(no files)\n");
    if (left > 0)
        out += QStringLiteral("[… %1 more entries left out; list a subfolder or use a smaller depth]\n").arg(left);
    done(ToolResult{true, out, std::nullopt, {}});
}

} // namespace reins::tools
