#pragma once

// The edit matcher: finds `old_string` in a file's text and replaces it, forgiving the small mistakes cheap models
// make (trailing whitespace, indentation drift, CRLF vs LF) only where the match is still unique. Plain inputs and
// outputs; no file access.

#include "../error.h"

#include <QString>

namespace reins::tools {

struct EditRequest
{
    QString oldString;
    QString newString;
    bool replaceAll = false;
};

/// How the old text was found.
enum class MatchKind {
    Exact,        ///< byte for byte
    LineEndings,  ///< equal once CRLF/CR and LF are treated alike
    TrailingSpace,///< equal once trailing whitespace of each line is ignored
    Indentation,  ///< equal once leading whitespace of each line is ignored; new text re-indented to match
};

struct EditOutcome
{
    QString text;          ///< the whole new text
    int replacements = 0;
    int firstLine = 0;     ///< 1-based line of the first replacement in the original text
    MatchKind kind = MatchKind::Exact;

    bool operator==(const EditOutcome &) const = default;
};

/// Applies `edit` to `text`. The text keeps its line endings outside the replaced spans; the new text is written
/// with the file's line ending (CRLF files stay CRLF). Errors are messages for the model:
///  - old_string empty, or equal to new_string;
///  - not found: names the nearest lines of the file with their numbers ("did you mean…");
///  - found several times without replace_all: the count and the line numbers;
///  - found only by a tolerant rule but more than once: asks for more context.
Result<EditOutcome> applyEdit(const QString &text, const EditRequest &edit);

} // namespace reins::tools
