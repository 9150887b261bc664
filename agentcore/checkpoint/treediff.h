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

} // namespace reins::checkpoint
