#include "threadstate.h"
#include "overloaded.h"

#include <type_traits>

namespace reins {

using namespace protocol;


ThreadEntry &ThreadState::append(ThreadEntry::Kind kind, const AgentEvent &event)
{
    ThreadEntry &entry = entries.emplace_back();
    entry.kind = kind;
    entry.seq = event.seq;
    entry.timeMs = event.timeMs;
    entry.turnId = currentTurnId;
    return entry;
}

ThreadEntry *ThreadState::openAssistant()
{
    if (!entries.empty() && entries.back().kind == ThreadEntry::Kind::Assistant && entries.back().open)
        return &entries.back();
    return nullptr;
}

ThreadEntry *ThreadState::toolCall(const QString &callId)
{
    // Searched from the end: the call is almost always among the last few entries.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        if (it->kind == ThreadEntry::Kind::ToolCall && it->callId == callId)
            return &*it;
    return nullptr;
}

void ThreadState::closeAssistant()
{
    if (ThreadEntry *open = openAssistant())
        open->open = false;
}

void ThreadState::apply(const AgentEvent &event)
{
    lastSeq = event.seq;
    const auto assistant = [&]() -> ThreadEntry & {
        if (ThreadEntry *open = openAssistant())
            return *open;
        ThreadEntry &entry = append(ThreadEntry::Kind::Assistant, event);
        entry.open = true;
        return entry;
    };
    // A tool call event for an id never proposed (a journal cut short at the front) still gets an entry.
    const auto call = [&](const QString &callId, const QString &tool) -> ThreadEntry & {
        if (ThreadEntry *existing = toolCall(callId))
            return *existing;
        closeAssistant();
        ThreadEntry &entry = append(ThreadEntry::Kind::ToolCall, event);
        entry.callId = callId;
        entry.tool = tool;
        return entry;
    };

    std::visit(
        Overloaded{
            [&](const SessionStarted &e) {
                sessionId = e.sessionId;
                workspace = e.workspace;
                provider = e.provider;
                model = e.model;
                approvalMode = e.approvalMode;
            },
            [&](const ApprovalModeChanged &e) { approvalMode = e.mode; },
            [&](const ModelChanged &e) { model = e.model; },
            [&](const TurnStarted &e) {
                closeAssistant();
                currentTurnId = e.turnId;
                running = true;
                append(ThreadEntry::Kind::User, event).text = e.text;
            },
            [&](const AssistantDelta &e) { assistant().text += e.text; },
            [&](const ReasoningDelta &e) { assistant().reasoning += e.text; },
            [&](const AssistantMessageDone &e) {
                ThreadEntry *open = openAssistant();
                if (!open && e.incomplete)
                    open = &assistant(); // a broken stream with nothing received still shows as incomplete
                if (open) {
                    open->open = false;
                    open->incomplete = e.incomplete;
                    open->finishReason = e.finishReason;
                }
            },
            [&](const ToolCallProposed &e) {
                ThreadEntry &entry = call(e.callId, e.tool);
                entry.arguments = e.arguments;
            },
            [&](const ApprovalRequested &e) {
                ThreadEntry &entry = call(e.callId, e.tool);
                if (entry.arguments.isEmpty())
                    entry.arguments = e.arguments;
                entry.status = ToolStatus::AwaitingApproval;
                entry.approval = e;
                if (!pendingApprovals.contains(e.callId))
                    pendingApprovals.append(e.callId);
            },
            [&](const ApprovalResolved &e) {
                ThreadEntry &entry = call(e.callId, QString());
                entry.decision = e.decision;
                entry.decisionMessage = e.message;
                const bool refused = e.decision == ApprovalDecision::Deny || e.decision == ApprovalDecision::Abort;
                entry.status = refused ? ToolStatus::Denied : ToolStatus::Approved;
                pendingApprovals.removeAll(e.callId);
            },
            [&](const ToolStarted &e) { call(e.callId, e.tool).status = ToolStatus::Running; },
            [&](const ToolOutput &e) { call(e.callId, QString()).output += e.text; },
            [&](const ToolFinished &e) {
                ThreadEntry &entry = call(e.callId, QString());
                entry.result = e.result;
                entry.exitCode = e.exitCode;
                entry.durationMs = e.durationMs;
                switch (e.outcome) {
                case ToolOutcome::Ok: entry.status = ToolStatus::Succeeded; break;
                case ToolOutcome::Failed: entry.status = ToolStatus::Failed; break;
                case ToolOutcome::Denied: entry.status = ToolStatus::Denied; break;
                case ToolOutcome::Interrupted: entry.status = ToolStatus::Interrupted; break;
                }
                pendingApprovals.removeAll(e.callId);
            },
            [&](const CheckpointCreated &e) {
                closeAssistant();
                ThreadEntry &entry = append(ThreadEntry::Kind::Checkpoint, event);
                entry.checkpointId = e.checkpointId;
                entry.callId = e.callId;
                entry.text = e.label;
                entry.filesChanged = e.filesChanged;
                entry.incomplete = e.partial;
            },
            [&](const CheckpointRestored &e) {
                closeAssistant();
                ThreadEntry &entry = append(ThreadEntry::Kind::Restore, event);
                entry.checkpointId = e.checkpointId;
                entry.undoCheckpointId = e.undoCheckpointId;
                entry.filesChanged = e.filesWritten;
                entry.text = enumName(e.scope);
            },
            [&](const RestorePlanned &) {}, // a preview: nothing happened yet
            [&](const Committed &e) {
                closeAssistant();
                ThreadEntry &entry = append(ThreadEntry::Kind::Commit, event);
                entry.checkpointId = e.commitId;
                entry.text = e.message;
                entry.filesChanged = e.filesChanged;
            },
            [&](const PlanUpdated &e) {
                closeAssistant();
                plan = e.items;
                append(ThreadEntry::Kind::Plan, event).plan = e.items;
            },
            [&](const Usage &e) {
                totalUsage += e.tokens;
                if (e.cost) {
                    totalCost += *e.cost;
                    if (!e.currency.isEmpty())
                        currency = e.currency;
                } else {
                    ++requestsWithoutCost;
                }
                // The usage belongs to the response just streamed: the last assistant entry of this turn.
                for (auto it = entries.rbegin(); it != entries.rend() && it->kind != ThreadEntry::Kind::User; ++it) {
                    if (it->kind == ThreadEntry::Kind::Assistant) {
                        it->usage += e.tokens;
                        if (e.cost)
                            it->cost = it->cost.value_or(0) + *e.cost;
                        break;
                    }
                }
            },
            [&](const Retry &e) {
                closeAssistant();
                append(ThreadEntry::Kind::Retry, event).text = e.reason;
            },
            [&](const Compacted &e) {
                closeAssistant();
                append(ThreadEntry::Kind::Compaction, event).text = e.summary;
            },
            [&](const TurnCompleted &e) {
                closeAssistant();
                // Whatever was still under way when the turn ended did not finish.
                for (ThreadEntry &entry : entries) {
                    if (entry.kind == ThreadEntry::Kind::ToolCall && entry.turnId == e.turnId
                        && (entry.status == ToolStatus::Proposed || entry.status == ToolStatus::AwaitingApproval
                            || entry.status == ToolStatus::Approved || entry.status == ToolStatus::Running))
                        entry.status = ToolStatus::Interrupted;
                }
                ThreadEntry &entry = append(ThreadEntry::Kind::TurnEnd, event);
                entry.endReason = e.reason;
                entry.text = e.message;
                pendingApprovals.clear();
                running = false;
                currentTurnId.clear();
            },
            [&](const ErrorEvent &e) {
                closeAssistant();
                append(ThreadEntry::Kind::Error, event).text = e.message;
            },
            [&](const Warning &e) { append(ThreadEntry::Kind::Warning, event).text = e.message; },
        },
        event.payload);
}

} // namespace reins
