#pragma once

// Decides what a restore does: compares a checkpoint's tree with a fresh snapshot of the working tree and sorts
// the differences into files to write, create and remove, and files to leave alone because touching them could
// not be undone (the store has not captured their current state) or would reach into a nested repository.

#include "../error.h"
#include "checkpointmessage.h"
#include "checkpointtypes.h"
#include "snapshot.h"

#include <git2.h>

#include <optional>

namespace reins::checkpoint {

struct RestoreTarget
{
    QString id;
    git_oid tree{};
    CheckpointMessage message;
};

/// `workspace` is where the snapshot was taken (for empty folders that exist with content). `latestTree`, when
/// given, is the tree of the store's newest checkpoint, for RestorePlan::editedSince.
Result<RestorePlan> planRestore(git_repository *repository, const QString &workspace, const RestoreTarget &target,
                                const SnapshotTree &current, const std::optional<git_oid> &latestTree);

} // namespace reins::checkpoint
