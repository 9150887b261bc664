#pragma once

// Workspace-relative paths as the checkpoint store spells them: '/'-separated, no leading or trailing '/', "" for
// the workspace itself.

#include <QString>

namespace reins::checkpoint {

inline QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash);
}

inline QString nameOf(const QString &path)
{
    return path.mid(path.lastIndexOf(u'/') + 1);
}

inline QString joined(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + u'/' + name;
}

/// `path` is `folder` or lies inside it.
inline bool isAtOrUnder(const QString &path, const QString &folder)
{
    return path == folder || (path.startsWith(folder) && path.at(folder.size()) == u'/');
}

} // namespace reins::checkpoint
