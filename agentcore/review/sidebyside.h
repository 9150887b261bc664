#pragma once

// The rows of the diff view, side by side and unified: which line sits next to which, where a change pairs an old
// line with a new one, and where unchanged lines are folded away. The view only renders these rows.

#include "../checkpoint/checkpointtypes.h"

#include <QString>

#include <vector>

namespace reins::review {

/// One row of two aligned panes.
struct SideRow
{
    enum class Kind { Context, Removed, Added, Changed, Gap };
    Kind kind = Kind::Context;
    int oldLine = -1;   ///< 1-based; -1 where the old side is a filler row
    int newLine = -1;   ///< 1-based; -1 where the new side is a filler row
    QString oldText, newText;
    int hunk = -1;      ///< index into FileDiff::hunks; -1 for Gap rows
    int gapLines = 0;   ///< Gap: how many unchanged lines the row stands for (starting at oldLine / newLine)
    bool operator==(const SideRow &) const = default;
};

/// Rows for two aligned panes. In each hunk, a run of removed lines followed by a run of added lines is paired
/// line by line (Changed: both sides), the longer run's rest gets filler on the other side (Removed: newLine -1;
/// Added: oldLine -1). Unchanged stretches between hunks become one Gap row; so do the stretch before the first
/// hunk and, when the line counts are known (>= 0), after the last one. Binary files / no hunks: no rows.
/// Context rows carry the line's text on both sides.
std::vector<SideRow> alignSideBySide(const checkpoint::FileDiff &diff, int oldLineCount = -1, int newLineCount = -1);

/// One row of the unified view.
struct InlineRow
{
    enum class Kind { Context, Removed, Added, Gap };
    Kind kind = Kind::Context;
    int oldLine = -1, newLine = -1;
    QString text;
    int hunk = -1;
    int gapLines = 0;
    int partner = -1;   ///< Removed/Added paired as one change (same pairing as side by side): the other row's index
    bool operator==(const InlineRow &) const = default;
};

/// The unified view's rows: hunk lines in order, Gap rows as above, partners for word diffs.
std::vector<InlineRow> alignInline(const checkpoint::FileDiff &diff, int oldLineCount = -1, int newLineCount = -1);

} // namespace reins::review
