// The explicit commit action, on real repositories, cross-checked with the git CLI.

#include "checkpoint/repositorycommit.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::checkpoint;

namespace {

QString git(const QString &repo, const QStringList &args, int *status = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(repo);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("git"), args);
    p.waitForFinished(30'000);
    if (status)
        *status = p.exitCode();
    return QString::fromUtf8(p.readAll()).trimmed();
}

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A repository with one commit and its own identity.
void makeRepo(const QString &dir, bool withCommit = true)
{
    git(dir, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
    git(dir, {QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Ada Lovelace")});
    git(dir, {QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("ada@example.com")});
    write(dir + QStringLiteral("/.gitignore"), "*.log\n");
    write(dir + QStringLiteral("/a.txt"), "one\n");
    write(dir + QStringLiteral("/gone.txt"), "bye\n");
    if (withCommit) {
        git(dir, {QStringLiteral("add"), QStringLiteral("-A")});
        git(dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("first")});
    }
}

} // namespace

class TstRepositoryCommit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commitsEveryChange();
    void firstCommitOfANewRepository();
    void refusals_data();
    void refusals();
};

void TstRepositoryCommit::commitsEveryChange()
{
    QTemporaryDir dir;
    makeRepo(dir.path());
    write(dir.filePath(QStringLiteral("a.txt")), "one\ntwo\n");
    write(dir.filePath(QStringLiteral("src/new.cpp")), "int x;\n");
    QFile::remove(dir.filePath(QStringLiteral("gone.txt")));
    write(dir.filePath(QStringLiteral("debug.log")), "ignored\n");

    const auto commit = commitWorkingTree(dir.path(), QStringLiteral("Add two and new.cpp\n\nMade with Reins."));
    QVERIFY2(commit, qPrintable(commit ? QString() : commit.error().message));
    QCOMPARE(commit->branch, QStringLiteral("main"));
    QCOMPARE(commit->filesChanged, 3);
    QCOMPARE(git(dir.path(), {QStringLiteral("rev-parse"), QStringLiteral("HEAD")}), commit->id);
    QCOMPARE(git(dir.path(), {QStringLiteral("log"), QStringLiteral("-1"), QStringLiteral("--format=%an <%ae>|%s|%b")}),
             QStringLiteral("Ada Lovelace <ada@example.com>|Add two and new.cpp|Made with Reins."));
    QCOMPARE(git(dir.path(), {QStringLiteral("show"), QStringLiteral("--name-status"), QStringLiteral("--format=")}),
             QStringLiteral("M\ta.txt\nD\tgone.txt\nA\tsrc/new.cpp"));
    // Nothing left to commit but the ignored file; the repository is consistent.
    QCOMPARE(git(dir.path(), {QStringLiteral("status"), QStringLiteral("--porcelain")}), QString());
    int status = -1;
    git(dir.path(), {QStringLiteral("fsck"), QStringLiteral("--full")}, &status);
    QCOMPARE(status, 0);
}

void TstRepositoryCommit::firstCommitOfANewRepository()
{
    QTemporaryDir dir;
    makeRepo(dir.path(), false);
    const auto commit = commitWorkingTree(dir.path(), QStringLiteral("Initial"));
    QVERIFY2(commit, qPrintable(commit ? QString() : commit.error().message));
    QCOMPARE(commit->branch, QStringLiteral("main"));
    QCOMPARE(git(dir.path(), {QStringLiteral("log"), QStringLiteral("--format=%s")}), QStringLiteral("Initial"));
    QCOMPARE(git(dir.path(), {QStringLiteral("ls-files")}), QStringLiteral(".gitignore\na.txt\ngone.txt"));
}

void TstRepositoryCommit::refusals_data()
{
    QTest::addColumn<QString>("setup"); // what to do to a fresh repository with one change
    QTest::addColumn<QString>("error");

    QTest::newRow("detached HEAD") << QStringLiteral("detach") << QStringLiteral("HEAD is detached");
    QTest::newRow("merge in progress") << QStringLiteral("merge") << QStringLiteral("operation is in progress");
    QTest::newRow("conflicts in the index") << QStringLiteral("conflict") << QStringLiteral("unresolved conflicts");
    QTest::newRow("nothing to commit") << QStringLiteral("clean") << QStringLiteral("there are no changes to commit");
    QTest::newRow("not a repository") << QStringLiteral("plain") << QStringLiteral("is not the top folder of a git repository");
    QTest::newRow("an empty message") << QStringLiteral("nomessage") << QStringLiteral("a commit needs a message");
}

void TstRepositoryCommit::refusals()
{
    QFETCH(QString, setup);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString d = dir.path();
    if (setup != QLatin1String("plain"))
        makeRepo(d);
    const QString before = setup == QLatin1String("plain") ? QString() : git(d, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    if (setup == QLatin1String("detach")) {
        git(d, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("--detach")});
    } else if (setup == QLatin1String("merge") || setup == QLatin1String("conflict")) {
        git(d, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("other")});
        write(d + QStringLiteral("/a.txt"), "theirs\n");
        git(d, {QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("theirs")});
        git(d, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
        write(d + QStringLiteral("/a.txt"), "ours\n");
        git(d, {QStringLiteral("commit"), QStringLiteral("-qam"), QStringLiteral("ours")});
        git(d, {QStringLiteral("merge"), QStringLiteral("other")}); // conflicts
        if (setup == QLatin1String("conflict"))
            QFile::remove(d + QStringLiteral("/.git/MERGE_HEAD")); // only the conflicted index is left
    }
    if (setup != QLatin1String("clean"))
        write(d + QStringLiteral("/b.txt"), "change\n");
    const QString headBefore = setup == QLatin1String("plain") ? QString() : git(d, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    const auto commit = commitWorkingTree(d, setup == QLatin1String("nomessage") ? QStringLiteral("  ") : QStringLiteral("msg"));
    QVERIFY(!commit);
    QVERIFY2(commit.error().message.contains(error), qPrintable(commit.error().message));
    if (setup != QLatin1String("plain"))
        QCOMPARE(git(d, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")}), headBefore); // nothing committed
    Q_UNUSED(before);
}

QTEST_GUILESS_MAIN(TstRepositoryCommit)
#include "tst_repositorycommit.moc"
