#pragma once

// The diff between two trees of the checkpoint store as value types for the diff view: renames found by
// similarity, mode changes, binary files flagged without hunks.

#include "../error.h"
#include "checkpointtypes.h"

#include <git2.h>

#include <vector>

namespace reins::checkpoint {

/// `oldTree` may be null (everything is added).
Result<std::vector<FileDiff>> diffTrees(git_repository *repository, const git_oid *oldTree, const git_oid &newTree);

/// How many files (blobs, links, nested repositories) differ between two trees, either of which may be null. Equal
/// subtrees are skipped by their id, so a change to one file costs the trees on its path, not a walk of everything.
/// A file whose type changed counts once; a file that became a folder counts once plus the folder's files.
Result<int> countChangedFiles(git_repository *repository, const git_tree *oldTree, const git_tree *newTree);

} // namespace reins::checkpoint
