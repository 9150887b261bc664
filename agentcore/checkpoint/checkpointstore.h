#pragma once

// The checkpoint store: a bare git repository of Reins's own, one per workspace, under the XDG data folder. It
// never writes the user's repository (index, HEAD, refs, config, objects) and creates nothing inside the
// workspace. A snapshot is the working tree as git would see it (.gitignore at every level, .git/info/exclude,
// the global excludes), nested repositories recorded but never entered, files over a size cap skipped and
// listed, and a time budget past which the snapshot is marked partial. A persistent index with a stat cache
// means a snapshot hashes only what changed; when the agent's tools say which paths they changed, only those are
// examined. libgit2 only — no git executable at run time.

#include "../error.h"
#include "../gitlibrary.h"
#include "checkpointtypes.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace reins::checkpoint {

struct SnapshotOptions
{
    QString label;
    QString session;
    /// When set, only these workspace-relative paths are examined (the agent's own changes); everything else is
    /// taken from the previous snapshot. Empty optional: a full scan (stat cache, so unchanged files cost a stat).
    std::optional<QStringList> changedPaths;
    qint64 maxFileBytes = 10 * 1024 * 1024;
    int timeBudgetMs = 2000;
};

class CheckpointStore
{
public:
    /// Opens (creating it if needed) the store of `workspace`; `storeRoot` defaults to
    /// $XDG_DATA_HOME/reins/checkpoints.
    static Result<std::unique_ptr<CheckpointStore>> open(const QString &workspace, const QString &storeRoot = {});
    ~CheckpointStore();

    QString workspace() const;
    QString path() const; ///< the store's own folder (a bare repository)

    /// Takes a snapshot and stores it as a checkpoint (a commit whose parent is the session's previous one).
    Result<Checkpoint> snapshot(const SnapshotOptions &options);

    /// All checkpoints, newest first; `session` filters.
    Result<std::vector<Checkpoint>> list(const QString &session = {}) const;
    /// One checkpoint by full or unambiguous short id.
    Result<Checkpoint> find(const QString &id) const;

    /// The diff between two checkpoints, or a checkpoint and the working tree (to empty), with rename detection.
    Result<std::vector<FileDiff>> diff(const QString &from, const QString &to = {});

    /// A file's bytes in checkpoint `id`, or in the working tree when `id` is empty; nullopt where there is no such
    /// file (or a link, folder or nested repository stands there). For the diff view, which reads only the files it
    /// shows.
    Result<std::optional<QByteArray>> fileContent(const QString &id, const QString &path) const;

    /// What restoring `id` would change in the working tree.
    Result<RestorePlan> planRestore(const QString &id);
    /// Restores the files of `id`: first a checkpoint of the current state (returned: restoring it undoes the
    /// restore), then only the files that differ are written (the rest keep their mtime); files the store never
    /// captured and ignored files are never touched; nested repositories are left alone.
    Result<Checkpoint> restore(const QString &id, const QString &session = {});

    /// Bytes the store takes on disk.
    qint64 sizeOnDisk() const;
    /// Drops the checkpoints of all but the `keepSessions` most recent sessions and packs the rest into one pack
    /// file (loose objects removed). Returns the bytes freed.
    Result<qint64> prune(int keepSessions);

private:
    CheckpointStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace reins::checkpoint
