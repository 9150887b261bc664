#include "workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace reins::workspace {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

int openat2Syscall(int dirfd, const char *path, int flags, mode_t mode, quint64 resolve)
{
    open_how how{};
    how.flags = quint64(flags);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = resolve;
    return int(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

bool g_noOpenat2 = false; // set once the kernel says ENOSYS

} // namespace

Result<std::shared_ptr<Workspace>> Workspace::open(const QString &root)
{
    const QFileInfo info(root);
    if (!info.isDir())
        return fail(QStringLiteral("the workspace %1 is not a folder").arg(root));
    const QString canonical = info.canonicalFilePath();
    Fd fd(::open(QFile::encodeName(canonical).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return fail(QStringLiteral("cannot open the workspace %1: %2").arg(canonical, errnoText(errno)));
    return std::shared_ptr<Workspace>(new Workspace(canonical, std::move(fd)));
}

Result<QString> Workspace::resolve(const QString &path) const
{
    if (path.trimmed().isEmpty())
        return fail(QStringLiteral("the path is empty"));
    if (path.contains(QChar(0)))
        return fail(QStringLiteral("the path contains a NUL character"));
    QString p = QDir::cleanPath(path);
    if (QDir::isAbsolutePath(p)) {
        if (p == m_root)
            return QStringLiteral(".");
        if (!p.startsWith(m_root + u'/'))
            return fail(QStringLiteral("%1 is outside the workspace (%2); only files inside it can be used")
                            .arg(path, m_root));
        p = p.mid(m_root.size() + 1);
    }
    if (p == QLatin1String("..") || p.startsWith(QLatin1String("../")))
        return fail(QStringLiteral("%1 leads outside the workspace; use a path inside it").arg(path));
    return p;
}

QString Workspace::absolute(const QString &relative) const
{
    return relative == QLatin1String(".") ? m_root : m_root + u'/' + relative;
}

bool Workspace::isProtected(const QString &relative) const
{
    for (const QString &part : relative.split(u'/'))
        if (part.compare(QLatin1String(".git"), Qt::CaseInsensitive) == 0)
            return true;
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/reins");
    const QString abs = absolute(relative);
    return abs == config || abs.startsWith(config + u'/');
}

Result<Fd> Workspace::openBeneath(const QString &relative, int flags, bool followLast, mode_t mode,
                                  Links links) const
{
    const QByteArray path = QFile::encodeName(relative);
    flags |= O_CLOEXEC;
    if (!followLast)
        flags |= O_NOFOLLOW;
    if (!g_noOpenat2) {
        const int fd = openat2Syscall(m_rootFd.get(), path.constData(), flags, mode,
                                      RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
                                          | (links == Links::Refuse ? RESOLVE_NO_SYMLINKS : 0));
        if (fd >= 0)
            return Fd(fd);
        if (errno == EXDEV)
            return fail(QStringLiteral("%1 leads outside the workspace through a symbolic link; refused").arg(relative));
        if (errno == ELOOP && links == Links::Refuse)
            return fail(QStringLiteral("%1 is a symbolic link; tools only write to real paths, so use the path it "
                                       "points to")
                            .arg(firstLink(relative)));
        if (errno == ELOOP && !followLast)
            return fail(QStringLiteral("%1 is a symbolic link; refused").arg(relative));
        if (errno != ENOSYS)
            return fail(QStringLiteral("cannot open %1: %2").arg(relative, errnoText(errno)));
        g_noOpenat2 = true;
    }
    // Without openat2: walk one component at a time, never following a link.
    const QList<QByteArray> parts = path.split('/');
    Fd dir(::dup(m_rootFd.get()));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool last = i == parts.size() - 1;
        if (parts[i].isEmpty() || parts[i] == ".")
            continue;
        if (parts[i] == "..")
            return fail(QStringLiteral("%1 leads outside the workspace; refused").arg(relative));
        const int f = last ? (flags | O_NOFOLLOW) : (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        Fd next(::openat(dir.get(), parts[i].constData(), f, mode));
        if (!next.valid()) {
            if (errno == ELOOP || errno == ENOTDIR)
                return fail(QStringLiteral("%1 goes through a symbolic link; refused").arg(relative));
            return fail(QStringLiteral("cannot open %1: %2").arg(relative, errnoText(errno)));
        }
        dir = std::move(next);
    }
    return dir;
}

Result<FileInfo> Workspace::stat(const QString &relative) const
{
    FileInfo info;
    QString leaf;
    auto parent = openParent(relative, false, &leaf);
    if (!parent) {
        if (parent.error().message.contains(errnoText(ENOENT)))
            return info; // a missing folder on the way: the file does not exist
        return std::unexpected(parent.error());
    }
    struct stat st{};
    const QByteArray name = QFile::encodeName(leaf);
    if (::fstatat(parent->get(), leaf == QLatin1String(".") ? "" : name.constData(), &st,
                  AT_SYMLINK_NOFOLLOW | (leaf == QLatin1String(".") ? AT_EMPTY_PATH : 0))
        != 0) {
        if (errno == ENOENT)
            return info;
        return fail(QStringLiteral("cannot examine %1: %2").arg(relative, errnoText(errno)));
    }
    info.exists = true;
    info.isDir = S_ISDIR(st.st_mode);
    info.isSymlink = S_ISLNK(st.st_mode);
    info.size = st.st_size;
    info.mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    info.mode = st.st_mode & 07777;
    info.links = st.st_nlink;
    return info;
}

Result<QByteArray> Workspace::readFile(const QString &relative, qint64 maxBytes) const
{
    auto fd = openBeneath(relative, O_RDONLY, true);
    if (!fd)
        return std::unexpected(fd.error());
    struct stat st{};
    if (::fstat(fd->get(), &st) != 0)
        return fail(QStringLiteral("cannot examine %1: %2").arg(relative, errnoText(errno)));
    if (S_ISDIR(st.st_mode))
        return fail(QStringLiteral("%1 is a folder; use list_files to see what it holds").arg(relative));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("%1 is not a regular file; refused").arg(relative));
    if (st.st_nlink > 1)
        return fail(QStringLiteral("%1 is a hard link (the same file has another name, possibly outside the "
                                   "workspace); refused")
                        .arg(relative));
    if (st.st_size > maxBytes)
        return fail(QStringLiteral("%1 is %2 bytes, more than the %3 this tool reads").arg(relative).arg(st.st_size).arg(maxBytes));
    QByteArray bytes;
    bytes.resize(st.st_size);
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd->get(), bytes.data() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(QStringLiteral("cannot read %1: %2").arg(relative, errnoText(errno)));
        if (n == 0)
            break;
        done += n;
    }
    bytes.truncate(done);
    return bytes;
}

// For messages: the first component of `relative` that is a symbolic link.
QString Workspace::firstLink(const QString &relative) const
{
    QString sofar;
    for (const QString &part : relative.split(u'/')) {
        sofar = sofar.isEmpty() ? part : sofar + u'/' + part;
        if (auto info = stat(sofar); info && info->isSymlink)
            return sofar;
    }
    return relative;
}

Result<Fd> Workspace::openParent(const QString &relative, bool create, QString *leaf, Links links) const
{
    const qsizetype slash = relative.lastIndexOf(u'/');
    *leaf = slash < 0 ? relative : relative.mid(slash + 1);
    const QString parent = slash < 0 ? QStringLiteral(".") : relative.left(slash);
    if (create && parent != QLatin1String(".")) {
        // Create missing folders one level at a time, each beneath the root.
        QString sofar;
        for (const QString &part : parent.split(u'/')) {
            sofar = sofar.isEmpty() ? part : sofar + u'/' + part;
            QString partLeaf;
            auto up = openParent(sofar, false, &partLeaf, links);
            if (!up)
                return up;
            if (::mkdirat(up->get(), QFile::encodeName(partLeaf).constData(), 0777) != 0 && errno != EEXIST)
                return fail(QStringLiteral("cannot create the folder %1: %2").arg(sofar, errnoText(errno)));
        }
    }
    return openBeneath(parent, O_RDONLY | O_DIRECTORY, true, 0, links);
}

Result<Fd> Workspace::openDir(const QString &relative) const
{
    return openBeneath(relative, O_RDONLY | O_DIRECTORY, true);
}

Result<void> Workspace::checkWritable(const QString &relative) const
{
    if (relative == QLatin1String("."))
        return fail(QStringLiteral("the workspace root is a folder, not a file"));
    if (isProtected(relative))
        return fail(QStringLiteral("%1 is inside .git or Reins's configuration; tools never write there").arg(relative));
    auto info = stat(relative);
    if (!info)
        return std::unexpected(info.error());
    if (info->isSymlink)
        return fail(QStringLiteral("%1 is a symbolic link; write to the file it points to instead").arg(relative));
    if (info->isDir)
        return fail(QStringLiteral("%1 is a folder").arg(relative));
    if (info->exists && info->links > 1)
        return fail(QStringLiteral("%1 is a hard link (the same file has another name, possibly outside the "
                                   "workspace); refused")
                        .arg(relative));
    return {};
}

Result<void> Workspace::writeFile(const QString &relative, const QByteArray &bytes) const
{
    if (auto ok = checkWritable(relative); !ok)
        return ok;
    QString leaf;
    auto dir = openParent(relative, true, &leaf, Links::Refuse);
    if (!dir)
        return std::unexpected(dir.error());
    const QByteArray name = QFile::encodeName(leaf);
    struct stat st{};
    const bool existed = ::fstatat(dir->get(), name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (existed && !S_ISREG(st.st_mode))
        return fail(QStringLiteral("%1 is not a regular file; refused").arg(relative));

    // Cut so that the temporary name fits in NAME_MAX (255 bytes) even when the target's name is that long.
    const QByteArray temp = '.' + name.left(200) + ".reins-"
                            + QByteArray::number(QRandomGenerator::global()->generate(), 16);
    const mode_t mode = existed ? (st.st_mode & 07777) : 0666; // the umask applies to new files
    Fd out(::openat(dir->get(), temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!out.valid())
        return fail(QStringLiteral("cannot write %1: %2").arg(relative, errnoText(errno)));
    const auto cleanup = [&] { ::unlinkat(dir->get(), temp.constData(), 0); };
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(out.get(), bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            cleanup();
            return fail(QStringLiteral("cannot write %1: %2").arg(relative, errnoText(error)));
        }
        done += n;
    }
    if (existed)
        ::fchmod(out.get(), st.st_mode & 07777); // exactly the old bits, whatever the umask
    if (::fsync(out.get()) != 0) {
        const int error = errno;
        cleanup();
        return fail(QStringLiteral("cannot write %1: %2").arg(relative, errnoText(error)));
    }
    out.reset();
    if (::renameat(dir->get(), temp.constData(), dir->get(), name.constData()) != 0) {
        const int error = errno;
        cleanup();
        return fail(QStringLiteral("cannot replace %1: %2").arg(relative, errnoText(error)));
    }
    ::fsync(dir->get());
    return {};
}

Result<void> Workspace::removeFile(const QString &relative) const
{
    if (auto ok = checkWritable(relative); !ok)
        return ok;
    QString leaf;
    auto dir = openParent(relative, false, &leaf, Links::Refuse);
    if (!dir)
        return std::unexpected(dir.error());
    if (::unlinkat(dir->get(), QFile::encodeName(leaf).constData(), 0) != 0)
        return fail(QStringLiteral("cannot delete %1: %2").arg(relative, errnoText(errno)));
    ::fsync(dir->get());
    return {};
}

} // namespace reins::workspace
