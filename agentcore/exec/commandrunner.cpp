#include "commandrunner.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace reins::exec {

namespace {

constexpr int kReadChunk = 64 * 1024;

// Runs in the supervisor (a fork of a multi-threaded process): async-signal-safe calls only from here on.
volatile sig_atomic_t g_group = 0;

void supervisorDeathHandler(int)
{
    ::kill(-pid_t(g_group), SIGKILL);
    _exit(137);
}

[[noreturn]] void superviseChild(int parentPid, int outFd, int errFd, int statusFd, int controlFd, const char *cwd,
                                 char *const *argv, char *const *envp)
{
    ::setsid();
    g_group = ::getpid();
    // If we die with the parent's death, so does the group; a parent already gone means: do nothing.
    struct sigaction action{};
    action.sa_handler = supervisorDeathHandler;
    ::sigaction(SIGUSR2, &action, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGUSR2);
    if (::getppid() != parentPid)
        _exit(137);
    const int devnull = ::open("/dev/null", O_RDONLY);
    const pid_t shell = ::fork();
    if (shell == 0) {
        ::dup2(devnull, 0);
        ::dup2(outFd, 1);
        ::dup2(errFd, 2);
        if (::chdir(cwd) != 0)
            _exit(126);
        ::execve(argv[0], argv, envp);
        _exit(127);
    }
    // Only the shell holds the output pipes now; our copies would keep them open forever.
    ::close(outFd);
    ::close(errFd);
    // A SIGTERM for the group (timeout, cancel) is for the shell; we stay to report and to clean up.
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGTERM, &ignore, nullptr);
    int status = 0;
    if (shell < 0) {
        status = 127 << 8;
    } else {
        while (::waitpid(shell, &status, 0) < 0 && errno == EINTR) {
        }
    }
    (void)!::write(statusFd, &status, sizeof status);
    ::close(statusFd);
    // Wait for the word (or for the parent to die: end of file), then end whatever is left of the group.
    char c;
    while (::read(controlFd, &c, 1) < 0 && errno == EINTR) {
    }
    ::kill(-::getpid(), SIGKILL);
    _exit(0);
}

} // namespace

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
    for (QTimer *t : {&m_timeout, &m_kill, &m_drain})
        t->setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_outcome.timedOut = true;
        killGroup(SIGTERM);
        m_kill.start(m_spec.graceMs);
    });
    connect(&m_kill, &QTimer::timeout, this, [this] { killGroup(SIGKILL); });
    connect(&m_drain, &QTimer::timeout, this, [this] {
        m_outcome.drainCut = true;
        finish();
    });
}

CommandRunner::~CommandRunner()
{
    if (isRunning()) {
        killGroup(SIGKILL);
        m_control.reset();
        ::waitpid(pid_t(m_supervisor), nullptr, 0);
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
    m_done = m_statusKnown = false;
    m_streamed = 0;
    m_started = QDateTime::currentMSecsSinceEpoch();

    const QString shell = QFileInfo::exists(QStringLiteral("/bin/bash")) ? QStringLiteral("/bin/bash") : QStringLiteral("/bin/sh");
    QStringList argv{shell, QStringLiteral("-c"), spec.command};
    if (spec.sandbox) {
        const SandboxStatus sandbox = sandboxStatus();
        if (!sandbox.available) {
            m_outcome.startError = QStringLiteral("the sandbox is unavailable: ") + sandbox.reason;
            QMetaObject::invokeMethod(this, &CommandRunner::finish, Qt::QueuedConnection);
            return;
        }
        argv = QStringList{sandbox.bwrap} + sandboxArguments(*spec.sandbox, spec.workingDirectory, argv);
    }
    // Everything the children need is prepared before fork: after it, only async-signal-safe calls.
    QList<QByteArray> argStorage, envStorage;
    for (const QString &a : argv)
        argStorage.append(a.toLocal8Bit());
    for (const QString &e : scrubbedEnvironment(spec.allowedSecrets).toStringList())
        envStorage.append(e.toLocal8Bit());
    std::vector<char *> argvPtrs, envPtrs;
    for (QByteArray &a : argStorage)
        argvPtrs.push_back(a.data());
    argvPtrs.push_back(nullptr);
    for (QByteArray &e : envStorage)
        envPtrs.push_back(e.data());
    envPtrs.push_back(nullptr);
    const QByteArray cwd = spec.workingDirectory.toLocal8Bit();

    int out[2], err[2], status[2], control[2];
    if (::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) || ::pipe2(status, O_CLOEXEC) || ::pipe2(control, O_CLOEXEC)) {
        m_outcome.startError = QStringLiteral("cannot create pipes: ") + QString::fromLocal8Bit(std::strerror(errno));
        QMetaObject::invokeMethod(this, &CommandRunner::finish, Qt::QueuedConnection);
        return;
    }
    if (!spec.spoolPath.isEmpty()) {
        m_spool.setFileName(spec.spoolPath);
        (void)m_spool.open(QIODevice::WriteOnly | QIODevice::Truncate);
    }
    const int parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        // The shell's ends must survive exec in the grandchild: dup2 clears O_CLOEXEC on the copies it makes.
        superviseChild(parent, out[1], err[1], status[1], control[0], cwd.constData(), argvPtrs.data(), envPtrs.data());
    }
    for (int fd : {out[1], err[1], status[1], control[0]})
        ::close(fd);
    m_out[0] = workspace::Fd(out[0]);
    m_out[1] = workspace::Fd(err[0]);
    m_status = workspace::Fd(status[0]);
    m_control = workspace::Fd(control[1]);
    if (pid < 0) {
        m_outcome.startError = QStringLiteral("cannot start a process: ") + QString::fromLocal8Bit(std::strerror(errno));
        for (auto &fd : m_out)
            fd.reset();
        QMetaObject::invokeMethod(this, &CommandRunner::finish, Qt::QueuedConnection);
        return;
    }
    m_supervisor = pid;
    for (int i = 0; i < 2; ++i) {
        ::fcntl(m_out[i].get(), F_SETFL, O_NONBLOCK);
        m_outNotifier[i] = std::make_unique<QSocketNotifier>(m_out[i].get(), QSocketNotifier::Read);
        connect(m_outNotifier[i].get(), &QSocketNotifier::activated, this, [this, i] { onReadable(i); });
    }
    m_statusNotifier = std::make_unique<QSocketNotifier>(m_status.get(), QSocketNotifier::Read);
    connect(m_statusNotifier.get(), &QSocketNotifier::activated, this, &CommandRunner::onStatus);
    if (spec.timeoutMs > 0)
        m_timeout.start(spec.timeoutMs);
}

void CommandRunner::onReadable(int which)
{
    char buffer[kReadChunk];
    for (;;) {
        const ssize_t n = ::read(m_out[which].get(), buffer, sizeof buffer);
        if (n > 0) {
            capture(QByteArray(buffer, n), which ? protocol::OutputStream::Stderr : protocol::OutputStream::Stdout);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        // End of file (or an error): this stream is done.
        m_outNotifier[which].reset();
        m_out[which].reset();
        maybeFinish();
        return;
    }
}

void CommandRunner::onStatus()
{
    int status = 0;
    const ssize_t n = ::read(m_status.get(), &status, sizeof status);
    m_statusNotifier.reset();
    m_status.reset();
    m_statusKnown = true;
    if (n == sizeof status) {
        if (WIFEXITED(status))
            m_outcome.exitCode = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            m_outcome.signal = WTERMSIG(status);
    } else {
        m_outcome.signal = SIGKILL; // the supervisor itself was killed (the grace period ran out)
    }
    m_timeout.stop();
    m_kill.stop();
    // Background jobs may still hold the output open: give them the drain limit, no more.
    if (m_out[0].valid() || m_out[1].valid())
        m_drain.start(m_spec.drainMs);
    maybeFinish();
}

void CommandRunner::capture(const QByteArray &bytes, protocol::OutputStream stream)
{
    m_outcome.totalBytes += bytes.size();
    if (m_spool.isOpen() && m_outcome.spooledBytes < m_spec.spoolCapBytes) {
        const qint64 room = m_spec.spoolCapBytes - m_outcome.spooledBytes;
        m_outcome.spooledBytes += m_spool.write(bytes.constData(), std::min<qint64>(room, bytes.size()));
    }
    const qsizetype room = m_spec.keepBytes - m_outcome.head.size();
    if (room > 0)
        m_outcome.head += bytes.left(room);
    if (bytes.size() > room) {
        // The tail keeps the last keepBytes: append, then drop from the front now and then.
        m_outcome.tail += room > 0 ? bytes.mid(room) : bytes;
        if (m_outcome.tail.size() > 2 * m_spec.keepBytes)
            m_outcome.tail.remove(0, m_outcome.tail.size() - m_spec.keepBytes);
    }
    if (m_streamed < m_spec.streamBytes) {
        const QByteArray part = bytes.left(m_spec.streamBytes - m_streamed);
        m_streamed += part.size();
        const int i = stream == protocol::OutputStream::Stderr ? 1 : 0;
        QString text = m_decoder[i].decode(part);
        if (m_streamed >= m_spec.streamBytes)
            text += QStringLiteral("\n[… output continues; only its head and tail are kept%1 …]\n")
                        .arg(m_spec.spoolPath.isEmpty() ? QString() : QStringLiteral(", and all of it in ") + m_spec.spoolPath);
        if (!text.isEmpty())
            Q_EMIT output(stream, text);
    }
}

void CommandRunner::killGroup(int signal)
{
    if (m_supervisor > 0)
        ::kill(-pid_t(m_supervisor), signal);
}

void CommandRunner::maybeFinish()
{
    if (m_statusKnown && !m_out[0].valid() && !m_out[1].valid())
        finish();
}

void CommandRunner::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_kill.stop();
    m_drain.stop();
    for (int i = 0; i < 2; ++i) {
        if (m_out[i].valid())
            onReadable(i); // what is already in the pipe
        m_outNotifier[i].reset();
        m_out[i].reset();
    }
    if (m_supervisor > 0) {
        // Whatever the command left running in its group ends with it; then the supervisor goes too.
        killGroup(SIGKILL);
        m_control.reset();
        while (::waitpid(pid_t(m_supervisor), nullptr, 0) < 0 && errno == EINTR) {
        }
        m_supervisor = 0;
    }
    m_statusNotifier.reset();
    m_status.reset();
    if (m_spool.isOpen())
        m_spool.close();
    if (m_outcome.tail.size() > m_spec.keepBytes)
        m_outcome.tail.remove(0, m_outcome.tail.size() - m_spec.keepBytes);
    m_outcome.durationMs = QDateTime::currentMSecsSinceEpoch() - m_started;
    Q_EMIT finished(m_outcome);
}

void CommandRunner::cancel()
{
    if (!isRunning())
        return;
    m_outcome.cancelled = true;
    killGroup(SIGTERM);
    m_kill.start(m_spec.graceMs);
}

} // namespace reins::exec
