#pragma once

// Compacts the checkpoint store: one new pack with every object still needed, then the loose objects and the older
// packs go. "Still needed" is what the kept checkpoints reach, what the store's index refers to (the next snapshot
// reuses its entries without reading the files again) and the last snapshot's tree (the next snapshot told which
// paths changed builds on it).
// Not safe against another process writing to the same store meanwhile (a loose object it just wrote would go).

#include "../error.h"

#include <git2.h>

#include <QString>

#include <vector>

namespace reins::checkpoint {

/// Keeps the commits `keep` (and all they reach), the trees `keepTrees`, and what `index` refers to.
Result<void> repackStore(git_repository *repository, git_index *index, const std::vector<git_oid> &keep,
                         const std::vector<git_oid> &keepTrees, const QString &storePath);

} // namespace reins::checkpoint
