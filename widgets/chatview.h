#pragma once

// The chat pane: the conversation as cards — what the person wrote, the model's answers streaming in as Markdown,
// each tool call as a compact card, approvals inline — and the input box. It renders ThreadState entries as the
// session's events arrive: a card per entry, updated in place; an answer grows by its new text only.

#include "protocol/agentop.h"
#include "threadstate.h"

#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace reins::widgets {

class AssistantCard;
class ChatInput;
class NoteCard;
class ToolCard;

class ChatView : public QWidget
{
    Q_OBJECT
public:
    using Prompt = std::function<std::optional<QString>(const QString &title, const QString &initial)>;

    explicit ChatView(QWidget *parent = nullptr);

    /// Shows `event`, which `state` has already applied.
    void apply(const protocol::AgentEvent &event, const ThreadState &state);
    /// Shows a whole conversation (a session opened or replayed) at once.
    void reset(const ThreadState &state);
    void setPrompt(Prompt prompt);
    void setDark(bool dark);

    ChatInput *input() const { return m_input; }
    int cardCount() const { return int(m_cards.size()); }
    QWidget *card(int entry) const;
    AssistantCard *assistantCard(int entry) const;
    ToolCard *toolCard(const QString &callId) const;
    /// Scrolls so that the entry created by event `seq` is in view.
    void scrollToSeq(qint64 seq);

Q_SIGNALS:
    void sendRequested(const QString &text);
    void commandRequested(const QString &name, const QString &argument);
    void interruptRequested();
    void resolved(const reins::protocol::ResolveApproval &op);
    void reviewRequested(const QString &callId);

private:
    QWidget *makeCard(const ThreadEntry &entry);
    void updateCard(size_t index, const ThreadEntry &entry);
    void sync(const ThreadState &state);
    void followIfAtBottom();

    QScrollArea *m_scroll;
    QWidget *m_list;
    QVBoxLayout *m_layout;
    ChatInput *m_input;
    QPushButton *m_stop;
    std::vector<QWidget *> m_cards; ///< one per ThreadState entry, same order
    std::vector<qint64> m_seqs;
    Prompt m_prompt;
    bool m_dark = false;
    bool m_follow = true; ///< keep the newest card in view while the person has not scrolled up
};

} // namespace reins::widgets
