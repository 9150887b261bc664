#pragma once

// What the store remembers beside its index about the working tree as last seen: the last snapshot's tree and what a
// git index cannot hold (empty folders, nested repositories, paths not captured), and the paths whose entries the
// index file on disk does not have yet. Snapshots told which paths changed do not rewrite the whole index (60 ms at
// 100,000 files, most of such a snapshot); they list those paths here instead, and a process that starts from the
// index file examines them again. A full scan writes the index and empties the list.
//
// The state names the index file it goes with by the file's checksum (its last 20 bytes): a state that does not
// match the index on disk (lost, or left by a crash between the two writes) is ignored, and the next snapshot
// scans everything.

#include "snapshot.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace reins::checkpoint {

struct SnapshotState
{
    SnapshotTree last;          ///< the last snapshot (any kind): its tree and lists
    QStringList dirtyPaths;     ///< examined since the index file was last written
    QByteArray indexChecksum;   ///< of the index file this state goes with

    /// The state in `statePath`, if there is one and it goes with the index file at `indexPath`.
    static std::optional<SnapshotState> load(const QString &statePath, const QString &indexPath);
    /// Written atomically; on failure the old file is removed, so that no stale state is trusted.
    Result<void> save(const QString &statePath) const;
};

/// The checksum at the end of an index file, hex; empty if there is no such file.
QByteArray indexFileChecksum(const QString &indexPath);

} // namespace reins::checkpoint
