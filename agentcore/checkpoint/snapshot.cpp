#include "snapshot.h"

#include "githandle.h"
#include "../workspace/filewalker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reins::checkpoint {

using workspace::WalkEntry;
using workspace::WalkOptions;

namespace {

constexpr qint64 nsPerSecond = 1'000'000'000;

// How long after a change a file may change again without its timestamps moving: the file system's timestamp
// granularity. With nanosecond timestamps that is a kernel tick (a few ms; 100 ms leaves a wide margin); where
// they are whole seconds (FAT keeps mtimes to two seconds), two seconds. An entry that changed within this window
// before the snapshot began is not trusted by the next one.
qint64 racyWindowNs(const WalkEntry &file)
{
    const bool wholeSeconds = file.mtimeNs % nsPerSecond == 0 && file.ctimeNs % nsPerSecond == 0;
    return wholeSeconds ? 2 * nsPerSecond : nsPerSecond / 10;
}
// Files not read for lack of time are listed one by one up to this many, then summed up.
constexpr int listedBudgetMisses = 20;

qint64 nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * nsPerSecond + ts.tv_nsec;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

quint32 gitMode(quint32 mode)
{
    if (S_ISLNK(mode))
        return GIT_FILEMODE_LINK;
    // Git records only the owner's execute bit.
    return (mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
}

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash);
}

QString nameOf(const QString &path)
{
    return path.mid(path.lastIndexOf(u'/') + 1);
}

QString joined(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + u'/' + name;
}

bool isAtOrUnder(const QString &path, const QString &folder)
{
    return path == folder || (path.startsWith(folder) && path.at(folder.size()) == u'/');
}

// A folder with nothing at all in it. One that holds only ignored files is not empty: git does not see it, and a
// restore has no reason to create or remove it.
bool folderIsEmpty(const QString &absolute)
{
    DIR *dir = ::opendir(QFile::encodeName(absolute).constData());
    if (!dir)
        return false;
    bool empty = true;
    while (const dirent *entry = ::readdir(dir)) {
        if (qstrcmp(entry->d_name, ".") != 0 && qstrcmp(entry->d_name, "..") != 0) {
            empty = false;
            break;
        }
    }
    ::closedir(dir);
    return empty;
}

// The commit a nested repository's HEAD points at, read with libgit2 without writing anything there.
std::optional<git_oid> nestedHead(const QString &absolute)
{
    git_repository *raw = nullptr;
    if (git_repository_open_ext(&raw, QFile::encodeName(absolute).constData(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                nullptr)
        != 0)
        return std::nullopt;
    const RepositoryHandle repository(raw);
    git_oid id{};
    if (git_reference_name_to_id(&id, repository.get(), "HEAD") != 0)
        return std::nullopt; // no commit yet, or a HEAD libgit2 cannot follow
    return id;
}

struct FileRead
{
    QByteArray bytes;
    struct stat st{};
    qint64 tooLarge = -1; ///< the size, when over the cap
    QString error;
};

// Reads a regular file without following a link, refusing to read more than `cap` bytes (it may grow meanwhile).
FileRead readFile(const QString &absolute, qint64 cap)
{
    FileRead read;
    const int fd = ::open(QFile::encodeName(absolute).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        read.error = errnoText(errno);
        return read;
    }
    if (::fstat(fd, &read.st) != 0 || !S_ISREG(read.st.st_mode)) {
        read.error = QStringLiteral("it changed while the snapshot was taken");
        ::close(fd);
        return read;
    }
    if (read.st.st_size > cap) {
        read.tooLarge = read.st.st_size;
        ::close(fd);
        return read;
    }
    read.bytes.resize(qsizetype(read.st.st_size) + 1);
    qsizetype done = 0;
    while (true) {
        if (done == read.bytes.size()) {
            if (done > cap) {
                read.tooLarge = done;
                break;
            }
            read.bytes.resize(std::min<qint64>(cap + 1, qint64(done) * 2 + 4096));
        }
        const ssize_t n = ::read(fd, read.bytes.data() + done, size_t(read.bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            read.error = errnoText(errno);
            break;
        }
        if (n == 0)
            break;
        done += n;
    }
    ::close(fd);
    read.bytes.truncate(done);
    if (read.tooLarge < 0 && done > cap)
        read.tooLarge = done;
    return read;
}

bool statMatches(const git_index_entry &entry, const WalkEntry &file)
{
    return entry.mode == gitMode(file.mode) && entry.file_size == quint32(file.size)
           && entry.ino == quint32(file.inode) && entry.mtime.seconds == qint32(file.mtimeNs / nsPerSecond)
           && entry.mtime.nanoseconds == quint32(file.mtimeNs % nsPerSecond)
           && entry.ctime.seconds == qint32(file.ctimeNs / nsPerSecond)
           && entry.ctime.nanoseconds == quint32(file.ctimeNs % nsPerSecond);
}

WalkEntry withStat(WalkEntry entry, const struct stat &st)
{
    entry.size = st.st_size;
    entry.mtimeNs = qint64(st.st_mtim.tv_sec) * nsPerSecond + st.st_mtim.tv_nsec;
    entry.ctimeNs = qint64(st.st_ctim.tv_sec) * nsPerSecond + st.st_ctim.tv_nsec;
    entry.device = st.st_dev;
    entry.inode = st.st_ino;
    entry.mode = st.st_mode;
    return entry;
}

// One snapshot's walk: what to keep of the index, what to add, and what the tree cannot hold.
class Pass
{
public:
    Pass(git_index *index, git_odb *odb, const QString &root, const SnapshotLimits &limits)
        : m_index(index), m_odb(odb), m_root(root), m_limits(limits), m_now(nowNs())
    {
        m_timer.start();
    }

    void visit(const WalkEntry &entry)
    {
        while (!m_folders.empty() && !entry.path.startsWith(m_folders.back().path + u'/'))
            closeFolder();
        if (!m_folders.empty())
            m_folders.back().listedAnything = true;
        if (m_error)
            return;
        if (entry.isNestedRepository)
            visitNested(entry);
        else if (entry.isDir)
            m_folders.push_back({entry.path, false});
        else
            visitFile(entry);
    }

    void closeFolders()
    {
        while (!m_folders.empty())
            closeFolder();
    }

    /// Index entries at or under `path` ("" for all) that this pass did not keep: gone, skipped, or replaced.
    void collectStale(const QString &path, QList<QByteArray> &stale) const
    {
        const auto consider = [&](const git_index_entry *entry) {
            if (entry && !m_kept.contains(QByteArrayView(entry->path).toByteArray()))
                stale.append(QByteArray(entry->path));
        };
        if (path.isEmpty()) {
            for (size_t i = 0, count = git_index_entrycount(m_index); i < count; ++i)
                consider(git_index_get_byindex(m_index, i));
            return;
        }
        const QByteArray exact = path.toUtf8();
        consider(git_index_get_bypath(m_index, exact.constData(), 0));
        const QByteArray prefix = exact + '/';
        size_t position = 0;
        if (git_index_find_prefix(&position, m_index, prefix.constData()) != 0)
            return;
        for (size_t count = git_index_entrycount(m_index); position < count; ++position) {
            const git_index_entry *entry = git_index_get_byindex(m_index, position);
            if (!entry || !QByteArrayView(entry->path).startsWith(prefix))
                break;
            consider(entry);
        }
    }

    /// Removes the stale entries, then adds the new ones: in that order, a file may replace a folder of the same
    /// name and the other way round.
    Result<void> apply(const QList<QByteArray> &stale)
    {
        for (const QByteArray &path : stale) {
            if (git_index_remove(m_index, path.constData(), 0) != 0)
                return gitFailure(QStringLiteral("cannot drop %1 from the checkpoint index").arg(QString::fromUtf8(path)));
        }
        for (const Addition &addition : m_additions) {
            git_index_entry entry{};
            const WalkEntry &st = addition.stat;
            entry.ctime.seconds = qint32(st.ctimeNs / nsPerSecond);
            entry.ctime.nanoseconds = quint32(st.ctimeNs % nsPerSecond);
            entry.mtime.seconds = qint32(st.mtimeNs / nsPerSecond);
            entry.mtime.nanoseconds = quint32(st.mtimeNs % nsPerSecond);
            // Racily clean: the file could change again without its stat changing, so the next snapshot must read
            // it. A zero ctime never matches a real file.
            if (std::max(st.mtimeNs, st.ctimeNs) >= m_now - racyWindowNs(st))
                entry.ctime = {};
            entry.dev = quint32(st.device);
            entry.ino = quint32(st.inode);
            entry.file_size = quint32(st.size);
            entry.mode = addition.mode;
            entry.id = addition.id;
            entry.path = addition.path.constData();
            if (git_index_add(m_index, &entry) != 0) {
                // libgit2 refuses some names outright (a ".git" in any case, for one): skip the file, say why.
                m_uncaptured.push_back({QString::fromUtf8(addition.path), Uncaptured::Reason::Unreadable, 0, 0,
                                        gitErrorText(QStringLiteral("git refuses the name"))});
            }
        }
        return {};
    }

    const std::optional<Error> &error() const { return m_error; }
    QStringList emptyFolders;
    QStringList nestedRepositories;
    const std::vector<Uncaptured> &uncaptured() const { return m_uncaptured; }

private:
    struct Folder
    {
        QString path;
        bool listedAnything = false;
    };
    struct Addition
    {
        QByteArray path;
        git_oid id;
        quint32 mode;
        WalkEntry stat;
    };

    QString absolute(const QString &path) const { return m_root + u'/' + path; }

    void closeFolder()
    {
        const Folder folder = m_folders.back();
        m_folders.pop_back();
        if (!folder.listedAnything && folderIsEmpty(absolute(folder.path)))
            emptyFolders.append(folder.path);
    }

    bool outOfTime() const { return m_limits.timeBudgetMs >= 0 && m_timer.elapsed() >= m_limits.timeBudgetMs; }

    void visitNested(const WalkEntry &entry)
    {
        nestedRepositories.append(entry.path);
        const std::optional<git_oid> head = nestedHead(absolute(entry.path));
        if (!head)
            return; // listed, not in the tree: there is no commit to point at
        const QByteArray path = entry.path.toUtf8();
        m_kept.insert(path);
        const git_index_entry *old = git_index_get_bypath(m_index, path.constData(), 0);
        if (old && old->mode == GIT_FILEMODE_COMMIT && git_oid_equal(&old->id, &*head))
            return;
        m_additions.push_back({path, *head, GIT_FILEMODE_COMMIT, WalkEntry{}});
    }

    void visitFile(const WalkEntry &entry)
    {
        const QString full = absolute(entry.path);
        // The walk gives names as UTF-8; a name that is not valid UTF-8 comes back with U+FFFD and no longer
        // names the file. Such a file cannot be captured, nor restored under its real name.
        if (entry.path.contains(QChar::ReplacementCharacter)) {
            struct stat st{};
            if (::lstat(QFile::encodeName(full).constData(), &st) != 0) {
                m_uncaptured.push_back({entry.path, Uncaptured::Reason::BadName});
                return;
            }
        }
        if (entry.size > m_limits.maxFileBytes) {
            m_uncaptured.push_back({entry.path, Uncaptured::Reason::TooLarge, entry.size, m_limits.maxFileBytes});
            return;
        }
        const QByteArray path = entry.path.toUtf8();
        const git_index_entry *old = git_index_get_bypath(m_index, path.constData(), 0);
        if (old && statMatches(*old, entry)) {
            m_kept.insert(path);
            return;
        }
        if (outOfTime()) {
            // Keep what the previous snapshot saw, or leave the file out; either way the checkpoint says so.
            if (old)
                m_kept.insert(path);
            m_uncaptured.push_back({entry.path,
                                    old ? Uncaptured::Reason::TimeBudgetKept : Uncaptured::Reason::TimeBudgetLeftOut,
                                    0, m_limits.timeBudgetMs});
            return;
        }

        QByteArray bytes;
        WalkEntry stat = entry;
        if (entry.isSymlink) {
            QByteArray target(qsizetype(std::max<qint64>(entry.size, 0)) + 256, Qt::Uninitialized);
            const ssize_t n = ::readlink(QFile::encodeName(full).constData(), target.data(), size_t(target.size()));
            if (n < 0) {
                m_uncaptured.push_back({entry.path, Uncaptured::Reason::Unreadable, 0, 0, errnoText(errno)});
                return;
            }
            target.truncate(n);
            bytes = target;
        } else {
            FileRead read = readFile(full, m_limits.maxFileBytes);
            if (read.tooLarge >= 0) {
                m_uncaptured.push_back({entry.path, Uncaptured::Reason::TooLarge, read.tooLarge,
                                        m_limits.maxFileBytes});
                return;
            }
            if (!read.error.isEmpty()) {
                m_uncaptured.push_back({entry.path, Uncaptured::Reason::Unreadable, 0, 0, read.error});
                return;
            }
            bytes = std::move(read.bytes);
            // The stat of the file actually read, taken before reading it: a change during the read shows next time.
            stat = withStat(entry, read.st);
            stat.size = bytes.size() == read.st.st_size ? read.st.st_size : -1; // a size that never matches
        }
        git_oid id{};
        if (git_odb_write(&id, m_odb, bytes.constData(), size_t(bytes.size()), GIT_OBJECT_BLOB) != 0) {
            m_error = Error{gitErrorText(QStringLiteral("cannot store %1 in the checkpoint store").arg(entry.path))};
            return;
        }
        m_kept.insert(path);
        m_additions.push_back({path, id, gitMode(stat.mode), stat});
    }

    git_index *m_index;
    git_odb *m_odb;
    QString m_root;
    SnapshotLimits m_limits;
    qint64 m_now;
    QElapsedTimer m_timer;
    std::vector<Folder> m_folders;
    QSet<QByteArray> m_kept;
    std::vector<Addition> m_additions;
    std::vector<Uncaptured> m_uncaptured;
    std::optional<Error> m_error;
};

QString reasonName(Uncaptured::Reason reason)
{
    switch (reason) {
    case Uncaptured::Reason::TooLarge: return QStringLiteral("too-large");
    case Uncaptured::Reason::TimeBudgetKept: return QStringLiteral("time-budget-kept");
    case Uncaptured::Reason::TimeBudgetLeftOut: return QStringLiteral("time-budget-left-out");
    case Uncaptured::Reason::Unreadable: return QStringLiteral("unreadable");
    case Uncaptured::Reason::BadName: return QStringLiteral("bad-name");
    }
    return {};
}

Uncaptured::Reason reasonFromName(const QString &name)
{
    for (const auto reason : {Uncaptured::Reason::TooLarge, Uncaptured::Reason::TimeBudgetKept,
                              Uncaptured::Reason::TimeBudgetLeftOut, Uncaptured::Reason::BadName})
        if (reasonName(reason) == name)
            return reason;
    return Uncaptured::Reason::Unreadable;
}

QJsonArray toJson(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromJson(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

void sortUnique(QStringList &list)
{
    list.sort();
    list.removeDuplicates();
}

} // namespace

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    const char *units[] = {"KB", "MB", "GB", "TB"};
    qint64 unit = 1024;
    int index = 0;
    while (index < 3 && bytes >= unit * 1024) {
        unit *= 1024;
        ++index;
    }
    const QString number = bytes % unit == 0 ? QString::number(bytes / unit)
                                             : QString::number(double(bytes) / double(unit), 'f', 1);
    return number + u' ' + QLatin1StringView(units[index]);
}

QStringList SnapshotTree::skippedLines() const
{
    QStringList lines;
    int budgetMisses = 0;
    qint64 budget = 0;
    for (const Uncaptured &u : uncaptured) {
        switch (u.reason) {
        case Uncaptured::Reason::TooLarge:
            lines.append(QStringLiteral("%1 (%2, over the %3 cap)").arg(u.path, formatSize(u.size), formatSize(u.limit)));
            break;
        case Uncaptured::Reason::Unreadable:
            lines.append(QStringLiteral("%1 (not readable: %2)").arg(u.path, u.detail));
            break;
        case Uncaptured::Reason::BadName:
            lines.append(QStringLiteral("%1 (the name is not valid UTF-8)").arg(u.path));
            break;
        case Uncaptured::Reason::TimeBudgetKept:
        case Uncaptured::Reason::TimeBudgetLeftOut:
            budget = u.limit;
            if (++budgetMisses <= listedBudgetMisses)
                lines.append(QStringLiteral("%1 (not read within the %2 ms time budget: %3)")
                                 .arg(u.path)
                                 .arg(u.limit)
                                 .arg(u.reason == Uncaptured::Reason::TimeBudgetKept
                                          ? QStringLiteral("as in the previous checkpoint")
                                          : QStringLiteral("left out")));
            break;
        }
    }
    if (budgetMisses > listedBudgetMisses)
        lines.append(QStringLiteral("… and %1 more files not read within the %2 ms time budget")
                         .arg(budgetMisses - listedBudgetMisses)
                         .arg(budget));
    return lines;
}

QStringList SnapshotTree::notCapturedPaths() const
{
    QStringList paths;
    paths.reserve(qsizetype(uncaptured.size()));
    for (const Uncaptured &u : uncaptured)
        paths.append(u.path);
    return paths;
}

Snapshotter::Snapshotter(git_repository *repository, git_index *index, QString workspace, QString statePath)
    : m_repository(repository), m_index(index), m_root(std::move(workspace)), m_statePath(std::move(statePath))
{
}

std::optional<SnapshotTree> Snapshotter::loadState() const
{
    QFile file(m_statePath);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    if (object.value(QLatin1String("version")).toInt() != 1)
        return std::nullopt;
    SnapshotTree state;
    state.emptyFolders = fromJson(object.value(QLatin1String("emptyFolders")));
    state.nestedRepositories = fromJson(object.value(QLatin1String("nestedRepositories")));
    for (const QJsonValue &value : object.value(QLatin1String("uncaptured")).toArray()) {
        const QJsonObject u = value.toObject();
        state.uncaptured.push_back({u.value(QLatin1String("path")).toString(),
                                    reasonFromName(u.value(QLatin1String("reason")).toString()),
                                    qint64(u.value(QLatin1String("size")).toDouble()),
                                    qint64(u.value(QLatin1String("limit")).toDouble()),
                                    u.value(QLatin1String("detail")).toString()});
    }
    return state;
}

Result<void> Snapshotter::saveState(const SnapshotTree &state) const
{
    QJsonArray uncaptured;
    for (const Uncaptured &u : state.uncaptured)
        uncaptured.append(QJsonObject{{QLatin1String("path"), u.path},
                                      {QLatin1String("reason"), reasonName(u.reason)},
                                      {QLatin1String("size"), double(u.size)},
                                      {QLatin1String("limit"), double(u.limit)},
                                      {QLatin1String("detail"), u.detail}});
    const QJsonObject object{{QLatin1String("version"), 1},
                             {QLatin1String("emptyFolders"), toJson(state.emptyFolders)},
                             {QLatin1String("nestedRepositories"), toJson(state.nestedRepositories)},
                             {QLatin1String("uncaptured"), uncaptured}};
    QSaveFile file(m_statePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(object).toJson(QJsonDocument::Compact)) < 0
        || !file.commit()) {
        // Without it the next snapshot must not trust the index for paths it is not told about.
        QFile::remove(m_statePath);
        return fail(QStringLiteral("cannot write %1: %2").arg(m_statePath, file.errorString()));
    }
    return {};
}

// Workspace-relative, clean paths: "" stands for the whole workspace. A path inside a repository's own .git, or
// inside a nested repository, becomes that nested repository; a changed .gitignore, its folder (what the walk
// lists there may have changed).
Result<QStringList> Snapshotter::normalise(const QStringList &paths) const
{
    QSet<QString> set;
    for (const QString &given : paths) {
        if (given.contains(QChar(0)))
            return fail(QStringLiteral("a changed path contains a NUL character"));
        QString path = QDir::cleanPath(given);
        if (QDir::isAbsolutePath(path) && path != m_root && !path.startsWith(m_root + u'/')) {
            // The caller may spell the workspace through a symbolic link; the root is canonical.
            const QFileInfo info(path);
            const QString folder = QFileInfo(info.path()).canonicalFilePath();
            if (!folder.isEmpty())
                path = folder + u'/' + info.fileName();
        }
        if (QDir::isAbsolutePath(path)) {
            if (path == m_root)
                path = QStringLiteral(".");
            else if (path.startsWith(m_root + u'/'))
                path = path.mid(m_root.size() + 1);
            else
                return fail(QStringLiteral("the changed path %1 is outside the workspace %2").arg(given, m_root));
        }
        if (path == QLatin1String(".") || path.isEmpty()) {
            set.insert(QString());
            continue;
        }
        if (path == QLatin1String("..") || path.startsWith(QLatin1String("../")))
            return fail(QStringLiteral("the changed path %1 leads outside the workspace %2").arg(given, m_root));
        QStringList parts = path.split(u'/');
        const qsizetype dotGit = parts.indexOf(QLatin1String(".git"));
        if (dotGit == 0)
            continue; // the workspace's own repository: not part of any snapshot
        if (dotGit > 0)
            parts = parts.first(dotGit);
        for (qsizetype i = 1; i < parts.size(); ++i) {
            struct stat st{};
            const QString ancestor = parts.first(i).join(u'/');
            if (::lstat(QFile::encodeName(m_root + u'/' + ancestor + QLatin1String("/.git")).constData(), &st) == 0) {
                parts = parts.first(i);
                break;
            }
        }
        path = parts.join(u'/');
        if (nameOf(path) == QLatin1String(".gitignore"))
            path = parentOf(path);
        set.insert(path);
    }
    if (set.contains(QString()))
        return QStringList{QString()};
    QStringList result;
    for (const QString &path : std::as_const(set)) {
        bool covered = false;
        for (QString up = parentOf(path); !up.isEmpty() && !covered; up = parentOf(up))
            covered = set.contains(up);
        if (!covered)
            result.append(path);
    }
    result.sort();
    return result;
}

Result<SnapshotTree> Snapshotter::take(const std::optional<QStringList> &changedPaths, const SnapshotLimits &limits)
{
    // Another process may have written the index since; an index that cannot be read is started afresh.
    if (git_index_read(m_index, 0) != 0)
        git_index_clear(m_index);
    git_odb *rawOdb = nullptr;
    if (git_repository_odb(&rawOdb, m_repository) != 0)
        return gitFailure(QStringLiteral("cannot open the checkpoint store's object database"));
    const OdbHandle odb(rawOdb);

    std::optional<SnapshotTree> previous;
    QStringList targets;
    if (changedPaths) {
        previous = loadState();
        auto normalised = normalise(*changedPaths);
        if (!normalised)
            return std::unexpected(normalised.error());
        targets = *normalised;
        if (targets.contains(QString()))
            previous.reset();
    }

    Pass pass(m_index, odb.get(), m_root, limits);
    QList<QByteArray> stale;
    SnapshotTree result;
    WalkOptions options;
    options.stopAtNestedRepositories = true;
    options.withStat = true;
    const auto visit = [&pass](const WalkEntry &entry) {
        pass.visit(entry);
        return !pass.error();
    };

    if (!previous) {
        workspace::walk(m_root, options, visit);
        pass.closeFolders();
        pass.collectStale(QString(), stale);
    } else {
        result = *previous;
        const auto dropUnder = [&result](const QString &target) {
            const auto under = [&target](const QString &path) { return isAtOrUnder(path, target); };
            result.emptyFolders.removeIf(under);
            result.nestedRepositories.removeIf(under);
            std::erase_if(result.uncaptured, [&](const Uncaptured &u) { return under(u.path); });
        };
        std::map<QString, QStringList> byFolder;
        QSet<QString> ancestors;
        for (const QString &target : std::as_const(targets)) {
            dropUnder(target);
            byFolder[parentOf(target)].append(nameOf(target));
            for (QString up = parentOf(target); !up.isEmpty(); up = parentOf(up))
                ancestors.insert(up);
        }
        for (const auto &[folder, names] : byFolder) {
            QHash<QString, WalkEntry> listed;
            WalkOptions one = options;
            one.start = folder;
            one.maxDepth = 1;
            workspace::walk(m_root, one, [&listed](const WalkEntry &entry) {
                listed.insert(entry.path, entry);
                return true;
            });
            for (const QString &name : names) {
                const QString target = joined(folder, name);
                const auto found = listed.constFind(target);
                if (found != listed.cend()) {
                    pass.visit(*found);
                    if (found->isDir && !found->isNestedRepository) {
                        WalkOptions below = options;
                        below.start = target;
                        workspace::walk(m_root, below, visit);
                    }
                }
                pass.closeFolders();
                pass.collectStale(target, stale);
            }
        }
        // A folder on the way to a changed path may have become empty, or stopped being so.
        for (const QString &folder : std::as_const(ancestors)) {
            result.emptyFolders.removeAll(folder);
            if (!folderIsEmpty(m_root + u'/' + folder))
                continue;
            bool listed = false; // not ignored, not a nested repository
            WalkOptions one = options;
            one.start = parentOf(folder);
            one.maxDepth = 1;
            workspace::walk(m_root, one, [&](const WalkEntry &entry) {
                listed = listed || (entry.path == folder && entry.isDir && !entry.isNestedRepository);
                return !listed;
            });
            if (listed)
                result.emptyFolders.append(folder);
        }
    }
    if (pass.error())
        return std::unexpected(*pass.error());
    if (auto applied = pass.apply(stale); !applied) {
        git_index_read(m_index, 1); // drop the half-applied changes
        return std::unexpected(applied.error());
    }
    if (git_index_write_tree_to(&result.tree, m_index, m_repository) != 0) {
        const auto failure = gitFailure(QStringLiteral("cannot write the snapshot's tree"));
        git_index_read(m_index, 1);
        return failure;
    }
    if (git_index_write(m_index) != 0)
        return gitFailure(QStringLiteral("cannot save the checkpoint index"));

    result.emptyFolders += pass.emptyFolders;
    result.nestedRepositories += pass.nestedRepositories;
    result.uncaptured.insert(result.uncaptured.end(), pass.uncaptured().begin(), pass.uncaptured().end());
    sortUnique(result.emptyFolders);
    sortUnique(result.nestedRepositories);
    std::sort(result.uncaptured.begin(), result.uncaptured.end(),
              [](const Uncaptured &a, const Uncaptured &b) { return a.path < b.path; });
    if (auto saved = saveState(result); !saved)
        return std::unexpected(saved.error());
    return result;
}

} // namespace reins::checkpoint
