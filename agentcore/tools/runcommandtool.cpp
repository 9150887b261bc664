#include "runcommandtool.h"

#include "../workspace/workspace.h"

#include <QFile>

namespace reins::tools {

QString RunCommandTool::name() const
{
    return QStringLiteral("run_command");
}

provider::ToolSchema RunCommandTool::schema() const
{
    return {name(),
            QStringLiteral("Run a shell command (bash -c) in the workspace. stdin is empty; the output is returned, "
                           "cut in the middle when long. Default timeout 120000 ms."),
            jsonObject(R"json({"type":"object","properties":{
                "command":{"type":"string","description":"The command line"},
                "cwd":{"type":"string","description":"Working folder, relative to the workspace root (default: the root)"},
                "timeout_ms":{"type":"integer","description":"Time limit in milliseconds (default 120000)"}},
                "required":["command"],"additionalProperties":false})json")};
}

void RunCommandTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto command = stringArgument(arguments, "command");
    if (!command)
        return done(ToolResult::failure(command.error().message));
    const QString cwd = arguments.value(QLatin1String("cwd")).toString();
    auto relative = context.workspace->resolve(cwd.isEmpty() ? QStringLiteral(".") : cwd);
    if (!relative)
        return done(ToolResult::failure(relative.error().message));
    auto info = context.workspace->stat(*relative);
    if (!info || !info->exists || !info->isDir)
        return done(ToolResult::failure(QStringLiteral("%1 is not a folder of the workspace").arg(*relative)));

    exec::CommandSpec spec;
    spec.command = *command;
    spec.workingDirectory = context.workspace->absolute(*relative);
    spec.timeoutMs = std::clamp(arguments.value(QLatin1String("timeout_ms")).toInt(kDefaultTimeoutMs), 1000, kMaxTimeoutMs);
    spec.sandbox = context.sandbox;
    spec.spoolPath = context.outputPath;
    m_runner = std::make_unique<exec::CommandRunner>();
    auto output = context.output;
    QObject::connect(m_runner.get(), &exec::CommandRunner::output, m_runner.get(),
                     [output](protocol::OutputStream stream, const QString &text) {
                         if (output)
                             output(stream, text);
                     });
    QObject::connect(m_runner.get(), &exec::CommandRunner::finished, m_runner.get(),
                     [this, done, timeout = spec.timeoutMs, spool = spec.spoolPath](const exec::CommandOutcome &o) {
                         ToolResult result;
                         result.exitCode = o.exitCode;
                         QString status;
                         if (!o.startError.isEmpty())
                             status = QStringLiteral("The command could not start: %1").arg(o.startError);
                         else if (o.timedOut)
                             status = QStringLiteral("Timed out after %1 ms; the command and its children were ended.").arg(timeout);
                         else if (o.cancelled)
                             status = QStringLiteral("Interrupted by the user.");
                         else if (o.exitCode)
                             status = QStringLiteral("Exit code %1.").arg(*o.exitCode);
                         else
                             status = QStringLiteral("Ended by signal %1.").arg(o.signal);
                         if (o.drainCut)
                             status += QStringLiteral(" Background processes kept the output open and were ended.");
                         result.ok = o.exitCode == 0;
                         result.text = status + u'\n' + o.text();
                         // The spool matters only when the output was cut; otherwise it holds nothing more.
                         if (!spool.isEmpty() && o.tail.isEmpty())
                             QFile::remove(spool);
                         else if (!spool.isEmpty())
                             result.text += QStringLiteral("\n[the whole output (%1 bytes) is kept for the user in %2]")
                                                .arg(o.totalBytes)
                                                .arg(spool);
                         m_runner.release()->deleteLater(); // we are inside its signal
                         done(result);
                     });
    m_runner->start(spec);
}

void RunCommandTool::cancel()
{
    if (m_runner)
        m_runner->cancel();
}

} // namespace reins::tools
