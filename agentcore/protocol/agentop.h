#pragma once

// Operations into the agent core: what the UI (or `reins exec`) asks the core to do.

#include "types.h"

#include <QString>

#include <optional>
#include <vector>
#include <variant>

namespace reins::protocol {

/// The person's message starting (or queued behind) a turn.
struct UserTurn
{
    static constexpr const char *kType = "user_turn";
    QString text;

    static void fields(auto &s, auto &&f) { f("text", s.text); }
    bool operator==(const UserTurn &) const = default;
};

/// Stop the running turn now: the stream is cancelled, a running command ended, no edit left half-applied.
struct Interrupt
{
    static constexpr const char *kType = "interrupt";

    static void fields(auto &, auto &&) {}
    bool operator==(const Interrupt &) const = default;
};

/// The person's answer to ApprovalRequested with the same callId.
struct ResolveApproval
{
    static constexpr const char *kType = "resolve_approval";
    QString callId;
    ApprovalDecision decision = ApprovalDecision::Deny;
    std::optional<QString> editedContent; ///< with ApproveEdited: the file content the person wants written
    std::optional<QString> editedCommand; ///< with ApproveEdited: the command the person wants run
    QString message;                      ///< sent to the model (a reason for a denial, a hint)
    /// With ApproveEdited, for file changes reviewed file by file and hunk by hunk: what to write of each file.
    /// A proposed file not listed is written as proposed.
    std::vector<ReviewedFile> reviewedFiles;

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("decision", s.decision);
        f("editedContent", s.editedContent);
        f("editedCommand", s.editedCommand);
        f("message", s.message);
        f("reviewedFiles", s.reviewedFiles);
    }
    bool operator==(const ResolveApproval &) const = default;
};

/// Bring back a checkpoint; with dryRun only report what would change.
struct RestoreCheckpoint
{
    static constexpr const char *kType = "restore_checkpoint";
    QString checkpointId;
    RestoreScope scope = RestoreScope::Both;
    bool dryRun = false;

    static void fields(auto &s, auto &&f)
    {
        f("checkpointId", s.checkpointId);
        f("scope", s.scope);
        f("dryRun", s.dryRun);
    }
    bool operator==(const RestoreCheckpoint &) const = default;
};

/// Summarise older turns now instead of waiting for the context limit.
struct Compact
{
    static constexpr const char *kType = "compact";

    static void fields(auto &, auto &&) {}
    bool operator==(const Compact &) const = default;
};

/// The person changes the approval mode (never the model).
struct SetApprovalMode
{
    static constexpr const char *kType = "set_approval_mode";
    ApprovalMode mode = ApprovalMode::Ask;

    static void fields(auto &s, auto &&f) { f("mode", s.mode); }
    bool operator==(const SetApprovalMode &) const = default;
};

/// The person switches the model (same provider) for the requests from now on; the conversation carries over.
struct SetModel
{
    static constexpr const char *kType = "set_model";
    QString model;

    static void fields(auto &s, auto &&f) { f("model", s.model); }
    bool operator==(const SetModel &) const = default;
};

/// The person commits the work to their own repository: every change in the working tree, on the current branch.
struct CommitChanges
{
    static constexpr const char *kType = "commit_changes";
    QString message;

    static void fields(auto &s, auto &&f) { f("message", s.message); }
    bool operator==(const CommitChanges &) const = default;
};

/// End the session: finish the journal and release the workspace.
struct Shutdown
{
    static constexpr const char *kType = "shutdown";

    static void fields(auto &, auto &&) {}
    bool operator==(const Shutdown &) const = default;
};

using AgentOp = std::variant<UserTurn, Interrupt, ResolveApproval, RestoreCheckpoint, Compact, SetApprovalMode,
                             CommitChanges, Shutdown, SetModel>;

} // namespace reins::protocol
