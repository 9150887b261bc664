#include "journal.h"

#include "../protocol/json.h"
#include "../provider/providererror.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
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

namespace {

// The events of the lines in all[begin, end), which starts at line `firstLine` (1-based).
JournalContents parseLines(QByteArrayView all, qsizetype begin, qsizetype end, int firstLine)
{
    JournalContents contents;
    qsizetype start = begin;
    int number = firstLine - 1;
    while (start < end) {
        qsizetype stop = all.indexOf('\n', start);
        const bool torn = stop < 0;
        if (torn)
            stop = all.size();
        ++number;
        const QByteArrayView line = all.sliced(start, stop - start);
        start = stop + 1;
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

} // namespace

Result<JournalContents> Journal::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the journal %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    const QByteArrayView all(bytes);
    // A long session opens in the time it takes to parse it: the lines are parsed in parts on every core, each part
    // starting after a line end, and joined in order.
    constexpr qsizetype kPartBytes = 256 * 1024;
    const qsizetype parts = std::clamp<qsizetype>(all.size() / kPartBytes, 1,
                                                  std::max(1u, std::min(4u, std::thread::hardware_concurrency())));
    std::vector<qsizetype> bounds{0};
    std::vector<int> firstLines{1};
    for (qsizetype part = 1; part < parts; ++part) {
        const qsizetype newline = all.indexOf('\n', std::max(bounds.back(), all.size() * part / parts));
        if (newline < 0)
            break;
        firstLines.push_back(firstLines.back() + int(std::count(all.begin() + bounds.back(), all.begin() + newline + 1, '\n')));
        bounds.push_back(newline + 1);
    }
    bounds.push_back(all.size());
    std::vector<JournalContents> parsed(bounds.size() - 1);
    {
        std::vector<std::jthread> workers;
        for (size_t part = 1; part < parsed.size(); ++part)
            workers.emplace_back([&, part] { parsed[part] = parseLines(all, bounds[part], bounds[part + 1], firstLines[part]); });
        parsed[0] = parseLines(all, bounds[0], bounds[1], 1);
    }
    JournalContents contents = std::move(parsed[0]);
    for (size_t part = 1; part < parsed.size(); ++part) {
        contents.events.insert(contents.events.end(), std::make_move_iterator(parsed[part].events.begin()),
                               std::make_move_iterator(parsed[part].events.end()));
        contents.warnings += parsed[part].warnings;
    }
    return contents;
}

} // namespace reins::session
