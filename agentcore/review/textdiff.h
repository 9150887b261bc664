#pragma once

// The diff of two versions of one file held in memory (an edit the agent proposes, a file against its checkpoint),
// as the same value type the checkpoint store's tree diff gives the diff view.

#include "../checkpoint/checkpointtypes.h"
#include "../error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace reins::review {

/// One file's change from its two versions, as the diff view's value type. `before` nullopt: the file is added;
/// `after` nullopt: deleted. Binary content (a NUL byte in the first 8000 bytes, git's rule): binary = true, no
/// hunks. Status Added/Deleted/Modified, or Renamed when the paths differ. Uses git_patch_from_buffers.
/// As in the tree diff, an added file has no oldPath and a deleted one no newPath. Modes stay 0 (unknown).
/// Renamed files get a similarity: the share of lines left unchanged, 100 when the bytes are equal.
/// Both sides nullopt is an error.
Result<checkpoint::FileDiff> diffTexts(const QString &oldPath, const QString &newPath,
                                       const std::optional<QByteArray> &before,
                                       const std::optional<QByteArray> &after, int contextLines = 3);

/// Lines of a text as the diff counts them ("a\nb" and "a\nb\n" both have 2), without their endings.
/// Only '\n' ends a line (as in git); a '\r' before it belongs to the ending.
QStringList splitLines(const QByteArray &text);

/// Whether git would call the content binary: a NUL byte in its first 8000 bytes.
bool looksBinary(const QByteArray &content);

} // namespace reins::review
