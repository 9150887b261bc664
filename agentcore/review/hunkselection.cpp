#include "hunkselection.h"

#include <algorithm>

namespace reins::review {

using checkpoint::DiffHunk;

namespace {

/// A text's lines as raw slices, each with its ending ("\n", "\r\n", or none for an unterminated last line).
std::vector<QByteArrayView> rawLines(const QByteArray &text)
{
    std::vector<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype end = text.indexOf('\n', start);
        const qsizetype next = end < 0 ? text.size() : end + 1;
        lines.push_back(QByteArrayView(text).sliced(start, next - start));
        start = next;
    }
    return lines;
}

/// Lines [first, first + count) (1-based) appended to `out`.
void copyLines(const std::vector<QByteArrayView> &lines, int first, int count, QByteArray &out)
{
    for (int i = first; i < first + count; ++i)
        out.append(lines[size_t(i - 1)]);
}

// git writes "-5,0" for lines inserted after line 5: with no lines, the start names the line before.
int firstLine(int start, int count)
{
    return count > 0 ? start : start + 1;
}

QByteArray lineEnding(const std::vector<QByteArrayView> &before, const std::vector<QByteArrayView> &after)
{
    const std::vector<QByteArrayView> &sample = before.empty() ? after : before;
    return !sample.empty() && sample.front().endsWith("\r\n") ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n");
}

/// The person's text as lines of the file: its own endings replaced by the file's; the last line without one when
/// `finalNewline` is false.
QByteArray replacementBytes(const QString &text, const QByteArray &ending, bool finalNewline)
{
    if (text.isEmpty())
        return {};
    QStringView body(text);
    if (body.endsWith(u'\n'))
        body.chop(1);
    QByteArray out;
    bool first = true;
    for (QStringView line : body.split(u'\n')) {
        if (!first)
            out.append(ending);
        first = false;
        if (line.endsWith(u'\r'))
            line.chop(1);
        out.append(line.toUtf8());
    }
    if (finalNewline)
        out.append(ending);
    return out;
}

} // namespace

Result<QByteArray> applyHunks(const QByteArray &before, const QByteArray &after, const checkpoint::FileDiff &diff,
                              const std::vector<HunkChoice> &choices)
{
    if (choices.size() != diff.hunks.size())
        return fail(QStringLiteral("%1 choices for %2 hunks of %3")
                        .arg(choices.size())
                        .arg(diff.hunks.size())
                        .arg(diff.newPath.isEmpty() ? diff.oldPath : diff.newPath));
    if (diff.binary)
        return fail(QStringLiteral("%1 is binary: it cannot be taken hunk by hunk").arg(diff.newPath));
    const std::vector<QByteArrayView> oldLines = rawLines(before);
    const std::vector<QByteArrayView> newLines = rawLines(after);
    const QByteArray ending = lineEnding(oldLines, newLines);
    const bool afterEndsInNewline = after.isEmpty() || after.endsWith('\n');

    QByteArray out;
    out.reserve(std::max(before.size(), after.size()));
    int nextOld = 1; // the first line of `before` not yet written or skipped
    int nextNew = 1;
    for (size_t h = 0; h < diff.hunks.size(); ++h) {
        const DiffHunk &hunk = diff.hunks[h];
        const int oldFirst = firstLine(hunk.oldStart, hunk.oldLines);
        const int newFirst = firstLine(hunk.newStart, hunk.newLines);
        if (oldFirst < nextOld || newFirst < nextNew || oldFirst + hunk.oldLines - 1 > int(oldLines.size())
            || newFirst + hunk.newLines - 1 > int(newLines.size()) || oldFirst - nextOld != newFirst - nextNew)
            return fail(QStringLiteral("the changes of %1 no longer fit the file: hunk %2 (@@ -%3,%4 +%5,%6 @@)")
                            .arg(diff.newPath)
                            .arg(h + 1)
                            .arg(hunk.oldStart)
                            .arg(hunk.oldLines)
                            .arg(hunk.newStart)
                            .arg(hunk.newLines));
        copyLines(oldLines, nextOld, oldFirst - nextOld, out); // unchanged between hunks
        const HunkChoice &choice = choices[h];
        if (!choice.accepted) {
            copyLines(oldLines, oldFirst, hunk.oldLines, out);
        } else if (choice.replacement) {
            const bool atEnd = newFirst + hunk.newLines - 1 == int(newLines.size());
            out.append(replacementBytes(*choice.replacement, ending, !(atEnd && !afterEndsInNewline)));
        } else {
            copyLines(newLines, newFirst, hunk.newLines, out);
        }
        nextOld = oldFirst + hunk.oldLines;
        nextNew = newFirst + hunk.newLines;
    }
    if (int(oldLines.size()) - nextOld != int(newLines.size()) - nextNew)
        return fail(QStringLiteral("the changes of %1 no longer fit the file: the line counts after the last change "
                                   "differ")
                        .arg(diff.newPath));
    copyLines(oldLines, nextOld, int(oldLines.size()) - nextOld + 1, out);
    return out;
}

} // namespace reins::review
