// Replay: the journal of a real session (the demo, played headless against the scripted server) stepped, jumped
// and played through the chat and the timeline — and nothing executed: no request, no file touched.

#include "chatview.h"
#include "replaycontroller.h"
#include "timelinemodel.h"
#include "timelineview.h"

#include "demo/demo.h"
#include "session/agentsession.h"
#include "session/journal.h"

#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::protocol;
using namespace reins::widgets;
using namespace Qt::StringLiterals;

class TstReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void stepJumpAndPlay();
    void longStepsAreCutNotScrolledSideways();

private:
    QTemporaryDir m_home;
    std::unique_ptr<demo::Demo> m_demo;
    QString m_journal;
    ThreadState m_final;
};

void TstReplay::initTestCase()
{
    qputenv("XDG_STATE_HOME", m_home.filePath(u"state"_s).toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", m_home.filePath(u"data"_s).toUtf8());
    auto demo = demo::Demo::start();
    QVERIFY(demo);
    m_demo = std::move(*demo);
    auto created = session::AgentSession::create(m_demo->config(), m_demo->workspace());
    QVERIFY(created);
    session::AgentSession &session = **created;
    QObject::connect(&session, &session::AgentSession::event, &session, [&](const AgentEvent &e) {
        if (const auto *request = std::get_if<ApprovalRequested>(&e.payload))
            session.submit(ResolveApproval{request->callId, ApprovalDecision::ApproveOnce, std::nullopt, std::nullopt, {}});
    });
    session.submit(UserTurn{m_demo->prompt()});
    QTRY_VERIFY_WITH_TIMEOUT(!session.isRunning() && !session.state().entries.empty()
                                 && session.state().entries.back().kind == ThreadEntry::Kind::TurnEnd,
                             30'000);
    m_final = session.state();
    m_journal = session::Journal::pathFor(session.state().sessionId);
    QVERIFY(QFile::exists(m_journal));
}

void TstReplay::stepJumpAndPlay()
{
    const qsizetype requests = m_demo->server().requests().size();
    QFile price(m_demo->workspace() + u"/price.py"_s);
    QVERIFY(price.open(QIODevice::ReadOnly));
    const QByteArray onDisk = price.readAll();
    price.close();

    ChatView chat;
    TimelineModel timeline;
    TimelineView timelineView(&timeline);
    timelineView.resize(320, 160); // a few rows high: the session's steps need scrolling
    chat.show();
    timelineView.show();
    const auto lastStepShown = [&] {
        QListView *list = timelineView.list();
        const QModelIndex last = list->model()->index(list->model()->rowCount() - 1, 0);
        return last.isValid() && list->viewport()->rect().contains(list->visualRect(last));
    };
    ReplayController replay(&chat, &timeline);
    QVERIFY(replay.open(m_journal));
    QVERIFY(replay.stepCount() > 20);
    QCOMPARE(replay.position(), 0);
    QCOMPARE(chat.cardCount(), 0);

    // Step by step: one event at a time.
    replay.stepForward();
    replay.stepForward();
    replay.stepForward();
    QCOMPARE(replay.position(), 3);
    const int cardsAt3 = chat.cardCount();
    QVERIFY(cardsAt3 >= 1);
    replay.stepBack();
    QCOMPARE(replay.position(), 2);
    QVERIFY(chat.cardCount() <= cardsAt3);

    // Jump to the end: the same state the live session reached.
    replay.jumpTo(replay.stepCount());
    QCOMPARE(replay.state().entries, m_final.entries);
    QCOMPARE(timeline.rowCount(), int(m_final.entries.size()));
    QCOMPARE(chat.earlierCount() + chat.cardCount(), int(m_final.entries.size())); // the newest have cards
    QVERIFY(chat.card(int(m_final.entries.size()) - 1));
    QTRY_VERIFY(lastStepShown()); // the timeline shows where the replay is, not its first rows
    QVERIFY(timelineView.list()->verticalScrollBar()->maximum() > 0);

    // Play from the middle, fast, to the end.
    replay.jumpTo(replay.stepCount() / 2);
    QSignalSpy finished(&replay, &ReplayController::finished);
    replay.play(1000.0);
    QVERIFY(replay.isPlaying());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20'000);
    QCOMPARE(replay.position(), replay.stepCount());
    QCOMPARE(replay.state().entries, m_final.entries);
    QTRY_VERIFY(lastStepShown()); // and followed it as the steps came

    // Scrolled away by the person: new steps do not pull the list back.
    replay.jumpTo(replay.stepCount() / 2);
    QTRY_VERIFY(lastStepShown());
    QVERIFY(timelineView.list()->verticalScrollBar()->maximum() > 0);
    timelineView.list()->verticalScrollBar()->setValue(0);
    replay.play(1000.0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20'000);
    QCoreApplication::processEvents();
    QCOMPARE(timelineView.list()->verticalScrollBar()->value(), 0);

    // Nothing was executed.
    QCOMPARE(m_demo->server().requests().size(), requests);
    QVERIFY(price.open(QIODevice::ReadOnly));
    QCOMPARE(price.readAll(), onDisk);
}

void TstReplay::longStepsAreCutNotScrolledSideways()
{
    ThreadState state;
    ThreadEntry entry;
    entry.kind = ThreadEntry::Kind::User;
    entry.seq = 1;
    entry.text = u"Rename every use of the old price helper across the project, then run the whole test suite "_s.repeated(3);
    state.entries.push_back(entry);
    for (int i = 2; i < 1000; ++i) { // a long session: enough rows for the list to lay them out in batches
        entry.seq = i;
        entry.text = u"The parser in module %1 loses the last line; fix it and run its tests."_s.arg(i);
        state.entries.push_back(entry);
    }
    // As a window opens a session: the view made, the session given to it while hidden, then shown.
    TimelineModel model;
    TimelineView view(&model);
    model.reset(state);
    view.resize(420, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QListView *list = view.list();
    const QModelIndex first = list->model()->index(0, 0);
    QVERIFY(QFontMetrics(view.font()).horizontalAdvance(first.data().toString()) > list->viewport()->width());
    QTRY_COMPARE(list->visualRect(first).width(), list->viewport()->width()); // the list's width, the text cut
    QCOMPARE(list->horizontalScrollBar()->maximum(), 0);                      // nothing to scroll sideways to
    QVERIFY(first.data(Qt::ToolTipRole).toString().contains(u"then run the whole test suite"_s)); // whole there
}

QTEST_MAIN(TstReplay)
#include "tst_replay.moc"
