// The command runner with real processes: timeouts that end whole process groups, bounded memory on huge
// output, no stdin, a drain limit for background jobs, no survivors when Reins dies, secrets kept out.

#include "exec/commandrunner.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace reins::exec;

namespace {

struct Result
{
    CommandOutcome outcome;
    QString streamed;
};

Result run(CommandSpec spec, const std::function<void(CommandRunner &)> &whileRunning = {})
{
    CommandRunner runner;
    Result r;
    QObject::connect(&runner, &CommandRunner::output, &runner,
                     [&r](reins::protocol::OutputStream, const QString &text) { r.streamed += text; });
    QSignalSpy finished(&runner, &CommandRunner::finished);
    if (spec.workingDirectory.isEmpty())
        spec.workingDirectory = QDir::tempPath();
    runner.start(spec);
    if (whileRunning)
        whileRunning(runner);
    if (!finished.wait(120'000))
        qWarning("the command did not finish");
    r.outcome = finished.value(0).value(0).value<CommandOutcome>();
    return r;
}

// Dead, or a zombie waiting for its reaper: either way no longer running.
bool running(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) != "Z";
}

qint64 readPid(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
}

CommandSpec spec(const QString &command, int timeoutMs = 30'000)
{
    CommandSpec s;
    s.command = command;
    s.timeoutMs = timeoutMs;
    return s;
}

} // namespace

class TstCommandRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exitCodesAndOutput_data();
    void exitCodesAndOutput();
    void timeoutEndsGrandchildren();
    void hugeOutputKeepsMemoryBounded();
    void stdinIsEmpty();
    void backgroundJobsDoNotHoldTheCallOpen();
    void cancelEndsTheGroup();
    void killingReinsLeavesNoChild();
    void secretsAreNotPassedOn();
};

void TstCommandRunner::exitCodesAndOutput_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("output");

    QTest::newRow("success") << QStringLiteral("echo hello") << 0 << QByteArray("hello\n");
    QTest::newRow("failure") << QStringLiteral("echo out; echo err >&2; exit 3") << 3 << QByteArray("out\nerr\n");
    QTest::newRow("not found") << QStringLiteral("no-such-command-reins") << 127
                               << QByteArray("/bin/bash: line 1: no-such-command-reins: command not found\n");
    QTest::newRow("UTF-8 split across reads") << QStringLiteral("printf 'h\\xc3'; sleep 0.1; printf '\\xa9\\n'") << 0
                                              << QByteArray("h\xc3\xa9\n");
}

void TstCommandRunner::exitCodesAndOutput()
{
    QFETCH(QString, command);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, output);
    const Result r = run(spec(command));
    QVERIFY(r.outcome.startError.isEmpty());
    QCOMPARE(r.outcome.exitCode.value_or(-1), exitCode);
    QCOMPARE(r.outcome.head, output);
    QCOMPARE(r.outcome.totalBytes, output.size());
    QCOMPARE(r.streamed, QString::fromUtf8(output));
}

void TstCommandRunner::timeoutEndsGrandchildren()
{
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("pid"));
    const Result r = run(spec(QStringLiteral("sleep 1000 & echo $! > %1; sleep 1000").arg(pidFile), 500));
    QVERIFY(r.outcome.timedOut);
    QVERIFY(!r.outcome.exitCode);
    const qint64 grandchild = readPid(pidFile);
    QVERIFY(grandchild > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!running(grandchild), 5000);
    QVERIFY2(r.outcome.durationMs < 10'000, qPrintable(QString::number(r.outcome.durationMs)));
}

void TstCommandRunner::hugeOutputKeepsMemoryBounded()
{
    QTemporaryDir dir;
    CommandSpec s = spec(QStringLiteral("head -c 1073741824 /dev/zero | tr '\\0' a; echo; echo the end"), 300'000);
    s.spoolPath = dir.filePath(QStringLiteral("spool"));
    s.spoolCapBytes = 1024 * 1024;
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const Result r = run(s);
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    QCOMPARE(r.outcome.exitCode.value_or(-1), 0);
    QCOMPARE(r.outcome.totalBytes, (1LL << 30) + 9);
    QCOMPARE(r.outcome.head, QByteArray(64 * 1024, 'a'));
    QCOMPARE(r.outcome.tail.size(), 64 * 1024);
    QVERIFY(r.outcome.tail.endsWith("aaa\nthe end\n"));
    QVERIFY(r.outcome.text().contains(QStringLiteral("[… %1 bytes of output left out …]").arg((1LL << 30) + 9 - 2 * 64 * 1024)));
    // Streamed events stop at the stream budget; the spool stops at its cap.
    QVERIFY(r.streamed.size() < 300 * 1024);
    QCOMPARE(r.outcome.spooledBytes, 1024 * 1024);
    QCOMPARE(QFileInfo(s.spoolPath).size(), 1024 * 1024);
    // A gigabyte went through; the process grew by far less than that.
    QVERIFY2(after.ru_maxrss - before.ru_maxrss < 64 * 1024, qPrintable(QStringLiteral("grew by %1 KiB").arg(after.ru_maxrss - before.ru_maxrss)));
}

void TstCommandRunner::stdinIsEmpty()
{
    const Result r = run(spec(QStringLiteral("cat; read line; echo \"read:[$line] status:$?\"")));
    QCOMPARE(r.outcome.exitCode.value_or(-1), 0);
    QCOMPARE(r.outcome.head, QByteArray("read:[] status:1\n"));
    QVERIFY(r.outcome.durationMs < 10'000);
}

void TstCommandRunner::backgroundJobsDoNotHoldTheCallOpen()
{
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("pid"));
    CommandSpec s = spec(QStringLiteral("sleep 100 & echo $! > %1; echo started").arg(pidFile));
    s.drainMs = 300;
    const Result r = run(s);
    QCOMPARE(r.outcome.exitCode.value_or(-1), 0);
    QCOMPARE(r.outcome.head, QByteArray("started\n"));
    QVERIFY(r.outcome.drainCut);
    QVERIFY2(r.outcome.durationMs < 5000, qPrintable(QString::number(r.outcome.durationMs)));
    QTRY_VERIFY_WITH_TIMEOUT(!running(readPid(pidFile)), 5000);

    // Without background jobs, no drain wait at all.
    CommandSpec quick = spec(QStringLiteral("echo quick"));
    quick.drainMs = 5000;
    const Result q = run(quick);
    QVERIFY(!q.outcome.drainCut);
    QVERIFY(q.outcome.durationMs < 4000);
}

void TstCommandRunner::cancelEndsTheGroup()
{
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("pid"));
    const Result r = run(spec(QStringLiteral("sleep 1000 & echo $! > %1; echo go; sleep 1000").arg(pidFile)), [](CommandRunner &runner) {
        QTest::qWait(300);
        runner.cancel();
    });
    QVERIFY(r.outcome.cancelled);
    QVERIFY(!r.outcome.exitCode);
    QCOMPARE(r.outcome.signal, SIGTERM);
    QTRY_VERIFY_WITH_TIMEOUT(!running(readPid(pidFile)), 5000);
}

void TstCommandRunner::killingReinsLeavesNoChild()
{
    // This test re-executes itself as the "Reins" that runs the command, then kills it with SIGKILL.
    QTemporaryDir dir;
    const QString pidFile = dir.filePath(QStringLiteral("pids"));
    QProcess host;
    host.start(QCoreApplication::applicationFilePath(),
               {QStringLiteral("--runner-host"), QStringLiteral("sleep 1000 & echo $! >> %1; echo $$ >> %1; sleep 1000").arg(pidFile)});
    QVERIFY(host.waitForStarted());
    const auto lines = [&pidFile] {
        QFile f(pidFile);
        return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : 0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(lines(), 2, 10'000);
    QTest::qWait(200);
    QFile f(pidFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> pids = f.readAll().trimmed().split('\n');
    QCOMPARE(pids.size(), 2);
    for (const QByteArray &pid : pids)
        QVERIFY(running(pid.toLongLong()));
    ::kill(pid_t(host.processId()), SIGKILL);
    QVERIFY(host.waitForFinished());
    for (const QByteArray &pid : pids)
        QTRY_VERIFY_WITH_TIMEOUT(!running(pid.toLongLong()), 5000);
}

void TstCommandRunner::secretsAreNotPassedOn()
{
    qputenv("REINS_TEST_API_KEY", "sk-secret");
    qputenv("REINS_TEST_PLAIN", "visible");
    const Result r = run(spec(QStringLiteral("echo ${REINS_TEST_API_KEY:-gone} $REINS_TEST_PLAIN")));
    QCOMPARE(r.outcome.head, QByteArray("gone visible\n"));
    CommandSpec allowed = spec(QStringLiteral("echo ${REINS_TEST_API_KEY:-gone}"));
    allowed.allowedSecrets = {QStringLiteral("REINS_TEST_API_KEY")};
    QCOMPARE(run(allowed).outcome.head, QByteArray("sk-secret\n"));
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--runner-host") == 0) {
        QCoreApplication app(argc, argv);
        CommandRunner runner;
        CommandSpec s;
        s.command = QString::fromLocal8Bit(argv[2]);
        s.workingDirectory = QDir::tempPath();
        s.timeoutMs = 0;
        runner.start(s);
        return app.exec(); // until killed
    }
    QCoreApplication app(argc, argv);
    TstCommandRunner test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_commandrunner.moc"
