#pragma once

// The workspace: the one folder the agent may touch. Every path the model gives is resolved inside it, and every
// file is opened relative to a handle on the root with the kernel refusing to leave it (openat2 with
// RESOLVE_BENEATH; where that is missing, one component at a time with O_NOFOLLOW), so a symbolic link swapped in
// between a check and the use still cannot lead out. Hard links (a second name for a file that may live outside)
// are refused. Nothing is ever written inside .git.

#include "../error.h"
#include "fd.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace reins::workspace {

/// What the tools need to know about a file.
struct FileInfo
{
    bool exists = false;
    bool isDir = false;
    bool isSymlink = false;
    qint64 size = 0;
    qint64 mtimeNs = 0;
    quint32 mode = 0;   ///< permission bits
    quint64 links = 1;
};

class Workspace
{
public:
    /// Opens `root` (which must be an existing folder). The path is made canonical.
    static Result<std::shared_ptr<Workspace>> open(const QString &root);

    QString root() const { return m_root; }

    /// The workspace-relative, clean form of a path the model gave: relative to the root, or absolute inside it.
    /// Errors for empty paths, paths leading out ("../x", "/etc/passwd") and NUL bytes.
    Result<QString> resolve(const QString &path) const;
    /// The absolute path of a relative one.
    QString absolute(const QString &relative) const;

    /// Whether writing to `relative` is forbidden whatever the policy: anything inside .git, or Reins's own
    /// configuration if it lives under the workspace.
    bool isProtected(const QString &relative) const;

    /// lstat of a relative path, resolved beneath the root (the last component is not followed).
    Result<FileInfo> stat(const QString &relative) const;
    /// Reads a whole regular file (up to maxBytes, else an error saying how large it is).
    Result<QByteArray> readFile(const QString &relative, qint64 maxBytes = 64 * 1024 * 1024) const;
    /// Writes atomically: a temporary file in the same folder, fsync, rename over the target, fsync of the folder.
    /// The target's permission bits are kept (new files: 0644 less the umask). Missing parent folders are created.
    /// No symbolic link is passed on the way, not even one that stays inside (it could lead into .git).
    Result<void> writeFile(const QString &relative, const QByteArray &bytes) const;
    /// Removes a regular file (never a folder, never through a link).
    Result<void> removeFile(const QString &relative) const;
    /// Opens a folder beneath the root for reading (for listings).
    Result<Fd> openDir(const QString &relative) const;

private:
    /// Symbolic links on the way to a file: reads may pass links that stay beneath the root; writes pass none, so
    /// that a link to .git (or to anything else the name checks cannot see) never carries a write there.
    enum class Links { StayBeneath, Refuse };

    Workspace(QString root, Fd fd) : m_root(std::move(root)), m_rootFd(std::move(fd)) {}
    Result<Fd> openBeneath(const QString &relative, int flags, bool followLast, mode_t mode = 0,
                           Links links = Links::StayBeneath) const;
    Result<Fd> openParent(const QString &relative, bool create, QString *leaf,
                          Links links = Links::StayBeneath) const;
    QString firstLink(const QString &relative) const;
    Result<void> checkWritable(const QString &relative) const;

    QString m_root;
    Fd m_rootFd;
};

} // namespace reins::workspace
