#pragma once

// The words the diff review uses for a file: its status letter and description, where its review stands, the note
// that stands in for a file without lines to show, and the label of a folded stretch.

#include "review/changereview.h"

#include <QString>

namespace reins::widgets {

/// "1 file", "3 files": tr()'s %n needs a translation to pick the form; the source language is English.
QString counted(int n, const char *one, const char *many);
QString gapLabel(int lines, bool canUnfold);
QString statusLetter(const review::ReviewFile &file);
QString statusWord(const review::ReviewFile &file);
QString decisionText(const review::ReviewFile &file);
QString wholeFileNote(const review::ReviewFile &file);

} // namespace reins::widgets
