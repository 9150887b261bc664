#include "changereview.h"

#include "hunkselection.h"
#include "textdiff.h"

#include <algorithm>

namespace reins::review {

using checkpoint::DiffHunk;
using checkpoint::FileDiff;
using protocol::ApprovalDecision;

namespace {

ReviewFile prepared(ReviewFile file)
{
    // Counts for the file list, where the source did not give them.
    if (file.diff.additions == 0 && file.diff.deletions == 0) {
        for (const checkpoint::DiffHunk &hunk : file.diff.hunks) {
            for (const checkpoint::DiffLine &line : hunk.lines) {
                file.diff.additions += line.origin == '+';
                file.diff.deletions += line.origin == '-';
            }
        }
    }
    const int decisions = std::max<int>(1, int(file.diff.hunks.size()));
    file.decisions.assign(size_t(decisions), HunkDecision::Pending);
    file.reasons.assign(size_t(decisions), QString());
    file.edits.assign(size_t(decisions), std::nullopt);
    return file;
}

std::optional<QByteArray> bytes(const std::optional<QString> &text)
{
    return text ? std::optional<QByteArray>(text->toUtf8()) : std::nullopt;
}

QString quoted(const QString &text)
{
    QString quotedText;
    for (const QString &line : text.split(u'\n'))
        quotedText += QStringLiteral("    > ") + line + u'\n';
    return quotedText;
}

} // namespace

QString ReviewFile::displayPath() const
{
    if (diff.status == FileDiff::Status::Renamed && diff.oldPath != diff.newPath)
        return diff.oldPath + QStringLiteral(" → ") + diff.newPath;
    return diff.newPath.isEmpty() ? diff.oldPath : diff.newPath;
}

Result<ChangeReview> ChangeReview::fromProposal(const protocol::ApprovalRequested &request)
{
    if (request.callId.isEmpty())
        return fail(QStringLiteral("The proposal has no call id, so no decision could be sent back for it."));
    ChangeReview review;
    review.m_callId = request.callId;
    for (const protocol::ProposedFile &proposed : request.files) {
        ReviewFile file;
        file.author = Author::Agent;
        file.contentAvailable = !proposed.binary && !proposed.tooLarge;
        file.before = bytes(proposed.before);
        file.after = bytes(proposed.after);
        if (file.contentAvailable) {
            auto diff = diffTexts(proposed.path, proposed.newPath.isEmpty() ? proposed.path : proposed.newPath,
                                  file.before, file.after);
            if (!diff)
                return std::unexpected(diff.error());
            file.diff = std::move(*diff);
        } else {
            file.diff.oldPath = proposed.path;
            file.diff.newPath = proposed.newPath.isEmpty() ? proposed.path : proposed.newPath;
            file.diff.binary = proposed.binary;
            file.diff.status = file.diff.oldPath != file.diff.newPath ? FileDiff::Status::Renamed
                                                                     : FileDiff::Status::Modified;
        }
        review.m_files.push_back(prepared(std::move(file)));
    }
    return review;
}

ChangeReview ChangeReview::fromDiffs(std::vector<ReviewFile> files, ContentLoader loader)
{
    ChangeReview review;
    review.m_loader = std::move(loader);
    for (ReviewFile &file : files) {
        if (review.m_loader)
            file.loaded = false;
        review.m_files.push_back(prepared(std::move(file)));
    }
    return review;
}

void ChangeReview::ensureContent(int file)
{
    if (file < 0 || file >= int(m_files.size()))
        return;
    ReviewFile &f = m_files[size_t(file)];
    if (f.loaded)
        return;
    f.loaded = true;
    if (!m_loader || f.diff.binary || !f.contentAvailable)
        return;
    auto [before, after] = m_loader(f.diff);
    f.before = std::move(before);
    f.after = std::move(after);
}

void ChangeReview::decide(int file, int hunk, HunkDecision decision, const QString &reason)
{
    if (file < 0 || file >= int(m_files.size()))
        return;
    ReviewFile &f = m_files[size_t(file)];
    if (hunk < 0 || hunk >= f.decisionCount())
        return;
    f.decisions[size_t(hunk)] = decision;
    f.reasons[size_t(hunk)] = decision == HunkDecision::Rejected ? reason : QString();
    if (decision != HunkDecision::Accepted)
        f.edits[size_t(hunk)].reset();
}

void ChangeReview::edit(int file, int hunk, const QString &replacement)
{
    if (file < 0 || file >= int(m_files.size()) || !m_files[size_t(file)].contentAvailable)
        return;
    ReviewFile &f = m_files[size_t(file)];
    if (hunk < 0 || hunk >= int(f.diff.hunks.size()))
        return;
    f.decisions[size_t(hunk)] = HunkDecision::Accepted;
    f.reasons[size_t(hunk)].clear();
    // Unchanged text is no edit: the hunk is simply accepted.
    if (replacement == newSideText(file, hunk))
        f.edits[size_t(hunk)].reset();
    else
        f.edits[size_t(hunk)] = replacement;
}

void ChangeReview::decideFile(int file, HunkDecision decision, const QString &reason)
{
    if (file < 0 || file >= int(m_files.size()))
        return;
    for (int hunk = 0; hunk < m_files[size_t(file)].decisionCount(); ++hunk)
        decide(file, hunk, decision, reason);
}

void ChangeReview::decideAll(HunkDecision decision, const QString &reason)
{
    for (int file = 0; file < int(m_files.size()); ++file)
        decideFile(file, decision, reason);
}

void ChangeReview::comment(const LineComment &comment)
{
    if (comment.file < 0 || comment.file >= int(m_files.size()) || comment.text.trimmed().isEmpty())
        return;
    m_comments.push_back(comment);
}

int ChangeReview::hunkCount() const
{
    int count = 0;
    for (const ReviewFile &f : m_files)
        count += f.decisionCount();
    return count;
}

int ChangeReview::pendingCount() const
{
    int count = 0;
    for (const ReviewFile &f : m_files)
        count += int(std::ranges::count(f.decisions, HunkDecision::Pending));
    return count;
}

QString ChangeReview::newSideText(int file, int hunk) const
{
    if (file < 0 || file >= int(m_files.size()))
        return {};
    const ReviewFile &f = m_files[size_t(file)];
    if (hunk < 0 || hunk >= int(f.diff.hunks.size()))
        return {};
    QStringList lines;
    for (const checkpoint::DiffLine &line : f.diff.hunks[size_t(hunk)].lines)
        if (line.origin != '-')
            lines.append(line.text);
    return lines.join(u'\n');
}

QString ChangeReview::hunkLabel(int file, int hunk) const
{
    const ReviewFile &f = m_files[size_t(file)];
    if (f.diff.hunks.empty())
        return QStringLiteral("the whole change to %1").arg(f.displayPath());
    const DiffHunk &h = f.diff.hunks[size_t(hunk)];
    return QStringLiteral("%1, change %2 of %3 (@@ -%4,%5 +%6,%7 @@)")
        .arg(f.displayPath())
        .arg(hunk + 1)
        .arg(f.diff.hunks.size())
        .arg(h.oldStart)
        .arg(h.oldLines)
        .arg(h.newStart)
        .arg(h.newLines);
}

QString ChangeReview::feedback() const
{
    QString rejected, edited, pending;
    for (int file = 0; file < int(m_files.size()); ++file) {
        const ReviewFile &f = m_files[size_t(file)];
        for (int hunk = 0; hunk < f.decisionCount(); ++hunk) {
            const HunkDecision decision = f.decisions[size_t(hunk)];
            if (decision == HunkDecision::Rejected) {
                const QString &reason = f.reasons[size_t(hunk)];
                rejected += QStringLiteral("- Rejected %1%2\n")
                                .arg(hunkLabel(file, hunk),
                                     reason.trimmed().isEmpty() ? QString() : QStringLiteral(": ") + reason.trimmed());
            } else if (decision == HunkDecision::Pending && isProposal()) {
                pending += QStringLiteral("- Not reviewed, so not written: %1\n").arg(hunkLabel(file, hunk));
            } else if (f.edits[size_t(hunk)]) {
                edited += QStringLiteral("- Accepted %1 with the person's own text:\n%2")
                              .arg(hunkLabel(file, hunk), quoted(*f.edits[size_t(hunk)]));
            }
        }
    }
    QString comments;
    for (const LineComment &c : m_comments) {
        const ReviewFile &f = m_files[size_t(c.file)];
        comments += QStringLiteral("- %1, %2 line %3%4: %5\n")
                        .arg(f.displayPath(), c.newSide ? QStringLiteral("new") : QStringLiteral("old"))
                        .arg(c.line)
                        .arg(c.lineText.trimmed().isEmpty() ? QString()
                                                            : QStringLiteral(" (`%1`)").arg(c.lineText.trimmed()))
                        .arg(c.text.trimmed());
    }
    QString message;
    if (!rejected.isEmpty())
        message += QStringLiteral("The person rejected part of the change:\n") + rejected;
    if (!pending.isEmpty())
        message += pending;
    if (!edited.isEmpty())
        message += edited;
    if (!comments.isEmpty())
        message += QStringLiteral("Review comments:\n") + comments;
    return message.trimmed();
}

Result<protocol::ResolveApproval> ChangeReview::resolution() const
{
    if (!isProposal())
        return fail(QStringLiteral("Only a proposal waiting for approval can be resolved; this change is already on disk."));
    protocol::ResolveApproval op;
    op.callId = m_callId;
    op.message = feedback();
    bool everything = true, nothing = true;
    for (const ReviewFile &f : m_files) {
        for (int hunk = 0; hunk < f.decisionCount(); ++hunk) {
            const bool accepted = f.decisions[size_t(hunk)] == HunkDecision::Accepted;
            everything = everything && accepted && !f.edits[size_t(hunk)];
            nothing = nothing && !accepted;
        }
    }
    if (everything) {
        op.decision = ApprovalDecision::ApproveOnce;
        return op;
    }
    if (nothing) {
        op.decision = ApprovalDecision::Deny;
        if (op.message.isEmpty())
            op.message = QStringLiteral("The person rejected the whole change.");
        return op;
    }
    op.decision = ApprovalDecision::ApproveEdited;
    for (const ReviewFile &f : m_files) {
        protocol::ReviewedFile reviewed;
        reviewed.path = f.diff.oldPath.isEmpty() ? f.diff.newPath : f.diff.oldPath;
        const bool all = std::ranges::all_of(f.decisions, [](HunkDecision d) { return d == HunkDecision::Accepted; })
                         && std::ranges::none_of(f.edits, [](const auto &e) { return e.has_value(); });
        const bool none = std::ranges::none_of(f.decisions, [](HunkDecision d) { return d == HunkDecision::Accepted; });
        if (none) {
            reviewed.accepted = false;
        } else if (!all) {
            std::vector<HunkChoice> choices;
            for (int hunk = 0; hunk < f.decisionCount(); ++hunk)
                choices.push_back({f.decisions[size_t(hunk)] == HunkDecision::Accepted, f.edits[size_t(hunk)]});
            auto content = applyHunks(f.before.value_or(QByteArray()), f.after.value_or(QByteArray()), f.diff, choices);
            if (!content)
                return std::unexpected(content.error());
            reviewed.content = QString::fromUtf8(*content);
        }
        op.reviewedFiles.push_back(std::move(reviewed));
    }
    return op;
}

} // namespace reins::review
