#pragma once

// Where reviews come from besides a proposal: the checkpoint store (the last turn, the whole session, since any
// checkpoint, or the working tree against one), with authorship where the checkpoints tell it.

#include "../checkpoint/checkpointstore.h"
#include "../error.h"
#include "changereview.h"

namespace reins::review {

/// The changes from checkpoint `from` to checkpoint `to` (empty: the working tree). Contents are read from the
/// store when a file is shown; the store must outlive the review.
Result<ChangeReview> reviewCheckpoints(checkpoint::CheckpointStore &store, const QString &from, const QString &to = {});

/// A session's changes, checkpoint `from` to `to`, with each file attributed: changed only in steps the agent took
/// ("after <tool>" checkpoints) → the agent; only between turns → the person; otherwise unknown.
Result<ChangeReview> reviewSession(checkpoint::CheckpointStore &store, const QString &session, const QString &from,
                                   const QString &to);

/// The working tree of the git repository holding `folder` against its HEAD (untracked files as added, renames
/// found), read without writing anything in the repository: not its index, not a lock file.
Result<ChangeReview> reviewWorkingTree(const QString &folder);

} // namespace reins::review
