#pragma once

#include "../protocol/types.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QStringDecoder>
#include <QTimer>

#include <optional>

namespace reins::exec {

/// What to run.
struct CommandSpec
{
    QString command;           ///< given to bash -c (sh -c where bash is missing)
    QString workingDirectory;  ///< absolute
    int timeoutMs = 120'000;
    int graceMs = 2'000;       ///< between SIGTERM and SIGKILL
    qsizetype keepBytes = 64 * 1024; ///< head and tail kept each
    QStringList allowedSecrets; ///< environment variables kept although their names look secret
};

/// How it ended.
struct CommandOutcome
{
    std::optional<int> exitCode; ///< absent when killed by a signal
    int signal = 0;
    bool timedOut = false;
    bool cancelled = false;
    QByteArray head;             ///< the first keepBytes of the output (stdout and stderr as they came)
    QByteArray tail;             ///< the last keepBytes, when the output was longer than head
    qint64 totalBytes = 0;
    qint64 durationMs = 0;
    QString startError;          ///< the command could not be started

    /// The output for the model: head, a line saying how much was left out, tail.
    QString text() const;
};

/// Runs one shell command: its own session and process group, stdin from /dev/null, an environment without
/// variables that look like secrets, a timeout that ends the whole group (SIGTERM, then SIGKILL), output streamed
/// as it comes while memory stays bounded (head and tail kept, bytes counted), and no process left behind: the
/// group is killed when the command ends or Reins dies (PR_SET_PDEATHSIG).
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    explicit CommandRunner(QObject *parent = nullptr);
    ~CommandRunner() override;

    void start(const CommandSpec &spec);
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    /// The environment commands get: the current one without *KEY*, *TOKEN*, *SECRET*, *PASSWORD* names.
    static QProcessEnvironment scrubbedEnvironment(const QStringList &allowed);

Q_SIGNALS:
    void output(reins::protocol::OutputStream stream, const QString &text);
    void finished(const reins::exec::CommandOutcome &outcome);

private:
    void read(QProcess::ProcessChannel channel);
    void capture(const QByteArray &bytes);
    void killGroup(int signal);
    void finish();

    QProcess m_process;
    QTimer m_timeout;
    QTimer m_kill;
    CommandSpec m_spec;
    CommandOutcome m_outcome;
    QStringDecoder m_stdoutDecoder{QStringDecoder::Utf8};
    QStringDecoder m_stderrDecoder{QStringDecoder::Utf8};
    qint64 m_pid = 0;
    qint64 m_started = 0;
    bool m_done = false;
};

} // namespace reins::exec
