#pragma once

#include "../error.h"
#include "../exec/sandbox.h"
#include "../protocol/types.h"
#include "../provider/modeltypes.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace reins::workspace {
class Workspace;
}

namespace reins::tools {

/// The content of files as the agent last saw them (read or wrote), to refuse edits of files that changed since.
class FileTracker
{
public:
    void remember(const QString &path, QByteArrayView bytes);
    void forget(const QString &path);
    /// An error telling the model to read the file again if it changed since it was last seen.
    Result<void> checkFresh(const QString &path, QByteArrayView currentBytes) const;

private:
    QHash<QString, QByteArray> m_hashes;
};

/// One file a tool wants to change. nullopt content = the file does not exist (before) / is deleted (after).
struct FileChange
{
    QString path;                       ///< workspace-relative
    QString newPath;                    ///< differs from path for a move
    std::optional<QByteArray> before;
    std::optional<QByteArray> after;
};

/// What a tool needs from the session while it runs.
struct ToolContext
{
    std::shared_ptr<workspace::Workspace> workspace;
    FileTracker *files = nullptr;
    /// Streams a piece of output (commands).
    std::function<void(protocol::OutputStream, const QString &)> output;
    /// Reports a new plan (update_plan).
    std::function<void(const std::vector<protocol::PlanItem> &)> planUpdated;
    /// For the call being run: the sandbox to run a command in (the gate decides), and where to spool its output.
    std::optional<exec::SandboxSpec> sandbox;
    QString outputPath;
};

/// How a tool call ended, for the model and the person.
struct ToolResult
{
    bool ok = true;
    QString text;                 ///< what the model is told (the session caps it)
    std::optional<int> exitCode;  ///< commands
    QStringList changedPaths;     ///< files the call changed, for the checkpoint

    static ToolResult failure(const QString &message) { return ToolResult{false, message, std::nullopt, {}}; }
};

/// A tool the model can call. Tools are stateless between calls except for what the context carries.
class Tool
{
public:
    virtual ~Tool() = default;
    virtual QString name() const = 0;
    virtual provider::ToolSchema schema() const = 0;
    /// Whether the call writes files or runs commands: the approval gate asks about these.
    virtual bool mutates() const = 0;
    /// The file changes the call would make, computed without writing (file tools only), for the diff shown in
    /// an approval request and for the person's edit-then-approve.
    virtual Result<std::vector<FileChange>> plan(const QJsonObject &arguments, ToolContext &context)
    {
        Q_UNUSED(arguments);
        Q_UNUSED(context);
        return std::vector<FileChange>{};
    }
    /// Runs the call; `done` is called exactly once, possibly before start() returns.
    virtual void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) = 0;
    /// Ends a running call as soon as possible (done is still called).
    virtual void cancel() {}
};

/// Writes planned changes, all or nothing: if one write fails, the files already written get their old content
/// back. Records the new content in the tracker.
ToolResult applyChanges(const std::vector<FileChange> &changes, ToolContext &context, const QString &summary);

/// The unified diff of planned changes, for the person approving them.
QString describeChanges(const std::vector<FileChange> &changes);

/// Planned changes with both versions of each file, for review hunk by hunk. Binary files and files over
/// `maxBytes` carry no content and are marked so.
std::vector<protocol::ProposedFile> proposedFiles(const std::vector<FileChange> &changes, qsizetype maxBytes = 4 << 20);

/// Reads a file for editing: refuses stale files (changed since the agent last saw them) and returns the bytes.
Result<QByteArray> readForEdit(const QString &path, ToolContext &context);

/// Parses a JSON object literal written in the source (tool schemas); an empty object if it does not parse.
QJsonObject jsonObject(const char *json);

/// The string argument `key`, or an error naming it.
Result<QString> stringArgument(const QJsonObject &arguments, const char *key, bool allowEmpty = false);

} // namespace reins::tools
