// `reins checkpoint` as a child process: create, list, diff, restore with a dry run, and undo.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run reins(const QStringList &args, const QString &home)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(REINS_BINARY), QStringList{QStringLiteral("checkpoint")} + args);
    p.waitForFinished(60'000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TstCheckpointCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void errors_data();
    void errors();
};

void TstCheckpointCli::roundTrip()
{
    QTemporaryDir home, ws;
    const QStringList at{QStringLiteral("--workspace"), ws.path(), QStringLiteral("--json")};
    write(ws.filePath(QStringLiteral("a.txt")), "first\n");
    const Run first = reins(QStringList{QStringLiteral("create"), QStringLiteral("--label"), QStringLiteral("before")} + at, home.path());
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QString a = QJsonDocument::fromJson(first.out).object().value(QLatin1String("id")).toString();
    QCOMPARE(a.size(), 40);

    write(ws.filePath(QStringLiteral("a.txt")), "second\n");
    write(ws.filePath(QStringLiteral("b.txt")), "new\n");
    const Run second = reins(QStringList{QStringLiteral("create")} + at, home.path());
    const QString b = QJsonDocument::fromJson(second.out).object().value(QLatin1String("id")).toString();
    QVERIFY(!b.isEmpty() && b != a);

    const QJsonArray list = QJsonDocument::fromJson(reins(QStringList{QStringLiteral("list")} + at, home.path()).out).array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("id")).toString(), b); // newest first
    QCOMPARE(list.at(1).toObject().value(QLatin1String("label")).toString(), QStringLiteral("before"));

    const QJsonArray diff = QJsonDocument::fromJson(reins(QStringList{QStringLiteral("diff"), a.left(8), b} + at, home.path()).out).array();
    QCOMPARE(diff.size(), 2);
    QStringList files;
    for (const QJsonValue &f : diff)
        files.append(f.toObject().value(QLatin1String("status")).toString() + u' ' + f.toObject().value(QLatin1String("newPath")).toString());
    files.sort();
    QCOMPARE(files, (QStringList{QStringLiteral("added b.txt"), QStringLiteral("modified a.txt")}));

    // The dry run says what would happen and changes nothing.
    const Run dry = reins(QStringList{QStringLiteral("restore"), a, QStringLiteral("--dry-run")} + at, home.path());
    const QJsonObject plan = QJsonDocument::fromJson(dry.out).object();
    QCOMPARE(plan.value(QLatin1String("write")).toArray(), QJsonArray{QStringLiteral("a.txt")});
    QCOMPARE(plan.value(QLatin1String("remove")).toArray(), QJsonArray{QStringLiteral("b.txt")});
    QCOMPARE(read(ws.filePath(QStringLiteral("a.txt"))), QByteArray("second\n"));

    const Run restored = reins(QStringList{QStringLiteral("restore"), a} + at, home.path());
    QVERIFY2(restored.exitCode == 0, restored.err.constData());
    QCOMPARE(read(ws.filePath(QStringLiteral("a.txt"))), QByteArray("first\n"));
    QCOMPARE(read(ws.filePath(QStringLiteral("b.txt"))), QByteArray("<missing>"));
    const QString undo = QJsonDocument::fromJson(restored.out).object().value(QLatin1String("undo")).toString();
    QVERIFY(!undo.isEmpty());

    QVERIFY(reins(QStringList{QStringLiteral("restore"), undo} + at, home.path()).exitCode == 0);
    QCOMPARE(read(ws.filePath(QStringLiteral("a.txt"))), QByteArray("second\n"));
    QCOMPARE(read(ws.filePath(QStringLiteral("b.txt"))), QByteArray("new\n"));

    // Plain text too.
    const Run text = reins({QStringLiteral("list"), QStringLiteral("--workspace"), ws.path()}, home.path());
    QVERIFY(text.out.contains(a.left(12).toUtf8()));
    QVERIFY(text.out.contains("before"));
}

void TstCheckpointCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::newRow("no action") << QStringList{QStringLiteral("--workspace"), QStringLiteral("/tmp")} << 2
                               << QStringLiteral("reins checkpoint: say what to do: list, create, diff or restore");
    QTest::newRow("no workspace") << QStringList{QStringLiteral("list")} << 2 << QStringLiteral("reins checkpoint: --workspace is required");
    QTest::newRow("unknown action") << QStringList{QStringLiteral("explode"), QStringLiteral("--workspace"), QStringLiteral("/tmp")} << 2
                                    << QStringLiteral("reins checkpoint: unknown action 'explode'");
    QTest::newRow("unknown checkpoint") << QStringList{QStringLiteral("restore"), QStringLiteral("deadbeef"), QStringLiteral("--workspace"), QStringLiteral("/tmp")}
                                        << 1 << QStringLiteral("reins checkpoint: ");
}

void TstCheckpointCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, message);
    QTemporaryDir home;
    const Run run = reins(args, home.path());
    QCOMPARE(run.exitCode, status);
    QVERIFY2(QString::fromUtf8(run.err).startsWith(message), run.err.constData());
}

QTEST_GUILESS_MAIN(TstCheckpointCli)
#include "tst_checkpointcli.moc"
