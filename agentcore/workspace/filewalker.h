#pragma once

// Walks a workspace as git sees it: .gitignore files at every level, .git/info/exclude, the user's global excludes
// (core.excludesFile, else $XDG_CONFIG_HOME/git/ignore), never entering .git. Symbolic links are listed, never
// followed.

#include "ignorerules.h"

#include <QString>

#include <functional>
#include <vector>

namespace reins::workspace {

struct WalkEntry
{
    QString path;      ///< relative to the root, '/'-separated
    bool isDir = false;
    bool isSymlink = false;
    bool hidden = false; ///< a path component starts with '.'
    qint64 size = 0;
    int depth = 0;     ///< 1 for entries directly in the start folder

    bool operator==(const WalkEntry &) const = default;
};

struct WalkOptions
{
    QString start;         ///< folder to walk, relative to the root ("" = the root)
    int maxDepth = -1;     ///< -1: unlimited
    bool includeIgnored = false;
};

/// Calls `visit` for each entry, in sorted order (folders' contents right after the folder), depth first. `visit`
/// returns false to stop the walk. Ignore files above `start` still apply.
void walk(const QString &root, const WalkOptions &options, const std::function<bool(const WalkEntry &)> &visit);

/// The ignore rules that apply at the root: .git/info/exclude and the global excludes file.
IgnoreRules rootRules(const QString &root);

} // namespace reins::workspace
