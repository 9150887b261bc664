#pragma once

// libgit2's patch objects as the diff view's value types. Shared by the store's tree diff and by the review's diff
// of two texts, so that both hand the view the same line numbers, headers and "no newline" marks.

#include "../error.h"
#include "checkpointtypes.h"

#include <git2.h>

namespace reins::checkpoint {

FileDiff::Status statusOf(git_delta_t status);

/// "@@ -1,3 +1,4 @@ int main()\n" → "int main()"
QString hunkHeaderText(const git_diff_hunk &hunk);

/// A line's content without its ending ("\n" or "\r\n").
QString lineText(const git_diff_line &line);

/// Appends the patch's hunks and lines to `file.hunks`. "\ No newline at end of file" becomes
/// DiffLine::noNewlineAtEnd on the line it is about.
Result<void> fillPatch(git_patch *patch, FileDiff &file);

} // namespace reins::checkpoint
