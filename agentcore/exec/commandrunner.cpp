#include "commandrunner.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace reins::exec {

QString CommandOutcome::text() const
{
    QString out = QString::fromUtf8(head);
    if (!tail.isEmpty()) {
        out += QStringLiteral("\n[… %1 bytes of output left out …]\n").arg(totalBytes - head.size() - tail.size());
        out += QString::fromUtf8(tail);
    }
    return out;
}

CommandRunner::CommandRunner(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    m_kill.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_outcome.timedOut = true;
        killGroup(SIGTERM);
        m_kill.start(m_spec.graceMs);
    });
    connect(&m_kill, &QTimer::timeout, this, [this] { killGroup(SIGKILL); });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] { read(QProcess::StandardOutput); });
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] { read(QProcess::StandardError); });
    connect(&m_process, &QProcess::finished, this, &CommandRunner::finish);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_outcome.startError = m_process.errorString();
            finish();
        }
    });
    // Each command leads its own session and process group, so the group can be ended as one; and it dies with us.
    m_process.setChildProcessModifier([] {
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
}

CommandRunner::~CommandRunner()
{
    if (isRunning()) {
        m_process.disconnect(this);
        killGroup(SIGKILL);
        m_process.waitForFinished(1000);
    }
}

QProcessEnvironment CommandRunner::scrubbedEnvironment(const QStringList &allowed)
{
    static const QRegularExpression secret(QStringLiteral("KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL"),
                                           QRegularExpression::CaseInsensitiveOption);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys())
        if (secret.match(name).hasMatch() && !allowed.contains(name))
            env.remove(name);
    return env;
}

void CommandRunner::start(const CommandSpec &spec)
{
    m_spec = spec;
    m_outcome = CommandOutcome();
    m_done = false;
    m_stdoutDecoder.resetState();
    m_stderrDecoder.resetState();
    m_process.setProcessEnvironment(scrubbedEnvironment(spec.allowedSecrets));
    m_process.setWorkingDirectory(spec.workingDirectory);
    m_process.setStandardInputFile(QProcess::nullDevice());
    const QString shell = QFileInfo::exists(QStringLiteral("/bin/bash")) ? QStringLiteral("/bin/bash") : QStringLiteral("/bin/sh");
    m_started = QDateTime::currentMSecsSinceEpoch();
    m_process.start(shell, {QStringLiteral("-c"), spec.command});
    m_pid = m_process.processId();
    if (spec.timeoutMs > 0)
        m_timeout.start(spec.timeoutMs);
}

void CommandRunner::cancel()
{
    if (!isRunning())
        return;
    m_outcome.cancelled = true;
    killGroup(SIGTERM);
    m_kill.start(m_spec.graceMs);
}

void CommandRunner::killGroup(int signal)
{
    if (m_pid > 0)
        ::kill(-pid_t(m_pid), signal);
}

void CommandRunner::read(QProcess::ProcessChannel channel)
{
    m_process.setReadChannel(channel);
    const QByteArray bytes = m_process.readAll();
    if (bytes.isEmpty())
        return;
    capture(bytes);
    const bool err = channel == QProcess::StandardError;
    const QString text = (err ? m_stderrDecoder : m_stdoutDecoder).decode(bytes);
    if (!text.isEmpty())
        Q_EMIT output(err ? protocol::OutputStream::Stderr : protocol::OutputStream::Stdout, text);
}

void CommandRunner::capture(const QByteArray &bytes)
{
    m_outcome.totalBytes += bytes.size();
    const qsizetype room = m_spec.keepBytes - m_outcome.head.size();
    if (room > 0) {
        m_outcome.head += bytes.left(room);
        if (bytes.size() <= room)
            return;
    }
    // The tail keeps the last keepBytes: append, then drop from the front.
    m_outcome.tail += room > 0 ? bytes.mid(room) : bytes;
    if (m_outcome.tail.size() > 2 * m_spec.keepBytes)
        m_outcome.tail.remove(0, m_outcome.tail.size() - m_spec.keepBytes);
}

void CommandRunner::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_kill.stop();
    if (m_outcome.startError.isEmpty()) {
        read(QProcess::StandardOutput);
        read(QProcess::StandardError);
        if (m_process.exitStatus() == QProcess::NormalExit)
            m_outcome.exitCode = m_process.exitCode();
        else
            m_outcome.signal = m_outcome.timedOut || m_outcome.cancelled ? SIGTERM : SIGKILL;
    }
    // Whatever the command left running in its group (a backgrounded job) ends with it.
    killGroup(SIGKILL);
    if (m_outcome.tail.size() > m_spec.keepBytes)
        m_outcome.tail.remove(0, m_outcome.tail.size() - m_spec.keepBytes);
    m_outcome.durationMs = QDateTime::currentMSecsSinceEpoch() - m_started;
    Q_EMIT finished(m_outcome);
}

} // namespace reins::exec
