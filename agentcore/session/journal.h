#pragma once

// The session journal: append-only JSONL, one AgentEvent per line, under the XDG state directory. One writer per
// session (an advisory lock; a second writer gets a clear error). Every event but streamed pieces (deltas, command
// output) is written to the kernel at once, so a killed process loses nothing; fsync makes it durable against
// power loss at the points the session asks: before every tool execution and at the end of a turn. Secrets are
// redacted before anything is written.

#include "../error.h"
#include "../protocol/agentevent.h"
#include "../workspace/fd.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <thread>
#include <vector>

namespace reins::session {

class JournalParse;
class JournalReadAhead;

/// A journal read back: its events, and warnings about lines that were skipped.
struct JournalContents
{
    std::vector<protocol::AgentEvent> events;
    QStringList warnings;
};

class Journal
{
public:
    /// The folder of all session journals: $XDG_STATE_HOME/reins/sessions.
    static QString directory();
    /// The journal file of a session id.
    static QString pathFor(const QString &sessionId);
    /// A new session id: date, time and randomness, e.g. "20261128-135600-3fa9c1".
    static QString newSessionId();

    /// Opens (creating it if needed) the journal of `sessionId` for appending, locked for this writer.
    static Result<Journal> open(const QString &sessionId, QStringList secrets);
    /// Reads a journal: a torn last line (a crash mid-write) is skipped with a warning, as is any unreadable line.
    static Result<JournalContents> read(const QString &path);
    /// read() begun now on another thread: a window opening a journal builds itself while it is read.
    static JournalReadAhead readInBackground(const QString &path);

    Journal(Journal &&) noexcept = default;
    Journal &operator=(Journal &&) noexcept = default;
    ~Journal();

    QString path() const { return m_path; }
    void append(const protocol::AgentEvent &event);
    /// Writes what is buffered and waits until it is on disk.
    Result<void> sync();

private:
    Journal() = default;
    Result<void> write();
    QString m_path;
    workspace::Fd m_fd;
    QByteArray m_buffer;
    QStringList m_secrets;
};

/// A journal being read (Journal::readInBackground). Its lines are parsed in chunks, in order, by a thread of its
/// own; get() waits for them, parsing on the waiting thread the chunks nobody has begun, so that the reader is one
/// thread while the window is built beside it and every core once the window needs the events.
class JournalReadAhead
{
public:
    JournalReadAhead() = default;
    JournalReadAhead(JournalReadAhead &&) noexcept = default;
    JournalReadAhead &operator=(JournalReadAhead &&other) noexcept;
    ~JournalReadAhead();

    bool valid() const { return m_parse != nullptr; }
    /// The journal as Journal::read would give it; once (valid() is false after).
    Result<JournalContents> get();

private:
    friend class Journal;
    std::shared_ptr<JournalParse> m_parse;
    std::thread m_thread;
};

} // namespace reins::session
