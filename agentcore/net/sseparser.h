#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace reins::net {

/// One Server-Sent Event: the fields of one block of lines ended by a blank line.
struct SseEvent
{
    QString event = QStringLiteral("message"); ///< the `event:` field, "message" when absent
    QString data;                              ///< the `data:` lines joined with "\n"
    QString id;                                ///< the last `id:` seen on the stream so far
    std::optional<qint64> retryMs;             ///< a `retry:` field in this block

    bool operator==(const SseEvent &) const = default;
};

/// Incremental parser of a text/event-stream body, per the WHATWG HTML "server-sent events" rules. Bytes may
/// arrive split anywhere — inside a UTF-8 sequence, between CR and LF — and the events are the same as for the
/// whole body. Lines end with LF, CRLF or CR. Comment lines (starting with ':') are counted, not returned. Time is
/// linear in the input: each byte is scanned once.
class SseParser
{
public:
    /// Parses `bytes` and appends the events they complete to `out`.
    void feed(QByteArrayView bytes, std::vector<SseEvent> &out);
    /// The stream ended: a block not closed by a blank line is dropped, as the specification says.
    void finish();

    /// Comment lines seen so far (servers send them as keep-alives).
    qint64 comments() const { return m_comments; }
    /// Bytes of an unfinished line or block held back, waiting for more input.
    qsizetype pendingBytes() const { return m_line.size() + (m_hasData || m_hasFields ? 1 : 0); }

private:
    void processLine(QByteArrayView line, std::vector<SseEvent> &out);

    QByteArray m_line;       ///< the current line so far (without its terminator)
    bool m_skipLf = false;   ///< the previous byte was CR: a following LF belongs to the same line end
    bool m_hasData = false;  ///< the block has at least one data line
    bool m_hasFields = false;
    QByteArray m_data;       ///< UTF-8 of the data lines, joined
    QString m_event;
    QString m_lastId;
    std::optional<qint64> m_retry;
    qint64 m_comments = 0;
};

} // namespace reins::net
