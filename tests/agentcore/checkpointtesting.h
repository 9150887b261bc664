#pragma once

// What the checkpoint store's tests share: folders described byte for byte, the git CLI as the cross-check, and
// a fixture holding a store.

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
inline char *toString(const FileDiff &diff)
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

inline char *toString(const RestorePlan &plan)
{
    const QString text = u"RestorePlan{target=%1 write=[%2] create=[%3] remove=[%4] editedSince=[%5] leftAlone=[%6]}"_s
                             .arg(plan.target, plan.write.join(u", "), plan.create.join(u", "), plan.remove.join(u", "),
                                  plan.editedSince.join(u", "), plan.leftAlone.join(u", "));
    return qstrdup(text.toUtf8().constData());
}

} // namespace reins::checkpoint

namespace checkpointtesting {

using Action = std::function<void(const QString &root)>;

/// Everything under a folder, links not followed, .git folders included: path → "dir", "link -> target", or
/// "file x|- sha256". Equal maps mean equal bytes, modes (the execute bit) and shapes.
using DiskState = QMap<QString, QByteArray>;

inline DiskState diskState(const QString &root, const QString &below = QString())
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

inline bool writeFile(const QString &root, const QString &path, const QByteArray &bytes)
{
    const QString full = root + u'/' + path;
    QDir().mkpath(QFileInfo(full).path());
    QFile file(full);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &root, const QString &path)
{
    QFile file(root + u'/' + path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

inline bool makeLink(const QString &root, const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(root + u'/' + link).constData()) == 0;
}

inline bool setExecutable(const QString &root, const QString &path, bool executable)
{
    return ::chmod(QFile::encodeName(root + u'/' + path).constData(), executable ? 0755 : 0644) == 0;
}

inline bool removePath(const QString &root, const QString &path)
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

inline GitResult git(const QString &cwd, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(cwd);
    process.start(u"git"_s, args);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

/// `git fsck --full` on the store; empty when it passes, else what git said.
inline QByteArray fsckProblems(const QString &store)
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

inline QByteArray treeOf(const QString &store, const QString &commit)
{
    return git(store, {u"--git-dir="_s + store, u"rev-parse"_s, commit + u"^{tree}"_s}).out.trimmed();
}

inline QByteArray lsTree(const QString &store, const QString &commit)
{
    return git(store, {u"--git-dir="_s + store, u"ls-tree"_s, u"-r"_s, u"--full-tree"_s, commit}).out;
}

inline QStringList trailers(const QString &store, const QString &commit, const QString &key)
{
    QStringList values;
    const QByteArray message = git(store, {u"--git-dir="_s + store, u"log"_s, u"-1"_s, u"--format=%B"_s, commit}).out;
    for (const QByteArray &line : message.split('\n'))
        if (line.startsWith(QByteArray(key.toUtf8() + ": ")))
            values.append(QString::fromUtf8(line.mid(key.size() + 2)));
    return values;
}

/// Hashes of every file under .git: the user's repository must come out byte-identical.
inline DiskState gitDirState(const QString &repository)
{
    return diskState(repository, u".git"_s);
}

inline QByteArray status(const QString &repository)
{
    // No optional locks: git status must not refresh the index while we watch it.
    return git(repository, {u"--no-optional-locks"_s, u"status"_s, u"--porcelain"_s, u"--untracked-files=all"_s,
                            u"--ignored"_s})
        .out;
}

inline qint64 mtimeNs(const QString &root, const QString &path)
{
    struct stat st{};
    if (::lstat(QFile::encodeName(root + u'/' + path).constData(), &st) != 0)
        return -1;
    return qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

inline quint64 inodeOf(const QString &root, const QString &path)
{
    struct stat st{};
    return ::lstat(QFile::encodeName(root + u'/' + path).constData(), &st) == 0 ? st.st_ino : 0;
}

inline bool setOldMtime(const QString &root, const QString &path)
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

inline SnapshotOptions options(const QString &label, const QString &session = QString())
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

} // namespace checkpointtesting

using namespace checkpointtesting;


/// No user or system git configuration, no global excludes, a home of the test's own: the tests see only what they
/// set up.
inline void isolateGit(const QString &home)
{
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
    qputenv("HOME", QFile::encodeName(home));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home + u"/config"));
    qputenv("XDG_DATA_HOME", QFile::encodeName(home + u"/data"));
    qputenv("GIT_AUTHOR_NAME", "Test");
    qputenv("GIT_AUTHOR_EMAIL", "test@example.com");
    qputenv("GIT_COMMITTER_NAME", "Test");
    qputenv("GIT_COMMITTER_EMAIL", "test@example.com");
}

Q_DECLARE_METATYPE(Action)
