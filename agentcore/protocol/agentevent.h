#pragma once

// Events out of the agent core. The UI renders them, the session journal stores them one per line, and
// `reins exec --json` prints them: the same JSON everywhere.

#include "types.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>
#include <vector>

namespace reins::protocol {

/// A session began (or was resumed): what it works on and with which model.
struct SessionStarted
{
    static constexpr const char *kType = "session_started";
    QString sessionId;
    QString workspace; ///< absolute path of the workspace root
    QString provider;  ///< provider id, e.g. "deepseek"
    QString model;
    ApprovalMode approvalMode = ApprovalMode::Ask;

    static void fields(auto &s, auto &&f)
    {
        f("sessionId", s.sessionId);
        f("workspace", s.workspace);
        f("provider", s.provider);
        f("model", s.model);
        f("approvalMode", s.approvalMode);
    }
    bool operator==(const SessionStarted &) const = default;
};

/// A user turn started; every event until TurnCompleted belongs to it.
struct TurnStarted
{
    static constexpr const char *kType = "turn_started";
    QString turnId;
    QString text; ///< the person's message

    static void fields(auto &s, auto &&f)
    {
        f("turnId", s.turnId);
        f("text", s.text);
    }
    bool operator==(const TurnStarted &) const = default;
};

/// A piece of the assistant's visible answer, as streamed.
struct AssistantDelta
{
    static constexpr const char *kType = "assistant_delta";
    QString text;

    static void fields(auto &s, auto &&f) { f("text", s.text); }
    bool operator==(const AssistantDelta &) const = default;
};

/// A piece of the model's reasoning, as streamed (shown collapsed).
struct ReasoningDelta
{
    static constexpr const char *kType = "reasoning_delta";
    QString text;

    static void fields(auto &s, auto &&f) { f("text", s.text); }
    bool operator==(const ReasoningDelta &) const = default;
};

/// One model response finished streaming.
struct AssistantMessageDone
{
    static constexpr const char *kType = "assistant_message_done";
    QString finishReason; ///< as the provider said it: stop, length, tool_calls, …
    bool incomplete = false; ///< the stream broke: the text so far is kept but not the whole answer
    QString reasoningSignature; ///< Anthropic's signature of the thinking, sent back with it later

    static void fields(auto &s, auto &&f)
    {
        f("finishReason", s.finishReason);
        f("incomplete", s.incomplete);
        f("reasoningSignature", s.reasoningSignature);
    }
    bool operator==(const AssistantMessageDone &) const = default;
};

/// The model asked for a tool call with complete, parsed arguments.
struct ToolCallProposed
{
    static constexpr const char *kType = "tool_call_proposed";
    QString callId;
    QString tool;
    QJsonObject arguments;
    QString rawArguments; ///< only when the model's arguments were not a JSON object: its text as sent

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("tool", s.tool);
        f("arguments", s.arguments);
        f("rawArguments", s.rawArguments);
    }
    bool operator==(const ToolCallProposed &) const = default;
};

/// The gate stopped a call and waits for ResolveApproval with the same callId.
struct ApprovalRequested
{
    static constexpr const char *kType = "approval_requested";
    QString callId;
    QString tool;
    QJsonObject arguments;
    QString diff;            ///< for edits: the unified diff of the proposed change
    QString command;         ///< for commands: the whole command, every line, as the model wrote it
    QStringList subcommands; ///< the command as analysed, one entry per simple command
    QString cwd;
    QString sandbox;         ///< how the call would run: "bubblewrap", "none", or why no sandbox
    QString rule;            ///< the rule that matched, or the one "always" would save
    QStringList risks;       ///< plain-language notes: deletes files, uses the network, …
    std::vector<ProposedFile> files; ///< for edits: each file's two versions, for review hunk by hunk
    bool ruleMatched = false;        ///< `rule` is the person's rule that asks, not one "always" would save

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("tool", s.tool);
        f("arguments", s.arguments);
        f("diff", s.diff);
        f("command", s.command);
        f("subcommands", s.subcommands);
        f("cwd", s.cwd);
        f("sandbox", s.sandbox);
        f("rule", s.rule);
        f("risks", s.risks);
        f("files", s.files);
        f("ruleMatched", s.ruleMatched);
    }
    bool operator==(const ApprovalRequested &) const = default;
};

/// The person's decision, recorded for the audit log.
struct ApprovalResolved
{
    static constexpr const char *kType = "approval_resolved";
    QString callId;
    ApprovalDecision decision = ApprovalDecision::Deny;
    QString message;   ///< what goes to the model with it
    QString savedRule; ///< the rule written for ApproveSession / ApproveAlways

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("decision", s.decision);
        f("message", s.message);
        f("savedRule", s.savedRule);
    }
    bool operator==(const ApprovalResolved &) const = default;
};

/// A tool call began executing.
struct ToolStarted
{
    static constexpr const char *kType = "tool_started";
    QString callId;
    QString tool;

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("tool", s.tool);
    }
    bool operator==(const ToolStarted &) const = default;
};

/// A chunk of a running call's output.
struct ToolOutput
{
    static constexpr const char *kType = "tool_output";
    QString callId;
    OutputStream stream = OutputStream::Stdout;
    QString text;

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("stream", s.stream);
        f("text", s.text);
    }
    bool operator==(const ToolOutput &) const = default;
};

/// A tool call ended.
struct ToolFinished
{
    static constexpr const char *kType = "tool_finished";
    QString callId;
    ToolOutcome outcome = ToolOutcome::Ok;
    QString result;                ///< what the model is told
    std::optional<int> exitCode;   ///< for commands
    qint64 durationMs = 0;

    static void fields(auto &s, auto &&f)
    {
        f("callId", s.callId);
        f("outcome", s.outcome);
        f("result", s.result);
        f("exitCode", s.exitCode);
        f("durationMs", s.durationMs);
    }
    bool operator==(const ToolFinished &) const = default;
};

/// A snapshot of the workspace was stored.
struct CheckpointCreated
{
    static constexpr const char *kType = "checkpoint_created";
    QString checkpointId;
    QString callId;   ///< the step it follows; empty for the one at the start of a turn
    QString label;
    int filesChanged = 0;
    bool partial = false; ///< the time budget ran out or files were skipped; see label

    static void fields(auto &s, auto &&f)
    {
        f("checkpointId", s.checkpointId);
        f("callId", s.callId);
        f("label", s.label);
        f("filesChanged", s.filesChanged);
        f("partial", s.partial);
    }
    bool operator==(const CheckpointCreated &) const = default;
};

/// A checkpoint was restored; undoCheckpointId brings back the state before the restore.
struct CheckpointRestored
{
    static constexpr const char *kType = "checkpoint_restored";
    QString checkpointId;
    RestoreScope scope = RestoreScope::Both;
    QString undoCheckpointId;
    int filesWritten = 0;

    static void fields(auto &s, auto &&f)
    {
        f("checkpointId", s.checkpointId);
        f("scope", s.scope);
        f("undoCheckpointId", s.undoCheckpointId);
        f("filesWritten", s.filesWritten);
    }
    bool operator==(const CheckpointRestored &) const = default;
};

/// What restoring a checkpoint would do (the answer to a dry run), for the person to confirm.
struct RestorePlanned
{
    static constexpr const char *kType = "restore_planned";
    QString checkpointId;
    QStringList write;       ///< files overwritten with the checkpoint's content
    QStringList create;      ///< files that appear
    QStringList remove;      ///< files deleted
    QStringList editedSince; ///< of those, files with changes no checkpoint holds: they would be lost

    static void fields(auto &s, auto &&f)
    {
        f("checkpointId", s.checkpointId);
        f("write", s.write);
        f("create", s.create);
        f("remove", s.remove);
        f("editedSince", s.editedSince);
    }
    bool operator==(const RestorePlanned &) const = default;
};

/// A commit was made in the user's repository, at the person's request.
struct Committed
{
    static constexpr const char *kType = "committed";
    QString commitId;
    QString branch;
    QString message;
    int filesChanged = 0;

    static void fields(auto &s, auto &&f)
    {
        f("commitId", s.commitId);
        f("branch", s.branch);
        f("message", s.message);
        f("filesChanged", s.filesChanged);
    }
    bool operator==(const Committed &) const = default;
};

/// The agent's plan, whole, as it now stands.
struct PlanUpdated
{
    static constexpr const char *kType = "plan_updated";
    std::vector<PlanItem> items;

    static void fields(auto &s, auto &&f) { f("items", s.items); }
    bool operator==(const PlanUpdated &) const = default;
};

/// Token usage and cost of one model request.
struct Usage
{
    static constexpr const char *kType = "usage";
    TokenUsage tokens;
    std::optional<double> cost; ///< absent when the model is not in the price table: never a guessed figure
    QString currency;

    static void fields(auto &s, auto &&f)
    {
        f("tokens", s.tokens);
        f("cost", s.cost);
        f("currency", s.currency);
    }
    bool operator==(const Usage &) const = default;
};

/// A model request failed in a way worth retrying; the next attempt follows after delayMs.
struct Retry
{
    static constexpr const char *kType = "retry";
    int attempt = 0;
    int maxAttempts = 0;
    qint64 delayMs = 0;
    QString reason;

    static void fields(auto &s, auto &&f)
    {
        f("attempt", s.attempt);
        f("maxAttempts", s.maxAttempts);
        f("delayMs", s.delayMs);
        f("reason", s.reason);
    }
    bool operator==(const Retry &) const = default;
};

/// Older turns were replaced by a summary written by the model.
struct Compacted
{
    static constexpr const char *kType = "compacted";
    QString summary;
    int turnsReplaced = 0;

    static void fields(auto &s, auto &&f)
    {
        f("summary", s.summary);
        f("turnsReplaced", s.turnsReplaced);
    }
    bool operator==(const Compacted &) const = default;
};

/// The turn ended, and why.
struct TurnCompleted
{
    static constexpr const char *kType = "turn_completed";
    QString turnId;
    TurnEndReason reason = TurnEndReason::Done;
    QString message; ///< for anything but Done: a sentence saying what happened

    static void fields(auto &s, auto &&f)
    {
        f("turnId", s.turnId);
        f("reason", s.reason);
        f("message", s.message);
    }
    bool operator==(const TurnCompleted &) const = default;
};

/// Something failed; the message says what and what to do next.
struct ErrorEvent
{
    static constexpr const char *kType = "error";
    QString message;
    bool retryable = false;
    QString code; ///< machine-readable cause, e.g. "http_401", "context_overflow"

    static void fields(auto &s, auto &&f)
    {
        f("message", s.message);
        f("retryable", s.retryable);
        f("code", s.code);
    }
    bool operator==(const ErrorEvent &) const = default;
};

/// Something the person should know that did not stop the work.
struct Warning
{
    static constexpr const char *kType = "warning";
    QString message;

    static void fields(auto &s, auto &&f) { f("message", s.message); }
    bool operator==(const Warning &) const = default;
};

/// The person changed the approval mode: from the next tool call on, the gate decides by it. Journaled, so the
/// record shows under which mode each action ran.
struct ApprovalModeChanged
{
    static constexpr const char *kType = "approval_mode_changed";
    ApprovalMode mode = ApprovalMode::Ask;

    static void fields(auto &s, auto &&f) { f("mode", s.mode); }
    bool operator==(const ApprovalModeChanged &) const = default;
};

/// The person switched the model: the next request goes to it, priced as it. Journaled, so the record shows which
/// model wrote what.
struct ModelChanged
{
    static constexpr const char *kType = "model_changed";
    QString model;

    static void fields(auto &s, auto &&f) { f("model", s.model); }
    bool operator==(const ModelChanged &) const = default;
};

using EventPayload = std::variant<SessionStarted, TurnStarted, AssistantDelta, ReasoningDelta, AssistantMessageDone,
                                  ToolCallProposed, ApprovalRequested, ApprovalResolved, ToolStarted, ToolOutput,
                                  ToolFinished, CheckpointCreated, RestorePlanned, CheckpointRestored, Committed, PlanUpdated, Usage, Retry,
                                  Compacted, TurnCompleted, ErrorEvent, Warning, ApprovalModeChanged, ModelChanged>;

/// One event with its place in the session.
struct AgentEvent
{
    qint64 seq = 0;    ///< 1, 2, 3… within a session; the journal's order
    qint64 timeMs = 0; ///< wall-clock time, milliseconds since the Unix epoch
    EventPayload payload;

    bool operator==(const AgentEvent &) const = default;
};

} // namespace reins::protocol
