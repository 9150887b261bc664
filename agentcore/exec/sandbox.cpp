#include "sandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace reins::exec {

QString SandboxStatus::describe(bool network) const
{
    if (!available)
        return QStringLiteral("unavailable: ") + reason;
    return network ? QStringLiteral("bubblewrap (network allowed)") : QStringLiteral("bubblewrap (no network)");
}

SandboxStatus sandboxStatus()
{
    static const SandboxStatus status = [] {
        SandboxStatus s;
        s.bwrap = QStandardPaths::findExecutable(QStringLiteral("bwrap"));
        if (s.bwrap.isEmpty()) {
            s.reason = QStringLiteral("bubblewrap (bwrap) is not installed");
            return s;
        }
        QProcess probe;
        probe.setStandardInputFile(QProcess::nullDevice());
        probe.start(s.bwrap, {QStringLiteral("--ro-bind"), QStringLiteral("/"), QStringLiteral("/"),
                              QStringLiteral("--unshare-net"), QStringLiteral("--unshare-pid"),
                              QStringLiteral("--die-with-parent"), QStringLiteral("--"), QStringLiteral("/bin/true")});
        if (!probe.waitForFinished(10'000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0) {
            probe.kill();
            const QString said = QString::fromLocal8Bit(probe.readAllStandardError()).trimmed();
            s.reason = QStringLiteral("bubblewrap cannot create its namespaces here (%1); user namespaces may be "
                                      "disabled")
                           .arg(said.isEmpty() ? QStringLiteral("no message") : said);
            return s;
        }
        s.available = true;
        return s;
    }();
    return status;
}

QStringList sandboxArguments(const SandboxSpec &spec, const QString &cwd, const QStringList &shellArgv)
{
    QStringList args{QStringLiteral("--ro-bind"), QStringLiteral("/"), QStringLiteral("/"),
                     QStringLiteral("--dev"), QStringLiteral("/dev"),
                     QStringLiteral("--proc"), QStringLiteral("/proc"),
                     QStringLiteral("--tmpfs"), QStringLiteral("/tmp"),
                     QStringLiteral("--bind"), spec.workspace, spec.workspace};
    for (const QString &path : spec.readOnlyPaths)
        if (QFileInfo::exists(path))
            args << QStringLiteral("--ro-bind") << path << path;
    if (!spec.network)
        args << QStringLiteral("--unshare-net");
    args << QStringLiteral("--unshare-pid") << QStringLiteral("--die-with-parent") << QStringLiteral("--new-session")
         << QStringLiteral("--chdir") << cwd << QStringLiteral("--");
    return args + shellArgv;
}

} // namespace reins::exec
