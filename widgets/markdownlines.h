#pragma once

// What a line of Markdown is, for MarkdownStream's finding of the points where a block is finished: indentation,
// blank lines, thematic breaks, list items and headings, the characters that may start markup.

#include <QChar>
#include <QStringView>

namespace reins::widgets::markdown {

int indentOf(QStringView line);
QStringView stripIndent(QStringView line, int columns);
bool isBlank(QStringView text);
bool isThematicBreak(QStringView line);
/// Where the marker of a list item starting in the first column ends ("- ", "12. "), or 0: where one top-level
/// item ends and the next begins.
qsizetype listMarkerEnd(QStringView line);
bool isTopLevelListItem(QStringView line);
/// Whether a line that has only begun is already known to be a top-level list item: a character after the
/// marker rules out a thematic break ("- - -"). Never true where isTopLevelListItem() of the whole line is false.
bool beginsTopLevelListItem(QStringView line);
bool isHeadingLine(QStringView line);
/// Characters that open or close inline markup, or end a line. Others ("(", ":", "&") only matter next to one
/// of these, or change nothing that the next of these will not fix.
bool isMarkupCharacter(QChar c);

} // namespace reins::widgets::markdown
