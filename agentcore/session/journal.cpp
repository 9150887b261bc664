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
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

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

// One reading of a journal, shared by the threads that parse it: the bytes cut into chunks at line ends, each chunk
// parsed by whichever thread takes it first, the parts joined in order.
class JournalParse
{
public:
    explicit JournalParse(QString path) : m_path(std::move(path)) {}

    // Reads the file and cuts it; the threads that parse wait for this.
    void prepare()
    {
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_error = Error{QStringLiteral("cannot read the journal %1: %2").arg(m_path, file.errorString())};
        } else {
            m_bytes = file.readAll();
            // Chunks small enough for two threads to share evenly, large enough to cost nothing to hand out.
            constexpr qsizetype kChunkBytes = 64 * 1024;
            const QByteArrayView all(m_bytes);
            m_bounds.push_back(0);
            m_firstLines.push_back(1);
            while (all.size() - m_bounds.back() > kChunkBytes) {
                const qsizetype newline = all.indexOf('\n', m_bounds.back() + kChunkBytes);
                if (newline < 0)
                    break;
                m_firstLines.push_back(m_firstLines.back()
                                       + int(std::count(all.begin() + m_bounds.back(), all.begin() + newline + 1, '\n')));
                m_bounds.push_back(newline + 1);
            }
            m_bounds.push_back(all.size());
            m_parts.resize(m_bounds.size() - 1);
        }
        const std::lock_guard lock(m_mutex);
        m_prepared = true;
        m_changed.notify_all();
    }

    // Parses chunks until none is left to begin.
    void work()
    {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_prepared; });
        }
        for (size_t chunk = m_next++; chunk < m_parts.size(); chunk = m_next++) {
            m_parts[chunk] = parseLines(m_bytes, m_bounds[chunk], m_bounds[chunk + 1], m_firstLines[chunk]);
            const std::lock_guard lock(m_mutex);
            ++m_finished;
            m_changed.notify_all();
        }
    }

    // Waits for every chunk, and joins them.
    Result<JournalContents> join()
    {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_prepared && m_finished == m_parts.size(); });
        }
        if (m_error)
            return std::unexpected(*m_error);
        JournalContents contents;
        size_t count = 0;
        for (const JournalContents &part : m_parts)
            count += part.events.size();
        contents.events.reserve(count);
        for (JournalContents &part : m_parts) {
            contents.events.insert(contents.events.end(), std::make_move_iterator(part.events.begin()),
                                   std::make_move_iterator(part.events.end()));
            contents.warnings += part.warnings;
        }
        m_parts.clear();
        return contents;
    }

    size_t chunks() const { return m_parts.size(); }

private:
    QString m_path;
    QByteArray m_bytes;
    std::optional<Error> m_error;
    std::vector<qsizetype> m_bounds;
    std::vector<int> m_firstLines;
    std::vector<JournalContents> m_parts;
    std::atomic<size_t> m_next{0};
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_prepared = false;
    size_t m_finished = 0;
};

Result<JournalContents> Journal::read(const QString &path)
{
    // A long session opens in the time it takes to parse it on every core (up to four: beyond, the threads would
    // wait on the allocator more than they parse).
    JournalParse parse(path);
    parse.prepare();
    {
        std::vector<std::jthread> helpers;
        const size_t threads = std::min<size_t>(parse.chunks(), std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
        for (size_t i = 1; i < threads; ++i)
            helpers.emplace_back([&parse] { parse.work(); });
        parse.work();
    }
    return parse.join();
}

JournalReadAhead Journal::readInBackground(const QString &path)
{
    JournalReadAhead ahead;
    ahead.m_parse = std::make_shared<JournalParse>(path);
    ahead.m_thread = std::thread([parse = ahead.m_parse] {
        parse->prepare();
        parse->work();
    });
    return ahead;
}

JournalReadAhead &JournalReadAhead::operator=(JournalReadAhead &&other) noexcept
{
    if (this != &other) {
        if (m_thread.joinable())
            m_thread.join();
        m_parse = std::move(other.m_parse);
        m_thread = std::move(other.m_thread);
    }
    return *this;
}

JournalReadAhead::~JournalReadAhead()
{
    if (m_thread.joinable())
        m_thread.join();
}

Result<JournalContents> JournalReadAhead::get()
{
    const std::shared_ptr<JournalParse> parse = std::move(m_parse);
    parse->work(); // the chunks the reading thread has not begun
    Result<JournalContents> contents = parse->join();
    m_thread.join();
    return contents;
}

} // namespace reins::session
