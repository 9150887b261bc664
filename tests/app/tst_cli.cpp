// Drives the real `reins` binary as a child process.

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runReins(const QStringList &args, const QString &platform)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(REINS_BINARY), args);
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void version();
    void help();
    void badArguments_data();
    void badArguments();
    void screenshot();
};

void TstCli::version()
{
    // A platform plugin that does not exist: --version must not need any (it starts no GUI).
    const Run run = runReins({QStringLiteral("--version")}, QStringLiteral("no-such-platform"));
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = run.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 5);
    const char *patterns[] = {"^Reins \\d+\\.\\d+\\.\\d+$", "^Qt 6\\.\\d+\\.\\d+$",
                              "^KF6 SyntaxHighlighting 6\\.\\d+\\.\\d+$", "^QScintilla 2\\.\\d+\\.\\d+$",
                              "^libgit2 1\\.\\d+\\.\\d+$"};
    for (int i = 0; i < 5; ++i)
        QVERIFY2(QRegularExpression(QLatin1String(patterns[i])).match(lines[i]).hasMatch(), qPrintable(lines[i]));
    QCOMPARE(lines[1], QStringLiteral("Qt ") + QString::fromLatin1(qVersion()));
}

void TstCli::help()
{
    const Run run = runReins({QStringLiteral("--help")}, QStringLiteral("no-such-platform"));
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("Usage:")));
    QVERIFY(run.out.contains(QStringLiteral("reins --version")));
    QVERIFY(run.out.contains(QStringLiteral("--screenshot FILE")));
}

void TstCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")}
                                    << QStringLiteral("reins: Unknown option 'frobnicate'.");
    QTest::newRow("missing folder") << QStringList{QStringLiteral("/nonexistent/reins-test")}
                                    << QStringLiteral("reins: cannot open '/nonexistent/reins-test': not a readable folder");
    QTest::newRow("two folders") << QStringList{QStringLiteral("/"), QStringLiteral("/tmp")}
                                 << QStringLiteral("reins: unexpected argument '/tmp'");
    QTest::newRow("bad delay") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
                                              QStringLiteral("--screenshot-delay"), QStringLiteral("soon")}
                               << QStringLiteral("reins: --screenshot-delay takes a number of milliseconds");
}

void TstCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run run = runReins(args, QStringLiteral("offscreen"));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(message), qPrintable(run.err));
}

void TstCli::screenshot()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("window.png"));
    const Run run = runReins({QStringLiteral("--screenshot"), png, QStringLiteral("--screenshot-delay"),
                              QStringLiteral("100"), dir.path()},
                             QStringLiteral("offscreen"));
    QCOMPARE(run.exitCode, 0);
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY2(image.width() >= 1200 && image.height() >= 700,
             qPrintable(QStringLiteral("%1x%2").arg(image.width()).arg(image.height())));
    // Not a blank window: text and frames make many distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));

    const Run failing = runReins({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("no/such/dir/x.png")),
                                  QStringLiteral("--screenshot-delay"), QStringLiteral("0")},
                                 QStringLiteral("offscreen"));
    QCOMPARE(failing.exitCode, 1);
    QVERIFY(failing.err.contains(QStringLiteral("could not write the screenshot")));
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
