#pragma once

// The apply_patch envelope: parsing and applying hunks to text. Plain inputs and outputs; no file access (the
// apply_patch tool reads and writes the files, all or nothing).
//
//   *** Begin Patch
//   *** Add File: path          followed by lines starting with '+'
//   *** Delete File: path
//   *** Update File: path
//   *** Move to: new/path       (optional, right after Update File)
//   @@ optional context line    hunks: lines starting with ' ' (context), '-' (remove), '+' (add)
//   *** End of File             (optional: the hunk ends at the end of the file)
//   *** End Patch

#include "../error.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace reins::tools {

struct PatchHunk
{
    QString contextHint;      ///< the text after "@@ ", a line to find before the hunk (may be empty)
    QStringList oldLines;     ///< context and removed lines, in order
    QStringList newLines;     ///< context and added lines, in order
    bool endOfFile = false;   ///< "*** End of File": oldLines must match at the end

    bool operator==(const PatchHunk &) const = default;
};

struct PatchOperation
{
    enum class Kind { Add, Delete, Update };
    Kind kind = Kind::Update;
    QString path;             ///< relative, as written in the patch
    QString moveTo;           ///< Update only: the new path, or empty
    QString content;          ///< Add only: the new file's text (lines joined with "\n", final newline)
    std::vector<PatchHunk> hunks; ///< Update only

    bool operator==(const PatchOperation &) const = default;
};

/// Parses a patch. Errors name the line number and what was expected there. Absolute paths and paths with ".."
/// components are refused here already.
Result<std::vector<PatchOperation>> parsePatch(const QString &patch);

/// Applies the hunks of one Update to `text`. Hunks are located in order, each after the previous one; a hunk's
/// old lines are found exactly first, then ignoring trailing whitespace, then ignoring all surrounding whitespace.
/// The text keeps its line ending style (CRLF stays CRLF) and its final newline. Errors name the hunk and the lines
/// that could not be found.
Result<QString> applyHunks(const QString &text, const std::vector<PatchHunk> &hunks);

} // namespace reins::tools
