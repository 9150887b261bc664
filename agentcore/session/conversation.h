#pragma once

#include "../protocol/agentevent.h"
#include "../provider/modeltypes.h"

#include <QHash>

#include <optional>
#include <vector>

namespace reins::session {

/// The messages sent to the model, built only from the session's events — the live session and a session
/// resumed from its journal run the same reducer, so they send the same bytes. The history only grows (prompt
/// caches stay valid) except at a compaction, which replaces what came before with the summary, and at a restore
/// of the conversation, which goes back to where it stood when the checkpoint was taken.
class Conversation
{
public:
    static constexpr qsizetype kToolResultCap = 32 * 1024; ///< bytes of a tool result the model sees

    void apply(const protocol::AgentEvent &event);
    /// The history as it stands, with a message still being streamed included.
    std::vector<provider::ChatMessage> messages() const;
    /// Tool calls of the latest assistant message that have no result yet, in order.
    std::vector<provider::ToolCall> callsWithoutResult() const;

private:
    void flush();

    std::vector<provider::ChatMessage> m_messages;
    std::optional<provider::ChatMessage> m_open; ///< the assistant message being built
    std::size_t m_turnStart = 0;                 ///< index of the current turn's user message
    QHash<QString, std::size_t> m_marks;         ///< checkpoint id → history length when it was taken
    bool m_inTurn = false;
};

} // namespace reins::session
