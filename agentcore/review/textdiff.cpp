#include "textdiff.h"

#include "../checkpoint/githandle.h"
#include "../checkpoint/patchvalues.h"
#include "../gitlibrary.h"

#include <git2.h>

#include <algorithm>

namespace reins::review {

using checkpoint::FileDiff;

namespace {

int lineCount(const std::optional<QByteArray> &text)
{
    if (!text || text->isEmpty())
        return 0;
    return int(text->count('\n')) + (text->endsWith('\n') ? 0 : 1);
}

FileDiff::Status statusFor(const QString &oldPath, const QString &newPath, const std::optional<QByteArray> &before,
                           const std::optional<QByteArray> &after)
{
    if (!before)
        return FileDiff::Status::Added;
    if (!after)
        return FileDiff::Status::Deleted;
    return oldPath == newPath ? FileDiff::Status::Modified : FileDiff::Status::Renamed;
}

} // namespace

bool looksBinary(const QByteArray &content)
{
    return QByteArrayView(content).first(std::min<qsizetype>(content.size(), 8000)).contains('\0');
}

QStringList splitLines(const QByteArray &text)
{
    QStringList lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        const qsizetype next = end < 0 ? text.size() : end + 1;
        if (end < 0)
            end = text.size();
        else if (end > start && text.at(end - 1) == '\r')
            --end;
        lines.append(QString::fromUtf8(QByteArrayView(text).sliced(start, end - start)));
        start = next;
    }
    return lines;
}

Result<FileDiff> diffTexts(const QString &oldPath, const QString &newPath, const std::optional<QByteArray> &before,
                           const std::optional<QByteArray> &after, int contextLines)
{
    if (!before && !after)
        return fail(QStringLiteral("nothing to compare for %1: neither version exists").arg(newPath));
    FileDiff file;
    file.status = statusFor(oldPath, newPath, before, after);
    if (before)
        file.oldPath = oldPath;
    if (after)
        file.newPath = newPath;
    // Decided here rather than by libgit2, whose own test also counts control characters: the view and
    // `git diff` should agree on which files have no text diff.
    file.binary = (before && looksBinary(*before)) || (after && looksBinary(*after));
    if (file.status == FileDiff::Status::Renamed && before == after)
        file.similarity = 100;
    if (file.binary)
        return file;

    static GitLibrary git;
    const QByteArray oldName = oldPath.toUtf8();
    const QByteArray newName = newPath.toUtf8();
    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.context_lines = uint32_t(std::max(contextLines, 0));
    options.flags = GIT_DIFF_FORCE_TEXT;
    git_patch *raw = nullptr;
    if (git_patch_from_buffers(&raw, before ? before->constData() : nullptr, before ? size_t(before->size()) : 0,
                               before ? oldName.constData() : nullptr, after ? after->constData() : nullptr,
                               after ? size_t(after->size()) : 0, after ? newName.constData() : nullptr, &options)
        != 0)
        return checkpoint::gitFailure(QStringLiteral("cannot compare the two versions of %1").arg(newPath));
    const checkpoint::PatchHandle patch(raw);
    if (!patch)
        return file;
    size_t additions = 0, deletions = 0;
    git_patch_line_stats(nullptr, &additions, &deletions, patch.get());
    file.additions = int(additions);
    file.deletions = int(deletions);
    if (auto filled = checkpoint::fillPatch(patch.get(), file); !filled)
        return std::unexpected(filled.error());
    if (file.status == FileDiff::Status::Renamed && file.similarity == 0) {
        const int lines = std::max(lineCount(before), lineCount(after));
        file.similarity = lines == 0 ? 100 : 100 * (lineCount(before) - file.deletions) / lines;
    }
    return file;
}

} // namespace reins::review
