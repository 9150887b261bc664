#pragma once

#include "../protocol/types.h"
#include "../workspace/fd.h"
#include "sandbox.h"

#include <QByteArray>
#include <QFile>
#include <QObject>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QStringDecoder>
#include <QTimer>

#include <memory>
#include <optional>

namespace reins::exec {

/// What to run.
struct CommandSpec
{
    QString command;           ///< given to bash -c (sh -c where bash is missing)
    QString workingDirectory;  ///< absolute
    int timeoutMs = 120'000;
    int graceMs = 2'000;       ///< between SIGTERM and SIGKILL
    int drainMs = 2'000;       ///< after the command exits, how long its background jobs may keep the output open
    qsizetype keepBytes = 64 * 1024;       ///< head and tail kept in memory, each
    qsizetype streamBytes = 256 * 1024;    ///< output streamed as events; the rest only counted and spooled
    QString spoolPath;                     ///< the whole output goes here (empty: nowhere)
    qint64 spoolCapBytes = 256LL * 1024 * 1024;
    QStringList allowedSecrets; ///< environment variables kept although their names look secret
    std::optional<SandboxSpec> sandbox;
};

/// How it ended.
struct CommandOutcome
{
    std::optional<int> exitCode; ///< absent when ended by a signal
    int signal = 0;
    bool timedOut = false;
    bool cancelled = false;
    bool drainCut = false;       ///< background jobs held the output open past the drain limit and were ended
    QByteArray head;             ///< the first keepBytes of the output (stdout and stderr as they came)
    QByteArray tail;             ///< the last keepBytes, when the output was longer than head
    qint64 totalBytes = 0;
    qint64 spooledBytes = 0;     ///< how much of it is in the spool file
    qint64 durationMs = 0;
    QString startError;          ///< the command could not be started

    /// The output for the model: head, a line saying how much was left out, tail.
    QString text() const;
};

/// Runs one shell command so that it can always be ended, whole: a small supervisor process (forked from us)
/// leads a new session and process group, runs the shell in it with stdin from /dev/null and an environment
/// without variables that look like secrets, and kills the whole group when we ask, when we die (parent-death
/// signal, and end of file on a control pipe), or after the command exits and its background jobs outstay the
/// drain limit. A timeout sends SIGTERM to the group, then SIGKILL after a grace period. Output is streamed as it
/// comes (up to streamBytes), while memory stays bounded: head and tail kept, every byte counted, the whole of it
/// spooled to a file up to a cap. Optionally the shell runs inside bubblewrap (see SandboxSpec).
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    explicit CommandRunner(QObject *parent = nullptr);
    ~CommandRunner() override;

    void start(const CommandSpec &spec);
    void cancel();
    bool isRunning() const { return m_supervisor > 0 && !m_done; }
    /// The process group of the command (for tests).
    qint64 processGroup() const { return m_supervisor; }

    /// The environment commands get: the current one without *KEY*, *TOKEN*, *SECRET*, *PASSWORD* names.
    static QProcessEnvironment scrubbedEnvironment(const QStringList &allowed);

Q_SIGNALS:
    void output(reins::protocol::OutputStream stream, const QString &text);
    void finished(const reins::exec::CommandOutcome &outcome);

private:
    void onReadable(int which);
    void onStatus();
    void capture(const QByteArray &bytes, protocol::OutputStream stream);
    void killGroup(int signal);
    void maybeFinish();
    void finish();

    CommandSpec m_spec;
    CommandOutcome m_outcome;
    workspace::Fd m_out[2];    ///< read ends: stdout, stderr
    workspace::Fd m_status;    ///< read end: the supervisor writes the shell's wait status here
    workspace::Fd m_control;   ///< write end: closing it tells the supervisor to end the group
    std::unique_ptr<QSocketNotifier> m_outNotifier[2];
    std::unique_ptr<QSocketNotifier> m_statusNotifier;
    QTimer m_timeout;
    QTimer m_kill;
    QTimer m_drain;
    QFile m_spool;
    QStringDecoder m_decoder[2] = {QStringDecoder(QStringDecoder::Utf8), QStringDecoder(QStringDecoder::Utf8)};
    qint64 m_supervisor = 0;
    qint64 m_started = 0;
    qint64 m_streamed = 0;
    bool m_statusKnown = false;
    bool m_done = false;
};

} // namespace reins::exec
