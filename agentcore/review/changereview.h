#pragma once

// The person's review of a change, file by file and hunk by hunk: decisions, edits and comments, and what they
// become — a ResolveApproval for a proposal not yet written, or one message to the agent for a change already made.
// Pure state: the diff view drives it, tests drive it without a window.

#include "../checkpoint/checkpointtypes.h"
#include "../error.h"
#include "../protocol/agentevent.h"
#include "../protocol/agentop.h"
#include "../protocol/types.h"

#include <QString>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace reins::review {

enum class HunkDecision { Pending, Accepted, Rejected };

/// Who made a change, where the timeline knows.
enum class Author { Unknown, Agent, Person };

/// One file under review. A file without hunks (binary, too large, a mode or rename only) has one decision that
/// stands for the whole file.
struct ReviewFile
{
    checkpoint::FileDiff diff;
    std::optional<QByteArray> before; ///< the whole old version, when known (lets the view unfold unchanged lines)
    std::optional<QByteArray> after;  ///< the whole new version, when known
    bool contentAvailable = true;     ///< false: binary or too large, taken or left whole
    bool loaded = true;               ///< false until ChangeReview::ensureContent read before and after
    Author author = Author::Unknown;
    std::vector<HunkDecision> decisions;
    std::vector<QString> reasons;                  ///< per hunk: why it was rejected
    std::vector<std::optional<QString>> edits;     ///< per hunk: the person's text for its new side

    /// Decisions are kept per hunk, or one for the whole file.
    int decisionCount() const { return int(decisions.size()); }
    QString displayPath() const;
};

struct LineComment
{
    int file = 0;
    bool newSide = true; ///< the line number counts in the new version (else the old one)
    int line = 0;        ///< 1-based
    QString lineText;
    QString text;
    bool operator==(const LineComment &) const = default;
};

class ChangeReview
{
public:
    ChangeReview() = default;
    /// A proposal waiting at the approval gate: its files' diffs, every hunk pending.
    static Result<ChangeReview> fromProposal(const protocol::ApprovalRequested &request);
    /// Reads a file's two versions when it is first shown: a review of 200 files reads only what the person opens.
    using ContentLoader = std::function<std::pair<std::optional<QByteArray>, std::optional<QByteArray>>(
        const checkpoint::FileDiff &diff)>;
    /// Changes already made (between checkpoints, against HEAD): reviewable and commentable, nothing to resolve.
    /// With a loader, files come without content and get it from ensureContent().
    static ChangeReview fromDiffs(std::vector<ReviewFile> files, ContentLoader loader = {});
    void ensureContent(int file);

    bool isProposal() const { return !m_callId.isEmpty(); }
    const QString &callId() const { return m_callId; }
    const std::vector<ReviewFile> &files() const { return m_files; }
    const std::vector<LineComment> &comments() const { return m_comments; }

    void decide(int file, int hunk, HunkDecision decision, const QString &reason = QString());
    /// Accepts the hunk with the person's text for its new side (context lines included).
    void edit(int file, int hunk, const QString &replacement);
    void decideFile(int file, HunkDecision decision, const QString &reason = QString());
    void decideAll(HunkDecision decision, const QString &reason = QString());
    void comment(const LineComment &comment);

    int hunkCount() const;
    int pendingCount() const;
    /// The text of a hunk's new side, as the edit starts from: lines newStart … newStart+newLines-1, '\n'-joined.
    QString newSideText(int file, int hunk) const;

    /// For a proposal: the decision that goes through the seam. Every hunk accepted, none edited → ApproveOnce;
    /// none accepted → Deny; otherwise ApproveEdited with each file's resulting content. Pending hunks are not
    /// written: nothing reaches the disk without a yes. Comments and reasons travel in the message.
    Result<protocol::ResolveApproval> resolution() const;
    /// Rejections with their reasons and the comments, as one message for the agent ("" when there is nothing).
    QString feedback() const;

private:
    QString hunkLabel(int file, int hunk) const;

    QString m_callId;
    ContentLoader m_loader;
    std::vector<ReviewFile> m_files;
    std::vector<LineComment> m_comments;
};

} // namespace reins::review
