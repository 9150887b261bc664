// DiffView: the current file's rows, built for the side-by-side or the inline layout (filler rows, folded stretches,
// changed words marked), and the notes shown under each hunk.

#include "diffview.h"
#include "diffview_p.h"

#include "diffpane.h"
#include "reviewfiletext.h"

#include "review/sidebyside.h"
#include "review/textdiff.h"
#include "review/worddiff.h"

#include <algorithm>

namespace reins::widgets {

using review::HunkDecision;
using review::ReviewFile;
using Row = DiffPane::Row;
using RowStyle = DiffPane::RowStyle;

void DiffView::buildSideBySide()
{
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    Display &d = *m_display;
    std::vector<Row> oldRows, newRows;
    const auto push = [&](Row oldRow, Row newRow, int gapKey, int oldLine, int newLine, const QString &text) {
        oldRows.push_back(std::move(oldRow));
        newRows.push_back(std::move(newRow));
        d.gapKey.push_back(gapKey);
        d.oldLine.push_back(oldLine);
        d.newLine.push_back(newLine);
        d.text.push_back(text);
    };
    if (file.diff.hunks.empty() || !file.contentAvailable) {
        const QString note = wholeFileNote(file);
        push({RowStyle::Note, note, {}, {}}, {RowStyle::Note, note, {}, {}}, -1, -1, -1, note);
        d.hunkRows.push_back({0, 0});
    } else {
        const QStringList oldLines = file.before ? review::splitLines(*file.before) : QStringList();
        const QStringList newLines = file.after ? review::splitLines(*file.after) : QStringList();
        const int oldCount = file.before ? int(oldLines.size()) : -1;
        const int newCount = file.after ? int(newLines.size()) : -1;
        const bool canUnfold = file.before.has_value() || file.after.has_value();
        d.hunkRows.assign(file.diff.hunks.size(), {-1, -1});
        for (const review::SideRow &row : review::alignSideBySide(file.diff, oldCount, newCount)) {
            const int index = int(oldRows.size());
            if (row.hunk >= 0) {
                auto &range = d.hunkRows[size_t(row.hunk)];
                if (range.first < 0)
                    range.first = index;
                range.second = index;
            }
            const QString oldNumber = row.oldLine > 0 ? QString::number(row.oldLine) : QString();
            const QString newNumber = row.newLine > 0 ? QString::number(row.newLine) : QString();
            switch (row.kind) {
            case review::SideRow::Kind::Gap: {
                const int key = row.oldLine;
                if (canUnfold && m_unfolded[size_t(m_file)].contains(key)) {
                    for (int i = 0; i < row.gapLines; ++i) {
                        const int o = row.oldLine + i, n = row.newLine + i;
                        const QString text = n - 1 < newLines.size() ? newLines.at(n - 1)
                                                                      : oldLines.value(o - 1);
                        push({RowStyle::Context, oldLines.value(o - 1), QString::number(o), {}},
                             {RowStyle::Context, text, QString::number(n), {}}, -1, o, n, text);
                    }
                } else {
                    const QString label = gapLabel(row.gapLines, canUnfold);
                    push({RowStyle::Gap, label, {}, {}}, {RowStyle::Gap, label, {}, {}}, key, -1, -1, QString());
                }
                break;
            }
            case review::SideRow::Kind::Context:
                push({RowStyle::Context, row.oldText, oldNumber, {}}, {RowStyle::Context, row.newText, newNumber, {}}, -1,
                     row.oldLine, row.newLine, row.newText);
                break;
            case review::SideRow::Kind::Removed:
                push({RowStyle::Removed, row.oldText, oldNumber, {}}, {RowStyle::Filler, QString(), {}, {}}, -1,
                     row.oldLine, -1, row.oldText);
                break;
            case review::SideRow::Kind::Added:
                push({RowStyle::Filler, QString(), {}, {}}, {RowStyle::Added, row.newText, newNumber, {}}, -1, -1,
                     row.newLine, row.newText);
                break;
            case review::SideRow::Kind::Changed: {
                const review::WordDiff words = review::diffWords(row.oldText, row.newText);
                push({RowStyle::Removed, row.oldText, oldNumber, words.oldRanges},
                     {RowStyle::Added, row.newText, newNumber, words.newRanges}, -1, row.oldLine, row.newLine,
                     row.newText);
                break;
            }
            }
        }
    }
    const QString oldName = file.diff.oldPath.isEmpty() ? file.diff.newPath : file.diff.oldPath;
    const QString newName = file.diff.newPath.isEmpty() ? file.diff.oldPath : file.diff.newPath;
    m_oldPane->setRows(oldRows, oldName, file.before.value_or(QByteArray()).left(512));
    m_newPane->setRows(newRows, newName, file.after.value_or(QByteArray()).left(512));
}

void DiffView::buildInline()
{
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    Display &d = *m_display;
    std::vector<Row> rows;
    const auto push = [&](Row row, int gapKey, int oldLine, int newLine) {
        d.text.push_back(row.text);
        rows.push_back(std::move(row));
        d.gapKey.push_back(gapKey);
        d.oldLine.push_back(oldLine);
        d.newLine.push_back(newLine);
    };
    const auto numbers = [](int oldLine, int newLine) {
        return (oldLine > 0 ? QString::number(oldLine) : QString()).rightJustified(5) + u' '
               + (newLine > 0 ? QString::number(newLine) : QString()).rightJustified(5);
    };
    if (file.diff.hunks.empty() || !file.contentAvailable) {
        push({RowStyle::Note, wholeFileNote(file), {}, {}}, -1, -1, -1);
        d.hunkRows.push_back({0, 0});
    } else {
        const QStringList oldLines = file.before ? review::splitLines(*file.before) : QStringList();
        const QStringList newLines = file.after ? review::splitLines(*file.after) : QStringList();
        const bool canUnfold = file.before.has_value() || file.after.has_value();
        const std::vector<review::InlineRow> aligned = review::alignInline(
            file.diff, file.before ? int(oldLines.size()) : -1, file.after ? int(newLines.size()) : -1);
        // Word ranges of paired rows, by row index in `aligned`.
        std::vector<std::vector<review::TextRange>> words(aligned.size());
        for (size_t i = 0; i < aligned.size(); ++i) {
            const review::InlineRow &row = aligned[i];
            if (row.kind == review::InlineRow::Kind::Removed && row.partner >= 0
                && size_t(row.partner) < aligned.size()) {
                const review::WordDiff diff = review::diffWords(row.text, aligned[size_t(row.partner)].text);
                words[i] = diff.oldRanges;
                words[size_t(row.partner)] = diff.newRanges;
            }
        }
        d.hunkRows.assign(file.diff.hunks.size(), {-1, -1});
        for (size_t i = 0; i < aligned.size(); ++i) {
            const review::InlineRow &row = aligned[i];
            const int index = int(rows.size());
            if (row.hunk >= 0) {
                auto &range = d.hunkRows[size_t(row.hunk)];
                if (range.first < 0)
                    range.first = index;
                range.second = index;
            }
            switch (row.kind) {
            case review::InlineRow::Kind::Gap:
                if (canUnfold && m_unfolded[size_t(m_file)].contains(row.oldLine)) {
                    for (int k = 0; k < row.gapLines; ++k) {
                        const int o = row.oldLine + k, n = row.newLine + k;
                        push({RowStyle::Context, newLines.value(n - 1, oldLines.value(o - 1)), numbers(o, n), {}}, -1,
                             o, n);
                    }
                } else {
                    push({RowStyle::Gap,
                          gapLabel(row.gapLines, canUnfold),
                          {}, {}},
                         row.oldLine, -1, -1);
                }
                break;
            case review::InlineRow::Kind::Context:
                push({RowStyle::Context, row.text, numbers(row.oldLine, row.newLine), {}}, -1, row.oldLine, row.newLine);
                break;
            case review::InlineRow::Kind::Removed:
                push({RowStyle::Removed, row.text, numbers(row.oldLine, -1), words[i]}, -1, row.oldLine, -1);
                break;
            case review::InlineRow::Kind::Added:
                push({RowStyle::Added, row.text, numbers(-1, row.newLine), words[i]}, -1, -1, row.newLine);
                break;
            }
        }
    }
    const QString name = file.diff.newPath.isEmpty() ? file.diff.oldPath : file.diff.newPath;
    m_inlinePane->setRows(rows, name, file.after.value_or(file.before.value_or(QByteArray())).left(512));
}

QString DiffView::noteFor(int hunk) const
{
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    const int total = file.decisionCount();
    const QString which = total > 1 ? tr("Change %1 of %2").arg(hunk + 1).arg(total) : tr("This change");
    switch (file.decisions[size_t(hunk)]) {
    case HunkDecision::Pending:
        return m_review.isProposal() ? tr("%1 — a accept · r reject · e edit · c comment").arg(which) : QString();
    case HunkDecision::Accepted:
        return file.edits[size_t(hunk)] ? tr("✓ %1 accepted with your edit").arg(which) : tr("✓ %1 accepted").arg(which);
    case HunkDecision::Rejected: {
        const QString reason = file.reasons[size_t(hunk)].trimmed();
        return reason.isEmpty() ? tr("✗ %1 rejected").arg(which) : tr("✗ %1 rejected: %2").arg(which, reason);
    }
    }
    return {};
}

void DiffView::applyNotes()
{
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    std::map<int, std::pair<QString, DiffPane::NoteKind>> notes;
    for (int hunk = 0; hunk < int(m_display->hunkRows.size()) && hunk < file.decisionCount(); ++hunk) {
        const QString text = noteFor(hunk);
        if (text.isEmpty())
            continue;
        const HunkDecision decision = file.decisions[size_t(hunk)];
        const DiffPane::NoteKind kind = decision == HunkDecision::Accepted   ? DiffPane::NoteKind::Accepted
                                        : decision == HunkDecision::Rejected ? DiffPane::NoteKind::Rejected
                                                                             : DiffPane::NoteKind::Pending;
        notes[m_display->hunkRows[size_t(hunk)].second] = {text, kind};
    }
    for (const review::LineComment &comment : m_review.comments()) {
        if (comment.file != m_file)
            continue;
        const int row = rowForLine(comment.newSide, comment.line);
        if (row < 0)
            continue;
        auto &note = notes[row];
        const QString text = tr("💬 %1").arg(comment.text.trimmed());
        note.first = note.first.isEmpty() ? text : note.first + u'\n' + text;
        if (note.first == text)
            note.second = DiffPane::NoteKind::Comment;
    }
    for (DiffPane *pane : {m_oldPane, m_newPane, m_inlinePane})
        pane->clearNotes();
    // Both sides carry the same notes: annotations take rows of their own, and the panes must stay aligned.
    const std::vector<DiffPane *> panes = shownPanes();
    for (const auto &[row, note] : notes)
        for (DiffPane *pane : panes)
            pane->setNote(row, note.first, note.second);
}

void DiffView::revealHunk()
{
    if (!m_display || m_display->hunkRows.empty())
        return;
    m_hunk = std::clamp(m_hunk, 0, int(m_display->hunkRows.size()) - 1);
    const auto [first, last] = m_display->hunkRows[size_t(m_hunk)];
    for (DiffPane *pane : shownPanes()) {
        pane->markRows(first, last);
        pane->revealRow(first);
    }
}

int DiffView::rowForLine(bool newSide, int line) const
{
    if (!m_display)
        return -1;
    const std::vector<int> &lines = newSide ? m_display->newLine : m_display->oldLine;
    const auto found = std::ranges::find(lines, line);
    return found == lines.end() ? -1 : int(found - lines.begin());
}

} // namespace reins::widgets
