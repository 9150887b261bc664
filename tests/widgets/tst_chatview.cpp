// The chat pane against a real session and the fake model server on loopback, offscreen: a message sent from the
// input box streams back as Markdown, tool calls become cards, approvals are decided on their cards (approve, deny
// with a reason, edit the command), and Esc interrupts a stream.

#include "assistantcard.h"
#include "chatinput.h"
#include "chatview.h"
#include "diffview.h"
#include "fakemodelserver.h"
#include "notecard.h"
#include "sessioncontroller.h"
#include "toolcard.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextLayout>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace reins;
using namespace reins::protocol;
using namespace Qt::StringLiterals;
using reins::test::FakeModelServer;
using namespace reins::widgets;

namespace {

QJsonObject chunk(const QJsonObject &delta, const QString &finish = QString())
{
    QJsonObject choice{{u"delta"_s, delta}};
    if (!finish.isEmpty())
        choice.insert(u"finish_reason"_s, finish);
    return {{u"data"_s, QJsonObject{{u"choices"_s, QJsonArray{choice}}}}};
}

QJsonObject done()
{
    return {{u"data"_s, u"[DONE]"_s}};
}

QJsonObject callExchange(const QString &id, const QString &name, const QJsonObject &arguments)
{
    const QJsonObject call{{u"index"_s, 0},
                           {u"id"_s, id},
                           {u"function"_s, QJsonObject{{u"name"_s, name},
                                                       {u"arguments"_s, QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact))}}}};
    return {{u"events"_s, QJsonArray{chunk({{u"tool_calls"_s, QJsonArray{call}}}, u"tool_calls"_s), done()}}};
}

// An answer in several pieces, the last one `delayMs` after the others.
QJsonObject textExchange(const QStringList &pieces, int delayMs = 0)
{
    QJsonArray events;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        QJsonObject event = chunk({{u"content"_s, pieces[i]}}, i + 1 == pieces.size() ? u"stop"_s : QString());
        if (i + 1 == pieces.size() && delayMs)
            event.insert(u"delayMs"_s, delayMs);
        events.append(event);
    }
    events.append(done());
    return {{u"events"_s, events}};
}

struct Fixture
{
    QTemporaryDir home, ws;
    FakeModelServer server;
    ChatView chat;
    DiffView diff;
    SessionController controller{&chat, &diff};
    std::vector<AgentEvent> events;

    bool start(const QJsonArray &exchanges)
    {
        qputenv("XDG_STATE_HOME", home.filePath(u"state"_s).toUtf8());
        qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
        qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
        if (!server.listen() || !server.loadScenario(QJsonObject{{u"exchanges"_s, exchanges}}))
            return false;
        session::SessionConfig config;
        config.provider = *provider::providerDefaults(u"deepseek"_s);
        config.provider.baseUrl = QUrl(server.baseUrl());
        config.provider.apiKey = u"sk-chat-test"_s;
        config.approvalMode = ApprovalMode::Ask;
        if (auto started = controller.start(config, ws.path()); !started) {
            qWarning("%s", qPrintable(started.error().message));
            return false;
        }
        QObject::connect(&controller, &SessionController::eventApplied, &controller,
                         [this](const AgentEvent &e) { events.push_back(e); });
        chat.resize(700, 900);
        chat.show();
        return true;
    }
    void type(const QString &text)
    {
        chat.input()->setFocus();
        QTest::keyClicks(chat.input(), text);
        QTest::keyClick(chat.input(), Qt::Key_Return);
    }
    bool ended(int turns = 1) const
    {
        return controller.session() && !controller.session()->isRunning()
               && std::ranges::count_if(events, [](const AgentEvent &e) {
                      return std::holds_alternative<TurnCompleted>(e.payload);
                  }) >= turns;
    }
    QString lastToolResult(int request) const
    {
        const QJsonArray messages = server.requests().at(request).json.value(u"messages"_s).toArray();
        return messages.last().toObject().value(u"content"_s).toString();
    }
    QByteArray file(const QString &name) const
    {
        QFile f(ws.filePath(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }
};

int firstAssistant(const ChatView &chat)
{
    for (int i = 0; i < chat.cardCount(); ++i)
        if (chat.assistantCard(i))
            return i;
    return -1;
}

// A conversation built event by event, as the core would send it: the state, and each event to hand on.
struct Recorded
{
    ThreadState state;
    qint64 seq = 0;
    AgentEvent add(EventPayload payload)
    {
        AgentEvent event{++seq, 1'700'000'000'000 + seq, std::move(payload)};
        state.apply(event);
        return event;
    }
};

} // namespace

class TstChatView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sendStreamsAndShowsToolCards();
    void approveOnTheCard();
    void denyWithAReason();
    void editTheCommandThenRun();
    void theRuleLineSaysWhatAlwaysSaves_data();
    void theRuleLineSaysWhatAlwaysSaves();
    void escInterruptsMidStream();
    void inputHistory();
    void atCompletesWorkspaceFiles();
    void errorsAreSentencesWithANextStep();
    void longSessionMakesCardsAPageAtATime();
    void openedAnswersHighlightAfterTheFirstPaint();
    void firstPageIsWhatFillsTheScreen();
};

void TstChatView::sendStreamsAndShowsToolCards()
{
    Fixture f;
    QVERIFY(f.start({callExchange(u"r1"_s, u"list_files"_s, {{u"path"_s, u"."_s}}),
                     textExchange({u"Here is **the plan**:\n\n"_s, u"1. read\n2. edit\n\n```cpp\nint x"_s, u" = 1;\n```\n"_s})}));
    QVERIFY(QFile(f.ws.filePath(u"notes.txt"_s)).open(QIODevice::WriteOnly));
    f.type(u"what is here?"_s);
    QCOMPARE(f.chat.input()->toPlainText(), QString()); // sent and cleared
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    // You, the tool card, the answer.
    ToolCard *tool = f.chat.toolCard(u"r1"_s);
    QVERIFY(tool);
    QVERIFY2(tool->title().contains(u"Listed"_s), qPrintable(tool->title()));
    QVERIFY2(tool->statusText().contains(u"done"_s), qPrintable(tool->statusText()));
    QVERIFY(!tool->isExpanded());
    tool->setExpanded(true);
    QVERIFY(tool->isExpanded());
    const int answer = firstAssistant(f.chat);
    QVERIFY(answer > 0);
    AssistantCard *card = f.chat.assistantCard(answer);
    QCOMPARE(card->markdown(), u"Here is **the plan**:\n\n1. read\n2. edit\n\n```cpp\nint x = 1;\n```\n"_s);
    QVERIFY2(card->renderedText().contains(u"Here is the plan:"_s), qPrintable(card->renderedText()));
    QVERIFY(!card->renderedText().contains(u"**"_s)); // rendered, not raw
    QVERIFY(card->renderedText().contains(u"int x = 1;"_s));
}

void TstChatView::approveOnTheCard()
{
    Fixture f;
    QVERIFY(f.start({callExchange(u"c1"_s, u"run_command"_s, {{u"command"_s, u"echo made > made.txt"_s}}),
                     textExchange({u"Done."_s})}));
    f.type(u"make a file"_s);
    QTRY_VERIFY_WITH_TIMEOUT(f.chat.toolCard(u"c1"_s) && f.chat.toolCard(u"c1"_s)->isAwaitingApproval(), 10'000);
    ToolCard *tool = f.chat.toolCard(u"c1"_s);
    QVERIFY(tool->approveButton()->isVisible());
    QCOMPARE(f.file(u"made.txt"_s), QByteArray("<missing>")); // nothing ran before the decision
    QTest::mouseClick(tool->approveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QCOMPARE(f.file(u"made.txt"_s), QByteArray("made\n"));
    QVERIFY(!tool->isAwaitingApproval());
    QVERIFY2(tool->statusText().contains(u"exit 0"_s), qPrintable(tool->statusText()));
}

void TstChatView::denyWithAReason()
{
    Fixture f;
    QVERIFY(f.start({callExchange(u"c1"_s, u"run_command"_s, {{u"command"_s, u"rm -rf build"_s}}),
                     textExchange({u"Understood."_s})}));
    f.chat.setPrompt([](const QString &, const QString &) -> std::optional<QString> {
        return u"keep the build folder, it takes an hour to make"_s;
    });
    f.type(u"clean up"_s);
    QTRY_VERIFY_WITH_TIMEOUT(f.chat.toolCard(u"c1"_s) && f.chat.toolCard(u"c1"_s)->isAwaitingApproval(), 10'000);
    QTest::mouseClick(f.chat.toolCard(u"c1"_s)->denyButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QVERIFY2(f.lastToolResult(1).contains(u"keep the build folder, it takes an hour to make"_s),
             qPrintable(f.lastToolResult(1)));
    QVERIFY(f.chat.toolCard(u"c1"_s)->statusText().contains(u"denied"_s));
}

void TstChatView::theRuleLineSaysWhatAlwaysSaves_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("matched");
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("offered"); // Session and Always
    QTest::newRow("proposed") << u"allow run_command `npm test`"_s << false
                              << u"<b>Always</b> saves the rule: allow run_command `npm test`"_s << true;
    QTest::newRow("html in the pattern") << u"allow run_command `make <all>`"_s << false
                                         << u"saves the rule: allow run_command `make &lt;all&gt;`"_s << true;
    QTest::newRow("a rule that asks") << u"ask run_command `git push`"_s << true << QString() << false;
    QTest::newRow("nothing to save") << QString() << false << QString() << false;
}

void TstChatView::theRuleLineSaysWhatAlwaysSaves()
{
    QFETCH(QString, rule);
    QFETCH(bool, matched);
    QFETCH(QString, line);
    QFETCH(bool, offered);
    ThreadEntry entry;
    entry.kind = ThreadEntry::Kind::ToolCall;
    entry.callId = u"c1"_s;
    entry.tool = u"run_command"_s;
    entry.status = ToolStatus::AwaitingApproval;
    ApprovalRequested request;
    request.callId = entry.callId;
    request.tool = entry.tool;
    request.command = u"npm test"_s;
    request.rule = rule;
    request.ruleMatched = matched;
    if (matched)
        request.risks = {u"a rule asks: "_s + rule};
    entry.approval = request;
    ToolCard card(entry);
    card.show();
    QVERIFY(card.isAwaitingApproval());
    if (line.isEmpty())
        QVERIFY2(!card.approvalText().contains(u"saves the rule"_s), qPrintable(card.approvalText()));
    else
        QVERIFY2(card.approvalText().contains(line), qPrintable(card.approvalText()));
    QCOMPARE(card.sessionButton()->isVisibleTo(&card), offered);
    QCOMPARE(card.alwaysButton()->isVisibleTo(&card), offered);
    QVERIFY(card.approveButton()->isVisibleTo(&card));
    QVERIFY(card.denyButton()->isVisibleTo(&card));
    if (matched) // the reason names the rule once
        QCOMPARE(card.approvalText().count(rule.toHtmlEscaped()), 1);
}

void TstChatView::editTheCommandThenRun()
{
    Fixture f;
    QVERIFY(f.start({callExchange(u"c1"_s, u"run_command"_s, {{u"command"_s, u"echo first > out.txt"_s}}),
                     textExchange({u"Ok."_s})}));
    QString offered;
    f.chat.setPrompt([&](const QString &, const QString &initial) -> std::optional<QString> {
        offered = initial;
        return u"echo second > out.txt"_s;
    });
    f.type(u"write out.txt"_s);
    QTRY_VERIFY_WITH_TIMEOUT(f.chat.toolCard(u"c1"_s) && f.chat.toolCard(u"c1"_s)->isAwaitingApproval(), 10'000);
    QTest::mouseClick(f.chat.toolCard(u"c1"_s)->editButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QCOMPARE(offered, u"echo first > out.txt"_s);
    QCOMPARE(f.file(u"out.txt"_s), QByteArray("second\n"));
}

void TstChatView::escInterruptsMidStream()
{
    Fixture f;
    QVERIFY(f.start({textExchange({u"Starting "_s, u"the rest never comes"_s}, 8000)}));
    f.type(u"talk"_s);
    QTRY_VERIFY_WITH_TIMEOUT(firstAssistant(f.chat) >= 0
                                 && f.chat.assistantCard(firstAssistant(f.chat))->markdown() == u"Starting "_s,
                             10'000);
    QTest::keyClick(f.chat.input(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 3000);
    const auto *end = std::get_if<TurnCompleted>(&f.events.back().payload);
    QVERIFY(end);
    QCOMPARE(end->reason, TurnEndReason::Interrupted);
    QCOMPARE(f.chat.assistantCard(firstAssistant(f.chat))->markdown(), u"Starting "_s);
}

void TstChatView::inputHistory()
{
    ChatInput input;
    QStringList sent, commands;
    QObject::connect(&input, &ChatInput::submitted, &input, [&](const QString &t) { sent << t; });
    QObject::connect(&input, &ChatInput::command, &input,
                     [&](const QString &n, const QString &a) { commands << n + u'|' + a; });
    input.show();
    QTest::keyClicks(&input, u"first"_s);
    QTest::keyClick(&input, Qt::Key_Return, Qt::ShiftModifier); // a new line, not a send
    QTest::keyClicks(&input, u"line two"_s);
    QTest::keyClick(&input, Qt::Key_Return);
    QTest::keyClicks(&input, u"second"_s);
    QTest::keyClick(&input, Qt::Key_Return);
    QTest::keyClicks(&input, u"/mode full-auto"_s);
    QTest::keyClick(&input, Qt::Key_Return);
    QCOMPARE(sent, (QStringList{u"first\nline two"_s, u"second"_s}));
    QCOMPARE(commands, QStringList{u"mode|full-auto"_s});
    QTest::keyClicks(&input, u"draft"_s);
    QTest::keyClick(&input, Qt::Key_Up);
    QCOMPARE(input.toPlainText(), u"/mode full-auto"_s);
    QTest::keyClick(&input, Qt::Key_Up);
    QCOMPARE(input.toPlainText(), u"second"_s);
    QTest::keyClick(&input, Qt::Key_Down);
    QTest::keyClick(&input, Qt::Key_Down);
    QCOMPARE(input.toPlainText(), u"draft"_s); // back to what was being typed
}

void TstChatView::atCompletesWorkspaceFiles()
{
    ChatInput input;
    int asked = 0;
    input.setFileSource([&] {
        ++asked;
        return QStringList{u"README.md"_s, u"src/diffview.cpp"_s, u"src/diffview.h"_s, u"tests/tst_view.cpp"_s};
    });
    QStringList sent;
    QObject::connect(&input, &ChatInput::submitted, &input, [&](const QString &t) { sent << t; });
    input.show();
    input.setFocus();
    QTest::keyClicks(&input, u"look at @diffv"_s);
    QTRY_VERIFY(input.completer()->popup()->isVisible());
    QCOMPARE(input.completer()->completionCount(), 2); // contains "diffv", any case
    QTest::keyClick(&input, Qt::Key_Return); // takes the highlighted file, does not send
    QCOMPARE(input.toPlainText(), u"look at @src/diffview.cpp "_s);
    QVERIFY(sent.isEmpty());
    QTest::keyClicks(&input, u"and me@example"_s); // an e-mail address is not a mention
    QVERIFY(!input.completer()->popup()->isVisible());
    QTest::keyClicks(&input, u" @VIEW"_s);
    QTRY_VERIFY(input.completer()->popup()->isVisible());
    QCOMPARE(input.completer()->completionCount(), 3);
    QTest::keyClick(&input, Qt::Key_Escape); // closes the list only
    QVERIFY(!input.completer()->popup()->isVisible());
    QTest::keyClick(&input, Qt::Key_Return);
    QCOMPARE(sent, QStringList{u"look at @src/diffview.cpp and me@example @VIEW"_s});
    QCOMPARE(asked, 1); // listed once per message
}

void TstChatView::errorsAreSentencesWithANextStep()
{
    Fixture f;
    QVERIFY(f.start({QJsonObject{{u"status"_s, 401},
                                 {u"body"_s, QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, u"Authentication Fails"_s}}}}}}}));
    f.type(u"hello"_s);
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QString shown;
    for (int i = 0; i < f.chat.cardCount(); ++i)
        if (f.chat.card(i)->objectName() == u"errorCard")
            shown = static_cast<NoteCard *>(f.chat.card(i))->text();
    QVERIFY2(shown.contains(u"rejected the API key"_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"Check the key"_s), qPrintable(shown)); // what to do next
    QVERIFY(!shown.contains(u"sk-chat-test"_s));                     // and never the key itself
}

// A session opened whole gets cards for its newest entries only; the earlier ones come a page at a time (the
// button, reaching the top) without moving what is on screen, and a timeline jump makes the card it needs.
void TstChatView::longSessionMakesCardsAPageAtATime()
{
    Recorded recorded;
    ThreadState &state = recorded.state;
    const auto add = [&](EventPayload payload) { return recorded.add(std::move(payload)); };
    for (int turn = 0; turn < 100; ++turn) {
        add(TurnStarted{u"t%1"_s.arg(turn), u"question %1"_s.arg(turn)});
        add(AssistantDelta{u"answer **%1**"_s.arg(turn)});
        add(AssistantMessageDone{});
        add(TurnCompleted{u"t%1"_s.arg(turn)});
    }
    const int entries = int(state.entries.size());
    QVERIFY(entries >= 200);

    ChatView chat;
    chat.resize(640, 700);
    chat.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat));
    chat.reset(state);
    QCOMPARE(chat.cardCount(), ChatView::kFirstPage);
    QCOMPARE(chat.earlierCount(), entries - ChatView::kFirstPage);
    QVERIFY(chat.card(entries - 1));
    QVERIFY(!chat.card(entries - ChatView::kFirstPage - 1));
    auto *scroll = chat.findChild<QScrollArea *>();
    QScrollBar *bar = scroll->verticalScrollBar();
    // The newest in view; and were the first page shorter than the screen, the next one has come.
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    int shown = chat.cardCount();
    QVERIFY(shown == ChatView::kFirstPage || shown == ChatView::kFirstPage + ChatView::kPage);

    // The button: one more page, and the card at the top of the screen stays where it was.
    QPushButton *earlier = nullptr;
    for (auto *button : chat.findChildren<QPushButton *>())
        if (button->text().contains(u"earlier"_s))
            earlier = button;
    QVERIFY(earlier && earlier->isVisible());
    QVERIFY2(earlier->text().contains(QString::number(entries - shown)), qPrintable(earlier->text()));
    bar->setValue(bar->maximum() - 200);
    QWidget *watched = chat.card(entries - 10);
    QVERIFY(watched);
    const auto yOnScreen = [&] { return watched->mapTo(scroll->viewport(), QPoint()).y(); };
    const int before = yOnScreen();
    QTest::mouseClick(earlier, Qt::LeftButton);
    QCOMPARE(chat.cardCount(), shown + ChatView::kPage);
    QTRY_COMPARE(yOnScreen(), before);
    shown = chat.cardCount();

    // Reaching the top brings the next page.
    bar->setValue(0);
    QTRY_COMPARE(chat.cardCount(), shown + ChatView::kPage);
    QTRY_VERIFY(bar->value() > 0);

    // A jump to an early entry (the timeline's "scroll the chat to it") makes its card and shows it.
    chat.scrollToSeq(state.entries[3].seq);
    QVERIFY(chat.card(3));
    QCOMPARE(chat.earlierCount(), 3);
    QTRY_VERIFY(scroll->viewport()->rect().intersects(
        QRect(chat.card(3)->mapTo(scroll->viewport(), QPoint()), chat.card(3)->size())));

    // New events still add at the end, and an update to an entry without a card is kept for when it gets one.
    const AgentEvent next = add(TurnStarted{u"t100"_s, u"one more"_s});
    chat.apply(next, state);
    QVERIFY(chat.card(entries));
    QCOMPARE(chat.earlierCount() + chat.cardCount(), entries + 1);
    chat.showEarlier(1'000);
    QCOMPARE(chat.earlierCount(), 0);
    QVERIFY(!earlier->isVisible());
    QCOMPARE(chat.cardCount(), entries + 1);
}

// The first page of a session opened whole is what fills the screen: tall answers, fewer cards — and still no gap
// above them (the screen full at the first paint, no second page needed).
void TstChatView::firstPageIsWhatFillsTheScreen()
{
    Recorded tallSession;
    QString tall;
    for (int line = 0; line < 30; ++line)
        tall += u"Line %1 of a long answer.\n\n"_s.arg(line);
    for (int turn = 0; turn < 20; ++turn) {
        tallSession.add(TurnStarted{u"t%1"_s.arg(turn), u"question %1"_s.arg(turn)});
        tallSession.add(AssistantDelta{tall});
        tallSession.add(AssistantMessageDone{});
        tallSession.add(TurnCompleted{u"t%1"_s.arg(turn)});
    }
    ChatView chat;
    chat.resize(640, 700);
    chat.reset(tallSession.state); // before the first show, as a window opening a session does
    const int made = chat.cardCount();
    QVERIFY2(made >= 2 && made < ChatView::kFirstPage, qPrintable(QString::number(made)));
    chat.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat));
    QScrollBar *bar = chat.findChild<QScrollArea *>()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    QTest::qWait(50);
    QCOMPARE(chat.cardCount(), made); // full already: nothing more made

    // Short entries: the page is all kFirstPage, and were the screen not full, the next page comes after the paint.
    Recorded few;
    for (int turn = 0; turn < 40; ++turn) {
        few.add(TurnStarted{u"t%1"_s.arg(turn), u"q"_s});
        few.add(TurnCompleted{u"t%1"_s.arg(turn)});
    }
    ChatView shortChat;
    shortChat.resize(640, 700);
    shortChat.reset(few.state);
    QCOMPARE(shortChat.cardCount(), ChatView::kFirstPage);
    shortChat.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shortChat));
    QTRY_COMPARE(shortChat.cardCount(), ChatView::kFirstPage + ChatView::kPage);
    QTRY_VERIFY(shortChat.findChild<QScrollArea *>()->verticalScrollBar()->maximum() > 0);
}

// A session opened whole shows its answers at once with their code plain — no highlighter loaded before the first
// frame — and highlights it once the chat has been painted; a streamed answer is highlighted as it comes.
void TstChatView::openedAnswersHighlightAfterTheFirstPaint()
{
    Recorded recorded;
    ThreadState &state = recorded.state;
    const auto add = [&](EventPayload payload) { return recorded.add(std::move(payload)); };
    add(TurnStarted{u"t1"_s, u"show me"_s});
    add(AssistantDelta{u"Here:\n\n```cpp\nint main() { return 0; }\n```\n"_s});
    add(AssistantMessageDone{});
    add(TurnCompleted{u"t1"_s});
    const auto colours = [](AssistantCard *card) { // the distinct text colours of the code's line
        QSet<QRgb> seen;
        for (QTextBlock block = card->document()->begin(); block.isValid(); block = block.next())
            if (block.text().contains(u"int main"_s))
                for (const QTextLayout::FormatRange &range : block.textFormats())
                    seen.insert(range.format.foreground().color().rgb());
        return seen.size();
    };

    ChatView chat;
    chat.resize(640, 500);
    chat.reset(state);
    AssistantCard *card = chat.assistantCard(1);
    QVERIFY(card);
    QVERIFY(card->isHighlightingDeferred());
    QCOMPARE(colours(card), 1); // plain
    QVERIFY(card->renderedText().contains(u"int main() { return 0; }"_s));
    chat.show(); // painted: then highlighted
    QVERIFY(QTest::qWaitForWindowExposed(&chat));
    QCOMPARE(card->findChild<QTextBrowser *>()->document(), card->document()); // built apart, shown once shown
    QTRY_VERIFY(!card->isHighlightingDeferred());
    QVERIFY2(colours(card) > 1, "int, main, return and 0 in the theme's colours");
    QVERIFY(card->renderedText().contains(u"int main() { return 0; }"_s));

    // Streamed: highlighted at once.
    const AgentEvent turn = add(TurnStarted{u"t2"_s, u"again"_s});
    chat.apply(turn, state);
    const AgentEvent delta = add(AssistantDelta{u"```cpp\nint main() { return 1; }\n```\n"_s});
    chat.apply(delta, state);
    AssistantCard *streamed = chat.assistantCard(int(state.entries.size()) - 1);
    QVERIFY(streamed && !streamed->isHighlightingDeferred());
}

QTEST_MAIN(TstChatView)
#include "tst_chatview.moc"
