#include "reviewfiletext.h"

#include <QObject>

#include <algorithm>

namespace reins::widgets {

using checkpoint::FileDiff;
using review::HunkDecision;
using review::ReviewFile;

QString counted(int n, const char *one, const char *many)
{
    return QString::number(n) + u' ' + QLatin1StringView(n == 1 ? one : many);
}

QString gapLabel(int lines, bool canUnfold)
{
    return QStringLiteral("⋯ ") + counted(lines, "unchanged line", "unchanged lines")
           + (canUnfold ? QStringLiteral(" (click to show)") : QString());
}

QString statusLetter(const ReviewFile &file)
{
    if (file.diff.binary)
        return QStringLiteral("B");
    switch (file.diff.status) {
    case FileDiff::Status::Added: return QStringLiteral("A");
    case FileDiff::Status::Deleted: return QStringLiteral("D");
    case FileDiff::Status::Renamed: return QStringLiteral("R");
    case FileDiff::Status::Copied: return QStringLiteral("C");
    case FileDiff::Status::TypeChange: return QStringLiteral("T");
    case FileDiff::Status::Modified: break;
    }
    return QStringLiteral("M");
}

QString statusWord(const ReviewFile &file)
{
    QStringList words;
    if (file.diff.binary)
        words << QStringLiteral("binary");
    switch (file.diff.status) {
    case FileDiff::Status::Added: words << QStringLiteral("added"); break;
    case FileDiff::Status::Deleted: words << QStringLiteral("deleted"); break;
    case FileDiff::Status::Renamed:
        words << QStringLiteral("renamed (%1% similar)").arg(file.diff.similarity);
        break;
    case FileDiff::Status::Copied: words << QStringLiteral("copied"); break;
    case FileDiff::Status::TypeChange: words << QStringLiteral("type changed"); break;
    case FileDiff::Status::Modified: words << QStringLiteral("modified"); break;
    }
    if (file.diff.modeChanged())
        words << QStringLiteral("mode %1 → %2").arg(file.diff.oldMode, 0, 8).arg(file.diff.newMode, 0, 8);
    if (!file.contentAvailable && !file.diff.binary)
        words << QStringLiteral("too large to show");
    if (file.author == review::Author::Agent)
        words << QStringLiteral("by the agent");
    else if (file.author == review::Author::Person)
        words << QStringLiteral("by you");
    return words.join(QStringLiteral(", "));
}

QString decisionText(const ReviewFile &file)
{
    const int total = file.decisionCount();
    const auto count = [&](HunkDecision d) { return int(std::ranges::count(file.decisions, d)); };
    const int accepted = count(HunkDecision::Accepted), rejected = count(HunkDecision::Rejected);
    if (accepted == total)
        return QStringLiteral("✓ accepted");
    if (rejected == total)
        return QStringLiteral("✗ rejected");
    if (accepted + rejected == 0)
        return total == 1 ? QStringLiteral("to review") : QStringLiteral("%1 to review").arg(total);
    return QStringLiteral("%1✓ %2✗ of %3").arg(accepted).arg(rejected).arg(total);
}

// The one sentence a file without reviewable lines gets in place of its content.
QString wholeFileNote(const ReviewFile &file)
{
    if (file.diff.binary)
        return QStringLiteral("Binary file (%1): not shown. Accept or reject it whole.").arg(statusWord(file));
    if (!file.contentAvailable)
        return QStringLiteral("This file is too large to show here. Accept or reject it whole.");
    if (file.diff.status == FileDiff::Status::Renamed)
        return QStringLiteral("Renamed from %1 to %2; the content is unchanged.").arg(file.diff.oldPath, file.diff.newPath);
    if (file.diff.modeChanged())
        return QStringLiteral("Only the mode changed: %1 → %2.").arg(file.diff.oldMode, 0, 8).arg(file.diff.newMode, 0, 8);
    return QStringLiteral("No changed lines.");
}

} // namespace reins::widgets
