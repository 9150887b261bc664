#pragma once

// One snapshot's walk over the workspace: for each entry the walker reports, whether the store's index still holds
// it (the stat cache), what must be read and stored, and what the tree cannot hold (empty folders, nested
// repositories, files not captured). Nothing in the index changes until apply().

#include "../error.h"
#include "../workspace/filewalker.h"
#include "blobwriter.h"
#include "snapshot.h"

#include <git2.h>

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace reins::checkpoint {

/// A folder with nothing at all in it. One that holds only ignored files is not empty: git does not see it, and a
/// restore has no reason to create or remove it.
bool folderIsEmpty(const QString &absolute);

class SnapshotPass
{
public:
    SnapshotPass(git_index *index, git_odb *odb, const QString &root, const SnapshotLimits &limits);

    /// Entries in the walker's order: a folder's contents right after the folder.
    void visit(const workspace::WalkEntry &entry);
    /// Ends the folders still open (a walk of one subtree is over): those that listed nothing may be empty.
    void closeFolders();
    /// Index entries at or under `path` ("" for all) that this pass did not keep: gone, skipped, or replaced.
    void collectStale(const QString &path, QList<QByteArray> &stale) const;
    /// Writes the new objects, removes the stale entries, then adds the new ones: in that order, a file may replace
    /// a folder of the same name and the other way round.
    Result<void> apply(const QList<QByteArray> &stale);

    /// A path apply() gave new content (or a new mode) in the index.
    struct Added
    {
        QByteArray path;
        git_oid id;
        quint32 mode;
    };
    const std::vector<Added> &added() const { return m_added; }

    /// A failure that ends the snapshot (the store could not write an object).
    const std::optional<Error> &error() const { return m_error; }
    const QStringList &emptyFolders() const { return m_emptyFolders; }
    const QStringList &nestedRepositories() const { return m_nestedRepositories; }
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
        workspace::WalkEntry stat;
    };

    QString absolute(const QString &path) const { return m_root + u'/' + path; }
    void closeFolder();
    bool outOfTime() const;
    void visitNested(const workspace::WalkEntry &entry);
    void visitFile(const workspace::WalkEntry &entry);

    git_index *m_index;
    BlobWriter m_blobs;
    QString m_root;
    SnapshotLimits m_limits;
    qint64 m_startNs; ///< wall clock when the pass began, for the racily-clean check
    QElapsedTimer m_timer;
    std::vector<Folder> m_folders;
    /// Index entries still wanted, by address: they stay put until apply(), which comes after collectStale().
    QSet<const git_index_entry *> m_kept;
    std::vector<Addition> m_additions;
    std::vector<Added> m_added;
    QStringList m_emptyFolders;
    QStringList m_nestedRepositories;
    std::vector<Uncaptured> m_uncaptured;
    std::optional<Error> m_error;
};

} // namespace reins::checkpoint
