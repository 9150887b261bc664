// The session loop in process, against the fake model server: approvals, interrupts, queueing, budgets and the
// conversation sent back to the model.

#include "fakemodelserver.h"
#include "session/agentsession.h"
#include "session/journal.h"
#include "protocol/json.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::protocol;
using reins::test::FakeModelServer;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonObject callExchange(const char *id, const char *name, const char *arguments)
{
    QJsonObject call{{QStringLiteral("index"), 0},
                     {QStringLiteral("id"), QString::fromUtf8(id)},
                     {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), QString::fromUtf8(name)},
                                                              {QStringLiteral("arguments"), QString::fromUtf8(arguments)}}}};
    return QJsonObject{
        {QStringLiteral("events"),
         QJsonArray{QJsonObject{{QStringLiteral("data"),
                                 QJsonObject{{QStringLiteral("choices"),
                                              QJsonArray{QJsonObject{{QStringLiteral("delta"),
                                                                      QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}}},
                                                                     {QStringLiteral("finish_reason"), QStringLiteral("tool_calls")}}}}}}},
                    QJsonObject{{QStringLiteral("data"), QStringLiteral("[DONE]")}}}}};
}

QJsonObject textExchange(const char *text, int delayMs = 0)
{
    QJsonObject first{{QStringLiteral("data"),
                       object(R"({"choices":[{"delta":{"content":"…"}}]})")}};
    QJsonObject rest{{QStringLiteral("data"),
                      QJsonObject{{QStringLiteral("choices"),
                                   QJsonArray{QJsonObject{{QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), QString::fromUtf8(text)}}},
                                                          {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}}},
                     {QStringLiteral("delayMs"), delayMs}};
    return QJsonObject{{QStringLiteral("events"), QJsonArray{first, rest, QJsonObject{{QStringLiteral("data"), QStringLiteral("[DONE]")}}}}};
}

struct Fixture
{
    QTemporaryDir home, ws;
    FakeModelServer server;
    std::unique_ptr<session::AgentSession> session;
    std::vector<AgentEvent> events;

    bool start(const QJsonArray &exchanges, ApprovalMode mode = ApprovalMode::Ask, int maxSteps = 50)
    {
        qputenv("XDG_STATE_HOME", home.filePath(QStringLiteral("state")).toUtf8());
        qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
        if (!server.listen() || !server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), exchanges}}))
            return false;
        session::SessionConfig config;
        config.provider = *provider::providerDefaults(QStringLiteral("deepseek"));
        config.provider.baseUrl = QUrl(server.baseUrl());
        config.provider.apiKey = QStringLiteral("sk-session-test-key");
        config.approvalMode = mode;
        config.maxSteps = maxSteps;
        config.interactive = true;
        auto created = session::AgentSession::create(config, ws.path());
        if (!created) {
            qWarning("%s", qPrintable(created.error().message));
            return false;
        }
        session = std::move(*created);
        QObject::connect(session.get(), &session::AgentSession::event, session.get(),
                         [this](const AgentEvent &e) { events.push_back(e); });
        return true;
    }
    template<typename T>
    const T *last() const
    {
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (const T *p = std::get_if<T>(&it->payload))
                return p;
        return nullptr;
    }
    template<typename T>
    int count() const
    {
        return int(std::count_if(events.begin(), events.end(), [](const AgentEvent &e) { return std::holds_alternative<T>(e.payload); }));
    }
    bool turnEnded() const { return session && !session->isRunning() && last<TurnCompleted>(); }
    QByteArray file(const char *name) const
    {
        QFile f(ws.filePath(QString::fromUtf8(name)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }
    QString toolMessage(int request, int fromEnd = 0) const
    {
        const QJsonArray m = server.requests().at(request).json.value(QLatin1String("messages")).toArray();
        return m.at(m.size() - 1 - fromEnd).toObject().value(QLatin1String("content")).toString();
    }
};

} // namespace

class TstAgentSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decisions_data();
    void decisions();
    void editThenApproveWritesTheEditedText();
    void interruptMidStream();
    void interruptARunningCommand();
    void messagesTypedDuringATurnAreQueued();
    void stepBudget();
    void badCallsAreExplainedToTheModel_data();
    void badCallsAreExplainedToTheModel();
    void readOnlyRefusesWrites();
    void journalMatchesTheLiveState();
    void switchingTheModelMidSession();
    void longJournalsReadInPartsInOrder_data();
    void longJournalsReadInPartsInOrder();
    void unreadableJournalReadAhead();
    void checkpointsRestoreAndUndo();
    void aTurnEndsAfterItsCheckpoints();
};

void TstAgentSession::decisions_data()
{
    QTest::addColumn<int>("decision");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("fileAfter");
    QTest::addColumn<QString>("toldModel");
    QTest::addColumn<int>("turnEnd");

    QTest::newRow("approve once") << int(ApprovalDecision::ApproveOnce) << QString() << QByteArray("new\n")
                                  << QStringLiteral("Created a.txt (4 bytes).") << int(TurnEndReason::Done);
    QTest::newRow("approve for the session") << int(ApprovalDecision::ApproveSession) << QString() << QByteArray("new\n")
                                             << QStringLiteral("Created a.txt (4 bytes).") << int(TurnEndReason::Done);
    QTest::newRow("deny with a message") << int(ApprovalDecision::Deny) << QStringLiteral("use b.txt instead")
                                         << QByteArray("<missing>")
                                         << QStringLiteral("Denied by the user: use b.txt instead") << int(TurnEndReason::Done);
    QTest::newRow("abort the turn") << int(ApprovalDecision::Abort) << QString() << QByteArray("<missing>") << QString()
                                    << int(TurnEndReason::Aborted);
}

void TstAgentSession::decisions()
{
    QFETCH(int, decision);
    QFETCH(QString, message);
    QFETCH(QByteArray, fileAfter);
    QFETCH(QString, toldModel);
    QFETCH(int, turnEnd);

    Fixture f;
    QJsonArray exchanges{callExchange("w1", "write_file", R"({"path":"a.txt","content":"new\n"})")};
    if (decision != int(ApprovalDecision::Abort))
        exchanges.append(textExchange("ok"));
    QVERIFY(f.start(exchanges));
    f.session->submit(UserTurn{QStringLiteral("write a.txt")});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<ApprovalRequested>(), 10'000);
    const ApprovalRequested *request = f.last<ApprovalRequested>();
    QCOMPARE(request->callId, QStringLiteral("w1"));
    QVERIFY2(request->diff.contains(QStringLiteral("+new")), qPrintable(request->diff));
    QCOMPARE(f.file("a.txt"), QByteArray("<missing>")); // nothing before the decision
    f.session->submit(ResolveApproval{QStringLiteral("w1"), ApprovalDecision(decision), std::nullopt, std::nullopt, message});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(int(f.last<TurnCompleted>()->reason), turnEnd);
    QCOMPARE(f.file("a.txt"), fileAfter);
    QCOMPARE(f.last<ApprovalResolved>()->decision, ApprovalDecision(decision));
    if (!toldModel.isEmpty()) {
        QCOMPARE(f.server.requests().size(), 2);
        QCOMPARE(f.toolMessage(1), toldModel);
    }
    QVERIFY2(f.server.finishedCleanly(), qPrintable(f.server.failures().join(u'\n')));
    QVERIFY(f.session->state().pendingApprovals.isEmpty());
}

void TstAgentSession::editThenApproveWritesTheEditedText()
{
    Fixture f;
    QVERIFY(f.start({callExchange("w1", "write_file", R"({"path":"a.txt","content":"model text\n"})"), textExchange("ok")}));
    f.session->submit(UserTurn{QStringLiteral("write")});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<ApprovalRequested>(), 10'000);
    f.session->submit(ResolveApproval{QStringLiteral("w1"), ApprovalDecision::ApproveEdited, QStringLiteral("person's text\n"),
                                      std::nullopt, {}});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.file("a.txt"), QByteArray("person's text\n"));
    QCOMPARE(f.toolMessage(1), QStringLiteral("Applied the person's edited version."));
}

void TstAgentSession::interruptMidStream()
{
    Fixture f;
    QVERIFY(f.start({textExchange("never arrives", 5000), textExchange("second turn")}));
    f.session->submit(UserTurn{QStringLiteral("talk")});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<AssistantDelta>(), 10'000); // the first piece arrived
    f.session->submit(Interrupt{});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 3000);
    QCOMPARE(f.last<TurnCompleted>()->reason, TurnEndReason::Interrupted);
    QVERIFY(f.last<AssistantMessageDone>()->incomplete);
    // The partial answer stays in the conversation; the next turn works.
    f.session->submit(UserTurn{QStringLiteral("again")});
    QTRY_COMPARE_WITH_TIMEOUT(f.count<TurnCompleted>(), 2, 10'000);
    const QJsonArray messages = f.server.requests().at(1).json.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.at(2).toObject().value(QLatin1String("content")).toString(), QStringLiteral("…"));
    QCOMPARE(messages.at(3).toObject().value(QLatin1String("content")).toString(), QStringLiteral("again"));
}

void TstAgentSession::interruptARunningCommand()
{
    Fixture f;
    QVERIFY(f.start({callExchange("c1", "run_command", R"({"command":"echo started; sleep 30; touch done.txt"})"), textExchange("after")},
                    ApprovalMode::Ask));
    f.session->submit(UserTurn{QStringLiteral("run it")});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<ApprovalRequested>(), 10'000);
    f.session->submit(ResolveApproval{QStringLiteral("c1"), ApprovalDecision::ApproveOnce, std::nullopt, std::nullopt, {}});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<ToolOutput>(), 10'000);
    QCOMPARE(f.last<ToolOutput>()->text, QStringLiteral("started\n"));
    f.session->submit(Interrupt{});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 5000);
    QCOMPARE(f.last<ToolFinished>()->outcome, ToolOutcome::Interrupted);
    QCOMPARE(f.last<TurnCompleted>()->reason, TurnEndReason::Interrupted);
    // The turn's end is recorded; the checkpoint of what the command changed may follow it.
    const auto &entries = f.session->state().entries;
    QVERIFY(std::any_of(entries.begin(), entries.end(), [](const ThreadEntry &e) { return e.kind == ThreadEntry::Kind::TurnEnd; }));
    QTRY_VERIFY_WITH_TIMEOUT(f.last<CheckpointCreated>() && !f.last<CheckpointCreated>()->callId.isEmpty(), 10'000);
}

void TstAgentSession::messagesTypedDuringATurnAreQueued()
{
    Fixture f;
    QVERIFY(f.start({textExchange("one", 300), textExchange("two")}));
    f.session->submit(UserTurn{QStringLiteral("first")});
    f.session->submit(UserTurn{QStringLiteral("second")});
    QTRY_COMPARE_WITH_TIMEOUT(f.count<TurnCompleted>(), 2, 10'000);
    QCOMPARE(f.count<TurnStarted>(), 2);
    const QJsonArray messages = f.server.requests().at(1).json.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.last().toObject().value(QLatin1String("content")).toString(), QStringLiteral("second"));
    QCOMPARE(messages.at(2).toObject().value(QLatin1String("content")).toString(), QStringLiteral("…one"));
}

void TstAgentSession::stepBudget()
{
    Fixture f;
    QVERIFY(f.start({callExchange("r1", "list_files", "{}"), callExchange("r2", "list_files", "{}")}, ApprovalMode::Ask, 2));
    f.session->submit(UserTurn{QStringLiteral("loop")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.last<TurnCompleted>()->reason, TurnEndReason::StepBudget);
    QVERIFY(f.last<TurnCompleted>()->message.contains(QStringLiteral("step budget of 2")));
    QCOMPARE(f.server.requests().size(), 2);
}

void TstAgentSession::badCallsAreExplainedToTheModel_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("arguments");
    QTest::addColumn<QString>("told");

    QTest::newRow("unknown tool") << QByteArray("delete_everything") << QByteArray("{}")
                                  << QStringLiteral("There is no tool named 'delete_everything'. The tools are: read_file, "
                                                    "list_files, search, edit_file, write_file, apply_patch, run_command, update_plan.");
    QTest::newRow("arguments not JSON") << QByteArray("read_file") << QByteArray("{\"path\": ")
                                        << QStringLiteral("The arguments are not a JSON object (");
    QTest::newRow("missing argument") << QByteArray("read_file") << QByteArray("{}")
                                      << QStringLiteral("the argument 'path' is required and must be a string");
    QTest::newRow("edit that cannot match is not put to the person")
        << QByteArray("edit_file") << QByteArray(R"({"path":"a.txt","old_string":"zzz","new_string":"y"})")
        << QStringLiteral("a.txt: old_string was not found");
}

void TstAgentSession::badCallsAreExplainedToTheModel()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, arguments);
    QFETCH(QString, told);
    Fixture f;
    QFile a(f.ws.filePath(QStringLiteral("a.txt")));
    QVERIFY(a.open(QIODevice::WriteOnly));
    a.write("hello\n");
    a.close();
    QVERIFY(f.start({callExchange("x1", name.constData(), arguments.constData()), textExchange("sorry")}));
    f.session->submit(UserTurn{QStringLiteral("go")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.count<ApprovalRequested>(), 0);
    QVERIFY2(f.toolMessage(1).startsWith(told), qPrintable(f.toolMessage(1)));
    QCOMPARE(f.last<TurnCompleted>()->reason, TurnEndReason::Done);
}

void TstAgentSession::readOnlyRefusesWrites()
{
    Fixture f;
    QVERIFY(f.start({callExchange("w", "write_file", R"({"path":"a.txt","content":"x"})"), textExchange("ok")},
                    ApprovalMode::ReadOnly));
    f.session->submit(UserTurn{QStringLiteral("write")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.file("a.txt"), QByteArray("<missing>"));
    QCOMPARE(f.last<ToolFinished>()->outcome, ToolOutcome::Denied);
    QVERIFY(f.toolMessage(1).startsWith(QStringLiteral("The session is read-only")));
}

// /model: the next request names the new model, the conversation carries over, the switch is journaled and in the
// state; the same or an empty name changes nothing.
void TstAgentSession::switchingTheModelMidSession()
{
    Fixture f;
    QVERIFY(f.start({textExchange("first"), textExchange("second")}));
    f.session->submit(UserTurn{QStringLiteral("one")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    const QString before = f.session->config().provider.model;
    f.session->submit(SetModel{before});
    f.session->submit(SetModel{QStringLiteral("  ")});
    QCOMPARE(f.count<ModelChanged>(), 0);
    f.session->submit(SetModel{QStringLiteral("deepseek-reasoner")});
    QCOMPARE(f.count<ModelChanged>(), 1);
    QCOMPARE(f.session->state().model, QStringLiteral("deepseek-reasoner"));
    f.events.clear();
    f.session->submit(UserTurn{QStringLiteral("two")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.server.requests().size(), 2);
    QCOMPARE(f.server.requests()[0].json.value(QLatin1String("model")).toString(), before);
    QCOMPARE(f.server.requests()[1].json.value(QLatin1String("model")).toString(), QStringLiteral("deepseek-reasoner"));
    const QJsonArray messages = f.server.requests()[1].json.value(QLatin1String("messages")).toArray();
    QVERIFY(QJsonDocument(messages).toJson().contains("first")); // the earlier answer went along
    const auto journal = session::Journal::read(f.session->journalPath());
    QVERIFY(journal);
    ThreadState replayed;
    for (const AgentEvent &e : journal->events)
        replayed.apply(e);
    QCOMPARE(replayed.model, QStringLiteral("deepseek-reasoner"));
}

void TstAgentSession::journalMatchesTheLiveState()
{
    Fixture f;
    QVERIFY(f.start({callExchange("w1", "write_file", R"({"path":"a.txt","content":"x\n"})"), textExchange("done")}));
    f.session->submit(UserTurn{QStringLiteral("write")});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<ApprovalRequested>(), 10'000);
    f.session->submit(ResolveApproval{QStringLiteral("w1"), ApprovalDecision::ApproveOnce, std::nullopt, std::nullopt, {}});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    const auto contents = session::Journal::read(f.session->journalPath());
    QVERIFY(contents);
    QVERIFY(contents->warnings.isEmpty());
    ThreadState replayed;
    for (const AgentEvent &e : contents->events)
        replayed.apply(e);
    QVERIFY(replayed == f.session->state());
    QCOMPARE(contents->events.size(), f.events.size() + 1); // + SessionStarted, emitted before we connected

    // A torn last line (a crash mid-write) is skipped with a warning; the rest loads.
    QFile journal(f.session->journalPath());
    QVERIFY(journal.open(QIODevice::Append));
    journal.write(R"({"type":"assistant_delta","seq":999,"te)");
    journal.close();
    const auto torn = session::Journal::read(f.session->journalPath());
    QVERIFY(torn);
    QCOMPARE(torn->events.size(), contents->events.size());
    QCOMPARE(torn->warnings.size(), 1);
    QVERIFY(torn->warnings.first().contains(QStringLiteral("cut short")));
}

void TstAgentSession::longJournalsReadInPartsInOrder_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("badLine"); // 0: none
    QTest::addColumn<bool>("ahead");  // read by Journal::readInBackground, taken with get()
    for (const bool ahead : {false, true}) {
        const char *how = ahead ? "read ahead, " : "";
        QTest::addRow("%sone part", how) << 50 << 0 << ahead;
        QTest::addRow("%sparts, bad line early", how) << 6'000 << 17 << ahead;
        QTest::addRow("%sparts, bad line late", how) << 6'000 << 5'555 << ahead;
    }
}

// A long journal is parsed in parts on several threads: the events come back in order, and a warning still names
// the right line — read at once, or ahead on a thread of its own while the caller does something else.
void TstAgentSession::longJournalsReadInPartsInOrder()
{
    QFETCH(int, events);
    QFETCH(int, badLine);
    QFETCH(bool, ahead);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("long.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    std::vector<AgentEvent> written;
    for (int line = 1; line <= events; ++line) {
        if (line == badLine) {
            file.write("{\"type\":\"no_such_event\",\"seq\":0}\n");
            continue;
        }
        AgentEvent event{line, 1'700'000'000'000 + line,
                         AssistantDelta{QStringLiteral("piece %1 ").arg(line).repeated(1 + line % 7)}};
        file.write(toJsonLine(event));
        if (!toJsonLine(event).endsWith('\n'))
            file.write("\n");
        written.push_back(event);
    }
    file.write("\n"); // an empty line is skipped, and counted
    file.write(R"({"type":"assistant_delta","seq":99999,"te)");
    file.close();
    QVERIFY(events < 100 || file.size() > 512 * 1024); // several parts

    session::JournalReadAhead readAhead = session::Journal::readInBackground(path);
    QVERIFY(readAhead.valid());
    const auto read = ahead ? readAhead.get() : session::Journal::read(path);
    QCOMPARE(readAhead.valid(), !ahead);
    QVERIFY(read);
    QCOMPARE(read->events.size(), written.size());
    QVERIFY(read->events == written);
    QStringList expected;
    if (badLine)
        expected << QStringLiteral("journal line %1 could not be read").arg(badLine);
    expected << QStringLiteral("(line %1) was cut short").arg(events + 2);
    QCOMPARE(read->warnings.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(read->warnings[i].contains(expected[i]), qPrintable(read->warnings[i]));
}

// A journal that cannot be read says so the same way whether read at once or ahead; one read ahead and never
// taken costs nothing but its thread, joined when it goes.
void TstAgentSession::unreadableJournalReadAhead()
{
    const QString missing = QStringLiteral("/nonexistent/reins/journal.jsonl");
    const auto direct = session::Journal::read(missing);
    QVERIFY(!direct);
    QVERIFY2(direct.error().message.contains(u"cannot read the journal"), qPrintable(direct.error().message));
    session::JournalReadAhead ahead = session::Journal::readInBackground(missing);
    const auto later = ahead.get();
    QVERIFY(!later);
    QCOMPARE(later.error().message, direct.error().message);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("j.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(toJsonLine(AgentEvent{1, 1, AssistantDelta{QStringLiteral("x")}}));
    file.close();
    {
        session::JournalReadAhead unused = session::Journal::readInBackground(path);
        unused = session::Journal::readInBackground(path); // the first joined before the second replaces it
    }
    session::JournalReadAhead kept = session::Journal::readInBackground(path);
    const auto events = kept.get();
    QVERIFY(events);
    QCOMPARE(events->events.size(), size_t(1));
}

void TstAgentSession::checkpointsRestoreAndUndo()
{
    Fixture f;
    QFile keep(f.ws.filePath(QStringLiteral("keep.txt")));
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("mine\n");
    keep.close();
    QVERIFY(f.start({callExchange("w1", "write_file", R"({"path":"a.txt","content":"agent\n"})"), textExchange("written"),
                     textExchange("fresh start")},
                    ApprovalMode::AutoEdit));
    f.session->submit(UserTurn{QStringLiteral("write a.txt")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 10'000);
    QCOMPARE(f.file("a.txt"), QByteArray("agent\n"));
    // One checkpoint as the turn started, one after the write, tied to its call: both stored before the turn ended.
    QCOMPARE(f.count<CheckpointCreated>(), 2);
    QString start, afterWrite;
    for (const AgentEvent &e : f.events)
        if (const auto *c = std::get_if<CheckpointCreated>(&e.payload))
            (c->callId.isEmpty() ? start : afterWrite) = c->checkpointId;
    QVERIFY(!start.isEmpty() && !afterWrite.isEmpty());

    // The preview first: a.txt would go, keep.txt stays.
    f.session->submit(RestoreCheckpoint{start, RestoreScope::Both, true});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<RestorePlanned>(), 10'000);
    QCOMPARE(f.last<RestorePlanned>()->remove, QStringList{QStringLiteral("a.txt")});
    QVERIFY(f.last<RestorePlanned>()->write.isEmpty());
    QCOMPARE(f.file("a.txt"), QByteArray("agent\n")); // a dry run changes nothing

    f.session->submit(RestoreCheckpoint{start, RestoreScope::Both, false});
    QTRY_VERIFY_WITH_TIMEOUT(f.last<CheckpointRestored>(), 10'000);
    QCOMPARE(f.file("a.txt"), QByteArray("<missing>"));
    QCOMPARE(f.file("keep.txt"), QByteArray("mine\n"));
    const QString undo = f.last<CheckpointRestored>()->undoCheckpointId;
    QVERIFY(!undo.isEmpty());
    // The conversation went back too: the next turn starts as if the first never happened.
    f.session->submit(UserTurn{QStringLiteral("again")});
    QTRY_COMPARE_WITH_TIMEOUT(f.count<TurnCompleted>(), 2, 10'000);
    const QJsonArray messages = f.server.requests().last().json.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 2); // system, "again"
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("content")).toString(), QStringLiteral("again"));

    // Undo the restore: the file is back.
    f.session->submit(RestoreCheckpoint{undo, RestoreScope::Files, false});
    QTRY_COMPARE_WITH_TIMEOUT(f.count<CheckpointRestored>(), 2, 10'000);
    QCOMPARE(f.file("a.txt"), QByteArray("agent\n"));
}

void TstAgentSession::aTurnEndsAfterItsCheckpoints()
{
    // Incompressible files make the turn's first checkpoint take far longer than the loopback answer, which is
    // what a slow disk or a busy machine does to a short turn.
    Fixture f;
    QByteArray noise(8 << 20, Qt::Uninitialized);
    quint64 x = 0x9e3779b97f4a7c15ULL;
    for (char &c : noise) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        c = char(x >> 56);
    }
    for (int i = 0; i < 4; ++i) {
        QFile big(f.ws.filePath(QStringLiteral("noise%1.bin").arg(i)));
        QVERIFY(big.open(QIODevice::WriteOnly));
        noise[0] = char(i); // four different blobs
        big.write(noise);
    }
    QVERIFY(f.start({textExchange("short")}));
    bool runningAtTheEnd = true;
    int checkpointsAtTheEnd = -1;
    QObject::connect(f.session.get(), &session::AgentSession::event, f.session.get(), [&](const AgentEvent &e) {
        if (std::holds_alternative<TurnCompleted>(e.payload)) {
            runningAtTheEnd = f.session->isRunning();
            checkpointsAtTheEnd = f.count<CheckpointCreated>() + f.count<Warning>();
        }
    });
    f.session->submit(UserTurn{QStringLiteral("hi")});
    QTRY_VERIFY_WITH_TIMEOUT(f.turnEnded(), 30'000);
    QCOMPARE(checkpointsAtTheEnd, 1); // stored (or its failure said) before the turn said it ended
    QVERIFY(!runningAtTheEnd);
    QVERIFY(std::holds_alternative<TurnCompleted>(f.events.back().payload));
    QCOMPARE(f.session->state().entries.back().kind, ThreadEntry::Kind::TurnEnd);
    QCOMPARE(f.last<TurnCompleted>()->reason, TurnEndReason::Done);
    QCOMPARE(f.server.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TstAgentSession)
#include "tst_agentsession.moc"
