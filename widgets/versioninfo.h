#pragma once

#include <QList>
#include <QString>

namespace reins::widgets {

/// A library Reins is built on, and the version linked into this binary.
struct ComponentVersion
{
    QString name;
    QString version;

    bool operator==(const ComponentVersion &) const = default;
};

/// Qt (run-time), KF6 SyntaxHighlighting and QScintilla (the headers built against, which Debian's shared
/// library ABI ties to the run-time version), libgit2 (run-time).
QList<ComponentVersion> linkedVersions();

/// "Reins 0.1.0" followed by one "name version" line per component.
QString versionReport();

} // namespace reins::widgets
