// The embedded demo, headless: the bundled project copied out, the bundled session played by the scripted model
// server through the real client path, the person's two approvals given, and everything the demo is meant to show
// actually happening — a plan, reads, an edit, a command, checkpoints and a cost.

#include "demo/demo.h"
#include "session/agentsession.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::protocol;
using namespace Qt::StringLiterals;

class TstDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void playsToTheEnd();
    void eachDemoHasItsOwnWorkspace();
};

void TstDemo::playsToTheEnd()
{
    QTemporaryDir home;
    qputenv("XDG_STATE_HOME", home.filePath(u"state"_s).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    auto demo = demo::Demo::start();
    QVERIFY2(demo, demo ? "" : qPrintable(demo.error().message));
    QFile price((*demo)->workspace() + u"/price.py"_s);
    QVERIFY(price.open(QIODevice::ReadOnly));
    const QByteArray before = price.readAll();
    price.close();
    QVERIFY(before.contains("// 100 + 1"));

    auto created = session::AgentSession::create((*demo)->config(), (*demo)->workspace());
    QVERIFY2(created, created ? "" : qPrintable(created.error().message));
    session::AgentSession &session = **created;
    std::vector<AgentEvent> events;
    QObject::connect(&session, &session::AgentSession::event, &session, [&](const AgentEvent &e) {
        events.push_back(e);
        // The person: yes to the edit and to running the tests.
        if (const auto *request = std::get_if<ApprovalRequested>(&e.payload))
            session.submit(ResolveApproval{request->callId, ApprovalDecision::ApproveOnce, std::nullopt, std::nullopt, {}});
    });
    QVERIFY(!(*demo)->prompt().isEmpty());
    session.submit(UserTurn{(*demo)->prompt()});
    QTRY_VERIFY_WITH_TIMEOUT(!session.isRunning() && session.state().entries.size() > 1
                                 && session.state().entries.back().kind == ThreadEntry::Kind::TurnEnd,
                             30'000);
    const auto count = [&](auto tag) {
        using T = decltype(tag);
        return std::ranges::count_if(events, [](const AgentEvent &e) { return std::holds_alternative<T>(e.payload); });
    };
    QVERIFY2((*demo)->server().finishedCleanly(), qPrintable((*demo)->server().failures().join(u'\n')));
    QCOMPARE(count(ApprovalRequested{}), 2);           // the edit, the command
    QVERIFY(count(PlanUpdated{}) >= 3);
    QVERIFY(count(CheckpointCreated{}) >= 3);           // the turn's start, after the edit, after the command
    QCOMPARE(session.state().entries.back().endReason, TurnEndReason::Done);
    QVERIFY(session.state().totalCost > 0);             // the cost meter has something to show
    QVERIFY(price.open(QIODevice::ReadOnly));
    const QByteArray after = price.readAll();
    QVERIFY(!after.contains("// 100 + 1"));
    QVERIFY(after.contains("return price_cents - price_cents * percent // 100\n"));
}

void TstDemo::eachDemoHasItsOwnWorkspace()
{
    auto first = demo::Demo::start();
    auto second = demo::Demo::start();
    QVERIFY(first && second);
    QVERIFY((*first)->workspace() != (*second)->workspace());
    QVERIFY((*first)->server().baseUrl() != (*second)->server().baseUrl());
    QVERIFY(QFile::exists((*second)->workspace() + u"/test_price.py"_s));
    QVERIFY(QFileInfo((*second)->workspace() + u"/price.py"_s).isWritable());
}

QTEST_GUILESS_MAIN(TstDemo)
#include "tst_demo.moc"
