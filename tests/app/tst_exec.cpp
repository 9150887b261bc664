// `reins exec` end to end: the real binary as a child process, the fake model server on loopback, real files.

#include "fakemodelserver.h"
#include "protocol/json.h"
#include "threadstate.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using reins::test::FakeModelServer;

namespace {

const QString kKey = QStringLiteral("sk-e2e-0123456789abcdefXYZ");

struct Call
{
    QString id;
    QString name;
    QJsonObject arguments;
};

QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue())
{
    QJsonObject choice{{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta}};
    if (!finish.isNull())
        choice.insert(QStringLiteral("finish_reason"), finish);
    return QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("choices"), QJsonArray{choice}}}}};
}

QJsonObject usage(int prompt, int hit, int completion)
{
    return QJsonObject{{QStringLiteral("data"),
                        QJsonObject{{QStringLiteral("choices"), QJsonArray{}},
                                    {QStringLiteral("usage"),
                                     QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                                                 {QStringLiteral("completion_tokens"), completion},
                                                 {QStringLiteral("prompt_cache_hit_tokens"), hit},
                                                 {QStringLiteral("prompt_cache_miss_tokens"), prompt - hit}}}}}};
}

const QJsonObject kDone{{QStringLiteral("data"), QStringLiteral("[DONE]")}};

/// One model response that calls tools (all at once), with usage.
QJsonObject callsExchange(const QList<Call> &calls, int promptTokens = 1000)
{
    QJsonArray events;
    int index = 0;
    for (const Call &c : calls) {
        const QString args = QString::fromUtf8(QJsonDocument(c.arguments).toJson(QJsonDocument::Compact));
        events.append(chunk(QJsonObject{
            {QStringLiteral("tool_calls"),
             QJsonArray{QJsonObject{{QStringLiteral("index"), index++},
                                    {QStringLiteral("id"), c.id},
                                    {QStringLiteral("type"), QStringLiteral("function")},
                                    {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), c.name},
                                                                             {QStringLiteral("arguments"), args}}}}}}}));
    }
    events.append(chunk(QJsonObject{}, QStringLiteral("tool_calls")));
    events.append(usage(promptTokens, promptTokens / 2, 50));
    events.append(kDone);
    return QJsonObject{{QStringLiteral("events"), events}};
}

QJsonObject textExchange(const QString &text, int promptTokens = 1000)
{
    return QJsonObject{{QStringLiteral("events"),
                        QJsonArray{chunk(QJsonObject{{QStringLiteral("content"), text}}, QStringLiteral("stop")),
                                   usage(promptTokens, promptTokens / 2, 20), kDone}}};
}

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Starts reins; the caller's event loop keeps the in-process server serving while it runs.
QProcess *startReins(const QStringList &args, const QTemporaryDir &home, const QByteArray &input = {})
{
    auto *process = new QProcess();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEEPSEEK_API_KEY"), kKey);
    env.insert(QStringLiteral("XDG_STATE_HOME"), home.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(REINS_BINARY), QStringList{QStringLiteral("exec")} + args);
    process->waitForStarted();
    if (!input.isNull()) {
        process->write(input);
        process->closeWriteChannel();
    } else {
        process->closeWriteChannel();
    }
    return process;
}

Run finish(QProcess *process, int timeoutMs = 60'000)
{
    QElapsedTimer timer;
    timer.start();
    while (process->state() != QProcess::NotRunning && timer.elapsed() < timeoutMs)
        QTest::qWait(20);
    if (process->state() != QProcess::NotRunning) {
        process->kill();
        process->waitForFinished();
    }
    Run run{process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1, process->readAllStandardOutput(),
            process->readAllStandardError()};
    delete process;
    return run;
}

QStringList baseArgs(const QString &workspace, const FakeModelServer &server)
{
    return {QStringLiteral("--workspace"), workspace, QStringLiteral("--provider"), QStringLiteral("deepseek"),
            QStringLiteral("--base-url"), server.baseUrl()};
}

std::vector<protocol::AgentEvent> parseEvents(const QByteArray &out)
{
    std::vector<protocol::AgentEvent> events;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        auto e = protocol::agentEventFromJsonLine(line);
        if (!e) {
            qWarning("not an event line: %s", line.constData());
            return {};
        }
        events.push_back(*e);
    }
    return events;
}

QString sessionIdFrom(const std::vector<protocol::AgentEvent> &events)
{
    for (const auto &e : events)
        if (const auto *s = std::get_if<protocol::SessionStarted>(&e.payload))
            return s->sessionId;
    return {};
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QJsonArray messagesOf(const test::RecordedRequest &r)
{
    return r.json.value(QLatin1String("messages")).toArray();
}

QString lastContent(const test::RecordedRequest &r, int fromEnd = 0)
{
    const QJsonArray m = messagesOf(r);
    return m.at(m.size() - 1 - fromEnd).toObject().value(QLatin1String("content")).toString();
}

} // namespace

class TstExec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void multiStepTask();
    void prefixStaysStableAcrossTwentyRequests();
    void killedMidTurnThenResumed();
    void promptFromStdin();
    void aRejectedKeyIsRedactedEverywhere();
    void approvalModes_data();
    void approvalModes();
    void usageErrors_data();
    void usageErrors();
};

void TstExec::multiStepTask()
{
    QTemporaryDir home, ws;
    writeFile(ws.filePath(QStringLiteral("src/math.cpp")),
              "#include \"util.h\"\n\nint add(int a, int b)\n{\n    return a + b;\n}\n\nint sub(int a, int b)\n{\n    return a - b;\n}\n");
    writeFile(ws.filePath(QStringLiteral("src/util.h")), "#pragma once\n\nint add(int a, int b);\nint sub(int a, int b);\n");
    writeFile(ws.filePath(QStringLiteral("README.md")), "# Calc\n\nAdds numbers.\n");
    writeFile(ws.filePath(QStringLiteral(".gitignore")), "build/\n");
    writeFile(ws.filePath(QStringLiteral("build/out.o")), "binary\n");

    const char *patch = "*** Begin Patch\n*** Update File: src/util.h\n@@\n int sub(int a, int b);\n+int mul(int a, int b);\n"
                        "*** Update File: README.md\n@@\n-Adds numbers.\n+Adds and multiplies numbers.\n*** End Patch\n";
    QJsonArray exchanges{
        callsExchange({{QStringLiteral("c1"), QStringLiteral("update_plan"),
                        object(R"({"items":[{"text":"Find the code","status":"in_progress"},{"text":"Add mul","status":"pending"},{"text":"Document it","status":"pending"}]})")},
                       {QStringLiteral("c2"), QStringLiteral("list_files"), QJsonObject{}}}),
        callsExchange({{QStringLiteral("c3"), QStringLiteral("search"), object(R"({"pattern":"int add","glob":"*.cpp"})")}}),
        callsExchange({{QStringLiteral("c4"), QStringLiteral("read_file"), object(R"({"path":"src/math.cpp"})")}}),
        // Whitespace drift: two-space indentation and a trailing blank where the file has four spaces.
        callsExchange({{QStringLiteral("c5"), QStringLiteral("edit_file"),
                        QJsonObject{{QStringLiteral("path"), QStringLiteral("src/math.cpp")},
                                    {QStringLiteral("old_string"), QStringLiteral("int sub(int a, int b)\n{\n  return a - b;  \n}")},
                                    {QStringLiteral("new_string"),
                                     QStringLiteral("int sub(int a, int b)\n{\n  return a - b;\n}\n\nint mul(int a, int b)\n{\n  return a * b;\n}")}}}}),
        callsExchange({{QStringLiteral("c6"), QStringLiteral("apply_patch"),
                        QJsonObject{{QStringLiteral("patch"), QString::fromUtf8(patch)}}}}),
        callsExchange({{QStringLiteral("c7"), QStringLiteral("update_plan"),
                        object(R"({"items":[{"text":"Find the code","status":"done"},{"text":"Add mul","status":"done"},{"text":"Document it","status":"done"}]})")}}),
        textExchange(QStringLiteral("Added mul() and documented it.")),
    };
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), exchanges}}));

    const Run run = finish(startReins(baseArgs(ws.path(), server)
                                          + QStringList{QStringLiteral("--approval"), QStringLiteral("auto-edit"),
                                                        QStringLiteral("--json"), QStringLiteral("Add a mul function")},
                                      home));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));

    // The files on disk.
    QCOMPARE(readFile(ws.filePath(QStringLiteral("src/math.cpp"))),
             QByteArray("#include \"util.h\"\n\nint add(int a, int b)\n{\n    return a + b;\n}\n\nint sub(int a, int b)\n{\n"
                        "    return a - b;\n}\n\nint mul(int a, int b)\n{\n    return a * b;\n}\n"));
    QCOMPARE(readFile(ws.filePath(QStringLiteral("src/util.h"))),
             QByteArray("#pragma once\n\nint add(int a, int b);\nint sub(int a, int b);\nint mul(int a, int b);\n"));
    QCOMPARE(readFile(ws.filePath(QStringLiteral("README.md"))), QByteArray("# Calc\n\nAdds and multiplies numbers.\n"));

    // What the model was told, request by request.
    const auto &requests = server.requests();
    QCOMPARE(requests.size(), 7);
    QCOMPARE(lastContent(requests[1], 1), QStringLiteral("Plan updated (3 steps)."));
    const QString listing = lastContent(requests[1]);
    QVERIFY2(listing.contains(QStringLiteral("src/math.cpp")) && listing.contains(QStringLiteral(".gitignore (hidden)")),
             qPrintable(listing));
    QVERIFY2(!listing.contains(QStringLiteral("build")), qPrintable(listing)); // ignored
    QCOMPARE(lastContent(requests[2]), QStringLiteral("src/math.cpp:3:int add(int a, int b)\n"));
    QVERIFY(lastContent(requests[3]).startsWith(QStringLiteral("     1\t#include \"util.h\"\n")));
    QCOMPARE(lastContent(requests[4]), QStringLiteral("Edited src/math.cpp."));
    QCOMPARE(lastContent(requests[5]), QStringLiteral("Patch applied: updated src/util.h, updated README.md."));
    QCOMPARE(lastContent(requests[6]), QStringLiteral("Plan updated (3 steps)."));
    // Tool results answer their calls.
    QCOMPARE(messagesOf(requests[1]).last().toObject().value(QLatin1String("tool_call_id")).toString(), QStringLiteral("c2"));

    // The event stream: one JSON event per line, the plan twice, a clean end.
    const auto events = parseEvents(run.out);
    QVERIFY(!events.empty());
    int plans = 0;
    for (const auto &e : events)
        plans += std::holds_alternative<protocol::PlanUpdated>(e.payload);
    QCOMPARE(plans, 2);
    const auto *end = std::get_if<protocol::TurnCompleted>(&events.back().payload);
    QVERIFY(end);
    QCOMPARE(end->reason, protocol::TurnEndReason::Done);

    // The state rebuilt from the journal equals the one built live from the same run's events.
    ThreadState live;
    for (const auto &e : events)
        live.apply(e);
    const QString journal = home.filePath(QStringLiteral("state/reins/sessions/%1.jsonl").arg(sessionIdFrom(events)));
    ThreadState replayed;
    const QByteArray journalBytes = readFile(journal);
    for (const auto &e : parseEvents(journalBytes))
        replayed.apply(e);
    QVERIFY(replayed == live);
    QCOMPARE(live.plan.size(), std::size_t(3));
    QVERIFY(live.totalUsage.inputTokens == 7000);
    // The key appears nowhere: not in the output, not in the journal.
    QVERIFY(!run.out.contains(kKey.toUtf8()) && !run.err.contains(kKey.toUtf8()) && !journalBytes.contains(kKey.toUtf8()));
}

void TstExec::prefixStaysStableAcrossTwentyRequests()
{
    QTemporaryDir home, ws;
    QJsonArray exchanges;
    for (int i = 0; i < 19; ++i) {
        writeFile(ws.filePath(QStringLiteral("f%1.txt").arg(i, 2, 10, QLatin1Char('0'))), QByteArray("line ") + QByteArray::number(i) + '\n');
        // The tenth response reports a nearly full context window (DeepSeek: 1M tokens): a compaction follows.
        exchanges.append(callsExchange({{QStringLiteral("r%1").arg(i), QStringLiteral("read_file"),
                                         QJsonObject{{QStringLiteral("path"), QStringLiteral("f%1.txt").arg(i, 2, 10, QLatin1Char('0'))}}}},
                                       i == 9 ? 900'000 : 1000 + i * 100));
        if (i == 9)
            exchanges.append(textExchange(QStringLiteral("Read f00 to f09; each holds one line."), 900'000));
    }
    exchanges.append(textExchange(QStringLiteral("All twenty files read.")));
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), exchanges}}));
    const Run run = finish(startReins(baseArgs(ws.path(), server)
                                          + QStringList{QStringLiteral("--json"), QStringLiteral("Read every file")},
                                      home));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    const auto events = parseEvents(run.out);
    int compactions = 0;
    for (const auto &e : events)
        compactions += std::holds_alternative<protocol::Compacted>(e.payload);
    QCOMPARE(compactions, 1);

    // The agent's requests (the compaction request has its own system prompt) form an append-only sequence, except
    // across the one compaction the session reported.
    const auto &all = server.requests();
    QCOMPARE(all.size(), 21);
    const QJsonValue system = messagesOf(all[0]).at(0);
    const QJsonValue tools = all[0].json.value(QLatin1String("tools"));
    QList<test::RecordedRequest> agent;
    for (const auto &r : all)
        if (messagesOf(r).at(0) == system)
            agent.append(r);
    QCOMPARE(agent.size(), 20);
    int resets = 0;
    for (qsizetype i = 1; i < agent.size(); ++i) {
        QCOMPARE(agent[i].json.value(QLatin1String("tools")), tools);
        const QJsonArray before = messagesOf(agent[i - 1]);
        const QJsonArray now = messagesOf(agent[i]);
        bool prefix = now.size() > before.size();
        for (qsizetype k = 0; prefix && k < before.size(); ++k)
            prefix = now.at(k) == before.at(k);
        if (!prefix) {
            ++resets;
            QVERIFY2(now.at(1).toObject().value(QLatin1String("content")).toString().startsWith(
                         QStringLiteral("Summary of the conversation so far:")),
                     qPrintable(QString::number(i)));
        }
    }
    QCOMPARE(resets, 1);
    // The tool list is byte-identical too, not only equal as JSON (the body ends with it: keys are sorted).
    const auto toolBytes = [](const QByteArray &body) { return body.mid(body.indexOf("\"tools\":")); };
    QCOMPARE(toolBytes(agent[19].body), toolBytes(agent[0].body));
    QVERIFY(toolBytes(agent[0].body).size() > 1000);
}

void TstExec::killedMidTurnThenResumed()
{
    QTemporaryDir home, ws;
    writeFile(ws.filePath(QStringLiteral("notes.txt")), "remember the milk\n");
    FakeModelServer first;
    QVERIFY(first.listen());
    QJsonObject hang = object(R"({"events":[{"comment":"keep-alive"}],"hangMs":60000})");
    QVERIFY(first.loadScenario(QJsonObject{
        {QStringLiteral("exchanges"),
         QJsonArray{callsExchange({{QStringLiteral("c1"), QStringLiteral("read_file"), object(R"({"path":"notes.txt"})")}}), hang}}}));
    QProcess *process = startReins(baseArgs(ws.path(), first) + QStringList{QStringLiteral("--json"), QStringLiteral("What do I need to remember?")},
                                   home);
    QTRY_COMPARE_WITH_TIMEOUT(first.requests().size(), 2, 30'000);
    QTest::qWait(200);
    const auto partial = parseEvents(process->readAllStandardOutput());
    const QString sessionId = sessionIdFrom(partial);
    QVERIFY(!sessionId.isEmpty());

    // A second writer on the same session is refused while the first holds it.
    FakeModelServer unused;
    QVERIFY(unused.listen());
    const Run second = finish(startReins(baseArgs(ws.path(), unused)
                                             + QStringList{QStringLiteral("--resume"), sessionId, QStringLiteral("hi")},
                                         home));
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains("is already open in another Reins"), second.err.constData());

    process->kill(); // mid-turn, mid-stream, no chance to clean up
    process->waitForFinished();
    delete process;

    FakeModelServer resumed;
    QVERIFY(resumed.listen());
    QJsonObject expect{{QStringLiteral("json"), object(R"({"messages":[
        {"role":"system"},
        {"role":"user","content":"What do I need to remember?"},
        {"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"read_file","arguments":"{\"path\":\"notes.txt\"}"}}]},
        {"role":"tool","tool_call_id":"c1","content":"     1\tremember the milk\n"},
        {"role":"user","content":"Go on."}]})")}};
    QJsonObject answer = textExchange(QStringLiteral("The milk."));
    answer.insert(QStringLiteral("expect"), expect);
    QVERIFY(resumed.loadScenario(QJsonObject{{QStringLiteral("exchanges"), QJsonArray{answer}}}));
    const Run run = finish(startReins(baseArgs(ws.path(), resumed)
                                          + QStringList{QStringLiteral("--json"), QStringLiteral("--resume"), sessionId,
                                                        QStringLiteral("Go on.")},
                                      home));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(resumed.finishedCleanly(), qPrintable(resumed.failures().join(u'\n')));

    const QByteArray journal = readFile(home.filePath(QStringLiteral("state/reins/sessions/%1.jsonl").arg(sessionId)));
    const auto events = parseEvents(journal);
    QVERIFY(!events.empty());
    // The interrupted turn was closed on resume, then the new turn ran to its end.
    int interrupted = 0, done = 0;
    for (const auto &e : events)
        if (const auto *t = std::get_if<protocol::TurnCompleted>(&e.payload))
            (t->reason == protocol::TurnEndReason::Interrupted ? interrupted : done) += 1;
    QCOMPARE(interrupted, 1);
    QCOMPARE(done, 1);
    // Sequence numbers continue across the two processes.
    for (std::size_t i = 1; i < events.size(); ++i)
        QCOMPARE(events[i].seq, events[i - 1].seq + 1);
}

void TstExec::promptFromStdin()
{
    QTemporaryDir home, ws;
    FakeModelServer server;
    QVERIFY(server.listen());
    QJsonObject answer = textExchange(QStringLiteral("Hello."));
    answer.insert(QStringLiteral("expect"), object(R"({"json":{"messages":[{"role":"system"},{"role":"user","content":"a prompt\nfrom stdin\n"}]}})"));
    QVERIFY(server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), QJsonArray{answer}}}));
    const Run run = finish(startReins(baseArgs(ws.path(), server) + QStringList{QStringLiteral("-")}, home,
                                      QByteArray("a prompt\nfrom stdin\n")));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    QVERIFY(run.out.contains("Hello."));
    QVERIFY(run.err.contains("tokens: 1000 in (500 from cache), 20 out"));
}

void TstExec::aRejectedKeyIsRedactedEverywhere()
{
    QTemporaryDir home, ws;
    FakeModelServer server;
    QVERIFY(server.listen());
    QJsonObject rejected{{QStringLiteral("status"), 401},
                         {QStringLiteral("body"),
                          QJsonObject{{QStringLiteral("error"),
                                       QJsonObject{{QStringLiteral("message"), QString(QStringLiteral("Authentication Fails, Your api key: ") + kKey + QStringLiteral(" is invalid"))}}}}}};
    QVERIFY(server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), QJsonArray{rejected}}}));
    const Run run = finish(startReins(baseArgs(ws.path(), server) + QStringList{QStringLiteral("--json"), QStringLiteral("hi")}, home));
    QCOMPARE(run.exitCode, 1);
    const QList<QByteArray> errLines = run.err.trimmed().split('\n');
    QVERIFY2(errLines.last().startsWith("reins exec: DeepSeek rejected the API key (HTTP 401)"), run.err.constData());
    QVERIFY(errLines.last().contains("[redacted]"));
    const QByteArray journal = readFile(home.filePath(QStringLiteral("state/reins/sessions/%1.jsonl").arg(sessionIdFrom(parseEvents(run.out)))));
    QVERIFY(journal.contains("rejected the API key"));
    for (const QByteArray &text : {run.out, run.err, journal})
        QVERIFY(!text.contains(kKey.toUtf8()) && !text.contains(kKey.left(12).toUtf8()));
}

void TstExec::approvalModes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("written");
    QTest::addColumn<bool>("ran");

    QTest::newRow("read-only: nothing") << QStringLiteral("read-only") << false << false;
    QTest::newRow("ask: nothing, headless") << QStringLiteral("ask") << false << false;
    QTest::newRow("auto-edit: the edit, not the command") << QStringLiteral("auto-edit") << true << false;
    QTest::newRow("full-auto: both, the command in the sandbox") << QStringLiteral("full-auto") << true << true;
}

void TstExec::approvalModes()
{
    QFETCH(QString, mode);
    QFETCH(bool, written);
    QFETCH(bool, ran);
    QTemporaryDir home, ws;
    // Not under /tmp (the sandbox has its own), wherever the build tree is.
    QTemporaryDir outside(QDir::homePath() + QStringLiteral("/.reins-test-outside-XXXXXX"));
    const QString leak = outside.filePath(QStringLiteral("leak"));
    // A script: what it does is out of the analyser's sight, so only the sandbox stands between it and the leak.
    writeFile(ws.filePath(QStringLiteral("job.sh")), QStringLiteral("echo ran > ran.txt\necho x > %1\n").arg(leak).toUtf8());
    FakeModelServer server;
    QVERIFY(server.listen());
    QJsonArray exchanges{
        callsExchange({{QStringLiteral("w"), QStringLiteral("write_file"), object(R"({"path":"new.txt","content":"hello\n"})")}}),
        callsExchange({{QStringLiteral("c"), QStringLiteral("run_command"),
                        QJsonObject{{QStringLiteral("command"), QStringLiteral("bash job.sh")}}}}),
        textExchange(QStringLiteral("Done."))};
    QVERIFY(server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), exchanges}}));
    const Run run = finish(startReins(baseArgs(ws.path(), server)
                                          + QStringList{QStringLiteral("--approval"), mode, QStringLiteral("--json"), QStringLiteral("go")},
                                      home));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    QCOMPARE(QFileInfo::exists(ws.filePath(QStringLiteral("new.txt"))), written);
    QCOMPARE(QFileInfo::exists(ws.filePath(QStringLiteral("ran.txt"))), ran);
    QVERIFY(!QFileInfo::exists(leak)); // never outside the workspace
    const QString toldAboutWrite = lastContent(server.requests()[1]);
    const QString toldAboutCommand = lastContent(server.requests()[2]);
    QCOMPARE(toldAboutWrite.startsWith(QStringLiteral("Created new.txt")), written);
    if (ran) {
        // In the sandbox the write outside failed: the file system there is read-only.
        QVERIFY2(toldAboutCommand.startsWith(QStringLiteral("Exit code 1.")), qPrintable(toldAboutCommand));
        QVERIFY2(toldAboutCommand.contains(QStringLiteral("Read-only file system")), qPrintable(toldAboutCommand));
    } else {
        QVERIFY2(toldAboutCommand.startsWith(QStringLiteral("Denied: ")) || toldAboutCommand.startsWith(QStringLiteral("The session is read-only")),
                 qPrintable(toldAboutCommand));
    }
}

void TstExec::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    QTest::newRow("no workspace") << QStringList{QStringLiteral("--provider"), QStringLiteral("deepseek"), QStringLiteral("x")}
                                  << QStringLiteral("reins exec: --workspace is required");
    QTest::newRow("unknown provider")
        << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp"), QStringLiteral("--provider"), QStringLiteral("acme"), QStringLiteral("x")}
        << QStringLiteral("reins exec: unknown provider 'acme'; choose one of deepseek, openai, anthropic, ollama, llamacpp, openai-compatible");
    QTest::newRow("no key")
        << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp"), QStringLiteral("--provider"), QStringLiteral("deepseek"),
                       QStringLiteral("--api-key-env"), QStringLiteral("REINS_TEST_NO_SUCH_VARIABLE"), QStringLiteral("x")}
        << QStringLiteral("reins exec: no API key: set the environment variable REINS_TEST_NO_SUCH_VARIABLE");
    QTest::newRow("bad approval")
        << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp"), QStringLiteral("--provider"), QStringLiteral("deepseek"),
                       QStringLiteral("--approval"), QStringLiteral("yolo"), QStringLiteral("x")}
        << QStringLiteral("reins exec: --approval must be read-only, ask, auto-edit or full-auto");
    QTest::newRow("compatible server without a base URL")
        << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp"), QStringLiteral("--provider"), QStringLiteral("openai-compatible"),
                       QStringLiteral("--model"), QStringLiteral("m"), QStringLiteral("x")}
        << QStringLiteral("reins exec: the provider openai-compatible needs --base-url");
    QTest::newRow("no prompt") << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp"), QStringLiteral("--provider"), QStringLiteral("deepseek")}
                               << QStringLiteral("reins exec: give exactly one PROMPT");
    QTest::newRow("missing workspace")
        << QStringList{QStringLiteral("--workspace"), QStringLiteral("/nonexistent/ws"), QStringLiteral("--provider"), QStringLiteral("deepseek"), QStringLiteral("x")}
        << QStringLiteral("reins exec: the workspace /nonexistent/ws is not a folder");
}

void TstExec::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir home;
    const Run run = finish(startReins(args, home));
    QVERIFY(run.exitCode == 1 || run.exitCode == 2);
    QVERIFY2(QString::fromUtf8(run.err).startsWith(message), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TstExec)
#include "tst_exec.moc"
