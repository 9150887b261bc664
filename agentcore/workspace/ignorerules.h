#pragma once

// .gitignore semantics (https://git-scm.com/docs/gitignore): patterns from .gitignore files at every level, from
// .git/info/exclude and from a global excludes file; '#' comments, '!' negation, trailing '/' for folders only,
// a '/' at the start or in the middle anchors the pattern to its .gitignore's folder, '*', '?', '[…]' and '**'.
// A file inside an ignored folder is ignored whatever a later negation says (git does not descend there).

#include <QByteArray>
#include <QString>

#include <vector>

namespace reins::workspace {

class IgnoreRules
{
public:
    /// Adds the patterns of one ignore file. `base` is the folder the file applies to, relative to the root
    /// ("" for the root, "src/lib" for src/lib/.gitignore). Later files and later lines take precedence.
    void addPatterns(const QString &base, const QByteArray &content);

    /// Whether `path` (relative to the root, '/'-separated, no leading or trailing '/') is ignored. `isDir` says
    /// whether it is a folder. Parent folders are not checked here: callers walking the tree stop at ignored
    /// folders, which is how git behaves.
    bool isIgnored(const QString &path, bool isDir) const;

    bool isEmpty() const { return m_patterns.empty(); }

private:
    struct Pattern
    {
        QString base;      ///< the folder of the ignore file, relative
        QString glob;      ///< the pattern without '!' and trailing '/'
        bool negated = false;
        bool dirOnly = false;
        bool anchored = false; ///< contains a '/' other than a trailing one: matched against the full path
    };
    std::vector<Pattern> m_patterns;
};

/// Matches `text` against a gitignore glob: '*' and '?' never match '/', '**' matches across folders, '[…]'
/// classes with '!' or '^' negation and ranges, '\' escapes.
bool globMatch(QStringView glob, QStringView text);

} // namespace reins::workspace
