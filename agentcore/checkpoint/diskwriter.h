#pragma once

// Writes a restore into the workspace: every change beneath the root, no symbolic link followed on the way (one
// swapped in for a folder could otherwise carry a write outside the workspace, or into .git), files replaced
// atomically (a temporary file in the same folder, renamed over the target) so a reader never sees half a file.

#include "../error.h"
#include "../workspace/fd.h"

#include <QByteArray>
#include <QString>

namespace reins::checkpoint {

class DiskWriter
{
public:
    /// `root` must be an existing folder (canonical).
    static Result<DiskWriter> open(const QString &root);

    /// Writes `bytes` as `path` (workspace-relative), creating missing folders. An existing file keeps its
    /// permission bits except the execute bits, which follow `executable`; a new one gets 0666 or 0777 less the
    /// umask.
    Result<void> writeFile(const QString &path, const QByteArray &bytes, bool executable) const;
    /// Makes `path` a symbolic link to `target`.
    Result<void> writeSymlink(const QString &path, const QByteArray &target) const;
    /// Removes a file or a symbolic link (never a folder).
    Result<void> removeFile(const QString &path) const;
    /// Creates a folder and any missing parent.
    Result<void> makeFolder(const QString &path) const;
    /// Removes a folder if it is empty; false if it is not, or is not there.
    bool removeEmptyFolder(const QString &path) const;

private:
    explicit DiskWriter(workspace::Fd root) : m_root(std::move(root)) {}
    /// Opens the folder holding `path`, one component at a time, creating missing ones when `create` is set.
    Result<workspace::Fd> openParent(const QString &path, bool create, QByteArray *leaf) const;
    Result<void> replace(const QString &path, const QByteArray &leaf, int dir, const QByteArray &temp) const;

    workspace::Fd m_root;
};

} // namespace reins::checkpoint
