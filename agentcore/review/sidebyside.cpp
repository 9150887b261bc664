#include "sidebyside.h"

#include <algorithm>
#include <cstddef>

namespace reins::review {

using checkpoint::DiffHunk;
using checkpoint::DiffLine;
using checkpoint::FileDiff;

namespace {

// The first line a hunk covers on one side. git writes "-5,0" for lines inserted after old line 5 (and "-0,0" for
// an empty old side): with no lines, the start names the line before.
int firstLine(int start, int count)
{
    return count > 0 ? start : start + 1;
}

/// An unchanged stretch: where it starts on each side and how long it is.
struct Stretch
{
    int oldLine = 1, newLine = 1, lines = 0;
};

/// The unchanged stretch before hunk `index` (index == hunks.size(): after the last one, if the counts are known).
Stretch stretchBefore(const FileDiff &diff, size_t index, int oldLineCount, int newLineCount)
{
    Stretch gap;
    if (index > 0) {
        const DiffHunk &previous = diff.hunks[index - 1];
        gap.oldLine = firstLine(previous.oldStart, previous.oldLines) + previous.oldLines;
        gap.newLine = firstLine(previous.newStart, previous.newLines) + previous.newLines;
    }
    if (index < diff.hunks.size()) {
        const DiffHunk &hunk = diff.hunks[index];
        gap.lines = firstLine(hunk.oldStart, hunk.oldLines) - gap.oldLine;
    } else if (oldLineCount >= 0) {
        gap.lines = oldLineCount - gap.oldLine + 1;
    } else if (newLineCount >= 0) {
        gap.lines = newLineCount - gap.newLine + 1;
    }
    gap.lines = std::max(gap.lines, 0);
    return gap;
}

/// Calls `context(line)` for each context line and `change(removed, added)` for each run of removed lines with the
/// run of added lines right after it (either may be empty), in the hunk's order.
template<typename Context, typename Change>
void walkHunk(const DiffHunk &hunk, Context context, Change change)
{
    std::vector<const DiffLine *> removed, added;
    const auto flush = [&] {
        if (!removed.empty() || !added.empty())
            change(removed, added);
        removed.clear();
        added.clear();
    };
    for (const DiffLine &line : hunk.lines) {
        if (line.origin == '-') {
            if (!added.empty()) // a removal after additions starts a new change
                flush();
            removed.push_back(&line);
        } else if (line.origin == '+') {
            added.push_back(&line);
        } else {
            flush();
            context(line);
        }
    }
    flush();
}

} // namespace

std::vector<SideRow> alignSideBySide(const FileDiff &diff, int oldLineCount, int newLineCount)
{
    std::vector<SideRow> rows;
    if (diff.binary || diff.hunks.empty())
        return rows;
    const auto addGap = [&](size_t index) {
        const Stretch gap = stretchBefore(diff, index, oldLineCount, newLineCount);
        if (gap.lines > 0)
            rows.push_back({SideRow::Kind::Gap, gap.oldLine, gap.newLine, {}, {}, -1, gap.lines});
    };
    for (size_t h = 0; h < diff.hunks.size(); ++h) {
        addGap(h);
        const int hunk = int(h);
        walkHunk(
            diff.hunks[h],
            [&](const DiffLine &line) {
                rows.push_back({SideRow::Kind::Context, line.oldLine, line.newLine, line.text, line.text, hunk, 0});
            },
            [&](const std::vector<const DiffLine *> &removed, const std::vector<const DiffLine *> &added) {
                for (size_t i = 0; i < std::max(removed.size(), added.size()); ++i) {
                    const DiffLine *old = i < removed.size() ? removed[i] : nullptr;
                    const DiffLine *now = i < added.size() ? added[i] : nullptr;
                    const SideRow::Kind kind = old && now ? SideRow::Kind::Changed
                                               : old      ? SideRow::Kind::Removed
                                                          : SideRow::Kind::Added;
                    rows.push_back({kind, old ? old->oldLine : -1, now ? now->newLine : -1,
                                    old ? old->text : QString(), now ? now->text : QString(), hunk, 0});
                }
            });
    }
    addGap(diff.hunks.size());
    return rows;
}

std::vector<InlineRow> alignInline(const FileDiff &diff, int oldLineCount, int newLineCount)
{
    std::vector<InlineRow> rows;
    if (diff.binary || diff.hunks.empty())
        return rows;
    const auto addGap = [&](size_t index) {
        const Stretch gap = stretchBefore(diff, index, oldLineCount, newLineCount);
        if (gap.lines > 0)
            rows.push_back({InlineRow::Kind::Gap, gap.oldLine, gap.newLine, {}, -1, gap.lines, -1});
    };
    for (size_t h = 0; h < diff.hunks.size(); ++h) {
        addGap(h);
        const int hunk = int(h);
        walkHunk(
            diff.hunks[h],
            [&](const DiffLine &line) {
                rows.push_back({InlineRow::Kind::Context, line.oldLine, line.newLine, line.text, hunk, 0, -1});
            },
            [&](const std::vector<const DiffLine *> &removed, const std::vector<const DiffLine *> &added) {
                const int firstRemoved = int(rows.size());
                const int firstAdded = firstRemoved + int(removed.size());
                const int paired = int(std::min(removed.size(), added.size()));
                for (int i = 0; i < int(removed.size()); ++i)
                    rows.push_back({InlineRow::Kind::Removed, removed[size_t(i)]->oldLine, -1, removed[size_t(i)]->text,
                                    hunk, 0, i < paired ? firstAdded + i : -1});
                for (int i = 0; i < int(added.size()); ++i)
                    rows.push_back({InlineRow::Kind::Added, -1, added[size_t(i)]->newLine, added[size_t(i)]->text,
                                    hunk, 0, i < paired ? firstRemoved + i : -1});
            });
    }
    addGap(diff.hunks.size());
    return rows;
}

} // namespace reins::review
