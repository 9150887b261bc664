#include "diskwriter.h"

#include <QFile>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reins::checkpoint {

using workspace::Fd;

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// A name beside the target, short enough for NAME_MAX even when the target's own name is that long.
QByteArray temporaryName(const QByteArray &leaf)
{
    return '.' + leaf.left(200) + ".reins-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

bool writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        done += n;
    }
    return true;
}

// The execute bits follow the read bits, as git does on checkout (0644 ↔ 0755, 0600 ↔ 0700).
mode_t withExecute(mode_t mode, bool executable)
{
    mode &= ~mode_t(0111);
    if (executable)
        mode |= (mode & 0444) >> 2;
    return mode;
}

} // namespace

Result<DiskWriter> DiskWriter::open(const QString &root)
{
    Fd fd(::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return fail(QStringLiteral("cannot open the workspace %1: %2").arg(root, errnoText(errno)));
    return DiskWriter(std::move(fd));
}

Result<Fd> DiskWriter::openParent(const QString &path, bool create, QByteArray *leaf) const
{
    QList<QByteArray> parts = QFile::encodeName(path).split('/');
    *leaf = parts.takeLast();
    if (leaf->isEmpty() || *leaf == "." || *leaf == "..")
        return fail(QStringLiteral("%1 is not a file name").arg(path));
    Fd dir(::dup(m_root.get()));
    for (const QByteArray &part : std::as_const(parts)) {
        if (part.isEmpty() || part == "." || part == ".." || part == ".git")
            return fail(QStringLiteral("%1 is not a path a checkpoint restores").arg(path));
        if (create && ::mkdirat(dir.get(), part.constData(), 0777) != 0 && errno != EEXIST)
            return fail(QStringLiteral("cannot create the folder for %1: %2").arg(path, errnoText(errno)));
        Fd next(::openat(dir.get(), part.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            if (errno == ELOOP || errno == ENOTDIR)
                return fail(QStringLiteral("%1 goes through a symbolic link or a file; not restored").arg(path));
            return fail(QStringLiteral("cannot open the folder of %1: %2").arg(path, errnoText(errno)));
        }
        dir = std::move(next);
    }
    return dir;
}

Result<void> DiskWriter::replace(const QString &path, const QByteArray &leaf, int dir, const QByteArray &temp) const
{
    if (::renameat(dir, temp.constData(), dir, leaf.constData()) != 0) {
        const int error = errno;
        ::unlinkat(dir, temp.constData(), 0);
        return fail(QStringLiteral("cannot put %1 in place: %2").arg(path, errnoText(error)));
    }
    return {};
}

Result<void> DiskWriter::writeFile(const QString &path, const QByteArray &bytes, bool executable) const
{
    QByteArray leaf;
    auto dir = openParent(path, true, &leaf);
    if (!dir)
        return std::unexpected(dir.error());
    struct stat st{};
    const bool existed = ::fstatat(dir->get(), leaf.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    const QByteArray temp = temporaryName(leaf);
    // A new file gets the umask applied by the kernel; an existing one keeps its bits, set exactly by fchmod below.
    Fd out(::openat(dir->get(), temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    executable ? 0777 : 0666));
    if (!out.valid())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, errnoText(errno)));
    struct stat created{};
    const mode_t mode = existed ? withExecute(st.st_mode & 07777, executable)
                                : (::fstat(out.get(), &created) == 0 ? created.st_mode & 07777 : 0644);
    if (!writeAll(out.get(), bytes) || ::fchmod(out.get(), mode) != 0) {
        const int error = errno;
        ::unlinkat(dir->get(), temp.constData(), 0);
        return fail(QStringLiteral("cannot write %1: %2").arg(path, errnoText(error)));
    }
    out.reset();
    return replace(path, leaf, dir->get(), temp);
}

Result<void> DiskWriter::writeSymlink(const QString &path, const QByteArray &target) const
{
    QByteArray leaf;
    auto dir = openParent(path, true, &leaf);
    if (!dir)
        return std::unexpected(dir.error());
    const QByteArray temp = temporaryName(leaf);
    if (::symlinkat(target.constData(), dir->get(), temp.constData()) != 0)
        return fail(QStringLiteral("cannot create the symbolic link %1: %2").arg(path, errnoText(errno)));
    return replace(path, leaf, dir->get(), temp);
}

Result<void> DiskWriter::removeFile(const QString &path) const
{
    QByteArray leaf;
    auto dir = openParent(path, false, &leaf);
    if (!dir)
        return std::unexpected(dir.error());
    if (::unlinkat(dir->get(), leaf.constData(), 0) != 0 && errno != ENOENT)
        return fail(QStringLiteral("cannot delete %1: %2").arg(path, errnoText(errno)));
    return {};
}

Result<void> DiskWriter::makeFolder(const QString &path) const
{
    QByteArray leaf;
    auto dir = openParent(path, true, &leaf);
    if (!dir)
        return std::unexpected(dir.error());
    if (::mkdirat(dir->get(), leaf.constData(), 0777) != 0 && errno != EEXIST)
        return fail(QStringLiteral("cannot create the folder %1: %2").arg(path, errnoText(errno)));
    return {};
}

bool DiskWriter::removeEmptyFolder(const QString &path) const
{
    QByteArray leaf;
    auto dir = openParent(path, false, &leaf);
    return dir && ::unlinkat(dir->get(), leaf.constData(), AT_REMOVEDIR) == 0;
}

} // namespace reins::checkpoint
