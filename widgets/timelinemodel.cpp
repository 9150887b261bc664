#include "timelinemodel.h"
#include "timelinefilter.h"

#include <QColor>
#include <QDateTime>
#include <QPainter>
#include <QPixmap>
#include <QVarLengthArray>

#include <algorithm>
#include <type_traits>
#include <variant>

namespace reins::widgets {

using Kind = ThreadEntry::Kind;

namespace {

const QString kEditFile = QStringLiteral("edit_file");
const QString kWriteFile = QStringLiteral("write_file");
const QString kApplyPatch = QStringLiteral("apply_patch");
const QString kRunCommand = QStringLiteral("run_command");

bool isEdit(const ThreadEntry &e)
{
    return e.kind == Kind::ToolCall && (e.tool == kEditFile || e.tool == kWriteFile || e.tool == kApplyPatch);
}

bool isCommand(const ThreadEntry &e)
{
    return e.kind == Kind::ToolCall && e.tool == kRunCommand;
}

bool unfinished(ToolStatus status)
{
    return status == ToolStatus::Proposed || status == ToolStatus::AwaitingApproval || status == ToolStatus::Approved
        || status == ToolStatus::Running;
}

bool refused(const ThreadEntry &e)
{
    return e.decision == protocol::ApprovalDecision::Deny || e.decision == protocol::ApprovalDecision::Abort;
}

QString tr(const char *text)
{
    return TimelineModel::tr(text);
}

// The first line of `text`, with "…" where anything was left out.
QString firstLine(const QString &text, qsizetype max = 72)
{
    const QString trimmed = text.trimmed();
    const qsizetype newline = trimmed.indexOf(u'\n');
    const QString line = (newline < 0 ? trimmed : trimmed.left(newline)).trimmed();
    if (line.size() > max)
        return line.left(max - 1).trimmed() + u'…';
    return newline < 0 ? line : QString(line + u'…');
}

QString elided(const QString &text, qsizetype max = 2000)
{
    const QString trimmed = text.trimmed();
    return trimmed.size() > max ? QString(trimmed.left(max) + u'…') : trimmed;
}

// "1 file", "3 files": tr()'s %n needs a translation to pick the form; the source language is English.
QString files(int count)
{
    return count == 1 ? tr("1 file") : tr("%1 files").arg(count);
}

QString duration(qint64 ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%1 s").arg(double(ms) / 1000, 0, 'f', 1);
    return tr("%1 min %2 s").arg(ms / 60'000).arg(ms % 60'000 / 1000);
}

QString statusText(ToolStatus status)
{
    switch (status) {
    case ToolStatus::Proposed: return tr("proposed");
    case ToolStatus::AwaitingApproval: return tr("waiting for approval");
    case ToolStatus::Approved: return tr("approved");
    case ToolStatus::Running: return tr("running");
    case ToolStatus::Succeeded: return tr("done");
    case ToolStatus::Failed: return tr("failed");
    case ToolStatus::Denied: return tr("denied");
    case ToolStatus::Interrupted: return tr("interrupted");
    }
    return {};
}

// The paths an apply_patch call touches, from its file markers.
QStringList patchPaths(const QString &patch)
{
    static const QLatin1String markers[] = {QLatin1String("*** Add File:"), QLatin1String("*** Delete File:"),
                                            QLatin1String("*** Update File:")};
    QStringList paths;
    for (QStringView line : QStringView(patch).split(u'\n')) {
        line = line.trimmed();
        for (QLatin1String marker : markers)
            if (line.startsWith(marker, Qt::CaseInsensitive))
                paths.append(line.mid(marker.size()).trimmed().toString());
    }
    return paths;
}

// What a call works on: a path, a command in backticks, a pattern.
QString callSubject(const ThreadEntry &e, qsizetype max = 60)
{
    if (e.tool == kRunCommand) {
        QString command = e.arguments.value(QLatin1String("command")).toString();
        if (command.isEmpty() && e.approval)
            command = e.approval->command;
        return u'`' + firstLine(command, max) + u'`';
    }
    if (e.tool == kApplyPatch) {
        const QStringList paths = patchPaths(e.arguments.value(QLatin1String("patch")).toString());
        return paths.size() <= 2 ? paths.join(QLatin1String(", ")) : files(int(paths.size()));
    }
    for (const char *key : {"path", "pattern", "query", "url"}) {
        const QString value = e.arguments.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            return firstLine(value, max);
    }
    return {};
}

// A call known only from a later event (a journal cut short at the front) may have no tool name.
QString toolName(const ThreadEntry &e)
{
    return e.tool.isEmpty() ? tr("call %1").arg(e.callId) : e.tool;
}

QString callSummary(const ThreadEntry &e)
{
    const QString subject = callSubject(e);
    const QString tool = toolName(e);
    const QString call = subject.isEmpty() ? tool : QString(tool + u' ' + subject);
    if (e.approval && (e.status == ToolStatus::AwaitingApproval || (e.status == ToolStatus::Denied && refused(e)))) {
        const QString state = e.status == ToolStatus::AwaitingApproval          ? tr("waiting")
                              : e.decision == protocol::ApprovalDecision::Abort ? tr("aborted")
                                                                                : tr("denied");
        return tr("Approval: %1 — %2").arg(call, state);
    }
    const QString exit = e.exitCode ? tr(" — exit %1").arg(*e.exitCode) : QString();
    if (isEdit(e)) {
        switch (e.status) {
        case ToolStatus::Succeeded: return tr("Edited %1").arg(subject);
        case ToolStatus::Running: return tr("Editing %1…").arg(subject);
        case ToolStatus::Proposed:
        case ToolStatus::AwaitingApproval:
        case ToolStatus::Approved: return tr("Edit %1").arg(subject);
        default: return tr("Edit %1 — %2").arg(subject, statusText(e.status));
        }
    }
    if (isCommand(e)) {
        switch (e.status) {
        case ToolStatus::Succeeded: return tr("Ran %1").arg(subject) + exit;
        case ToolStatus::Failed:
            return e.exitCode ? QString(tr("Ran %1").arg(subject) + exit) : tr("%1 — failed").arg(subject);
        case ToolStatus::Running: return tr("Running %1…").arg(subject);
        case ToolStatus::Proposed:
        case ToolStatus::AwaitingApproval:
        case ToolStatus::Approved: return tr("Run %1").arg(subject);
        default: return tr("%1 — %2").arg(subject, statusText(e.status));
        }
    }
    switch (e.status) {
    case ToolStatus::Succeeded: return call;
    case ToolStatus::Running: return call + u'…';
    default: return tr("%1 — %2").arg(call, statusText(e.status));
    }
}

QString usageText(const ThreadEntry &e)
{
    const protocol::TokenUsage &u = e.usage;
    if (u == protocol::TokenUsage{} && !e.cost)
        return {};
    QString text = tr("Tokens: %1 in (%2 cached), %3 out").arg(u.inputTokens).arg(u.cacheHitTokens).arg(u.outputTokens);
    if (e.cost)
        text += tr(" · cost %1").arg(*e.cost, 0, 'f', 4);
    return text;
}

QString callToolTip(const ThreadEntry &e)
{
    QStringList lines{QString(toolName(e) + u' ' + callSubject(e, 2000)).trimmed(),
                      tr("Status: %1").arg(statusText(e.status))};
    if (e.exitCode)
        lines << tr("Exit code: %1").arg(*e.exitCode);
    if (e.durationMs > 0)
        lines << tr("Took %1").arg(duration(e.durationMs));
    if (e.approval) {
        if (!e.approval->rule.isEmpty())
            lines << tr("Approval rule: %1").arg(e.approval->rule);
        for (const QString &risk : e.approval->risks)
            lines << tr("Risk: %1").arg(risk);
    }
    if (e.decision)
        lines << tr("Decision: %1").arg(protocol::enumName(*e.decision))
                     + (e.decisionMessage.isEmpty() ? QString() : QString(QStringLiteral(" — ") + e.decisionMessage));
    // What the model was told; until then, the end of the output as it streams.
    if (!e.result.trimmed().isEmpty())
        lines << QString() << elided(e.result, 1500);
    else if (!e.output.trimmed().isEmpty())
        lines << QString() << elided(e.output.trimmed().right(1500), 1500);
    return lines.join(u'\n');
}

QColor color(const QString &category)
{
    static const QHash<QString, QColor> colors{
        {QStringLiteral("edit"), QColor(0x3b82f6)},   {QStringLiteral("command"), QColor(0x8b5cf6)},
        {QStringLiteral("approval"), QColor(0xf59e0b)}, {QStringLiteral("error"), QColor(0xef4444)},
        {QStringLiteral("checkpoint"), QColor(0x10b981)}, {QStringLiteral("message"), QColor(0x9ca3af)},
    };
    return colors.value(category, QColor(0xd1d5db));
}

} // namespace

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void TimelineModel::apply(const protocol::AgentEvent &event)
{
    // The rows the event may change, found before the reducer runs: the open assistant message (a delta grows it,
    // most other events close it), the call it names, the message Usage lands on, the calls a turn's end interrupts.
    QVarLengthArray<int, 8> changed;
    const auto mayChange = [&](int row) {
        if (row >= 0 && !changed.contains(row))
            changed.append(row);
    };
    mayChange(openAssistantRow());
    int callRow = -1;
    std::visit(
        [&]<typename E>(const E &e) {
            if constexpr (std::is_same_v<E, protocol::Usage>) {
                mayChange(m_lastAssistantRow);
            } else if constexpr (std::is_same_v<E, protocol::TurnCompleted>) {
                for (int row : std::as_const(m_unfinishedCalls))
                    mayChange(row);
            } else if constexpr (requires { e.callId; } && !std::is_same_v<E, protocol::CheckpointCreated>) {
                callRow = m_rowByCallId.value(e.callId, -1);
                mayChange(callRow);
            }
        },
        event.payload);

    m_state.apply(event);

    if (callRow >= 0)
        trackCall(callRow);
    if (std::holds_alternative<protocol::TurnCompleted>(event.payload))
        m_unfinishedCalls.removeIf([this](int row) { return !unfinished(m_state.entries[row].status); });
    for (int row : changed) {
        const QModelIndex changedIndex = index(row);
        Q_EMIT dataChanged(changedIndex, changedIndex);
    }

    const int count = int(m_state.entries.size());
    if (count > m_rowCount) {
        for (int row = m_rowCount; row < count; ++row)
            track(row);
        // Views ask rowCount() while told about the insertion: it must still give the old count then.
        beginInsertRows({}, m_rowCount, count - 1);
        m_rowCount = count;
        endInsertRows();
    }
}

void TimelineModel::reset(const ThreadState &state)
{
    reset(ThreadState(state));
}

void TimelineModel::reset(ThreadState &&state)
{
    beginResetModel();
    m_state = std::move(state);
    rebuildIndex();
    endResetModel();
}

const ThreadState &TimelineModel::state() const
{
    return m_state;
}

int TimelineModel::rowForSeq(qint64 seq) const
{
    return m_rowBySeq.value(seq, -1);
}

void TimelineModel::rebuildIndex()
{
    m_rowByCallId.clear();
    m_rowBySeq.clear();
    m_lastAssistantRow = -1;
    m_unfinishedCalls.clear();
    m_rowCount = int(m_state.entries.size());
    for (int row = 0; row < m_rowCount; ++row)
        track(row);
}

void TimelineModel::track(int row)
{
    const ThreadEntry &entry = m_state.entries[row];
    if (!m_rowBySeq.contains(entry.seq))
        m_rowBySeq.insert(entry.seq, row);
    switch (entry.kind) {
    case Kind::User: m_lastAssistantRow = -1; break;
    case Kind::Assistant: m_lastAssistantRow = row; break;
    case Kind::ToolCall:
        m_rowByCallId.insert(entry.callId, row); // the latest call with an id wins, as in the reducer
        trackCall(row);
        break;
    default: break;
    }
}

void TimelineModel::trackCall(int row)
{
    const bool open = unfinished(m_state.entries[row].status);
    if (open && !m_unfinishedCalls.contains(row))
        m_unfinishedCalls.append(row);
    else if (!open)
        m_unfinishedCalls.removeOne(row);
}

int TimelineModel::openAssistantRow() const
{
    // As ThreadState: only the last entry can be the message still streaming.
    const auto &entries = m_state.entries;
    return !entries.empty() && entries.back().kind == Kind::Assistant && entries.back().open ? int(entries.size()) - 1
                                                                                             : -1;
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rowCount || index.column() != 0)
        return {};
    const ThreadEntry &e = m_state.entries[index.row()];
    const bool call = e.kind == Kind::ToolCall;
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole: return summary(e);
    case Qt::ToolTipRole: return toolTip(e);
    case Qt::DecorationRole: return icon(category(e));
    case KindRole: return int(e.kind);
    case CategoryRole: return category(e);
    case CategoriesRole: return categories(e);
    case SeqRole: return e.seq;
    case CallIdRole: return call || e.kind == Kind::Checkpoint ? QVariant(e.callId) : QVariant();
    case CheckpointIdRole:
        return e.kind == Kind::Checkpoint || e.kind == Kind::Restore ? QVariant(e.checkpointId) : QVariant();
    case TimeRole: return QDateTime::fromMSecsSinceEpoch(e.timeMs);
    case DurationRole: return call ? QVariant(e.durationMs) : QVariant();
    case TokensRole:
        return e.kind == Kind::Assistant ? QVariant(e.usage.inputTokens + e.usage.outputTokens) : QVariant();
    case CostRole: return e.cost ? QVariant(*e.cost) : QVariant();
    case StatusRole: return call ? QVariant(int(e.status)) : QVariant();
    default: return {};
    }
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{KindRole, "kind"},
                  {CategoryRole, "category"},
                  {SeqRole, "seq"},
                  {CallIdRole, "callId"},
                  {CheckpointIdRole, "checkpointId"},
                  {TimeRole, "time"},
                  {DurationRole, "duration"},
                  {TokensRole, "tokens"},
                  {CostRole, "cost"},
                  {StatusRole, "status"},
                  {SummaryRole, "summary"},
                  {CategoriesRole, "categories"}});
    return names;
}

QString TimelineModel::category(const ThreadEntry &e)
{
    switch (e.kind) {
    case Kind::Error: return QStringLiteral("error");
    case Kind::Checkpoint:
    case Kind::Restore: return QStringLiteral("checkpoint");
    case Kind::User:
    case Kind::Assistant: return QStringLiteral("message");
    case Kind::ToolCall:
        if (e.status == ToolStatus::Failed)
            return QStringLiteral("error");
        if (e.approval && (e.status == ToolStatus::AwaitingApproval || refused(e)))
            return QStringLiteral("approval");
        if (isEdit(e))
            return QStringLiteral("edit");
        if (isCommand(e))
            return QStringLiteral("command");
        return e.approval ? QStringLiteral("approval") : QStringLiteral("other");
    default: return QStringLiteral("other");
    }
}

int TimelineModel::categories(const ThreadEntry &e)
{
    int result = 0;
    if (isEdit(e))
        result |= TimelineFilter::Edits;
    if (isCommand(e))
        result |= TimelineFilter::Commands;
    if (e.kind == Kind::ToolCall && e.approval)
        result |= TimelineFilter::Approvals;
    if (e.kind == Kind::Error || (e.kind == Kind::ToolCall && e.status == ToolStatus::Failed))
        result |= TimelineFilter::Errors;
    return result;
}

QString TimelineModel::summary(const ThreadEntry &e)
{
    switch (e.kind) {
    case Kind::User: return tr("You: %1").arg(firstLine(e.text));
    case Kind::Assistant: {
        QString text = e.text.trimmed().isEmpty()
                           ? (e.reasoning.trimmed().isEmpty() ? tr("Assistant") : tr("Assistant: thinking…"))
                           : tr("Assistant: %1").arg(firstLine(e.text));
        return e.incomplete ? text + tr(" — broke off") : text;
    }
    case Kind::ToolCall: return callSummary(e);
    case Kind::Checkpoint: {
        const QString text = e.text.isEmpty()
                                 ? tr("Checkpoint (%1)").arg(files(e.filesChanged))
                                 : tr("Checkpoint: %1 (%2)").arg(firstLine(e.text), files(e.filesChanged));
        return e.incomplete ? text + tr(" — partial") : text;
    }
    case Kind::Restore:
        return tr("Restored checkpoint %1 (%2, %3 written)").arg(e.checkpointId.left(8), e.text, files(e.filesChanged));
    case Kind::Commit: return tr("Committed %1: %2").arg(e.checkpointId.left(8), firstLine(e.text));
    case Kind::Plan: {
        const auto done = std::ranges::count(e.plan, protocol::PlanStatus::Done, &protocol::PlanItem::status);
        return tr("Plan: %1 of %2 done").arg(qsizetype(done)).arg(qsizetype(e.plan.size()));
    }
    case Kind::Retry: return tr("Retrying: %1").arg(firstLine(e.text));
    case Kind::Compaction: return tr("Compacted: %1").arg(firstLine(e.text));
    case Kind::TurnEnd:
        if (e.endReason == protocol::TurnEndReason::Done)
            return tr("Turn done");
        return e.text.isEmpty() ? tr("Turn ended — %1").arg(protocol::enumName(e.endReason))
                                : tr("Turn ended — %1").arg(firstLine(e.text));
    case Kind::Error: return tr("Error: %1").arg(firstLine(e.text));
    case Kind::Warning: return tr("Warning: %1").arg(firstLine(e.text));
    }
    return {};
}

QString TimelineModel::toolTip(const ThreadEntry &e)
{
    switch (e.kind) {
    case Kind::Assistant: {
        const QString usage = usageText(e);
        return usage.isEmpty() ? elided(e.text) : QString(elided(e.text) + QStringLiteral("\n\n") + usage);
    }
    case Kind::ToolCall: return callToolTip(e);
    case Kind::Checkpoint: {
        QStringList lines{e.text, tr("%1 changed").arg(files(e.filesChanged)), tr("Checkpoint %1").arg(e.checkpointId)};
        if (e.incomplete)
            lines << tr("Partial: not every file was saved.");
        return lines.join(u'\n');
    }
    case Kind::Restore:
        return tr("Restored checkpoint %1 (%2): %3 written. Checkpoint %4 undoes it.")
            .arg(e.checkpointId, e.text, files(e.filesChanged), e.undoCheckpointId);
    case Kind::Commit: return elided(e.text) + QStringLiteral("\n\n") + e.checkpointId;
    case Kind::Plan: {
        QStringList lines;
        for (const protocol::PlanItem &item : e.plan)
            lines << (item.status == protocol::PlanStatus::Done         ? QStringLiteral("✓ ")
                      : item.status == protocol::PlanStatus::InProgress ? QStringLiteral("→ ")
                                                                        : QStringLiteral("· "))
                         + item.text;
        return lines.join(u'\n');
    }
    default: return elided(e.text);
    }
}

QIcon TimelineModel::icon(const QString &category) const
{
    if (const auto it = m_icons.constFind(category); it != m_icons.cend())
        return *it;
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color(category));
    painter.drawEllipse(QRectF(3, 3, 10, 10));
    painter.end();
    return *m_icons.insert(category, QIcon(pixmap));
}

} // namespace reins::widgets
