#include "chatview.h"

#include "assistantcard.h"
#include "chatinput.h"
#include "notecard.h"
#include "toolcard.h"

#include "overloaded.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace reins::widgets {

using namespace protocol;
using Kind = ThreadEntry::Kind;

ChatView::ChatView(QWidget *parent)
    : QWidget(parent),
      m_scroll(new QScrollArea(this)),
      m_list(new QWidget),
      m_layout(new QVBoxLayout(m_list)),
      m_input(new ChatInput(this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_earlierButton(new QPushButton(m_list))
{
    m_dark = palette().color(QPalette::Window).lightness() < 128; // code in answers follows the theme
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_layout->setContentsMargins(6, 6, 6, 6);
    m_layout->setSpacing(6);
    m_earlierButton->setFlat(true);
    m_earlierButton->hide();
    m_layout->addWidget(m_earlierButton, 0, Qt::AlignHCenter);
    m_layout->addStretch(1);
    m_scroll->setWidget(m_list);
    m_scroll->setWidgetResizable(true);
    // The pane behind already paints the base colour; two more fills of the whole chat on every paint were a tenth
    // of the window's first frame.
    m_list->setAutoFillBackground(false);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_scroll, 1);
    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(6, 0, 6, 6);
    bottom->addWidget(m_input, 1);
    m_stop->setToolTip(tr("Interrupt the agent (Esc)"));
    m_stop->setEnabled(false);
    bottom->addWidget(m_stop, 0, Qt::AlignBottom);
    layout->addLayout(bottom);

    connect(m_input, &ChatInput::submitted, this, &ChatView::sendRequested);
    connect(m_input, &ChatInput::command, this, &ChatView::commandRequested);
    connect(m_input, &ChatInput::interruptRequested, this, &ChatView::interruptRequested);
    connect(m_stop, &QPushButton::clicked, this, &ChatView::interruptRequested);
    connect(m_earlierButton, &QPushButton::clicked, this, [this] { showEarlier(kPage); });
    m_list->installEventFilter(this); // its first paint lets the code of answers shown whole be highlighted
    QScrollBar *bar = m_scroll->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        if (m_anchorFromBottom && value != bar->maximum() - *m_anchorFromBottom)
            m_anchorFromBottom.reset(); // the person scrolled: their position wins
        m_follow = value >= bar->maximum() - 8;
        // Reaching the top brings the next page of earlier entries, as chat applications do.
        if (value == bar->minimum() && bar->maximum() > 0 && m_first > 0 && !m_anchorFromBottom)
            QTimer::singleShot(0, this, [this] { showEarlier(kPage); });
    });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (m_anchorFromBottom)
            bar->setValue(max - *m_anchorFromBottom);
        else if (m_follow)
            bar->setValue(max);
    });
}

void ChatView::setPrompt(Prompt prompt)
{
    m_prompt = std::move(prompt);
    for (QWidget *card : m_cards)
        if (auto *tool = qobject_cast<ToolCard *>(card))
            tool->setPrompt(m_prompt);
}

void ChatView::setDark(bool dark)
{
    m_dark = dark;
    for (QWidget *card : m_cards)
        if (auto *assistant = qobject_cast<AssistantCard *>(card))
            assistant->setDark(dark);
}

void ChatView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) // the theme changed while the window is open
        setDark(palette().color(QPalette::Window).lightness() < 128);
}

QWidget *ChatView::card(int entry) const
{
    return entry >= 0 ? cardAt(size_t(entry)) : nullptr;
}

QWidget *ChatView::cardAt(size_t entry) const
{
    return entry >= m_first && entry - m_first < m_cards.size() ? m_cards[entry - m_first] : nullptr;
}

AssistantCard *ChatView::assistantCard(int entry) const
{
    return qobject_cast<AssistantCard *>(card(entry));
}

ToolCard *ChatView::toolCard(const QString &callId) const
{
    for (QWidget *card : m_cards)
        if (auto *tool = qobject_cast<ToolCard *>(card); tool && tool->callId() == callId)
            return tool;
    return nullptr;
}

QWidget *ChatView::makeCard(const ThreadEntry &entry, bool whole)
{
    QWidget *card = nullptr;
    switch (entry.kind) {
    case Kind::Assistant: {
        // An answer shown whole (a session opened) is drawn with its code plain, highlighted after the first paint.
        const bool defer = whole && entry.text.contains(QLatin1String("```"));
        auto *assistant = new AssistantCard(m_list, defer);
        m_highlightAfterPaint = m_highlightAfterPaint || defer;
        assistant->setDark(m_dark);
        if (!entry.reasoning.isEmpty())
            assistant->appendReasoning(entry.reasoning);
        if (!entry.text.isEmpty())
            assistant->appendText(entry.text);
        if (!entry.open)
            assistant->finish(entry.incomplete);
        card = assistant;
        break;
    }
    case Kind::ToolCall: {
        if (entry.tool == u"update_plan") {
            card = new NoteCard(entry, m_list); // the plan itself follows as its own entry: no card for the call
            break;
        }
        auto *tool = new ToolCard(entry, m_list);
        tool->setPrompt(m_prompt);
        connect(tool, &ToolCard::resolved, this, &ChatView::resolved);
        connect(tool, &ToolCard::reviewRequested, this, &ChatView::reviewRequested);
        card = tool;
        break;
    }
    default: card = new NoteCard(entry, m_list); break;
    }
    return card;
}

void ChatView::updateCard(size_t index, const ThreadEntry &entry)
{
    if (index < m_first) { // no card yet: it is made from this when needed
        m_earlier[index] = entry;
        return;
    }
    QWidget *card = m_cards[index - m_first];
    if (auto *tool = qobject_cast<ToolCard *>(card))
        tool->update(entry);
    else if (auto *note = qobject_cast<NoteCard *>(card))
        note->update(entry);
}

void ChatView::highlightDeferredCode()
{
    for (QWidget *card : m_cards)
        if (auto *assistant = qobject_cast<AssistantCard *>(card); assistant && assistant->isHighlightingDeferred())
            assistant->highlightCode();
}

bool ChatView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::Paint && m_highlightAfterPaint) {
        m_highlightAfterPaint = false;
        QTimer::singleShot(0, this, &ChatView::highlightDeferredCode);
    }
    if (watched == m_list && event->type() == QEvent::Paint && m_fillCheckPending) {
        m_fillCheckPending = false;
        QTimer::singleShot(0, this, [this] {
            if (m_first > 0 && m_scroll->verticalScrollBar()->maximum() == 0)
                showEarlier(kPage);
        });
    }
    return QWidget::eventFilter(watched, event);
}

void ChatView::sync(const ThreadState &state, bool whole)
{
    while (m_first + m_cards.size() < state.entries.size()) {
        const ThreadEntry &entry = state.entries[m_first + m_cards.size()];
        QWidget *card = makeCard(entry, whole);
        m_layout->insertWidget(m_layout->count() - 1, card); // before the stretch
        m_cards.push_back(card);
        m_seqs.push_back(entry.seq);
    }
}

void ChatView::apply(const AgentEvent &event, const ThreadState &state)
{
    const size_t before = m_first + m_cards.size();
    // An answer's new text goes to its card as it comes; every other change updates the card it concerns.
    std::visit(Overloaded{
                   [&](const AssistantDelta &delta) {
                       if (before == state.entries.size() && before > 0)
                           if (auto *assistant = assistantCard(int(before) - 1))
                               assistant->appendText(delta.text);
                   },
                   [&](const ReasoningDelta &delta) {
                       if (before == state.entries.size() && before > 0)
                           if (auto *assistant = assistantCard(int(before) - 1))
                               assistant->appendReasoning(delta.text);
                   },
                   [&](const AssistantMessageDone &done) {
                       for (size_t i = before; i-- > m_first;)
                           if (auto *assistant = assistantCard(int(i))) {
                               assistant->finish(done.incomplete);
                               break;
                           }
                   },
                   [&](const auto &) {},
               },
               event.payload);
    sync(state);
    // Tool calls and notes change in place: the entries that may have changed are the last ones and the call the
    // event names.
    QString callId;
    std::visit(Overloaded{[&](const ToolCallProposed &e) { callId = e.callId; },
                          [&](const ApprovalRequested &e) { callId = e.callId; },
                          [&](const ApprovalResolved &e) { callId = e.callId; },
                          [&](const ToolStarted &e) { callId = e.callId; },
                          [&](const ToolOutput &e) { callId = e.callId; },
                          [&](const ToolFinished &e) { callId = e.callId; },
                          [&](const auto &) {}},
               event.payload);
    if (!callId.isEmpty()) {
        for (size_t i = state.entries.size(); i-- > 0;) {
            if (state.entries[i].kind == Kind::ToolCall && state.entries[i].callId == callId) {
                updateCard(i, state.entries[i]);
                break;
            }
        }
    }
    if (!state.entries.empty() && state.entries.back().kind != Kind::Assistant && state.entries.back().kind != Kind::ToolCall)
        updateCard(state.entries.size() - 1, state.entries.back());
    m_stop->setEnabled(state.running);
}

void ChatView::reset(const ThreadState &state)
{
    for (QWidget *card : m_cards)
        delete card;
    m_cards.clear();
    m_seqs.clear();
    m_anchorFromBottom.reset();
    m_first = firstPageStart(state.entries);
    m_earlier.assign(state.entries.begin(), state.entries.begin() + qsizetype(m_first));
    for (size_t i = 0; i < m_first; ++i)
        m_seqs.push_back(state.entries[i].seq);
    sync(state, true);
    updateEarlierButton();
    m_stop->setEnabled(state.running);
    // Short cards may leave the screen half empty: then the next page comes. Only a painted list has its cards'
    // heights (an answer's is known once it is shown), so the check waits for the next paint.
    m_fillCheckPending = true;
    m_list->update();
}

size_t ChatView::firstPageStart(const std::vector<ThreadEntry> &entries) const
{
    // Every card made before the first frame costs its layout and paint, and an answer is the dearest; those the
    // screen cannot show wait. Heights are guessed low (long lines counted as if the chat were wide, a card's frame
    // as its spacing alone), so that the screen is full. Before the chat is first shown its viewport has no size yet
    // (a hidden widget is laid out when shown): the window's height stands for it.
    const int line = fontMetrics().lineSpacing();
    const int screen = isVisible() ? m_scroll->viewport()->height() : window()->height();
    const int gap = m_layout->spacing();
    const auto lines = [](const QString &text) { return 1 + int(text.count(u'\n')) + int(text.size() / 160); };
    size_t first = entries.size();
    for (int filled = 0; first > 0 && entries.size() - first < size_t(kFirstPage) && filled < screen;) {
        const ThreadEntry &entry = entries[--first];
        switch (entry.kind) {
        case ThreadEntry::Kind::Assistant: filled += lines(entry.text) * line + gap; break;
        case ThreadEntry::Kind::ToolCall: filled += line + gap; break;
        case ThreadEntry::Kind::Plan: filled += int(1 + entry.plan.size()) * line + gap; break;
        case ThreadEntry::Kind::TurnEnd: break; // hidden unless the turn failed: nothing to count on
        default: filled += lines(entry.text) * line + gap; break;
        }
    }
    return first;
}

void ChatView::showEarlier(int count)
{
    if (m_first == 0 || count <= 0)
        return;
    // Keep the distance to the bottom: what the person looks at stays put while cards appear above it.
    QScrollBar *bar = m_scroll->verticalScrollBar();
    m_anchorFromBottom = bar->maximum() - bar->value();
    materializeFrom(m_first > size_t(count) ? m_first - size_t(count) : 0);
    QTimer::singleShot(250, this, [this] { m_anchorFromBottom.reset(); });
}

void ChatView::materializeFrom(size_t entry)
{
    if (entry >= m_first)
        return;
    std::vector<QWidget *> made;
    made.reserve(m_first - entry);
    for (size_t i = entry; i < m_first; ++i) {
        QWidget *card = makeCard(m_earlier[i]);
        m_layout->insertWidget(1 + int(i - entry), card); // after the "earlier" button
        made.push_back(card);
    }
    m_cards.insert(m_cards.begin(), made.begin(), made.end());
    m_first = entry;
    m_earlier.resize(entry);
    updateEarlierButton();
}

void ChatView::updateEarlierButton()
{
    m_earlierButton->setText(tr("Show %n earlier entries", nullptr, int(std::min<size_t>(m_first, kPage)))
                             + tr(" (%1 in all)").arg(m_first));
    m_earlierButton->setVisible(m_first > 0);
}

void ChatView::scrollToSeq(qint64 seq)
{
    for (size_t i = 0; i < m_seqs.size(); ++i) {
        if (m_seqs[i] < seq)
            continue;
        m_follow = false;
        m_anchorFromBottom.reset();
        if (i >= m_first) {
            m_scroll->ensureWidgetVisible(m_cards[i - m_first], 0, 40);
            return;
        }
        // Its card is made now; it has a place once the layout has run.
        materializeFrom(i);
        QTimer::singleShot(0, this, [this, i] {
            if (QWidget *target = cardAt(i))
                m_scroll->ensureWidgetVisible(target, 0, 40);
        });
        return;
    }
}

} // namespace reins::widgets
