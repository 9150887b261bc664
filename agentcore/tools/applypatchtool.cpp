#include "applypatchtool.h"

#include "../workspace/workspace.h"
#include "patch.h"
#include "textcodec.h"

namespace reins::tools {

QString ApplyPatchTool::name() const
{
    return QStringLiteral("apply_patch");
}

provider::ToolSchema ApplyPatchTool::schema() const
{
    return {name(),
            QStringLiteral(
                "Change several files at once with a patch, all or nothing. Format:\n"
                "*** Begin Patch\n*** Add File: path\n+line\n*** Delete File: path\n*** Update File: path\n"
                "*** Move to: new/path (optional)\n@@ a line just before the hunk (optional)\n context line\n"
                "-removed line\n+added line\n*** End of File (optional)\n*** End Patch\n"
                "Paths are relative. Give 3 lines of context around each change."),
            jsonObject(R"json({"type":"object","properties":{
                "patch":{"type":"string","description":"The whole patch, from *** Begin Patch to *** End Patch"}},
                "required":["patch"],"additionalProperties":false})json")};
}

Result<std::vector<FileChange>> ApplyPatchTool::plan(const QJsonObject &arguments, ToolContext &context)
{
    auto text = stringArgument(arguments, "patch");
    if (!text)
        return std::unexpected(text.error());
    auto operations = parsePatch(*text);
    if (!operations)
        return std::unexpected(operations.error());
    std::vector<FileChange> changes;
    const workspace::Workspace &ws = *context.workspace;
    for (const PatchOperation &op : *operations) {
        auto path = ws.resolve(op.path);
        if (!path)
            return std::unexpected(path.error());
        auto info = ws.stat(*path);
        if (!info)
            return std::unexpected(info.error());
        switch (op.kind) {
        case PatchOperation::Kind::Add:
            if (info->exists)
                return fail(QStringLiteral("%1 already exists; use *** Update File to change it").arg(*path));
            changes.push_back({*path, QString(), std::nullopt, op.content.toUtf8()});
            break;
        case PatchOperation::Kind::Delete: {
            auto before = readForEdit(*path, context);
            if (!before)
                return std::unexpected(before.error());
            changes.push_back({*path, QString(), *before, std::nullopt});
            break;
        }
        case PatchOperation::Kind::Update: {
            if (!info->exists)
                return fail(QStringLiteral("%1 does not exist; use *** Add File to create it").arg(*path));
            auto before = readForEdit(*path, context);
            if (!before)
                return std::unexpected(before.error());
            auto decoded = decodeText(*before);
            if (!decoded)
                return fail(QStringLiteral("%1: %2").arg(*path, decoded.error().message));
            auto after = applyHunks(decoded->text, op.hunks);
            if (!after)
                return fail(QStringLiteral("%1: %2").arg(*path, after.error().message));
            QString target;
            if (!op.moveTo.isEmpty()) {
                auto moved = ws.resolve(op.moveTo);
                if (!moved)
                    return std::unexpected(moved.error());
                auto movedInfo = ws.stat(*moved);
                if (movedInfo && movedInfo->exists && *moved != *path)
                    return fail(QStringLiteral("cannot move %1 to %2: it already exists").arg(*path, *moved));
                target = *moved;
            }
            changes.push_back({*path, target, *before, encodeText(*decoded, *after)});
            break;
        }
        }
    }
    return changes;
}

void ApplyPatchTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto changes = plan(arguments, context);
    if (!changes)
        return done(ToolResult::failure(changes.error().message + QStringLiteral(" — no file was changed.")));
    QStringList summary;
    for (const FileChange &c : *changes) {
        if (!c.before)
            summary.append(QStringLiteral("added ") + c.path);
        else if (!c.after)
            summary.append(QStringLiteral("deleted ") + c.path);
        else if (!c.newPath.isEmpty() && c.newPath != c.path)
            summary.append(QStringLiteral("moved %1 to %2").arg(c.path, c.newPath));
        else
            summary.append(QStringLiteral("updated ") + c.path);
    }
    done(applyChanges(*changes, context, QStringLiteral("Patch applied: %1.").arg(summary.join(QStringLiteral(", ")))));
}

} // namespace reins::tools
