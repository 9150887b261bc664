#pragma once

// The commit message of a checkpoint: the label on the first line, then trailers ("Reins-Session: t1"), one per
// line, that carry what a git tree cannot: the session, the precise time, whether the snapshot is partial, what
// was skipped, the nested repositories, the empty folders (git trees cannot hold an empty folder) and the paths
// whose current state the tree does not hold. Values are written on one line each: '%', CR, LF and the other
// control characters are percent-encoded, so any file name round-trips.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace reins::checkpoint {

struct CheckpointMessage
{
    QString label;
    QString session;            ///< "" for manual checkpoints
    qint64 timeMs = 0;
    int filesChanged = 0;
    bool partial = false;
    QStringList skipped;        ///< for people: "big.bin (52.4 MB, over the 10 MB cap)"
    QStringList nestedRepositories;
    QStringList emptyFolders;
    /// Paths that existed when the snapshot was taken but whose content the tree does not hold (over the cap,
    /// unreadable, or not read within the time budget). A restore neither writes nor deletes them.
    QStringList notCaptured;

    QByteArray toText() const;
    /// Reads a message written by toText(); unknown trailers are ignored, so older stores stay readable.
    static CheckpointMessage parse(const QByteArray &text);

    bool operator==(const CheckpointMessage &) const = default;
};

} // namespace reins::checkpoint
