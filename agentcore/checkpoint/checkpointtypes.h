#pragma once

// Value types of checkpoints and of diffs between them, for the session, `reins checkpoint` and the diff view.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace reins::checkpoint {

/// One stored snapshot of the workspace.
struct Checkpoint
{
    QString id;          ///< the commit id in the store (40 hex digits)
    QString parentId;    ///< the previous checkpoint of the session, or empty
    QString session;     ///< the session it belongs to ("" for manual ones)
    QString label;       ///< "turn t1 started", "after edit_file src/a.cpp", "before restoring …"
    qint64 timeMs = 0;
    int filesChanged = 0;        ///< against its parent
    bool partial = false;        ///< the time budget ran out, or files were skipped
    QStringList skipped;         ///< "big.bin (52 MB, over the 10 MB cap)", "…: time budget"
    QStringList nestedRepositories; ///< recorded as such, never entered

    bool operator==(const Checkpoint &) const = default;
};

/// The label of the checkpoint a turn takes before it starts: where "undo the last turn" and "the last turn's
/// changes" begin.
inline QString turnStartLabel(const QString &turnId)
{
    return QStringLiteral("turn %1 started").arg(turnId);
}
inline bool isTurnStartLabel(const QString &label)
{
    return label.startsWith(QLatin1String("turn ")) && label.endsWith(QLatin1String(" started"));
}

/// One line of a hunk.
struct DiffLine
{
    char origin = ' ';   ///< ' ' context, '+' added, '-' removed
    QString text;        ///< without the line ending
    int oldLine = -1;    ///< 1-based, -1 for added lines
    int newLine = -1;    ///< 1-based, -1 for removed lines
    bool noNewlineAtEnd = false;

    bool operator==(const DiffLine &) const = default;
};

struct DiffHunk
{
    int oldStart = 0, oldLines = 0, newStart = 0, newLines = 0;
    QString header;      ///< the text after the @@ … @@ (a function name, often)
    std::vector<DiffLine> lines;

    bool operator==(const DiffHunk &) const = default;
};

/// One file's change.
struct FileDiff
{
    enum class Status { Added, Modified, Deleted, Renamed, Copied, TypeChange };
    Status status = Status::Modified;
    QString oldPath, newPath;
    quint32 oldMode = 0, newMode = 0; ///< git modes: 0100644, 0100755, 0120000 (symlink), 0160000 (nested repository)
    bool binary = false;
    int similarity = 0;          ///< renames: percent
    int additions = 0, deletions = 0;
    std::vector<DiffHunk> hunks;

    bool modeChanged() const { return oldMode && newMode && oldMode != newMode; }
    bool operator==(const FileDiff &) const = default;
};

/// What a restore would do, before doing it.
struct RestorePlan
{
    QString target;              ///< the checkpoint restored
    QStringList write;           ///< files that will be overwritten with the checkpoint's content
    QStringList create;          ///< files that will appear; empty folders end with '/'
    QStringList remove;          ///< files the store captured that the checkpoint does not have; empty folders end with '/'
    QStringList editedSince;     ///< of those, files changed since the latest checkpoint (work that is not captured)
    /// Files that differ but that the restore leaves as they are: the store could not capture their current state
    /// (over the size cap, unreadable), the checkpoint did not capture them (it is partial), or they belong to a
    /// nested repository. Restoring them could not be undone, or would reach into another repository.
    QStringList leftAlone;

    bool isEmpty() const { return write.isEmpty() && create.isEmpty() && remove.isEmpty(); }
    bool operator==(const RestorePlan &) const = default;
};

} // namespace reins::checkpoint
