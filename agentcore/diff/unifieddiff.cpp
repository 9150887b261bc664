#include "unifieddiff.h"

#include "../gitlibrary.h"

#include <git2.h>

#include <memory>

namespace reins::diff {

QString unifiedDiff(const QString &oldPath, const std::optional<QByteArray> &oldBytes, const QString &newPath,
                    const std::optional<QByteArray> &newBytes)
{
    static GitLibrary git;
    const QByteArray oldName = oldPath.toUtf8();
    const QByteArray newName = newPath.toUtf8();
    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.context_lines = 3;
    git_patch *raw = nullptr;
    const int rc = git_patch_from_buffers(&raw, oldBytes ? oldBytes->constData() : nullptr,
                                          oldBytes ? size_t(oldBytes->size()) : 0,
                                          oldBytes ? oldName.constData() : nullptr,
                                          newBytes ? newBytes->constData() : nullptr,
                                          newBytes ? size_t(newBytes->size()) : 0,
                                          newBytes ? newName.constData() : nullptr, &options);
    std::unique_ptr<git_patch, decltype(&git_patch_free)> patch(raw, &git_patch_free);
    if (rc != 0 || !patch) {
        const git_error *e = git_error_last();
        return QStringLiteral("(no diff: %1)").arg(QString::fromUtf8(e ? e->message : "libgit2 failed"));
    }
    git_buf buf = GIT_BUF_INIT;
    if (git_patch_to_buf(&buf, patch.get()) != 0)
        return QStringLiteral("(no diff)");
    QString text = QString::fromUtf8(buf.ptr, qsizetype(buf.size));
    git_buf_dispose(&buf);
    // libgit2 writes a "diff --git" header first; the ---/+++ lines say the same more plainly.
    const qsizetype start = text.indexOf(QLatin1String("\n--- "));
    if (text.startsWith(QLatin1String("diff --git")) && start >= 0)
        text = text.mid(start + 1);
    return text;
}

} // namespace reins::diff
