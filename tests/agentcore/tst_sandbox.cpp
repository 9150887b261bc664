// The sandbox with real bubblewrap: the workspace is writable, nothing else is, .git stays read-only, and the
// network (the host's loopback included) is out of reach unless allowed.

#include "exec/commandrunner.h"
#include "exec/sandbox.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::exec;

namespace {

CommandOutcome runIn(const QString &workspace, const QString &command, std::optional<SandboxSpec> sandbox)
{
    CommandRunner runner;
    QSignalSpy finished(&runner, &CommandRunner::finished);
    CommandSpec spec;
    spec.command = command;
    spec.workingDirectory = workspace;
    spec.timeoutMs = 30'000;
    spec.sandbox = std::move(sandbox);
    runner.start(spec);
    if (!finished.wait(60'000))
        qWarning("no end");
    return finished.value(0).value(0).value<CommandOutcome>();
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TstSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void confinement_data();
    void confinement();
    void loopbackIsOutOfReach();
};

void TstSandbox::initTestCase()
{
    const SandboxStatus status = sandboxStatus();
    if (!status.available)
        QSKIP(qPrintable(QStringLiteral("no sandbox here: ") + status.reason));
}

void TstSandbox::confinement_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<QString>("file");       // relative to the workspace, or "OUTSIDE/…"
    QTest::addColumn<QByteArray>("content"); // afterwards, on the host

    QTest::newRow("a workspace write succeeds") << QStringLiteral("echo hi > inside.txt") << true << QStringLiteral("inside.txt")
                                                << QByteArray("hi\n");
    QTest::newRow("a nested workspace write succeeds") << QStringLiteral("mkdir -p a/b && echo x > a/b/c") << true
                                                       << QStringLiteral("a/b/c") << QByteArray("x\n");
    QTest::newRow("a write outside the workspace fails") << QStringLiteral("echo x > OUTSIDE/escaped") << false
                                                         << QStringLiteral("OUTSIDE/escaped") << QByteArray("<missing>");
    QTest::newRow("a write to .git/config fails") << QStringLiteral("echo evil >> .git/config") << false
                                                  << QStringLiteral(".git/config") << QByteArray("[core]\n");
    QTest::newRow("a new file in .git fails") << QStringLiteral("echo x > .git/hooks/pre-commit") << false
                                              << QStringLiteral(".git/hooks/pre-commit") << QByteArray("<missing>");
    QTest::newRow("/tmp is private") << QStringLiteral("echo x > /tmp/reins-sandbox-probe && cat /tmp/reins-sandbox-probe") << true
                                     << QStringLiteral("/tmp/reins-sandbox-probe") << QByteArray("<missing>");
}

void TstSandbox::confinement()
{
    QFETCH(QString, command);
    QFETCH(bool, succeeds);
    QFETCH(QString, file);
    QFETCH(QByteArray, content);

    QTemporaryDir ws;
    // Outside: a folder that is not under /tmp (the sandbox's /tmp is its own), wherever the build tree is.
    QTemporaryDir outside(QDir::homePath() + QStringLiteral("/.reins-test-outside-XXXXXX"));
    QVERIFY(outside.isValid());
    QDir().mkpath(ws.filePath(QStringLiteral(".git/hooks")));
    QFile config(ws.filePath(QStringLiteral(".git/config")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[core]\n");
    config.close();
    QFile::remove(QStringLiteral("/tmp/reins-sandbox-probe"));

    const QString cmd = QString(command).replace(QStringLiteral("OUTSIDE"), outside.path());
    const CommandOutcome o = runIn(ws.path(), cmd, SandboxSpec{ws.path(), {ws.filePath(QStringLiteral(".git"))}, false});
    QVERIFY2(o.startError.isEmpty(), qPrintable(o.startError));
    QCOMPARE(o.exitCode.value_or(-1) == 0, succeeds);
    const QString path = file.startsWith(u'/') ? file
                         : file.startsWith(QLatin1String("OUTSIDE")) ? QString(file).replace(QStringLiteral("OUTSIDE"), outside.path())
                                                                     : ws.filePath(file);
    QCOMPARE(read(path), content);
    if (!succeeds)
        QVERIFY2(o.head.contains("Read-only file system"), o.head.constData());
}

void TstSandbox::loopbackIsOutOfReach()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir ws;
    const QString connect = QStringLiteral("exec 3<>/dev/tcp/127.0.0.1/%1 && echo connected").arg(server.serverPort());
    // Outside the sandbox the server is reachable: the check itself works.
    const CommandOutcome plain = runIn(ws.path(), connect, std::nullopt);
    QCOMPARE(plain.head, QByteArray("connected\n"));
    // Inside, without network, it is not.
    const CommandOutcome sandboxed = runIn(ws.path(), connect, SandboxSpec{ws.path(), {}, false});
    QVERIFY(sandboxed.exitCode.value_or(0) != 0);
    QVERIFY(!sandboxed.head.contains("connected"));
    // With the network allowed for the command, it is.
    const CommandOutcome allowed = runIn(ws.path(), connect, SandboxSpec{ws.path(), {}, true});
    QCOMPARE(allowed.head, QByteArray("connected\n"));
}

QTEST_GUILESS_MAIN(TstSandbox)
#include "tst_sandbox.moc"
