#pragma once

// Reviewing a change hunk by hunk: the file that results from taking some hunks, leaving others, and rewriting
// some by hand.

#include "../checkpoint/checkpointtypes.h"
#include "../error.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace reins::review {

/// What the person decided for one hunk.
struct HunkChoice
{
    bool accepted = true;
    /// Accepted with the person's text instead of the hunk's new side: replaces lines newStart … newStart+newLines-1
    /// of the new version (context lines included), lines separated by '\n' (a trailing '\n' is optional).
    /// An empty text stands for no lines at all; a '\r' ending a line is dropped (the file's ending is used).
    std::optional<QString> replacement;
};

/// The file that results from applying only the accepted hunks of `diff` (made by diffTexts from before → after,
/// same context) to `before`: rejected hunks keep before's lines byte for byte, accepted ones take after's lines
/// byte for byte (line endings included), a replacement is written with the file's line ending (CRLF if before's
/// first line ends in CRLF), ending in one unless it stands at the very end of a file whose new version has no final
/// newline. `choices` has one entry per hunk (a size mismatch is an error). All accepted → exactly `after`;
/// none → exactly `before`. A binary diff, or hunks that do not fit the two texts, are errors too.
/// (An empty `before` takes its line ending from `after`'s first line.)
Result<QByteArray> applyHunks(const QByteArray &before, const QByteArray &after, const checkpoint::FileDiff &diff,
                              const std::vector<HunkChoice> &choices);

} // namespace reins::review
