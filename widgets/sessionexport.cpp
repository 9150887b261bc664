#include "sessionexport.h"

#include "provider/providererror.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTextDocument>

namespace reins::widgets {

using Kind = ThreadEntry::Kind;

QString redacted(const QString &text, const QStringList &secrets)
{
    static const QRegularExpression tokens(QStringLiteral(
        R"((sk-[A-Za-z0-9_\-]{16,}|sk-ant-[A-Za-z0-9_\-]{16,}|ghp_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[abpr]-[A-Za-z0-9\-]{10,}|(?<=Bearer )[A-Za-z0-9._\-]{12,}))"));
    QString out = provider::redactSecrets(text, secrets);
    out.replace(tokens, QStringLiteral("[redacted]"));
    return out;
}

namespace {

QString fence(const QString &text)
{
    // A fence longer than any run of backticks inside, so the content cannot end it.
    int longest = 0, run = 0;
    for (QChar c : text) {
        run = c == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return QString(std::max(3, longest + 1), u'`');
}

QString toolLine(const ThreadEntry &e)
{
    QString line = QStringLiteral("**%1**").arg(e.tool);
    const QString command = e.arguments.value(QLatin1String("command")).toString();
    const QString path = e.arguments.value(QLatin1String("path")).toString();
    if (!command.isEmpty())
        line += QStringLiteral(" `%1`").arg(command.section(u'\n', 0, 0));
    else if (!path.isEmpty())
        line += QStringLiteral(" `%1`").arg(path);
    if (e.exitCode)
        line += QStringLiteral(" — exit %1").arg(*e.exitCode);
    if (e.decision)
        line += QStringLiteral(" — %1").arg(protocol::enumName(*e.decision));
    return line;
}

} // namespace

QString exportMarkdown(const ThreadState &state, const QStringList &secrets)
{
    QString md = QStringLiteral("# Reins session %1\n\n").arg(state.sessionId);
    if (!state.workspace.isEmpty())
        md += QStringLiteral("- Workspace: `%1`\n").arg(state.workspace);
    if (!state.model.isEmpty())
        md += QStringLiteral("- Model: %1 · %2\n").arg(state.provider, state.model);
    md += QStringLiteral("- Tokens: %1 in (%2 from the cache), %3 out\n")
              .arg(state.totalUsage.inputTokens)
              .arg(state.totalUsage.cacheHitTokens)
              .arg(state.totalUsage.outputTokens);
    if (state.totalCost > 0)
        md += QStringLiteral("- Cost: %1 %2\n").arg(state.totalCost, 0, 'f', 4).arg(state.currency);
    md += u'\n';
    for (const ThreadEntry &e : state.entries) {
        const QString when = e.timeMs ? QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss")) : QString();
        switch (e.kind) {
        case Kind::User: md += QStringLiteral("## You (%1)\n\n%2\n\n").arg(when, e.text); break;
        case Kind::Assistant:
            md += QStringLiteral("## Agent (%1)\n\n").arg(when);
            if (!e.reasoning.isEmpty())
                md += QStringLiteral("<details><summary>Reasoning</summary>\n\n%1\n\n</details>\n\n").arg(e.reasoning);
            md += e.text + QStringLiteral("\n\n");
            break;
        case Kind::ToolCall: {
            md += QStringLiteral("- %1\n").arg(toolLine(e));
            const QString shown = e.output.isEmpty() ? e.result : e.output;
            if (!shown.isEmpty()) {
                const QString f = fence(shown);
                md += QStringLiteral("\n  %1\n%2\n  %1\n\n").arg(f, shown.left(4000));
            }
            break;
        }
        case Kind::Checkpoint: md += QStringLiteral("- ⟲ checkpoint `%1` — %2\n").arg(e.checkpointId.left(10), e.text); break;
        case Kind::Plan: {
            md += QStringLiteral("\n**Plan**\n\n");
            for (const protocol::PlanItem &item : e.plan)
                md += QStringLiteral("- [%1] %2\n").arg(item.status == protocol::PlanStatus::Done ? u'x' : u' ').arg(item.text);
            md += u'\n';
            break;
        }
        case Kind::Error: md += QStringLiteral("> **Error:** %1\n\n").arg(e.text); break;
        case Kind::Warning: md += QStringLiteral("> Warning: %1\n\n").arg(e.text); break;
        case Kind::Restore: md += QStringLiteral("- ↺ restored `%1`\n").arg(e.checkpointId.left(10)); break;
        case Kind::Commit: md += QStringLiteral("- ✔ committed `%1`\n").arg(e.checkpointId.left(10)); break;
        case Kind::TurnEnd:
            if (!e.text.isEmpty())
                md += QStringLiteral("\n*%1*\n\n").arg(e.text);
            break;
        case Kind::Retry:
        case Kind::Compaction: md += QStringLiteral("- %1\n").arg(e.text); break;
        }
    }
    return redacted(md, secrets);
}

QString exportHtml(const ThreadState &state, const QStringList &secrets)
{
    // The Markdown rendered by Qt's own Markdown reader, HTML from the model shown as text, never run.
    QTextDocument document;
    document.setMarkdown(exportMarkdown(state, secrets),
                         QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
    QString body = document.toHtml();
    const qsizetype start = body.indexOf(QLatin1String("<body"));
    const qsizetype end = body.lastIndexOf(QLatin1String("</body>"));
    if (start >= 0 && end > start)
        body = body.mid(body.indexOf(u'>', start) + 1, end - body.indexOf(u'>', start) - 1);
    return QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                          "<title>Reins session %1</title><style>"
                          "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
                          "pre,code{font-family:ui-monospace,monospace;background:#f4f5f7}pre{padding:.6rem;overflow:auto}"
                          "</style></head><body>\n%2\n</body></html>\n")
        .arg(state.sessionId.toHtmlEscaped(), body);
}

} // namespace reins::widgets
