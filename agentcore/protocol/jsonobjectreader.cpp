#include "jsonobjectreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QString>
#include <QVarLengthArray>
#include <QtEndian>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

namespace reins::protocol {

namespace {

// Deeper than any event nests; Qt allows 1024, and whatever lies beyond 64 is left to it.
constexpr int maxDepth = 64;

// Below this many bytes Qt's parser wins even with escapes: measured on journal lines of 4 to 8 members, the two
// break even around 300 to 400 bytes.
constexpr qsizetype ownParserFrom = 512;

constexpr quint64 everyByte(quint8 byte)
{
    return 0x0101010101010101ULL * byte;
}

// The high bit of each of the eight bytes of `word` (little-endian) that needs a closer look than copying: a quote,
// a backslash, a control character or part of a multi-byte UTF-8 sequence. The classic "has a byte below n" tricks
// misfire only on bytes above a genuine hit, so the lowest bit set always marks the first byte needing attention.
quint64 attentionMask(quint64 word)
{
    const quint64 high = everyByte(0x80);
    const auto zeroBytes = [high](quint64 v) { return (v - everyByte(0x01)) & ~v & high; };
    const quint64 belowSpace = (word - everyByte(0x20)) & ~word & high;
    return (word & high) | belowSpace | zeroBytes(word ^ everyByte('"')) | zeroBytes(word ^ everyByte('\\'));
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The four hex digits at `p` as one UTF-16 unit, or -1.
int hex4(const char *p)
{
    int unit = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexValue(p[i]);
        if (digit < 0)
            return -1;
        unit = unit << 4 | digit;
    }
    return unit;
}

bool isHighSurrogate(int unit)
{
    return unit >= 0xD800 && unit <= 0xDBFF;
}

bool isLowSurrogate(int unit)
{
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

struct Member
{
    QString key;
    QJsonValue value;
};

// Recursive descent over the text. Each string is decoded straight into its QString, allocated once: no string
// decodes to more UTF-16 units than it has bytes, so its length in bytes is room enough.
class Reader
{
public:
    explicit Reader(QByteArrayView text) : m_pos(text.data()), m_end(text.data() + text.size()) {}

    const char *position() const { return m_pos; }
    /// One string, the reader just after its opening quote.
    std::optional<QString> string() { return readString(); }

    std::optional<QJsonObject> document()
    {
        skipSpace();
        if (!take('{'))
            return std::nullopt;
        std::optional<QJsonObject> object = readObject(1);
        skipSpace();
        if (m_pos != m_end)
            return std::nullopt;
        return object;
    }

private:
    void skipSpace()
    {
        while (m_pos != m_end && (*m_pos == ' ' || *m_pos == '\n' || *m_pos == '\r' || *m_pos == '\t'))
            ++m_pos;
    }

    bool take(char c)
    {
        if (m_pos == m_end || *m_pos != c)
            return false;
        ++m_pos;
        return true;
    }

    bool takeWord(std::string_view word)
    {
        if (size_t(m_end - m_pos) < word.size() || std::memcmp(m_pos, word.data(), word.size()) != 0)
            return false;
        m_pos += word.size();
        return true;
    }

    std::optional<QJsonValue> readValue(int depth)
    {
        if (m_pos == m_end)
            return std::nullopt;
        switch (*m_pos) {
        case '{': {
            ++m_pos;
            std::optional<QJsonObject> object = readObject(depth + 1);
            return object ? std::optional<QJsonValue>(std::move(*object)) : std::nullopt;
        }
        case '[': {
            ++m_pos;
            std::optional<QJsonArray> array = readArray(depth + 1);
            return array ? std::optional<QJsonValue>(std::move(*array)) : std::nullopt;
        }
        case '"': {
            ++m_pos;
            std::optional<QString> string = readString();
            return string ? std::optional<QJsonValue>(*string) : std::nullopt;
        }
        case 't':
            return takeWord("true") ? std::optional<QJsonValue>(true) : std::nullopt;
        case 'f':
            return takeWord("false") ? std::optional<QJsonValue>(false) : std::nullopt;
        case 'n':
            return takeWord("null") ? std::optional<QJsonValue>(QJsonValue::Null) : std::nullopt;
        default:
            return readNumber();
        }
    }

    // After the '{'.
    std::optional<QJsonObject> readObject(int depth)
    {
        if (depth > maxDepth)
            return std::nullopt;
        QVarLengthArray<Member, 8> members;
        skipSpace();
        if (!take('}')) {
            do {
                skipSpace();
                if (!take('"'))
                    return std::nullopt;
                std::optional<QString> key = readString();
                // Qt's parser orders some keys by code point, QJsonObject::insert by UTF-16 unit: the orders agree
                // only below U+D800.
                if (!key || std::ranges::any_of(*key, [](QChar c) { return c.unicode() >= 0xD800; }))
                    return std::nullopt;
                skipSpace();
                if (!take(':'))
                    return std::nullopt;
                skipSpace();
                std::optional<QJsonValue> value = readValue(depth);
                if (!value)
                    return std::nullopt;
                members.append(Member{std::move(*key), std::move(*value)});
                skipSpace();
            } while (take(','));
            if (!take('}'))
                return std::nullopt;
        }
        return buildObject(members);
    }

    // Qt's writer emits keys sorted, so sorting is mostly a check. A stable sort keeps duplicates in text order,
    // and the last of them wins, as in Qt's parser.
    static QJsonObject buildObject(QVarLengthArray<Member, 8> &members)
    {
        const auto byKey = [](const Member &a, const Member &b) { return a.key < b.key; };
        if (!std::is_sorted(members.begin(), members.end(), byKey))
            std::stable_sort(members.begin(), members.end(), byKey);
        QJsonObject object;
        for (qsizetype i = 0; i < members.size(); ++i) {
            if (i + 1 < members.size() && members[i + 1].key == members[i].key)
                continue;
            object.insert(members[i].key, members[i].value);
        }
        return object;
    }

    // After the '['.
    std::optional<QJsonArray> readArray(int depth)
    {
        if (depth > maxDepth)
            return std::nullopt;
        QJsonArray array;
        skipSpace();
        if (take(']'))
            return array;
        do {
            skipSpace();
            std::optional<QJsonValue> value = readValue(depth);
            if (!value)
                return std::nullopt;
            array.append(*value);
            skipSpace();
        } while (take(','));
        if (!take(']'))
            return std::nullopt;
        return array;
    }

    // After the opening quote.
    std::optional<QString> readString()
    {
        const char *const close = closingQuote(m_pos, m_end);
        if (!close)
            return std::nullopt;
        if (close == m_pos) {
            ++m_pos;
            // Not a null QString: QJsonObject::insert (Qt 6.8) crashes on a null key beside one stored as UTF-16.
            return QStringLiteral("");
        }
        // Qt decodes a string without escapes with QString::fromUtf8, which drops a leading byte order mark.
        if (close - m_pos >= 3 && std::memcmp(m_pos, "\xEF\xBB\xBF", 3) == 0)
            return std::nullopt;
        QString string(close - m_pos, Qt::Uninitialized);
        char16_t *const begin = reinterpret_cast<char16_t *>(string.data());
        char16_t *out = begin;
        while (m_pos != close) {
            // Plain ASCII eight bytes at a time, the bulk of any file content or command output, up to the first
            // byte needing attention. All eight are widened even then: the string has room for them.
            while (close - m_pos >= 8) {
                const quint64 word = qFromLittleEndian<quint64>(m_pos);
                const quint64 mask = attentionMask(word);
                for (int i = 0; i < 8; ++i)
                    out[i] = char16_t(uchar(word >> (8 * i)));
                const int plain = mask ? std::countr_zero(mask) / 8 : 8;
                m_pos += plain;
                out += plain;
                if (plain < 8)
                    break;
            }
            if (m_pos == close)
                break;
            const uchar c = uchar(*m_pos);
            if (c == '\\') {
                if (!readEscape(out, close))
                    return std::nullopt;
            } else if (c < 0x20) {
                return std::nullopt; // raw control characters are invalid JSON, yet Qt takes them: its call
            } else if (c < 0x80) {
                *out++ = c;
                ++m_pos;
            } else if (!readUtf8(out, close)) {
                return std::nullopt;
            }
        }
        ++m_pos;
        string.truncate(out - begin);
        return string;
    }

    // The quote ending the string starting at `from`: the first one not escaped by an odd run of backslashes.
    static const char *closingQuote(const char *from, const char *end)
    {
        for (const char *quote = from; (quote = static_cast<const char *>(std::memchr(quote, '"', end - quote)));
             ++quote) {
            const char *run = quote;
            while (run != from && run[-1] == '\\')
                --run;
            if ((quote - run) % 2 == 0)
                return quote;
        }
        return nullptr;
    }

    // At a backslash, before `limit`.
    bool readEscape(char16_t *&out, const char *limit)
    {
        if (limit - m_pos < 2)
            return false;
        const char escaped = m_pos[1];
        m_pos += 2;
        switch (escaped) {
        case '"':
        case '\\':
        case '/':
            *out++ = char16_t(escaped);
            return true;
        case 'b':
            *out++ = u'\b';
            return true;
        case 'f':
            *out++ = u'\f';
            return true;
        case 'n':
            *out++ = u'\n';
            return true;
        case 'r':
            *out++ = u'\r';
            return true;
        case 't':
            *out++ = u'\t';
            return true;
        case 'u':
            return readUnicodeEscape(out, limit);
        default:
            return false; // Qt takes an unknown escape as the letter itself: its call
        }
    }

    // After "\u". Only whole surrogate pairs: Qt would keep a lone surrogate, leave that to it.
    bool readUnicodeEscape(char16_t *&out, const char *limit)
    {
        if (limit - m_pos < 4)
            return false;
        const int unit = hex4(m_pos);
        m_pos += 4;
        if (unit < 0 || isLowSurrogate(unit))
            return false;
        if (isHighSurrogate(unit)) {
            if (limit - m_pos < 6 || m_pos[0] != '\\' || m_pos[1] != 'u')
                return false;
            const int low = hex4(m_pos + 2);
            if (!isLowSurrogate(low))
                return false;
            m_pos += 6;
            *out++ = char16_t(unit);
            *out++ = char16_t(low);
            return true;
        }
        *out++ = char16_t(unit);
        return true;
    }

    // At the lead byte of a multi-byte sequence, before `limit`. Well-formed UTF-8 only (no overlong forms, no
    // surrogates, nothing past U+10FFFF); Qt rejects the rest.
    bool readUtf8(char16_t *&out, const char *limit)
    {
        const auto *s = reinterpret_cast<const uchar *>(m_pos);
        const qsizetype left = limit - m_pos;
        const auto continuation = [](uchar b) { return (b & 0xC0) == 0x80; };
        const uchar lead = s[0];
        if (lead >= 0xC2 && lead <= 0xDF) {
            if (left < 2 || !continuation(s[1]))
                return false;
            *out++ = char16_t((lead & 0x1F) << 6 | (s[1] & 0x3F));
            m_pos += 2;
            return true;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            const uchar low = lead == 0xE0 ? 0xA0 : 0x80;
            const uchar high = lead == 0xED ? 0x9F : 0xBF;
            if (left < 3 || s[1] < low || s[1] > high || !continuation(s[2]))
                return false;
            *out++ = char16_t((lead & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F));
            m_pos += 3;
            return true;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            const uchar low = lead == 0xF0 ? 0x90 : 0x80;
            const uchar high = lead == 0xF4 ? 0x8F : 0xBF;
            if (left < 4 || s[1] < low || s[1] > high || !continuation(s[2]) || !continuation(s[3]))
                return false;
            const char32_t codePoint = char32_t(lead & 0x07) << 18 | char32_t(s[1] & 0x3F) << 12
                | char32_t(s[2] & 0x3F) << 6 | char32_t(s[3] & 0x3F);
            *out++ = QChar::highSurrogate(codePoint);
            *out++ = QChar::lowSurrogate(codePoint);
            m_pos += 4;
            return true;
        }
        return false;
    }

    // Strict JSON grammar only; Qt also takes "1.", ".5" and the like.
    std::optional<QJsonValue> readNumber()
    {
        const char *const start = m_pos;
        const char *p = m_pos;
        if (p != m_end && *p == '-')
            ++p;
        if (p != m_end && *p == '0') {
            ++p;
        } else if (p != m_end && *p >= '1' && *p <= '9') {
            while (p != m_end && isDigit(*p))
                ++p;
        } else {
            return std::nullopt;
        }
        bool integerLiteral = true;
        if (p != m_end && *p == '.') {
            ++p;
            if (p == m_end || !isDigit(*p))
                return std::nullopt;
            while (p != m_end && isDigit(*p))
                ++p;
            integerLiteral = false;
        }
        const char *const mantissaEnd = p;
        if (p != m_end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p != m_end && (*p == '+' || *p == '-'))
                ++p;
            if (p == m_end || !isDigit(*p))
                return std::nullopt;
            while (p != m_end && isDigit(*p))
                ++p;
            integerLiteral = false;
        }
        m_pos = p;

        if (integerLiteral) {
            qint64 integer = 0;
            if (std::from_chars(start, p, integer).ec == std::errc())
                return QJsonValue(integer);
        }
        double number = 0;
        const auto [end, error] = std::from_chars(start, p, number);
        if (error != std::errc() || end != p || !std::isfinite(number))
            return std::nullopt;
        // Qt calls a non-zero literal that rounds to zero an error; subnormals it takes, but leave them to it.
        if (number == 0 && std::any_of(start, mantissaEnd, [](char c) { return c >= '1' && c <= '9'; }))
            return std::nullopt;
        if (number != 0 && !std::isnormal(number))
            return std::nullopt;
        // Qt stores every whole number in qint64's range as an integer, whatever its spelling ("1e3", "-0.0").
        if (number >= -0x1p63 && number < 0x1p63 && std::trunc(number) == number)
            return QJsonValue(qint64(number));
        return QJsonValue(number);
    }

    const char *m_pos;
    const char *const m_end;
};

} // namespace

std::optional<QJsonObject> readJsonObject(QByteArrayView text)
{
    if (text.size() >= ownParserFrom && text.contains('\\'))
        return parseJsonObject(text);
    // Qt's parser does not keep the text: no need to copy it.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

std::optional<QJsonObject> parseJsonObject(QByteArrayView text)
{
    return Reader(text).document();
}

std::optional<QString> readJsonString(QByteArrayView text, qsizetype *pos)
{
    if (*pos >= text.size() || text[*pos] != '"')
        return std::nullopt;
    Reader reader(text.sliced(*pos + 1));
    std::optional<QString> string = reader.string();
    if (string)
        *pos = reader.position() - text.data();
    return string;
}

} // namespace reins::protocol
