#include "eventprinter.h"
#include "overloaded.h"

#include "protocol/json.h"

#include <QJsonDocument>

using namespace reins::protocol;

namespace {

QString firstLine(const QString &text, int max = 160)
{
    QString line = text.section(u'\n', 0, 0).trimmed();
    if (line.size() > max)
        line = line.left(max) + QStringLiteral("…");
    return line;
}
} // namespace

void EventPrinter::line(std::FILE *f, const QString &text)
{
    if (!m_atLineStart && f == m_out)
        std::fputc('\n', m_out);
    std::fputs(text.toUtf8().constData(), f);
    std::fputc('\n', f);
    std::fflush(f);
    if (f == m_out)
        m_atLineStart = true;
    m_mode = Mode::None;
}

void EventPrinter::switchTo(Mode mode)
{
    if (m_mode == mode)
        return;
    if (!m_atLineStart)
        std::fputc('\n', m_out);
    m_atLineStart = true;
    if (mode == Mode::Reasoning)
        std::fputs("[thinking] ", m_out);
    m_mode = mode;
}

void EventPrinter::print(const AgentEvent &event)
{
    if (m_json) {
        std::fputs(toJsonLine(event).constData(), m_out);
        std::fflush(m_out);
        return;
    }
    const auto write = [this](Mode mode, const QString &text) {
        switchTo(mode);
        const QByteArray bytes = text.toUtf8();
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
        std::fflush(m_out);
        if (!bytes.isEmpty())
            m_atLineStart = bytes.endsWith('\n');
    };
    std::visit(reins::Overloaded{
                   [&](const SessionStarted &e) {
                       std::fprintf(m_err, "session %s (%s, %s, approval %s)\n", qPrintable(e.sessionId),
                                    qPrintable(e.provider), qPrintable(e.model), qPrintable(enumName(e.approvalMode)));
                   },
                   [&](const AssistantDelta &e) { write(Mode::Text, e.text); },
                   [&](const ReasoningDelta &e) { write(Mode::Reasoning, e.text); },
                   [&](const ToolCallProposed &e) {
                       const QString args = e.rawArguments.isEmpty()
                                                ? QString::fromUtf8(QJsonDocument(e.arguments).toJson(QJsonDocument::Compact))
                                                : e.rawArguments;
                       line(m_out, QStringLiteral("→ %1 %2").arg(e.tool, firstLine(args, 200)));
                   },
                   [&](const ApprovalRequested &e) {
                       line(m_out, QStringLiteral("? %1 needs approval%2").arg(e.tool, e.command.isEmpty() ? QString() : QStringLiteral(": ") + e.command));
                   },
                   [&](const ApprovalResolved &e) {
                       line(m_out, QStringLiteral("%1 %2").arg(e.decision == ApprovalDecision::Deny ? QStringLiteral("✗ denied:") : QStringLiteral("✓ approved:"),
                                                               firstLine(e.message)));
                   },
                   [&](const ToolOutput &e) { write(Mode::Output, e.text); },
                   [&](const ToolFinished &e) {
                       QString status = enumName(e.outcome);
                       if (e.exitCode)
                           status += QStringLiteral(", exit %1").arg(*e.exitCode);
                       line(m_out, QStringLiteral("← %1 (%2 ms): %3").arg(status).arg(e.durationMs).arg(firstLine(e.result)));
                   },
                   [&](const PlanUpdated &e) {
                       QString text = QStringLiteral("Plan:");
                       for (const PlanItem &item : e.items)
                           text += QStringLiteral("\n  [%1] %2")
                                       .arg(item.status == PlanStatus::Done ? u'x' : item.status == PlanStatus::InProgress ? u'>' : u' ')
                                       .arg(item.text);
                       line(m_out, text);
                   },
                   [&](const Retry &e) {
                       std::fprintf(m_err, "retrying in %.1f s (attempt %d of %d): %s\n", double(e.delayMs) / 1000.0,
                                    e.attempt, e.maxAttempts, qPrintable(e.reason));
                   },
                   [&](const Compacted &e) { line(m_out, QStringLiteral("[the conversation was compacted: %1 messages summarised]").arg(e.turnsReplaced)); },
                   [&](const ErrorEvent &e) { std::fprintf(m_err, "error: %s\n", qPrintable(e.message)); },
                   [&](const Warning &e) { std::fprintf(m_err, "warning: %s\n", qPrintable(e.message)); },
                   [&](const TurnCompleted &) {
                       if (!m_atLineStart)
                           std::fputc('\n', m_out);
                       m_atLineStart = true;
                       m_mode = Mode::None;
                       std::fflush(m_out);
                   },
                   [](const auto &) {},
               },
               event.payload);
}
