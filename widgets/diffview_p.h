#pragma once

// What DiffView keeps of the rows it shows, shared by its two source files: diffview.cpp (the view, the keys, the
// decisions) and diffviewrows.cpp (the rows of a file built for either layout, and the notes under its hunks).

#include "diffview.h"

#include <QString>

#include <utility>
#include <vector>

namespace reins::widgets {

struct DiffView::Display
{
    std::vector<std::pair<int, int>> hunkRows; ///< per hunk: first and last row
    std::vector<int> gapKey;                   ///< per row: the folded stretch's first old line, or -1
    std::vector<int> oldLine, newLine;         ///< per row: the line numbers shown there (-1 for none)
    std::vector<QString> text;                 ///< per row: the line's text (new side where there is one)
};

} // namespace reins::widgets
