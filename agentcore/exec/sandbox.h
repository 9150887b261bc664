#pragma once

#include <QString>
#include <QStringList>

namespace reins::exec {

/// How a command is confined: bubblewrap with the whole file system read-only, the workspace writable except
/// its protected paths (.git), a private /tmp, no network unless allowed, its own PID namespace and session, and
/// nothing left running when Reins goes.
struct SandboxSpec
{
    QString workspace;         ///< absolute; writable
    QStringList readOnlyPaths; ///< absolute paths inside the workspace that stay read-only (.git, …)
    bool network = false;
};

/// Whether commands can be sandboxed here, and if not, why.
struct SandboxStatus
{
    bool available = false;
    QString bwrap;   ///< the bubblewrap executable
    QString reason;  ///< when unavailable: what is missing, in plain words

    /// "bubblewrap (no network)", "bubblewrap (network allowed)" or "unavailable: <reason>".
    QString describe(bool network) const;
};

/// Probes once (bwrap present and able to create its namespaces) and remembers the answer.
SandboxStatus sandboxStatus();

/// The bwrap arguments that run `shellArgv` (e.g. /bin/bash -c CMD) in `cwd` under `spec`.
QStringList sandboxArguments(const SandboxSpec &spec, const QString &cwd, const QStringList &shellArgv);

} // namespace reins::exec
