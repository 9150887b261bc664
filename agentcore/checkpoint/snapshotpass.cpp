#include "snapshotpass.h"

#include "githandle.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reins::checkpoint {

using workspace::WalkEntry;

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

bool isStrictlyUnder(const QString &path, const QString &folder)
{
    return path.size() > folder.size() && path.at(folder.size()) == u'/' && path.startsWith(folder);
}

} // namespace

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

SnapshotPass::SnapshotPass(git_index *index, git_odb *odb, const QString &root, const SnapshotLimits &limits)
    : m_index(index), m_blobs(odb), m_root(root), m_limits(limits), m_startNs(nowNs())
{
    m_timer.start();
}

void SnapshotPass::visit(const WalkEntry &entry)
{
    while (!m_folders.empty() && !isStrictlyUnder(entry.path, m_folders.back().path))
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

void SnapshotPass::closeFolders()
{
    while (!m_folders.empty())
        closeFolder();
}

void SnapshotPass::collectStale(const QString &path, QList<QByteArray> &stale) const
{
    const auto consider = [&](const git_index_entry *entry) {
        if (entry && !m_kept.contains(entry))
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

Result<void> SnapshotPass::apply(const QList<QByteArray> &stale)
{
    if (auto written = m_blobs.flush(); !written)
        return written;
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
        // Racily clean: the file could change again without its stat changing, so the next snapshot must read it.
        // A zero ctime never matches a real file.
        if (std::max(st.mtimeNs, st.ctimeNs) >= m_startNs - racyWindowNs(st))
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
            continue;
        }
        m_added.push_back({addition.path, addition.id, addition.mode});
    }
    return {};
}

void SnapshotPass::closeFolder()
{
    const Folder folder = m_folders.back();
    m_folders.pop_back();
    if (!folder.listedAnything && folderIsEmpty(absolute(folder.path)))
        m_emptyFolders.append(folder.path);
}

bool SnapshotPass::outOfTime() const
{
    return m_limits.timeBudgetMs >= 0 && m_timer.elapsed() >= m_limits.timeBudgetMs;
}

void SnapshotPass::visitNested(const WalkEntry &entry)
{
    m_nestedRepositories.append(entry.path);
    const std::optional<git_oid> head = nestedHead(absolute(entry.path));
    if (!head)
        return; // listed, not in the tree: there is no commit to point at
    const QByteArray path = entry.path.toUtf8();
    const git_index_entry *old = git_index_get_bypath(m_index, path.constData(), 0);
    if (old)
        m_kept.insert(old);
    if (old && old->mode == GIT_FILEMODE_COMMIT && git_oid_equal(&old->id, &*head))
        return;
    m_additions.push_back({path, *head, GIT_FILEMODE_COMMIT, WalkEntry{}});
}

void SnapshotPass::visitFile(const WalkEntry &entry)
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
        m_kept.insert(old);
        return;
    }
    if (outOfTime()) {
        // Keep what the previous snapshot saw, or leave the file out; either way the checkpoint says so.
        if (old)
            m_kept.insert(old);
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
    const Result<git_oid> id = m_blobs.add(std::move(bytes));
    if (!id) {
        m_error = Error{QStringLiteral("cannot store %1: %2").arg(entry.path, id.error().message)};
        return;
    }
    if (old)
        m_kept.insert(old); // replaced by the addition, not dropped before it
    m_additions.push_back({path, *id, gitMode(stat.mode), stat});
}

} // namespace reins::checkpoint
