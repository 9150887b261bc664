#include "sseparser.h"

namespace reins::net {

void SseParser::feed(QByteArrayView bytes, std::vector<SseEvent> &out)
{
    const char *p = bytes.data();
    const char *end = p + bytes.size();
    while (p < end) {
        if (m_skipLf) {
            m_skipLf = false;
            if (*p == '\n') {
                ++p;
                continue;
            }
        }
        // Find the next line end; everything before it belongs to the current line.
        const char *q = p;
        while (q < end && *q != '\n' && *q != '\r')
            ++q;
        if (q == end) {
            m_line.append(p, q - p);
            return;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, q - p), out);
        } else {
            m_line.append(p, q - p);
            processLine(m_line, out);
            m_line.clear();
        }
        m_skipLf = *q == '\r';
        p = q + 1;
    }
}

void SseParser::finish()
{
    m_line.clear();
    m_data.clear();
    m_event.clear();
    m_retry.reset();
    m_hasData = m_hasFields = m_skipLf = false;
}

void SseParser::processLine(QByteArrayView line, std::vector<SseEvent> &out)
{
    if (line.isEmpty()) { // dispatch
        if (m_hasData) {
            SseEvent event;
            if (!m_event.isEmpty())
                event.event = m_event;
            event.data = QString::fromUtf8(m_data);
            event.id = m_lastId;
            event.retryMs = m_retry;
            out.push_back(std::move(event));
        }
        m_data.clear();
        m_event.clear();
        m_retry.reset();
        m_hasData = m_hasFields = false;
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    const qsizetype colon = line.indexOf(':');
    QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    m_hasFields = true;
    if (field == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_event = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastId = QString::fromUtf8(value);
    } else if (field == "retry") {
        bool ok = !value.isEmpty();
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        if (ok)
            m_retry = value.toLongLong();
    }
    // Other fields are ignored, as the specification says.
}

} // namespace reins::net
