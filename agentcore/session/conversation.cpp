#include "conversation.h"
#include "../overloaded.h"

#include "../tools/textcodec.h"

#include <QJsonDocument>

namespace reins::session {

using namespace protocol;
using provider::ChatMessage;

namespace {

bool isEmpty(const ChatMessage &m)
{
    return m.content.isEmpty() && m.reasoning.isEmpty() && m.toolCalls.empty();
}
} // namespace

void Conversation::flush()
{
    if (m_open && !isEmpty(*m_open))
        m_messages.push_back(std::move(*m_open));
    m_open.reset();
}

std::vector<ChatMessage> Conversation::messages() const
{
    std::vector<ChatMessage> all = m_messages;
    if (m_open && !isEmpty(*m_open))
        all.push_back(*m_open);
    return all;
}

std::vector<provider::ToolCall> Conversation::callsWithoutResult() const
{
    std::vector<ChatMessage> all = messages();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->role != ChatMessage::Role::Assistant)
            continue;
        std::vector<provider::ToolCall> open;
        for (const provider::ToolCall &call : it->toolCalls) {
            const bool answered = std::any_of(all.begin(), all.end(), [&](const ChatMessage &m) {
                return m.role == ChatMessage::Role::Tool && m.toolCallId == call.id;
            });
            if (!answered)
                open.push_back(call);
        }
        return open;
    }
    return {};
}

void Conversation::apply(const AgentEvent &event)
{
    const auto open = [this]() -> ChatMessage & {
        if (!m_open)
            m_open = ChatMessage{ChatMessage::Role::Assistant, {}, {}, {}, {}, {}, false};
        return *m_open;
    };
    std::visit(Overloaded{
                   [&](const TurnStarted &e) {
                       flush();
                       m_turnStart = m_messages.size();
                       m_inTurn = true;
                       m_messages.push_back(ChatMessage{ChatMessage::Role::User, e.text, {}, {}, {}, {}, false});
                   },
                   [&](const AssistantDelta &e) {
                       // Text after tool results is a new message.
                       if (m_open && !m_open->toolCalls.empty())
                           flush();
                       open().content += e.text;
                   },
                   [&](const ReasoningDelta &e) {
                       if (m_open && !m_open->toolCalls.empty())
                           flush();
                       open().reasoning += e.text;
                   },
                   [&](const AssistantMessageDone &e) { open().reasoningSignature = e.reasoningSignature; },
                   [&](const ToolCallProposed &e) {
                       const QString arguments =
                           !e.rawArguments.isEmpty()
                               ? e.rawArguments
                               : QString::fromUtf8(QJsonDocument(e.arguments).toJson(QJsonDocument::Compact));
                       open().toolCalls.push_back({e.callId, e.tool, arguments});
                   },
                   [&](const ToolFinished &e) {
                       flush();
                       m_messages.push_back(ChatMessage{ChatMessage::Role::Tool,
                                                        tools::capText(e.result, kToolResultCap),
                                                        {}, {}, {}, e.callId, e.outcome != ToolOutcome::Ok});
                   },
                   [&](const TurnCompleted &) {
                       // Every call the model made gets an answer, or the next request would be refused.
                       const auto unanswered = callsWithoutResult();
                       flush();
                       for (const provider::ToolCall &call : unanswered)
                           m_messages.push_back(ChatMessage{ChatMessage::Role::Tool,
                                                            QStringLiteral("Not run: the turn ended before this call."),
                                                            {}, {}, {}, call.id, true});
                       m_inTurn = false;
                   },
                   [&](const Compacted &e) {
                       flush();
                       std::vector<ChatMessage> kept;
                       kept.push_back(ChatMessage{ChatMessage::Role::User,
                                                  QStringLiteral("Summary of the conversation so far:\n\n") + e.summary,
                                                  {}, {}, {}, {}, false});
                       if (m_inTurn && m_turnStart < m_messages.size())
                           kept.insert(kept.end(), m_messages.begin() + qsizetype(m_turnStart), m_messages.end());
                       m_messages = std::move(kept);
                       m_turnStart = m_inTurn ? 1 : m_messages.size();
                   },
                   [&](const CheckpointCreated &e) {
                       // Only checkpoints between turns are places the conversation can go back to whole.
                       if (!m_inTurn) {
                           flush();
                           m_marks.insert(e.checkpointId, m_messages.size());
                       } else if (e.callId.isEmpty()) {
                           m_marks.insert(e.checkpointId, m_turnStart); // the turn's start: before its message
                       }
                   },
                   [&](const CheckpointRestored &e) {
                       if (e.scope == RestoreScope::Files)
                           return;
                       const auto mark = m_marks.constFind(e.checkpointId);
                       if (mark == m_marks.constEnd())
                           return;
                       flush();
                       if (*mark < m_messages.size())
                           m_messages.resize(*mark);
                       m_inTurn = false;
                   },
                   [](const auto &) {},
               },
               event.payload);
}

} // namespace reins::session
