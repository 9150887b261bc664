#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace reins::diff {

/// A unified diff ("--- a/…", "+++ b/…", "@@ … @@" hunks, 3 lines of context) between two versions of a file,
/// computed by libgit2. std::nullopt stands for "the file does not exist" on that side. Binary content gives a
/// one-line "Binary files … differ".
QString unifiedDiff(const QString &oldPath, const std::optional<QByteArray> &oldBytes, const QString &newPath,
                    const std::optional<QByteArray> &newBytes);

} // namespace reins::diff
