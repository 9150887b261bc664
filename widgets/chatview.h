#pragma once

// The chat pane: the conversation as cards — what the person wrote, the model's answers streaming in as Markdown,
// each tool call as a compact card, approvals inline — and the input box. It renders ThreadState entries as the
// session's events arrive: a card per entry, updated in place; an answer grows by its new text only. A session
// opened whole (resumed, replayed) gets cards for its newest entries only; earlier ones are made a page at a time
// when the person scrolls up to them, asks for them, or a timeline step needs one — so opening a long session costs
// what one screen costs.

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
    /// How many entries have cards (the newest ones; see earlierCount()).
    int cardCount() const { return int(m_cards.size()); }
    /// How many entries before the first card have none yet.
    int earlierCount() const { return int(m_first); }
    /// Makes cards for up to `count` more of the earlier entries, keeping what is on screen where it is.
    void showEarlier(int count);
    /// The card of entry `entry` (an index into ThreadState::entries), or null when it has none (yet).
    QWidget *card(int entry) const;
    AssistantCard *assistantCard(int entry) const;
    ToolCard *toolCard(const QString &callId) const;
    /// Scrolls so that the entry created by event `seq` is in view, making its card first if need be.
    void scrollToSeq(qint64 seq);

    /// Entries given cards when a whole session is shown: the newest that fill the screen, by an estimate of their
    /// heights that errs low, and at most this many (more follow at once when they do not fill it).
    static constexpr int kFirstPage = 12;
    /// Entries given cards each time the person goes further back.
    static constexpr int kPage = 30;
    /// Where the first page of a whole session begins (see kFirstPage).
    size_t firstPageStart(const std::vector<ThreadEntry> &entries) const;

Q_SIGNALS:
    void sendRequested(const QString &text);
    void commandRequested(const QString &name, const QString &argument);
    void interruptRequested();
    void resolved(const reins::protocol::ResolveApproval &op);
    void reviewRequested(const QString &callId);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *makeCard(const ThreadEntry &entry, bool whole = false);
    void highlightDeferredCode();
    void updateCard(size_t index, const ThreadEntry &entry);
    void sync(const ThreadState &state, bool whole = false);
    QWidget *cardAt(size_t entry) const;
    void materializeFrom(size_t entry);
    void updateEarlierButton();

    QScrollArea *m_scroll;
    QWidget *m_list;
    QVBoxLayout *m_layout;
    ChatInput *m_input;
    QPushButton *m_stop;
    QPushButton *m_earlierButton;
    size_t m_first = 0;                ///< the entry of m_cards[0]; the ones before it have no card yet
    std::vector<ThreadEntry> m_earlier; ///< the entries before m_first, as last seen
    std::vector<QWidget *> m_cards;    ///< one per ThreadState entry from m_first on, same order
    std::vector<qint64> m_seqs;        ///< the seq of every entry, earlier ones included
    Prompt m_prompt;
    bool m_dark = false;
    bool m_follow = true; ///< keep the newest card in view while the person has not scrolled up
    bool m_highlightAfterPaint = false; ///< answers shown whole wait for the first paint to highlight their code
    bool m_fillCheckPending = false;    ///< after a reset: does the first page fill the screen (see reset())
    std::optional<int> m_anchorFromBottom; ///< while earlier cards appear: the distance to the bottom to keep
};

} // namespace reins::widgets
