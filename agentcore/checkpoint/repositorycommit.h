#pragma once

#include "../error.h"

#include <QString>

namespace reins::checkpoint {

/// A commit made in the user's own repository.
struct RepositoryCommit
{
    QString id;
    QString branch;      ///< "main", or the branch HEAD will point to in a repository without commits
    int filesChanged = 0;
};

/// The one action that writes the user's repository, and only when the person asks: every change in the working
/// tree (as git sees it: ignored files left out) becomes a commit on the current branch, with `message` and the
/// user's own identity (user.name, user.email). Refused, with a sentence saying why, on a detached HEAD, during a
/// merge, rebase or other operation in progress, with conflicts in the index, or when there is nothing to commit.
Result<RepositoryCommit> commitWorkingTree(const QString &workspace, const QString &message);

} // namespace reins::checkpoint
