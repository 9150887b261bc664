#include "checkpoint/checkpointstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace reins;
using namespace reins::checkpoint;
using namespace Qt::StringLiterals;

namespace reins::checkpoint {

// Lets QCOMPARE print values that differ.
char *toString(const FileDiff &diff)
{
    QString text = u"FileDiff{status=%1 %2 (%3) -> %4 (%5) binary=%6 similarity=%7 +%8 -%9"_s.arg(int(diff.status))
                       .arg(diff.oldPath)
                       .arg(diff.oldMode, 0, 8)
                       .arg(diff.newPath)
                       .arg(diff.newMode, 0, 8)
                       .arg(diff.binary)
                       .arg(diff.similarity)
                       .arg(diff.additions)
                       .arg(diff.deletions);
    for (const DiffHunk &hunk : diff.hunks) {
        text += u"\n  @@ -%1,%2 +%3,%4 @@ %5"_s.arg(hunk.oldStart).arg(hunk.oldLines).arg(hunk.newStart).arg(hunk.newLines).arg(hunk.header);
        for (const DiffLine &line : hunk.lines)
            text += u"\n  %1%2 [%3,%4]%5"_s.arg(QChar::fromLatin1(line.origin), line.text).arg(line.oldLine).arg(line.newLine).arg(line.noNewlineAtEnd ? u" (no newline)"_s : QString());
    }
    return qstrdup((text + u'}').toUtf8().constData());
}

char *toString(const RestorePlan &plan)
{
    const QString text = u"RestorePlan{target=%1 write=[%2] create=[%3] remove=[%4] editedSince=[%5] leftAlone=[%6]}"_s
                             .arg(plan.target, plan.write.join(u", "), plan.create.join(u", "), plan.remove.join(u", "),
                                  plan.editedSince.join(u", "), plan.leftAlone.join(u", "));
    return qstrdup(text.toUtf8().constData());
}

} // namespace reins::checkpoint

namespace {

using Action = std::function<void(const QString &root)>;

/// Everything under a folder, links not followed, .git folders included: path → "dir", "link -> target", or
/// "file x|- sha256". Equal maps mean equal bytes, modes (the execute bit) and shapes.
using DiskState = QMap<QString, QByteArray>;

DiskState diskState(const QString &root, const QString &below = QString())
{
    DiskState state;
    const QString start = below.isEmpty() ? root : root + u'/' + below;
    QDirIterator it(start, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray encoded = QFile::encodeName(path);
        struct stat st{};
        if (::lstat(encoded.constData(), &st) != 0)
            continue;
        const QString key = QDir(root).relativeFilePath(path);
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            const ssize_t n = ::readlink(encoded.constData(), target, sizeof target);
            state.insert(key, "link -> " + QByteArray(target, n < 0 ? 0 : n));
        } else if (S_ISDIR(st.st_mode)) {
            state.insert(key, "dir");
        } else {
            QFile file(path);
            (void)file.open(QIODevice::ReadOnly);
            state.insert(key, QByteArray("file ") + ((st.st_mode & S_IXUSR) ? "x " : "- ")
                                  + QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
        }
    }
    return state;
}

bool writeFile(const QString &root, const QString &path, const QByteArray &bytes)
{
    const QString full = root + u'/' + path;
    QDir().mkpath(QFileInfo(full).path());
    QFile file(full);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &root, const QString &path)
{
    QFile file(root + u'/' + path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

bool makeLink(const QString &root, const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(root + u'/' + link).constData()) == 0;
}

bool setExecutable(const QString &root, const QString &path, bool executable)
{
    return ::chmod(QFile::encodeName(root + u'/' + path).constData(), executable ? 0755 : 0644) == 0;
}

bool removePath(const QString &root, const QString &path)
{
    const QString full = root + u'/' + path;
    const QFileInfo info(full);
    if (info.isDir() && !info.isSymLink())
        return QDir(full).removeRecursively();
    return ::unlink(QFile::encodeName(full).constData()) == 0;
}

struct GitResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

GitResult git(const QString &cwd, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(cwd);
    process.start(u"git"_s, args);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

/// `git fsck --full` on the store; empty when it passes, else what git said.
QByteArray fsckProblems(const QString &store)
{
    const GitResult result = git(store, {u"--git-dir="_s + store, u"fsck"_s, u"--full"_s, u"--no-dangling"_s});
    // A store's HEAD names a branch that never exists (checkpoints live under refs/reins), and a store pruned to
    // nothing has no refs at all: git notes both, calmly.
    QByteArray said;
    for (const QByteArray &line : QByteArray(result.out + result.err).split('\n'))
        if (!line.isEmpty() && line != "notice: HEAD points to an unborn branch (master)"
            && line != "notice: No default references")
            said += line + '\n';
    if (result.exitCode == 0 && said.isEmpty())
        return {};
    return "exit " + QByteArray::number(result.exitCode) + ": " + said;
}

QByteArray treeOf(const QString &store, const QString &commit)
{
    return git(store, {u"--git-dir="_s + store, u"rev-parse"_s, commit + u"^{tree}"_s}).out.trimmed();
}

QByteArray lsTree(const QString &store, const QString &commit)
{
    return git(store, {u"--git-dir="_s + store, u"ls-tree"_s, u"-r"_s, u"--full-tree"_s, commit}).out;
}

QStringList trailers(const QString &store, const QString &commit, const QString &key)
{
    QStringList values;
    const QByteArray message = git(store, {u"--git-dir="_s + store, u"log"_s, u"-1"_s, u"--format=%B"_s, commit}).out;
    for (const QByteArray &line : message.split('\n'))
        if (line.startsWith(QByteArray(key.toUtf8() + ": ")))
            values.append(QString::fromUtf8(line.mid(key.size() + 2)));
    return values;
}

/// Hashes of every file under .git: the user's repository must come out byte-identical.
DiskState gitDirState(const QString &repository)
{
    return diskState(repository, u".git"_s);
}

QByteArray status(const QString &repository)
{
    // No optional locks: git status must not refresh the index while we watch it.
    return git(repository, {u"--no-optional-locks"_s, u"status"_s, u"--porcelain"_s, u"--untracked-files=all"_s,
                            u"--ignored"_s})
        .out;
}

qint64 mtimeNs(const QString &root, const QString &path)
{
    struct stat st{};
    if (::lstat(QFile::encodeName(root + u'/' + path).constData(), &st) != 0)
        return -1;
    return qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

quint64 inodeOf(const QString &root, const QString &path)
{
    struct stat st{};
    return ::lstat(QFile::encodeName(root + u'/' + path).constData(), &st) == 0 ? st.st_ino : 0;
}

bool setOldMtime(const QString &root, const QString &path)
{
    const timespec times[2] = {{1'000'000'000, 0}, {1'000'000'000, 123}};
    return ::utimensat(AT_FDCWD, QFile::encodeName(root + u'/' + path).constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

/// The error of a failed result, for QVERIFY2 (which evaluates its message even when the check passes).
template<typename T>
const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

SnapshotOptions options(const QString &label, const QString &session = QString())
{
    SnapshotOptions o;
    o.label = label;
    o.session = session;
    o.timeBudgetMs = 60000;
    return o;
}

/// A workspace and a store beside it (never inside).
struct Fixture
{
    QTemporaryDir dir;
    QString ws;
    QString storeRoot;
    std::unique_ptr<CheckpointStore> store;

    bool init(const QString &workspaceName = u"ws"_s)
    {
        if (!dir.isValid())
            return false;
        ws = dir.filePath(workspaceName);
        storeRoot = dir.filePath(u"store"_s);
        if (!QDir().mkpath(ws))
            return false;
        return reopen();
    }
    bool reopen()
    {
        store.reset();
        auto opened = CheckpointStore::open(ws, storeRoot);
        if (!opened) {
            qWarning("%s", qPrintable(opened.error().message));
            return false;
        }
        store = std::move(*opened);
        return true;
    }
    Checkpoint snap(const QString &label, const QString &session = QString())
    {
        auto result = store->snapshot(options(label, session));
        if (!result)
            qWarning("%s", qPrintable(result.error().message));
        return result.value_or(Checkpoint{});
    }
};

} // namespace

Q_DECLARE_METATYPE(Action)

class TstCheckpointStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeLocation();
    void roundTrip_data();
    void roundTrip();
    void listAndChain();
    void findIds();
    void userRepositoryUntouched();
    void monorepoSibling();
    void uncapturedSurviveRestore();
    void nestedRepositories();
    void bigFile();
    void restoreWritesOnlyDifferingFiles();
    void statCache();
    void changedPathsMatchFullScan();
    void partialOnTimeBudget();
    void planRestore();
    void diffValues();
    void diffToWorkingTree();
    void prune();

private:
    QTemporaryDir m_home;
};

void TstCheckpointStore::initTestCase()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git command is needed to cross-check the store");
    QVERIFY(m_home.isValid());
    // No user or system git configuration, no global excludes: the tests see what they set up.
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
    qputenv("HOME", QFile::encodeName(m_home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + u"/config"));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + u"/data"));
    qputenv("GIT_AUTHOR_NAME", "Test");
    qputenv("GIT_AUTHOR_EMAIL", "test@example.com");
    qputenv("GIT_COMMITTER_NAME", "Test");
    qputenv("GIT_COMMITTER_EMAIL", "test@example.com");
}

void TstCheckpointStore::storeLocation()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ws = dir.filePath(u"ws"_s);
    QVERIFY(writeFile(ws, u"a.txt"_s, "a\n"));
    const DiskState before = diskState(ws);

    auto opened = CheckpointStore::open(ws, dir.filePath(u"store"_s));
    QVERIFY2(opened, why(opened));
    CheckpointStore &store = **opened;
    const QByteArray digest = QCryptographicHash::hash(QFileInfo(ws).canonicalFilePath().toUtf8(),
                                                       QCryptographicHash::Sha256)
                                  .toHex()
                                  .left(16);
    QCOMPARE(store.path(), QFileInfo(dir.filePath(u"store"_s)).canonicalFilePath() + u'/' + QString::fromLatin1(digest) + u".git"_s);
    QCOMPARE(store.workspace(), QFileInfo(ws).canonicalFilePath());
    QCOMPARE(readFile(store.path(), u"reins-workspace"_s), QFileInfo(ws).canonicalFilePath().toUtf8() + '\n');
    QCOMPARE(git(store.path(), {u"--git-dir="_s + store.path(), u"rev-parse"_s, u"--is-bare-repository"_s}).out, "true\n");
    QVERIFY(store.snapshot(options(u"first"_s)));
    // Nothing was created inside the workspace.
    QCOMPARE(diskState(ws), before);
    QCOMPARE(fsckProblems(store.path()), QByteArray());

    // The default place is under the XDG data folder.
    auto defaultStore = CheckpointStore::open(ws);
    QVERIFY2(defaultStore, why(defaultStore));
    QVERIFY((*defaultStore)->path().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/reins/checkpoints/"_s));
    QDir((*defaultStore)->path()).removeRecursively();

    // A store inside the workspace is refused, and so is a workspace that is not a folder.
    auto inside = CheckpointStore::open(ws, ws + u"/.reins"_s);
    QVERIFY(!inside);
    QVERIFY2(inside.error().message.contains(u"inside the workspace"_s), qPrintable(inside.error().message));
    QVERIFY(!CheckpointStore::open(dir.filePath(u"missing"_s), dir.filePath(u"store"_s)));

    // The same workspace reopens the same store, with its checkpoints.
    auto again = CheckpointStore::open(ws, dir.filePath(u"store"_s));
    QVERIFY(again);
    QCOMPARE((*again)->path(), store.path());
    QCOMPARE((*again)->list()->size(), size_t(1));
}

void TstCheckpointStore::roundTrip_data()
{
    QTest::addColumn<Action>("setup");
    QTest::addColumn<Action>("change");

    const Action base = [](const QString &root) {
        writeFile(root, u"a.txt"_s, "alpha\nbeta\n");
        writeFile(root, u"src/main.c"_s, "int main() { return 0; }\n");
        writeFile(root, u"src/util.c"_s, "void util() {}\n");
        writeFile(root, u"tool.sh"_s, "#!/bin/sh\necho hi\n");
    };
    const auto with = [base](const Action &more) {
        return Action([base, more](const QString &root) {
            base(root);
            more(root);
        });
    };
    const Action nothing = [](const QString &) {};

    QTest::newRow("modify") << base << Action([](const QString &root) { writeFile(root, u"a.txt"_s, "alpha\nBETA\n"); });
    QTest::newRow("modify, same size") << base << Action([](const QString &root) { writeFile(root, u"a.txt"_s, "alpha\nbetA\n"); });
    QTest::newRow("add") << base << Action([](const QString &root) { writeFile(root, u"b.txt"_s, "new\n"); });
    QTest::newRow("add in new folders")
        << base << Action([](const QString &root) { writeFile(root, u"new/deeper/x.txt"_s, "x\n"); });
    QTest::newRow("delete") << base << Action([](const QString &root) { removePath(root, u"src/util.c"_s); });
    QTest::newRow("delete a folder") << base << Action([](const QString &root) { removePath(root, u"src"_s); });
    QTest::newRow("rename") << base << Action([](const QString &root) {
        QFile::rename(root + u"/src/main.c"_s, root + u"/src/app.c"_s);
    });
    QTest::newRow("chmod +x") << base << Action([](const QString &root) { setExecutable(root, u"a.txt"_s, true); });
    QTest::newRow("chmod -x") << with([](const QString &root) { setExecutable(root, u"tool.sh"_s, true); })
                              << Action([](const QString &root) { setExecutable(root, u"tool.sh"_s, false); });
    QTest::newRow("symlink added") << base << Action([](const QString &root) { makeLink(root, u"src/main.c"_s, u"link"_s); });
    QTest::newRow("symlink retargeted")
        << with([](const QString &root) { makeLink(root, u"a.txt"_s, u"link"_s); })
        << Action([](const QString &root) {
               removePath(root, u"link"_s);
               makeLink(root, u"../nowhere"_s, u"link"_s);
           });
    QTest::newRow("file becomes symlink") << base << Action([](const QString &root) {
        removePath(root, u"a.txt"_s);
        makeLink(root, u"tool.sh"_s, u"a.txt"_s);
    });
    QTest::newRow("symlink becomes file") << with([](const QString &root) { makeLink(root, u"src"_s, u"dirlink"_s); })
                                          << Action([](const QString &root) {
                                                 removePath(root, u"dirlink"_s);
                                                 writeFile(root, u"dirlink"_s, "plain\n");
                                             });
    QByteArray binary;
    for (int i = 0; i < 5000; ++i)
        binary.append(char(i * 7 % 256));
    QTest::newRow("binary") << with([binary](const QString &root) { writeFile(root, u"data.bin"_s, binary); })
                            << Action([binary](const QString &root) {
                                   QByteArray changed = binary;
                                   changed[100] = '\0';
                                   changed.append("\xff\xfe", 2);
                                   writeFile(root, u"data.bin"_s, changed);
                               });
    QTest::newRow("unusual names")
        << with([](const QString &root) {
               writeFile(root, u"ünïcödé ☃.txt"_s, "snow\n");
               writeFile(root, u"日本/ファイル.txt"_s, "jp\n");
               writeFile(root, u"-dash %41 back\\slash"_s, "odd\n");
               writeFile(root, u"new\nline"_s, "nl\n");
               QDir().mkpath(root + u"/empty ☃ %0A"_s);
           })
        << Action([](const QString &root) {
               writeFile(root, u"ünïcödé ☃.txt"_s, "melted\n");
               removePath(root, u"日本/ファイル.txt"_s);
               writeFile(root, u"-dash %41 back\\slash"_s, "odder\n");
               removePath(root, u"new\nline"_s);
               removePath(root, u"empty ☃ %0A"_s);
               writeFile(root, u"ñ/é"_s, "new\n");
           });
    QTest::newRow("empty folder created") << base << Action([](const QString &root) { QDir().mkpath(root + u"/e/f"_s); });
    QTest::newRow("empty folders removed")
        << with([](const QString &root) {
               QDir().mkpath(root + u"/keep/empty"_s);
               QDir().mkpath(root + u"/solo"_s);
           })
        << Action([](const QString &root) {
               removePath(root, u"keep"_s);
               removePath(root, u"solo"_s);
           });
    QTest::newRow("folder emptied") << base << Action([](const QString &root) {
        removePath(root, u"src/main.c"_s);
        removePath(root, u"src/util.c"_s);
    });
    QTest::newRow("folder becomes file") << base << Action([](const QString &root) {
        removePath(root, u"src"_s);
        writeFile(root, u"src"_s, "now a file\n");
    });
    QTest::newRow("file becomes folder") << base << Action([](const QString &root) {
        removePath(root, u"a.txt"_s);
        writeFile(root, u"a.txt/inner"_s, "now a folder\n");
    });
    QTest::newRow("no change") << base << nothing;
    QTest::newRow("from an empty workspace") << nothing << base;
    QTest::newRow("to an empty workspace") << base << Action([](const QString &root) {
        for (const QString &name : QDir(root).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            removePath(root, name);
    });
}

void TstCheckpointStore::roundTrip()
{
    QFETCH(Action, setup);
    QFETCH(Action, change);
    Fixture f;
    QVERIFY(f.init());
    setup(f.ws);
    const Checkpoint original = f.snap(u"original"_s, u"s1"_s);
    QVERIFY(!original.id.isEmpty());
    QVERIFY(!original.partial);
    const DiskState originalState = diskState(f.ws);

    change(f.ws);
    const DiskState changedState = diskState(f.ws);
    auto before = f.store->restore(original.id, u"s1"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(diskState(f.ws), originalState);
    QCOMPARE(before->label, u"before restoring "_s + original.id.left(7));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());

    // The store's latest checkpoint matches the disk: nothing left to restore.
    auto plan = f.store->planRestore(original.id);
    QVERIFY2(plan, why(plan));
    QVERIFY2(plan->isEmpty(), QTest::toString(*plan));

    // Restoring the checkpoint taken before the restore undoes it.
    auto undo = f.store->restore(before->id, u"s1"_s);
    QVERIFY2(undo, why(undo));
    QCOMPARE(diskState(f.ws), changedState);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::listAndChain()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a"_s, "1\n");
    writeFile(f.ws, u"b"_s, "1\n");
    // A few milliseconds apart: list() orders by time.
    const Checkpoint first = f.snap(u"turn t1 started"_s, u"t"_s);
    QTest::qWait(3);
    writeFile(f.ws, u"a"_s, "2\n");
    const Checkpoint second = f.snap(u"after edit_file a"_s, u"t"_s);
    QTest::qWait(3);
    const Checkpoint manual = f.snap(u"by hand"_s);
    QTest::qWait(3);
    writeFile(f.ws, u"c"_s, "3\n");
    removePath(f.ws, u"b"_s);
    const Checkpoint third = f.snap(u"multi\nline label"_s, u"t"_s);

    QCOMPARE(first.parentId, QString());
    QCOMPARE(first.filesChanged, 2);
    QCOMPARE(second.parentId, first.id);
    QCOMPARE(second.filesChanged, 1);
    QCOMPARE(manual.parentId, QString()); // the manual session is a chain of its own
    QCOMPARE(manual.session, QString());
    QCOMPARE(third.parentId, second.id);
    QCOMPARE(third.filesChanged, 2); // b deleted, c added
    QCOMPARE(third.label, u"multi\nline label"_s);
    QCOMPARE(third.session, u"t"_s);
    QCOMPARE(third.id.size(), 40);

    auto all = f.store->list();
    QVERIFY(all);
    QCOMPARE(*all, (std::vector<Checkpoint>{third, manual, second, first}));
    auto session = f.store->list(u"t"_s);
    QVERIFY(session);
    QCOMPARE(*session, (std::vector<Checkpoint>{third, second, first}));
    QCOMPARE(f.store->list(u"nobody"_s)->size(), size_t(0));

    // Session names that are no ref names still work.
    const Checkpoint odd = f.snap(u"odd"_s, u"a session/with ..spaces~^:"_s);
    QVERIFY(!odd.id.isEmpty());
    QCOMPARE(f.store->list(u"a session/with ..spaces~^:"_s)->size(), size_t(1));
    QCOMPARE(f.store->find(odd.id)->session, u"a session/with ..spaces~^:"_s);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::findIds()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a"_s, "a\n");
    // Enough checkpoints for two to share their first four hex digits.
    QHash<QString, QString> byPrefix;
    QString shared;
    for (int i = 0; i < 4000 && shared.isEmpty(); ++i) {
        const Checkpoint checkpoint = f.snap(u"n%1"_s.arg(i), u"s"_s);
        QVERIFY(!checkpoint.id.isEmpty());
        const QString prefix = checkpoint.id.left(4);
        if (byPrefix.contains(prefix))
            shared = prefix;
        byPrefix.insert(prefix, checkpoint.id);
    }
    QVERIFY(!shared.isEmpty());
    const QString id = byPrefix.value(shared);

    QCOMPARE(f.store->find(id)->id, id);
    QCOMPARE(f.store->find(id.left(12))->id, id);
    QCOMPARE(f.store->find(id.left(12).toUpper())->id, id);

    auto ambiguous = f.store->find(shared);
    QVERIFY(!ambiguous);
    QVERIFY2(ambiguous.error().message.contains(u"ambiguous"_s), qPrintable(ambiguous.error().message));
    QVERIFY2(ambiguous.error().message.contains(id.left(6)), qPrintable(ambiguous.error().message));

    QString unknownId = u"0000000000"_s;
    while (byPrefix.contains(unknownId.left(4)))
        unknownId = QString::number(unknownId.toLongLong(nullptr, 16) + 0x1000000, 16).rightJustified(10, u'0');
    auto unknown = f.store->find(unknownId);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.contains(u"no checkpoint"_s), qPrintable(unknown.error().message));

    for (const QString &bad : {u"abc"_s, u"xyz123"_s, QString(), u"0123456789012345678901234567890123456789a"_s}) {
        auto invalid = f.store->find(bad);
        QVERIFY(!invalid);
        QVERIFY2(invalid.error().message.contains(u"hexadecimal"_s), qPrintable(invalid.error().message));
    }
    // An unknown id restores nothing and takes no checkpoint.
    const size_t count = f.store->list()->size();
    QVERIFY(!f.store->restore(unknownId));
    QCOMPARE(f.store->list()->size(), count);
}

void TstCheckpointStore::userRepositoryUntouched()
{
    Fixture f;
    QVERIFY(f.init());
    const QString &repo = f.ws;
    QCOMPARE(git(repo, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(repo, u".gitignore"_s, "*.log\nbuild/\n");
    writeFile(repo, u"tracked.txt"_s, "v1\n");
    writeFile(repo, u"staged.txt"_s, "v1\n");
    writeFile(repo, u"src/code.c"_s, "int x;\n");
    QCOMPARE(git(repo, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(repo, {u"commit"_s, u"-q"_s, u"-m"_s, u"first"_s}).exitCode, 0);
    // Staged, unstaged, untracked and ignored work, all at once.
    writeFile(repo, u"staged.txt"_s, "v2 staged\n");
    QCOMPARE(git(repo, {u"add"_s, u"staged.txt"_s}).exitCode, 0);
    writeFile(repo, u"staged.txt"_s, "v3 unstaged on top\n");
    writeFile(repo, u"tracked.txt"_s, "v2 unstaged\n");
    writeFile(repo, u"untracked.txt"_s, "new\n");
    writeFile(repo, u"debug.log"_s, "ignored\n");
    writeFile(repo, u"build/out.o"_s, "ignored\n");
    // Settle the index's stat data once, so that only we could change it from here on.
    git(repo, {u"status"_s});

    const DiskState gitDir = gitDirState(repo);
    const QByteArray status0 = status(repo);
    const Checkpoint first = f.snap(u"first"_s, u"s"_s);
    QVERIFY(!first.id.isEmpty());
    QCOMPARE(gitDirState(repo), gitDir);

    writeFile(repo, u"tracked.txt"_s, "v3 agent\n");
    removePath(repo, u"src/code.c"_s);
    writeFile(repo, u"agent.txt"_s, "agent\n");
    const QByteArray status1 = status(repo);
    QVERIFY(status1 != status0);
    QVERIFY(f.store->snapshot(options(u"second"_s, u"s"_s)));
    QCOMPARE(gitDirState(repo), gitDir);

    auto before = f.store->restore(first.id, u"s"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(gitDirState(repo), gitDir);
    QCOMPARE(status(repo), status0);
    QCOMPARE(readFile(repo, u"staged.txt"_s), "v3 unstaged on top\n");
    // git still sees the staged version in its index, untouched.
    QCOMPARE(git(repo, {u"show"_s, u":staged.txt"_s}).out, "v2 staged\n");

    auto undo = f.store->restore(before->id, u"s"_s);
    QVERIFY2(undo, why(undo));
    QCOMPARE(gitDirState(repo), gitDir);
    QCOMPARE(status(repo), status1);
    // The ignored files were never part of any of it.
    QCOMPARE(readFile(repo, u"debug.log"_s), "ignored\n");
    QVERIFY(!lsTree(f.store->path(), first.id).contains("debug.log"));
    QVERIFY(!lsTree(f.store->path(), first.id).contains("build/"));
    QVERIFY(!lsTree(f.store->path(), first.id).contains(".git/"));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::monorepoSibling()
{
    // The workspace is one folder of a larger repository: its sibling must never be touched.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString mono = dir.filePath(u"mono"_s);
    QVERIFY(QDir().mkpath(mono));
    QCOMPARE(git(mono, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(mono, u"app/main.c"_s, "app\n");
    writeFile(mono, u"lib/lib.c"_s, "lib\n");
    QCOMPARE(git(mono, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(mono, {u"commit"_s, u"-q"_s, u"-m"_s, u"m"_s}).exitCode, 0);
    auto opened = CheckpointStore::open(mono + u"/app"_s, dir.filePath(u"store"_s));
    QVERIFY(opened);
    CheckpointStore &store = **opened;
    auto first = store.snapshot(options(u"first"_s));
    QVERIFY(first);
    QCOMPARE(lsTree(store.path(), first->id).count('\n'), 1);
    writeFile(mono, u"app/new.c"_s, "new\n");
    writeFile(mono, u"lib/lib.c"_s, "changed by someone else\n");
    writeFile(mono, u"lib/other.c"_s, "other\n");
    const DiskState sibling = diskState(mono, u"lib"_s);
    const DiskState gitDir = gitDirState(mono);
    QVERIFY(store.restore(first->id));
    QCOMPARE(diskState(mono, u"lib"_s), sibling);
    QCOMPARE(gitDirState(mono), gitDir);
    QVERIFY(!QFileInfo::exists(mono + u"/app/new.c"_s));
}

void TstCheckpointStore::uncapturedSurviveRestore()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u".gitignore"_s, "*.log\ncache/\n");
    writeFile(f.ws, u"code.c"_s, "v1\n");
    writeFile(f.ws, u"run.log"_s, "log v1\n");
    const Checkpoint first = f.snap(u"first"_s);

    // After the checkpoint: ignored files change and appear, a file grows over the cap, one is too large from the
    // start, and one has a name that is not UTF-8. None is captured, so none may be touched.
    writeFile(f.ws, u"code.c"_s, "v2\n");
    writeFile(f.ws, u"run.log"_s, "log v2\n");
    writeFile(f.ws, u"cache/blob"_s, "cached\n");
    writeFile(f.ws, u"big.dat"_s, QByteArray(2048, 'x'));
    const QByteArray badName = QFile::encodeName(f.ws) + "/bad\xff\xfename.txt";
    const int fd = ::open(badName.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, "raw\n", 4), ssize_t(4));
    ::close(fd);

    SnapshotOptions small = options(u"small cap"_s);
    small.maxFileBytes = 1024;
    auto capped = f.store->snapshot(small); // sets the cap restores use
    QVERIFY(capped);
    QVERIFY(capped->partial);
    QVERIFY2(capped->skipped.contains(u"big.dat (2 KB, over the 1 KB cap)"_s), qPrintable(capped->skipped.join(u"; ")));
    QVERIFY2(capped->skipped.join(u'\n').contains(u"not valid UTF-8"_s), qPrintable(capped->skipped.join(u"; ")));

    const DiskState uncaptured = [&] {
        DiskState all = diskState(f.ws);
        all.remove(u"code.c"_s);
        return all;
    }();
    auto before = f.store->restore(first.id);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"code.c"_s), "v1\n");
    DiskState after = diskState(f.ws);
    after.remove(u"code.c"_s);
    QCOMPARE(after, uncaptured);

    // A checkpoint that held a file the cap now excludes does not overwrite it: that could not be undone.
    writeFile(f.ws, u"grows.txt"_s, "small\n");
    const Checkpoint withSmall = f.snap(u"with small"_s);
    writeFile(f.ws, u"grows.txt"_s, QByteArray(4096, 'g'));
    QVERIFY(f.store->snapshot(small));
    auto plan = f.store->planRestore(withSmall.id);
    QVERIFY(plan);
    QVERIFY2(plan->leftAlone.contains(u"grows.txt"_s), QTest::toString(*plan));
    QVERIFY(f.store->restore(withSmall.id));
    QCOMPARE(readFile(f.ws, u"grows.txt"_s), QByteArray(4096, 'g'));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    ::unlink(badName.constData()); // QTemporaryDir cannot remove a name that is not UTF-8
}

void TstCheckpointStore::nestedRepositories()
{
    Fixture f;
    QVERIFY(f.init());
    const QString nested = f.ws + u"/vendor/lib"_s;
    QVERIFY(QDir().mkpath(nested));
    QCOMPARE(git(nested, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(nested, u"lib.c"_s, "lib v1\n");
    QCOMPARE(git(nested, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(nested, {u"commit"_s, u"-q"_s, u"-m"_s, u"one"_s}).exitCode, 0);
    const QByteArray head1 = git(nested, {u"rev-parse"_s, u"HEAD"_s}).out.trimmed();
    writeFile(nested, u"wip.c"_s, "uncommitted\n");
    QVERIFY(QDir().mkpath(f.ws + u"/fresh"_s));
    QCOMPARE(git(f.ws + u"/fresh"_s, {u"init"_s, u"-q"_s}).exitCode, 0); // no commit yet
    writeFile(f.ws, u"fresh/file"_s, "x\n");
    writeFile(f.ws, u"top.c"_s, "top v1\n");

    const Checkpoint first = f.snap(u"first"_s);
    QCOMPARE(first.nestedRepositories, (QStringList{u"fresh"_s, u"vendor/lib"_s}));
    // Recorded as a gitlink to its HEAD; the one without a commit is not in the tree at all.
    QCOMPARE(lsTree(f.store->path(), first.id),
             "100644 blob " + git(f.ws, {u"hash-object"_s, u"top.c"_s}).out.trimmed() + "\ttop.c\n"
                 + "160000 commit " + head1 + "\tvendor/lib\n");

    // The agent works inside the nested repository, commits there, and edits the top level.
    writeFile(nested, u"lib.c"_s, "lib v2\n");
    writeFile(nested, u"wip.c"_s, "changed\n");
    QCOMPARE(git(nested, {u"commit"_s, u"-q"_s, u"-am"_s, u"two"_s}).exitCode, 0);
    writeFile(f.ws, u"fresh/file"_s, "y\n");
    writeFile(f.ws, u"top.c"_s, "top v2\n");
    const DiskState nestedState = diskState(f.ws, u"vendor/lib"_s);
    const DiskState freshState = diskState(f.ws, u"fresh"_s);

    auto plan = f.store->planRestore(first.id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList{u"top.c"_s});
    QCOMPARE(plan->leftAlone, QStringList{u"vendor/lib"_s});
    auto before = f.store->restore(first.id);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"top.c"_s), "top v1\n");
    QCOMPARE(diskState(f.ws, u"vendor/lib"_s), nestedState);
    QCOMPARE(diskState(f.ws, u"fresh"_s), freshState);
    QVERIFY(QFileInfo(nested + u"/.git"_s).isDir()); // never renamed

    // A folder that becomes a repository later: its files leave the snapshot, and a restore leaves them alone.
    writeFile(f.ws, u"later/a.txt"_s, "a\n");
    const Checkpoint withFolder = f.snap(u"folder"_s);
    QCOMPARE(git(f.ws + u"/later"_s, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(f.ws, u"later/a.txt"_s, "changed in the repository\n");
    const DiskState laterState = diskState(f.ws, u"later"_s);
    QVERIFY(f.store->restore(withFolder.id));
    QCOMPARE(diskState(f.ws, u"later"_s), laterState);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::bigFile()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"small.txt"_s, "small\n");
    {
        QFile big(f.ws + u"/media/big.bin"_s);
        QDir().mkpath(f.ws + u"/media"_s);
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(50 * 1024 * 1024 + 512 * 1024)); // sparse: 50.5 MB
    }
    const Checkpoint checkpoint = f.snap(u"with a big file"_s);
    QVERIFY(!checkpoint.id.isEmpty());
    QVERIFY(checkpoint.partial);
    QCOMPARE(checkpoint.skipped, QStringList{u"media/big.bin (50.5 MB, over the 10 MB cap)"_s});
    QCOMPARE(lsTree(f.store->path(), checkpoint.id).count('\n'), 1);
    QVERIFY(f.store->sizeOnDisk() < 1024 * 1024);
    QCOMPARE(f.store->find(checkpoint.id.left(8))->skipped, checkpoint.skipped);

    writeFile(f.ws, u"small.txt"_s, "changed\n");
    QVERIFY(f.store->restore(checkpoint.id));
    QCOMPARE(readFile(f.ws, u"small.txt"_s), "small\n");
    QCOMPARE(QFileInfo(f.ws + u"/media/big.bin"_s).size(), qint64(50 * 1024 * 1024 + 512 * 1024));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::restoreWritesOnlyDifferingFiles()
{
    Fixture f;
    QVERIFY(f.init());
    const QStringList files{u"a.txt"_s, u"b.txt"_s, u"dir/c.txt"_s, u"dir/d.txt"_s};
    for (const QString &file : files)
        writeFile(f.ws, file, file.toUtf8() + '\n');
    makeLink(f.ws, u"a.txt"_s, u"link"_s);
    for (const QString &file : files + QStringList{u"link"_s})
        QVERIFY(setOldMtime(f.ws, file));
    const Checkpoint checkpoint = f.snap(u"c"_s);
    QMap<QString, qint64> mtimes;
    QMap<QString, quint64> inodes;
    for (const QString &file : files + QStringList{u"link"_s}) {
        mtimes.insert(file, mtimeNs(f.ws, file));
        inodes.insert(file, inodeOf(f.ws, file));
    }
    QCOMPARE(mtimes.value(u"a.txt"_s), qint64(1'000'000'000) * 1'000'000'000 + 123);

    writeFile(f.ws, u"dir/c.txt"_s, "changed\n");
    writeFile(f.ws, u"e.txt"_s, "new\n");
    auto plan = f.store->planRestore(checkpoint.id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList{u"dir/c.txt"_s});
    QCOMPARE(plan->remove, QStringList{u"e.txt"_s});
    QVERIFY(f.store->restore(checkpoint.id));
    QCOMPARE(readFile(f.ws, u"dir/c.txt"_s), "dir/c.txt\n");
    QVERIFY(!QFileInfo::exists(f.ws + u"/e.txt"_s));
    for (const QString &file : {u"a.txt"_s, u"b.txt"_s, u"dir/d.txt"_s, u"link"_s}) {
        QCOMPARE(mtimeNs(f.ws, file), mtimes.value(file));
        QCOMPARE(inodeOf(f.ws, file), inodes.value(file));
    }
    QVERIFY(inodeOf(f.ws, u"dir/c.txt"_s) != inodes.value(u"dir/c.txt"_s)); // replaced by a rename
}

void TstCheckpointStore::statCache()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"same-size.txt"_s, "before\n");
    writeFile(f.ws, u"plain.txt"_s, "plain\n");
    QVERIFY(setOldMtime(f.ws, u"same-size.txt"_s));
    const qint64 oldMtime = mtimeNs(f.ws, u"same-size.txt"_s);
    // Past the racy window (100 ms with nanosecond timestamps), the index trusts the stat data it records.
    QTest::qWait(300);
    const Checkpoint first = f.snap(u"first"_s);

    // Same size, same mtime (set back), same inode: only the ctime tells. Git's own limit is a change that keeps
    // all of them, which user space cannot make since it cannot set the ctime.
    writeFile(f.ws, u"same-size.txt"_s, "after!\n");
    QVERIFY(setOldMtime(f.ws, u"same-size.txt"_s));
    QCOMPARE(mtimeNs(f.ws, u"same-size.txt"_s), oldMtime);
    const Checkpoint second = f.snap(u"second"_s);
    QCOMPARE(second.filesChanged, 1);
    auto diff = f.store->diff(first.id, second.id);
    QVERIFY(diff);
    QCOMPARE(diff->size(), size_t(1));
    QCOMPARE(diff->front().newPath, u"same-size.txt"_s);

    // The index is a git index: git itself can read it.
    QProcess lsFiles;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"GIT_INDEX_FILE"_s, f.store->path() + u"/reins-index"_s);
    lsFiles.setProcessEnvironment(environment);
    lsFiles.start(u"git"_s, {u"--git-dir="_s + f.store->path(), u"ls-files"_s, u"-s"_s});
    QVERIFY(lsFiles.waitForFinished());
    QCOMPARE(lsFiles.readAllStandardOutput(),
             "100644 " + git(f.ws, {u"hash-object"_s, u"plain.txt"_s}).out.trimmed() + " 0\tplain.txt\n100644 "
                 + git(f.ws, {u"hash-object"_s, u"same-size.txt"_s}).out.trimmed() + " 0\tsame-size.txt\n");
}

void TstCheckpointStore::changedPathsMatchFullScan()
{
    // Two stores of the same workspace: one told what changed, one scanning everything. Their trees, empty folders
    // and nested repositories must agree after each step.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ws = dir.filePath(u"ws"_s);
    writeFile(ws, u".gitignore"_s, "*.o\n");
    writeFile(ws, u"a.txt"_s, "a\n");
    writeFile(ws, u"src/x.c"_s, "x\n");
    writeFile(ws, u"src/y.c"_s, "y\n");
    writeFile(ws, u"docs/readme"_s, "r\n");
    QCOMPARE(git(dir.path(), {u"init"_s, u"-q"_s, u"--bare"_s, dir.filePath(u"shadow"_s)}).exitCode, 0);
    auto toldStore = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    auto fullStore = CheckpointStore::open(ws, dir.filePath(u"full"_s));
    QVERIFY(toldStore && fullStore);
    CheckpointStore &told = **toldStore;
    CheckpointStore &full = **fullStore;
    QVERIFY(told.snapshot(options(u"start"_s)));

    struct Step
    {
        const char *name;
        Action change;
        QStringList paths;
    };
    const std::vector<Step> steps{
        {"modify", [](const QString &r) { writeFile(r, u"a.txt"_s, "A\n"); }, {u"a.txt"_s}},
        {"add in a new folder", [](const QString &r) { writeFile(r, u"new/deep/n.txt"_s, "n\n"); }, {u"new/deep/n.txt"_s}},
        {"delete, folder left empty", [](const QString &r) { removePath(r, u"docs/readme"_s); }, {u"docs/readme"_s}},
        {"fill the empty folder", [](const QString &r) { writeFile(r, u"docs/guide"_s, "g\n"); }, {u"./docs/guide"_s}},
        {"remove a folder", [](const QString &r) { removePath(r, u"src"_s); }, {u"src"_s}},
        {"ignored file", [](const QString &r) { writeFile(r, u"new/x.o"_s, "obj\n"); }, {u"new/x.o"_s}},
        {"empty folder made", [](const QString &r) { QDir().mkpath(r + u"/made/here"_s); }, {u"made/here"_s}},
        {"absolute path, chmod", [](const QString &r) { setExecutable(r, u"a.txt"_s, true); }, {ws + u"/a.txt"_s}},
        {"nested repository appears",
         [](const QString &r) {
             writeFile(r, u"sub/f"_s, "f\n");
             git(r + u"/sub"_s, {u"init"_s, u"-q"_s});
             git(r + u"/sub"_s, {u"add"_s, u"f"_s});
             git(r + u"/sub"_s, {u"commit"_s, u"-q"_s, u"-m"_s, u"c"_s});
         },
         {u"sub/f"_s, u"sub/.git/HEAD"_s}},
        {"commit inside it",
         [](const QString &r) {
             writeFile(r, u"sub/f"_s, "g\n");
             git(r + u"/sub"_s, {u"commit"_s, u"-q"_s, u"-am"_s, u"d"_s});
         },
         {u"sub/f"_s}},
        {"ignore rules change", [](const QString &r) { writeFile(r, u".gitignore"_s, "*.o\n*.txt\n"); }, {u".gitignore"_s}},
        {"a file replaces a folder",
         [](const QString &r) {
             removePath(r, u"new"_s);
             writeFile(r, u"new"_s, "file now\n");
         },
         {u"new"_s}},
    };
    for (const Step &step : steps) {
        step.change(ws);
        SnapshotOptions toldOptions = options(QString::fromLatin1(step.name));
        toldOptions.changedPaths = step.paths;
        auto byPaths = told.snapshot(toldOptions);
        auto byScan = full.snapshot(options(QString::fromLatin1(step.name)));
        QVERIFY2(byPaths && byScan, step.name);
        QVERIFY2(treeOf(told.path(), byPaths->id) == treeOf(full.path(), byScan->id), step.name);
        // And both are the tree git itself makes of the folder, from an empty index (git keeps tracked files that
        // become ignored; nothing is tracked for a checkpoint).
        const QStringList shadow{u"--git-dir="_s + dir.filePath(u"shadow"_s), u"--work-tree="_s + ws};
        QFile::remove(dir.filePath(u"shadow/index"_s));
        QCOMPARE(git(ws, shadow + QStringList{u"add"_s, u"-A"_s}).exitCode, 0);
        QVERIFY2(git(ws, shadow + QStringList{u"write-tree"_s}).out.trimmed() == treeOf(full.path(), byScan->id),
                 step.name);
        QVERIFY2(!treeOf(told.path(), byPaths->id).isEmpty(), step.name);
        QCOMPARE(trailers(told.path(), byPaths->id, u"Reins-Empty-Folder"_s),
                 trailers(full.path(), byScan->id, u"Reins-Empty-Folder"_s));
        QCOMPARE(byPaths->nestedRepositories, byScan->nestedRepositories);
        QCOMPARE(byPaths->partial, byScan->partial);
    }
    QCOMPARE(trailers(full.path(), full.list()->front().id, u"Reins-Empty-Folder"_s),
             QStringList{u"made/here"_s}); // docs holds only an ignored file now
    // A lost index (the state file beside it no longer matches it): the next snapshot scans everything.
    QVERIFY(QFile::remove(told.path() + u"/reins-index"_s));
    auto reopened = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(reopened);
    writeFile(ws, u"late.md"_s, "late\n");
    SnapshotOptions onlyOne = options(u"after losing the index"_s);
    onlyOne.changedPaths = QStringList{u"late.md"_s};
    auto afterLoss = (*reopened)->snapshot(onlyOne);
    auto scanned = full.snapshot(options(u"scan"_s));
    QVERIFY(afterLoss && scanned);
    QCOMPARE(treeOf(told.path(), afterLoss->id), treeOf(full.path(), scanned->id));

    // Snapshots told what changed leave the index file behind and list those paths instead; a store opened afresh
    // looks at them again. Here the index file still holds a file deleted since, and a file replacing a folder
    // makes the snapshot build its tree from the index.
    auto first = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(first);
    writeFile(ws, u"ghost.md"_s, "ghost\n");
    writeFile(ws, u"dir/inner.md"_s, "inner\n");
    QVERIFY((*first)->snapshot(options(u"full"_s)));
    removePath(ws, u"ghost.md"_s);
    SnapshotOptions ghostGone = options(u"ghost gone"_s);
    ghostGone.changedPaths = QStringList{u"ghost.md"_s};
    QVERIFY((*first)->snapshot(ghostGone));
    first->reset();
    auto second = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(second);
    removePath(ws, u"dir"_s);
    writeFile(ws, u"dir"_s, "a file now\n");
    SnapshotOptions dirReplaced = options(u"dir replaced"_s);
    dirReplaced.changedPaths = QStringList{u"dir"_s};
    auto afterRestart = (*second)->snapshot(dirReplaced);
    auto scannedAgain = full.snapshot(options(u"scan"_s));
    QVERIFY(afterRestart && scannedAgain);
    QCOMPARE(treeOf(told.path(), afterRestart->id), treeOf(full.path(), scannedAgain->id));

    // A path outside the workspace is refused.
    SnapshotOptions outside = options(u"outside"_s);
    outside.changedPaths = QStringList{u"../elsewhere"_s};
    QVERIFY(!told.snapshot(outside));
    QCOMPARE(fsckProblems(told.path()), QByteArray());
}

void TstCheckpointStore::partialOnTimeBudget()
{
    Fixture f;
    QVERIFY(f.init());
    for (int i = 0; i < 300; ++i)
        writeFile(f.ws, u"d%1/f%2.txt"_s.arg(i / 50).arg(i), QByteArray::number(i) + '\n');

    SnapshotOptions hurried = options(u"hurried"_s);
    hurried.timeBudgetMs = 0;
    auto none = f.store->snapshot(hurried);
    QVERIFY(none);
    QVERIFY(none->partial);
    QCOMPARE(none->skipped.size(), 21);
    QCOMPARE(none->skipped.first(), u"d0/f0.txt (not read within the 0 ms time budget: left out)"_s);
    QCOMPARE(none->skipped.last(), u"… and 280 more files not read within the 0 ms time budget"_s);
    QCOMPARE(lsTree(f.store->path(), none->id), QByteArray());

    const Checkpoint complete = f.snap(u"complete"_s);
    QVERIFY(!complete.partial);
    QCOMPARE(lsTree(f.store->path(), complete.id).count('\n'), 300);

    // Every file changes; with no time, the checkpoint keeps the contents it had and says so.
    for (int i = 0; i < 300; ++i)
        writeFile(f.ws, u"d%1/f%2.txt"_s.arg(i / 50).arg(i), "changed " + QByteArray::number(i) + '\n');
    auto stale = f.store->snapshot(hurried);
    QVERIFY(stale);
    QVERIFY(stale->partial);
    QCOMPARE(stale->skipped.first(), u"d0/f0.txt (not read within the 0 ms time budget: as in the previous checkpoint)"_s);
    QCOMPARE(treeOf(f.store->path(), stale->id), treeOf(f.store->path(), complete.id));
    QCOMPARE(stale->filesChanged, 0);

    // Restoring a partial checkpoint touches none of the files it did not capture.
    writeFile(f.ws, u"extra.txt"_s, "extra\n");
    auto plan = f.store->planRestore(stale->id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList());
    QCOMPARE(plan->leftAlone.size(), 300);
    QCOMPARE(plan->remove, QStringList{u"extra.txt"_s});
    QVERIFY(f.store->restore(stale->id));
    QCOMPARE(readFile(f.ws, u"d0/f0.txt"_s), "changed 0\n");
    QVERIFY(!QFileInfo::exists(f.ws + u"/extra.txt"_s));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::planRestore()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"keep.txt"_s, "keep\n");
    writeFile(f.ws, u"edit.txt"_s, "v1\n");
    writeFile(f.ws, u"gone.txt"_s, "gone\n");
    QDir().mkpath(f.ws + u"/hollow"_s);
    const Checkpoint target = f.snap(u"target"_s);

    writeFile(f.ws, u"edit.txt"_s, "v2\n");
    removePath(f.ws, u"gone.txt"_s);
    writeFile(f.ws, u"added.txt"_s, "added\n");
    removePath(f.ws, u"hollow"_s);
    QDir().mkpath(f.ws + u"/fresh-empty"_s);
    const Checkpoint latest = f.snap(u"latest"_s);
    // Work after the latest checkpoint: not captured by any checkpoint yet.
    writeFile(f.ws, u"edit.txt"_s, "v3 uncaptured\n");
    writeFile(f.ws, u"later.txt"_s, "later\n");

    auto plan = f.store->planRestore(target.id.left(10));
    QVERIFY2(plan, why(plan));
    RestorePlan expected;
    expected.target = target.id;
    expected.write = {u"edit.txt"_s};
    expected.create = {u"gone.txt"_s, u"hollow/"_s};
    expected.remove = {u"added.txt"_s, u"fresh-empty/"_s, u"later.txt"_s};
    expected.editedSince = {u"edit.txt"_s, u"later.txt"_s};
    QCOMPARE(*plan, expected);
    // Planning changes nothing on disk and takes no checkpoint.
    QCOMPARE(readFile(f.ws, u"edit.txt"_s), "v3 uncaptured\n");
    QCOMPARE(f.store->list()->front(), latest);
}

void TstCheckpointStore::diffValues()
{
    Fixture f;
    QVERIFY(f.init());
    const QByteArray lines = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
    writeFile(f.ws, u"old.txt"_s, lines);
    writeFile(f.ws, u"run.sh"_s, "#!/bin/sh\n");
    writeFile(f.ws, u"data.bin"_s, QByteArray("\0\1\2\3", 4));
    writeFile(f.ws, u"tail.txt"_s, "a\nb");
    const Checkpoint from = f.snap(u"from"_s);

    removePath(f.ws, u"old.txt"_s);
    writeFile(f.ws, u"new.txt"_s, QByteArray(lines).replace("five", "FIVE"));
    setExecutable(f.ws, u"run.sh"_s, true);
    writeFile(f.ws, u"data.bin"_s, QByteArray("\0\1\2\4", 4));
    writeFile(f.ws, u"added.txt"_s, "hello\r\n");
    writeFile(f.ws, u"tail.txt"_s, "a\nc");
    const Checkpoint to = f.snap(u"to"_s);

    auto diff = f.store->diff(from.id, to.id);
    QVERIFY2(diff, why(diff));

    FileDiff added;
    added.status = FileDiff::Status::Added;
    added.newPath = u"added.txt"_s;
    added.newMode = 0100644;
    added.additions = 1;
    added.hunks = {{0, 0, 1, 1, QString(), {{'+', u"hello"_s, -1, 1}}}};

    FileDiff binary;
    binary.status = FileDiff::Status::Modified;
    binary.oldPath = binary.newPath = u"data.bin"_s;
    binary.oldMode = binary.newMode = 0100644;
    binary.binary = true;

    FileDiff renamed;
    renamed.status = FileDiff::Status::Renamed;
    renamed.oldPath = u"old.txt"_s;
    renamed.newPath = u"new.txt"_s;
    renamed.oldMode = renamed.newMode = 0100644;
    renamed.similarity = 90;
    renamed.additions = 1;
    renamed.deletions = 1;
    renamed.hunks = {{2, 7, 2, 7, u"one"_s, // git's default: the nearest line before the hunk starting with a letter
                      {{' ', u"two"_s, 2, 2},
                       {' ', u"three"_s, 3, 3},
                       {' ', u"four"_s, 4, 4},
                       {'-', u"five"_s, 5, -1},
                       {'+', u"FIVE"_s, -1, 5},
                       {' ', u"six"_s, 6, 6},
                       {' ', u"seven"_s, 7, 7},
                       {' ', u"eight"_s, 8, 8}}}};

    FileDiff modeChange;
    modeChange.status = FileDiff::Status::Modified;
    modeChange.oldPath = modeChange.newPath = u"run.sh"_s;
    modeChange.oldMode = 0100644;
    modeChange.newMode = 0100755;

    FileDiff tail;
    tail.status = FileDiff::Status::Modified;
    tail.oldPath = tail.newPath = u"tail.txt"_s;
    tail.oldMode = tail.newMode = 0100644;
    tail.additions = 1;
    tail.deletions = 1;
    tail.hunks = {{1, 2, 1, 2, QString(),
                   {{' ', u"a"_s, 1, 1}, {'-', u"b"_s, 2, -1, true}, {'+', u"c"_s, -1, 2, true}}}};

    const std::vector<FileDiff> expected{added, binary, renamed, modeChange, tail};
    QCOMPARE(diff->size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE((*diff)[i], expected[i]);
    QVERIFY(modeChange.modeChanged());

    QVERIFY(!f.store->diff(u"nothex"_s));
    QVERIFY(!f.store->diff(QString(), to.id));
}

void TstCheckpointStore::diffToWorkingTree()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a.txt"_s, "a\n");
    const Checkpoint checkpoint = f.snap(u"c"_s);
    writeFile(f.ws, u"a.txt"_s, "b\n");
    writeFile(f.ws, u"new.txt"_s, "n\n");
    auto diff = f.store->diff(checkpoint.id);
    QVERIFY2(diff, why(diff));
    QCOMPARE(diff->size(), size_t(2));
    QCOMPARE((*diff)[0].newPath, u"a.txt"_s);
    QCOMPARE((*diff)[0].status, FileDiff::Status::Modified);
    QCOMPARE((*diff)[1].newPath, u"new.txt"_s);
    QCOMPARE((*diff)[1].status, FileDiff::Status::Added);
    // No checkpoint was taken, and the next one still sees both changes against its parent.
    QCOMPARE(f.store->list()->size(), size_t(1));
    QCOMPARE(f.snap(u"next"_s).filesChanged, 2);
}

void TstCheckpointStore::prune()
{
    Fixture f;
    QVERIFY(f.init());
    // A nested repository: its gitlink is in every tree, and packing must not look for its commit in the store.
    QVERIFY(QDir().mkpath(f.ws + u"/nested"_s));
    QCOMPARE(git(f.ws + u"/nested"_s, {u"init"_s, u"-q"_s}).exitCode, 0);
    QCOMPARE(git(f.ws + u"/nested"_s, {u"commit"_s, u"-q"_s, u"--allow-empty"_s, u"-m"_s, u"n"_s}).exitCode, 0);
    QMap<QString, std::vector<Checkpoint>> sessions;
    for (const QString &session : {u"old"_s, u"middle"_s, u"new"_s}) {
        for (int i = 0; i < 3; ++i) {
            // Incompressible content, so that dropping a session frees a measurable amount.
            QByteArray noise(64 * 1024, Qt::Uninitialized);
            QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
            writeFile(f.ws, u"file.txt"_s, (session + QString::number(i)).toUtf8().repeated(2000));
            writeFile(f.ws, u"work.bin"_s, noise); // the old versions are only in the old checkpoints
            sessions[session].push_back(f.snap(u"step %1"_s.arg(i), session));
        }
        QTest::qWait(5); // distinct times per session
    }
    const qint64 sizeBefore = f.store->sizeOnDisk();
    auto freed = f.store->prune(2);
    QVERIFY2(freed, why(freed));
    const qint64 sizeAfter = f.store->sizeOnDisk();
    QVERIFY(*freed > 0);
    QCOMPARE(*freed, sizeBefore - sizeAfter);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    QCOMPARE(f.store->list(u"old"_s)->size(), size_t(0));
    QCOMPARE(f.store->list()->size(), size_t(6));
    QVERIFY(!f.store->find(sessions[u"old"_s].front().id));
    // One pack, no loose objects.
    QCOMPARE(QDir(f.store->path() + u"/objects/pack"_s).entryList({u"*.pack"_s}).size(), 1);
    QCOMPARE(QDir(f.store->path() + u"/objects"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             (QStringList{u"info"_s, u"pack"_s}));

    // The store keeps working: a restore of a kept checkpoint, a snapshot reusing the index's entries.
    auto before = f.store->restore(sessions[u"middle"_s][1].id, u"new"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"file.txt"_s), u"middle1"_s.toUtf8().repeated(2000));

    // Pruning everything: what the index refers to must survive, since the next snapshot reuses it unread. Files
    // are trusted by their stat data only once they are older than the racy window (100 ms here).
    QTest::qWait(300);
    QVERIFY(f.store->snapshot(options(u"settled"_s, u"new"_s)));
    QVERIFY(f.store->prune(0));
    QCOMPARE(f.store->list()->size(), size_t(0));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    const Checkpoint after = f.snap(u"after pruning"_s);
    QVERIFY(!after.id.isEmpty());
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    writeFile(f.ws, u"file.txt"_s, "x\n");
    QVERIFY(f.store->restore(after.id));
    QCOMPARE(readFile(f.ws, u"file.txt"_s), u"middle1"_s.toUtf8().repeated(2000));
    QVERIFY(!f.store->prune(-1));
}

QTEST_GUILESS_MAIN(TstCheckpointStore)
#include "tst_checkpointstore.moc"
