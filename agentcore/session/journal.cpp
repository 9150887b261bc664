#include "journal.h"

#include "../protocol/json.h"
#include "../provider/providererror.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace reins::session {

QString Journal::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericStateLocation) + QStringLiteral("/reins/sessions");
}

QString Journal::pathFor(const QString &sessionId)
{
    return directory() + u'/' + sessionId + QStringLiteral(".jsonl");
}

QString Journal::newSessionId()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")) + u'-'
           + QString::number(QRandomGenerator::global()->generate() & 0xFFFFFF, 16).rightJustified(6, u'0');
}

Result<Journal> Journal::open(const QString &sessionId, QStringList secrets)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (!valid.match(sessionId).hasMatch())
        return fail(QStringLiteral("'%1' is not a session id").arg(sessionId));
    if (!QDir().mkpath(directory()))
        return fail(QStringLiteral("cannot create the session folder %1").arg(directory()));
    Journal journal;
    journal.m_path = pathFor(sessionId);
    journal.m_secrets = std::move(secrets);
    journal.m_fd = workspace::Fd(
        ::open(QFile::encodeName(journal.m_path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!journal.m_fd.valid())
        return fail(QStringLiteral("cannot open the journal %1: %2")
                        .arg(journal.m_path, QString::fromLocal8Bit(std::strerror(errno))));
    if (::flock(journal.m_fd.get(), LOCK_EX | LOCK_NB) != 0)
        return fail(QStringLiteral("session %1 is already open in another Reins; close it there first").arg(sessionId));
    return journal;
}

Journal::~Journal()
{
    if (m_fd.valid())
        (void)sync();
}

void Journal::append(const protocol::AgentEvent &event)
{
    QByteArray line = protocol::toJsonLine(event);
    // Defence in depth: no event should carry a key, but none reaches the disk if one does.
    for (const QString &secret : std::as_const(m_secrets)) {
        if (secret.size() >= 8 && line.contains(secret.toUtf8())) {
            line = provider::redactSecrets(QString::fromUtf8(line), m_secrets).toUtf8();
            break;
        }
    }
    m_buffer += line;
    // Streamed pieces wait for the next event; everything else goes to the kernel at once, so that a killed
    // process loses nothing that happened (fsync, for power loss, comes at the session's sync points).
    const bool piece = std::holds_alternative<protocol::AssistantDelta>(event.payload)
                       || std::holds_alternative<protocol::ReasoningDelta>(event.payload)
                       || std::holds_alternative<protocol::ToolOutput>(event.payload);
    if (!piece)
        (void)write();
}

Result<void> Journal::write()
{
    qsizetype done = 0;
    while (done < m_buffer.size()) {
        const ssize_t n = ::write(m_fd.get(), m_buffer.constData() + done, size_t(m_buffer.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_buffer.remove(0, done);
            return fail(QStringLiteral("cannot write the journal %1: %2")
                            .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
        }
        done += n;
    }
    m_buffer.clear();
    return {};
}

Result<void> Journal::sync()
{
    if (auto written = write(); !written)
        return written;
    if (::fsync(m_fd.get()) != 0)
        return fail(QStringLiteral("cannot sync the journal %1: %2")
                        .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    return {};
}

Result<JournalContents> Journal::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the journal %1: %2").arg(path, file.errorString()));
    const QByteArray all = file.readAll();
    JournalContents contents;
    qsizetype start = 0;
    int number = 0;
    while (start < all.size()) {
        qsizetype end = all.indexOf('\n', start);
        const bool torn = end < 0;
        if (torn)
            end = all.size();
        ++number;
        const QByteArrayView line = QByteArrayView(all).sliced(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        auto event = protocol::agentEventFromJsonLine(line);
        if (!event) {
            contents.warnings.append(torn ? QStringLiteral("the last line of the journal (line %1) was cut short by an "
                                                           "interrupted write and was skipped")
                                                .arg(number)
                                          : QStringLiteral("journal line %1 could not be read and was skipped: %2")
                                                .arg(number)
                                                .arg(event.error().message));
            continue;
        }
        contents.events.push_back(std::move(*event));
    }
    return contents;
}

} // namespace reins::session
