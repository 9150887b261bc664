#include "patchvalues.h"

#include "githandle.h"

namespace reins::checkpoint {

FileDiff::Status statusOf(git_delta_t status)
{
    switch (status) {
    case GIT_DELTA_ADDED: return FileDiff::Status::Added;
    case GIT_DELTA_DELETED: return FileDiff::Status::Deleted;
    case GIT_DELTA_RENAMED: return FileDiff::Status::Renamed;
    case GIT_DELTA_COPIED: return FileDiff::Status::Copied;
    case GIT_DELTA_TYPECHANGE: return FileDiff::Status::TypeChange;
    default: return FileDiff::Status::Modified;
    }
}

QString hunkHeaderText(const git_diff_hunk &hunk)
{
    const QByteArray header(hunk.header, qsizetype(hunk.header_len));
    const qsizetype close = header.indexOf("@@", 2);
    if (close < 0)
        return {};
    return QString::fromUtf8(header.sliced(close + 2).trimmed());
}

QString lineText(const git_diff_line &line)
{
    QByteArrayView content(line.content, qsizetype(line.content_len));
    if (content.endsWith('\n'))
        content.chop(1);
    if (content.endsWith('\r'))
        content.chop(1);
    return QString::fromUtf8(content);
}

Result<void> fillPatch(git_patch *patch, FileDiff &file)
{
    for (size_t h = 0, hunks = git_patch_num_hunks(patch); h < hunks; ++h) {
        const git_diff_hunk *hunk = nullptr;
        size_t lines = 0;
        if (git_patch_get_hunk(&hunk, &lines, patch, h) != 0)
            return gitFailure(QStringLiteral("cannot read a hunk of %1").arg(file.newPath));
        DiffHunk out;
        out.oldStart = hunk->old_start;
        out.oldLines = hunk->old_lines;
        out.newStart = hunk->new_start;
        out.newLines = hunk->new_lines;
        out.header = hunkHeaderText(*hunk);
        for (size_t l = 0; l < lines; ++l) {
            const git_diff_line *line = nullptr;
            if (git_patch_get_line_in_hunk(&line, patch, h, l) != 0)
                return gitFailure(QStringLiteral("cannot read a line of %1").arg(file.newPath));
            switch (line->origin) {
            case GIT_DIFF_LINE_CONTEXT:
            case GIT_DIFF_LINE_ADDITION:
            case GIT_DIFF_LINE_DELETION:
                out.lines.push_back({line->origin, lineText(*line), line->old_lineno, line->new_lineno});
                break;
            case GIT_DIFF_LINE_CONTEXT_EOFNL:
            case GIT_DIFF_LINE_ADD_EOFNL:
            case GIT_DIFF_LINE_DEL_EOFNL:
                // "\ No newline at end of file": it follows the line it is about.
                if (!out.lines.empty())
                    out.lines.back().noNewlineAtEnd = true;
                break;
            default: break;
            }
        }
        file.hunks.push_back(std::move(out));
    }
    return {};
}

} // namespace reins::checkpoint
