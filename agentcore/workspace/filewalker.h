#pragma once

// Walks a workspace as git sees it: .gitignore files at every level, .git/info/exclude, the user's global excludes
// (core.excludesFile, else $XDG_CONFIG_HOME/git/ignore), never entering .git. Symbolic links are listed, never
// followed. On request, nested repositories (folders holding a .git entry) are reported and not entered, and files
// carry their lstat data (for the checkpoint store's stat cache).

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
    /// A folder holding a `.git` entry (a repository of its own, a submodule, a linked worktree): reported with
    /// isDir set, never entered. Only with WalkOptions::stopAtNestedRepositories.
    bool isNestedRepository = false;
    // lstat data of files and links, only with WalkOptions::withStat (zero otherwise, and always for folders).
    qint64 mtimeNs = 0;
    qint64 ctimeNs = 0;
    quint64 device = 0;
    quint64 inode = 0;
    quint32 mode = 0;  ///< st_mode: type and permission bits

    bool operator==(const WalkEntry &) const = default;
};

struct WalkOptions
{
    QString start;         ///< folder to walk, relative to the root ("" = the root)
    int maxDepth = -1;     ///< -1: unlimited
    bool includeIgnored = false;
    /// Reports a folder that holds a `.git` entry (file, folder or link) as a nested repository and does not
    /// descend into it: its files belong to another repository. A start folder at or below one lists nothing.
    bool stopAtNestedRepositories = false;
    /// Fills the lstat fields of files and links (the walk stats them anyway, so this costs nothing).
    bool withStat = false;
};

/// Calls `visit` for each entry, in sorted order (folders' contents right after the folder), depth first. `visit`
/// returns false to stop the walk. Ignore files above `start` still apply.
void walk(const QString &root, const WalkOptions &options, const std::function<bool(const WalkEntry &)> &visit);

/// The ignore rules that apply at the root: .git/info/exclude and the global excludes file.
IgnoreRules rootRules(const QString &root);

} // namespace reins::workspace
