#pragma once

// Turns the working tree into a git tree in the checkpoint store, through a persistent index whose entries carry
// the stat data of the file they were read from: a file whose lstat still matches is not read again. The index
// lives in the store (never the user's), and so does a small state file beside it with what a git index cannot
// hold: empty folders, nested repositories and the paths the last snapshot could not capture (snapshotstate.h).
// Together they are "the working tree as last seen", which is what lets a snapshot examine only the paths the agent
// says it changed. Trees are written from the last snapshot's tree with the changed paths updated (only the trees
// on their way are read and written), or from the index when that cannot be done.
//
// Stat cache limits (as in git): a change that keeps size, mtime, ctime and inode is not seen. ctime cannot be
// set from user space, so even `touch -d` back to the old time is caught. An entry whose file changed within the
// file system's timestamp granularity before the snapshot began (100 ms with nanosecond timestamps, two seconds
// with whole-second ones) is stored with its ctime zeroed, so the next snapshot reads it again: git's "racily
// clean" case.

#include "../error.h"
#include "../workspace/filewalker.h"

#include <git2.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace reins::checkpoint {

/// A path the snapshot saw but whose current content the tree does not hold.
struct Uncaptured
{
    enum class Reason { TooLarge, TimeBudgetKept, TimeBudgetLeftOut, Unreadable, BadName };
    QString path;
    Reason reason = Reason::Unreadable;
    qint64 size = 0;   ///< TooLarge: the file's size
    qint64 limit = 0;  ///< TooLarge: the cap in bytes; time budget: the budget in ms
    QString detail;    ///< Unreadable: why

    bool operator==(const Uncaptured &) const = default;
};

/// What a snapshot produced.
struct SnapshotTree
{
    git_oid tree{};
    QStringList emptyFolders;       ///< sorted
    QStringList nestedRepositories; ///< sorted; those with a readable HEAD are gitlinks in the tree
    std::vector<Uncaptured> uncaptured; ///< sorted by path

    bool partial() const { return !uncaptured.empty(); }
    /// For people: one line per path, the time-budget ones summarised past a few.
    QStringList skippedLines() const;
    QStringList notCapturedPaths() const;
};

struct SnapshotLimits
{
    qint64 maxFileBytes = 10 * 1024 * 1024;
    int timeBudgetMs = -1; ///< < 0: no budget (restores need every file)
};

/// "52.4 MB", "10 MB", "812 KB", "17 bytes".
QString formatSize(qint64 bytes);

class SnapshotPass;

class Snapshotter
{
public:
    /// `index` is the store's index; `statePath` the file beside it. Neither the repository nor the index is owned.
    Snapshotter(git_repository *repository, git_index *index, QString workspace, QString statePath);

    /// Walks the workspace (or, with `changedPaths`, only those paths, the rest taken from the index), updates the
    /// index and the state file, and writes the tree. A full scan is made instead when there is no previous state
    /// to start from.
    Result<SnapshotTree> take(const std::optional<QStringList> &changedPaths, const SnapshotLimits &limits);
    /// The last snapshot's tree, as the state file has it: the next snapshot builds on it, so it must be kept.
    std::optional<git_oid> lastTree() const;
    /// After the store reopened its repository.
    void setRepository(git_repository *repository) { m_repository = repository; }

private:
    Result<QStringList> normalise(const QStringList &paths) const;
    /// The changed-paths part of take(): each target and what lies below it, and the folders on its way.
    void examine(const QStringList &targets, const workspace::WalkOptions &options, SnapshotPass &pass,
                 QList<QByteArray> &stale, SnapshotTree &result) const;

    git_repository *m_repository;
    git_index *m_index;
    QString m_root;
    QString m_statePath;
    /// Checksum of the index file the in-memory index was read from or last written to; empty when unknown. The
    /// in-memory index may be ahead of that file by the state's dirty paths, never behind.
    QByteArray m_indexSource;
};

} // namespace reins::checkpoint
