#pragma once

#include "protocol/agentevent.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace reins {

/// Where a tool call stands.
enum class ToolStatus { Proposed, AwaitingApproval, Approved, Running, Succeeded, Failed, Denied, Interrupted };

/// One entry of the conversation as the chat and the timeline show it. One flat value type: each kind uses the
/// fields that concern it and leaves the rest at their defaults.
struct ThreadEntry
{
    enum class Kind { User, Assistant, ToolCall, Checkpoint, Restore, Commit, Plan, Retry, Compaction, TurnEnd, Error, Warning };

    Kind kind = Kind::User;
    qint64 seq = 0;      ///< the event that created the entry
    qint64 timeMs = 0;   ///< when it was created
    QString turnId;

    QString text;        ///< user text, assistant text, error or warning message, checkpoint label, summary
    QString reasoning;   ///< Assistant: the model's reasoning
    bool open = false;   ///< Assistant: still streaming
    bool incomplete = false; ///< Assistant: the stream broke; Checkpoint: partial snapshot
    QString finishReason;
    protocol::TokenUsage usage;        ///< Assistant: the usage of the request that produced it
    std::optional<double> cost;

    QString callId;      ///< ToolCall, Checkpoint (the step it follows)
    QString tool;
    QJsonObject arguments;
    ToolStatus status = ToolStatus::Proposed;
    std::optional<protocol::ApprovalRequested> approval;
    std::optional<protocol::ApprovalDecision> decision;
    QString decisionMessage;
    QString output;      ///< streamed output, stdout and stderr interleaved as they came
    QString result;      ///< what the model was told
    std::optional<int> exitCode;
    qint64 durationMs = 0;

    QString checkpointId; ///< Checkpoint, Restore; Commit: the commit id
    QString undoCheckpointId;
    int filesChanged = 0;

    std::vector<protocol::PlanItem> plan; ///< Plan
    protocol::TurnEndReason endReason = protocol::TurnEndReason::Done; ///< TurnEnd

    bool operator==(const ThreadEntry &) const = default;
};

/// The state of a conversation, built only from events: live from the core, or replayed from a journal, the
/// result is the same. apply() is the reducer.
struct ThreadState
{
    QString sessionId;
    QString workspace;
    QString provider;
    QString model;
    protocol::ApprovalMode approvalMode = protocol::ApprovalMode::Ask;

    std::vector<ThreadEntry> entries;
    std::vector<protocol::PlanItem> plan;
    QStringList pendingApprovals; ///< callIds waiting for the person, oldest first
    QString currentTurnId;        ///< empty between turns
    bool running = false;
    qint64 lastSeq = 0;

    protocol::TokenUsage totalUsage;
    double totalCost = 0;          ///< of the requests whose cost is known
    int requestsWithoutCost = 0;   ///< requests whose model had no price: the total is then a lower bound
    QString currency;

    void apply(const protocol::AgentEvent &event);

    bool operator==(const ThreadState &) const = default;

private:
    ThreadEntry &append(ThreadEntry::Kind kind, const protocol::AgentEvent &event);
    ThreadEntry *openAssistant();
    ThreadEntry *toolCall(const QString &callId);
    void closeAssistant();
};

} // namespace reins
