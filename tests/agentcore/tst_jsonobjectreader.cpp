#include "protocol/jsonobjectreader.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>

using namespace Qt::StringLiterals;
using reins::protocol::parseJsonObject;
using reins::protocol::readJsonObject;

using Reader = std::optional<QJsonObject> (*)(QByteArrayView);

namespace {

// Empty when `ours` and `qt` agree in everything the reader promises: value types (integer or double included),
// bit-exact numbers, strings, key order; otherwise where and how they differ.
QString difference(const QJsonValue &ours, const QJsonValue &qt, const QString &path)
{
    if (ours.type() != qt.type())
        return u"%1: type %2, Qt's %3"_s.arg(path).arg(int(ours.type())).arg(int(qt.type()));
    switch (ours.type()) {
    case QJsonValue::Double: {
        const QCborValue a = QCborValue::fromJsonValue(ours);
        const QCborValue b = QCborValue::fromJsonValue(qt);
        if (a.isInteger() != b.isInteger())
            return u"%1: integer %2, Qt's %3"_s.arg(path).arg(a.isInteger()).arg(b.isInteger());
        const bool same = a.isInteger() ? a.toInteger() == b.toInteger()
                                        : std::bit_cast<quint64>(a.toDouble()) == std::bit_cast<quint64>(b.toDouble());
        if (!same)
            return u"%1: %2, Qt's %3"_s.arg(path, QString::number(a.toDouble(), 'g', 17),
                                            QString::number(b.toDouble(), 'g', 17));
        return {};
    }
    case QJsonValue::String: {
        const QString a = ours.toString();
        const QString b = qt.toString();
        const auto [at, qtAt] = std::ranges::mismatch(a, b);
        if (at != a.end() || qtAt != b.end())
            return u"%1: strings differ at %2 (%3 and %4 units)"_s.arg(path).arg(at - a.begin()).arg(a.size()).arg(
                b.size());
        return {};
    }
    case QJsonValue::Array: {
        const QJsonArray a = ours.toArray();
        const QJsonArray b = qt.toArray();
        if (a.size() != b.size())
            return u"%1: %2 elements, Qt's %3"_s.arg(path).arg(a.size()).arg(b.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (QString d = difference(a.at(i), b.at(i), u"%1[%2]"_s.arg(path).arg(i)); !d.isEmpty())
                return d;
        }
        return {};
    }
    case QJsonValue::Object: {
        const QJsonObject a = ours.toObject();
        const QJsonObject b = qt.toObject();
        if (a.keys() != b.keys())
            return u"%1: keys (%2), Qt's (%3)"_s.arg(path, a.keys().join(u','), b.keys().join(u','));
        for (const QString &key : a.keys()) {
            if (QString d = difference(a.value(key), b.value(key), path + u'.' + key); !d.isEmpty())
                return d;
        }
        return {};
    }
    default:
        return ours == qt ? QString() : path + u": differs"_s;
    }
}

// Empty when `read` keeps the contract on `text`: never an answer other than Qt's, and an answer where
// `mustAccept`.
QString verdict(const QByteArray &text, bool mustAccept, Reader read = parseJsonObject)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    const bool qtAccepts = error.error == QJsonParseError::NoError && doc.isObject();
    const std::optional<QJsonObject> ours = read(text);
    if (!ours)
        return mustAccept ? u"left to Qt, though it should be read"_s : QString();
    if (!qtAccepts)
        return u"read what Qt rejects: "_s + error.errorString();
    if (QString d = difference(*ours, doc.object(), u"$"_s); !d.isEmpty())
        return d;
    if (!(*ours == doc.object()))
        return u"QJsonObject::operator== says they differ"_s;
    if (QJsonDocument(*ours).toJson(QJsonDocument::Compact) != doc.toJson(QJsonDocument::Compact))
        return u"serialized differently"_s;
    return {};
}

QByteArray excerpt(const QByteArray &text)
{
    return (text.size() > 400 ? text.left(400) + "…" : text).toPercentEncoding(R"( {}[]":,\)");
}

QByteArray nested(int depth)
{
    return "{\"a\":" + QByteArray(depth - 1, '[') + "1" + QByteArray(depth - 1, ']') + "}";
}

// Source-code-like output, as a tool returns it: the journal's bulk.
QString codeLines(int count)
{
    QString code;
    for (int i = 0; i < count; ++i)
        code += u"    if (value_%1 > limit) { return \"line %1\\t→ done\"; } // check\n"_s.arg(i);
    return code;
}

// Random values and their hand-rolled spellings. "Exotic" adds what the reader leaves to Qt: lone surrogates,
// keys from U+D800 up, strings starting with a byte order mark, raw control characters, unknown escapes, and
// numbers that overflow, underflow or are spelled loosely.
class RandomJson
{
public:
    RandomJson(quint32 seed, bool exotic) : m_rng(seed), m_exotic(exotic) {}

    QJsonObject object(int depth = 0)
    {
        QJsonObject object;
        const int members = int(m_rng.bounded(depth == 0 ? 1 : 0, 8));
        for (int i = 0; i < members; ++i)
            object.insert(string(true), value(depth + 1));
        return object;
    }

    // Another spelling of `value`: keys shuffled, duplicates added, random whitespace, escapes where Qt's writer
    // writes characters, numbers respelled.
    QByteArray handRolled(const QJsonValue &value)
    {
        QByteArray out;
        write(out, value);
        return space() + out + space();
    }

    quint32 bounded(quint32 limit) { return m_rng.bounded(limit); }
    bool chance(int percent) { return int(m_rng.bounded(100)) < percent; }

private:
    QJsonValue value(int depth)
    {
        const int kind = int(m_rng.bounded(depth < 5 ? 8 : 6));
        switch (kind) {
        case 0: return QJsonValue::Null;
        case 1: return chance(50);
        case 2: return integer();
        case 3: return real();
        case 4:
        case 5: return string(false);
        case 6: {
            QJsonArray array;
            const int count = int(m_rng.bounded(6));
            for (int i = 0; i < count; ++i)
                array.append(value(depth + 1));
            return array;
        }
        default: return object(depth);
        }
    }

    qint64 integer()
    {
        switch (m_rng.bounded(4)) {
        case 0: return qint64(m_rng.bounded(100)) - 50;
        case 1: return std::numeric_limits<qint64>::max() - qint64(m_rng.bounded(3));
        case 2: return std::numeric_limits<qint64>::min() + qint64(m_rng.bounded(3));
        default: return qint64(m_rng.generate64()) >> m_rng.bounded(64);
        }
    }

    double real()
    {
        for (;;) {
            double d = 0;
            switch (m_rng.bounded(4)) {
            case 0: d = m_rng.bounded(100000) / 100.0; break;
            case 1: d = (m_rng.generateDouble() - 0.5) * std::pow(10.0, int(m_rng.bounded(600)) - 300); break;
            case 2: d = std::bit_cast<double>(m_rng.generate64()); break;
            default: d = double(integer()) + 0.5; break;
            }
            if (std::isfinite(d) && (m_exotic || d == 0 || std::isnormal(d)))
                return d;
        }
    }

    char32_t character(bool forKey)
    {
        const int kind = int(m_rng.bounded(100));
        if (kind < 55)
            return char32_t(m_rng.bounded(0x20, 0x7F));
        if (kind < 62)
            return U'\n';
        if (kind < 66)
            return char32_t(m_rng.bounded(0x20));
        if (kind < 70)
            return U"\"\\/"[m_rng.bounded(3)];
        if (kind < 80 || (forKey && !m_exotic))
            return char32_t(m_rng.bounded(0x80, 0xD800));
        if (kind < 88)
            return char32_t(m_rng.bounded(0xE000, 0x10000));
        if (kind < 96)
            return char32_t(m_rng.bounded(0x10000, 0x110000));
        return m_exotic ? char32_t(m_rng.bounded(0xD800, 0xE000)) : U'é'; // a lone surrogate
    }

    QString string(bool forKey)
    {
        const int size = int(chance(90) ? m_rng.bounded(12) : m_rng.bounded(300));
        // Not a null QString: QJsonObject::insert (Qt 6.8) crashes on a null key beside a non-Latin-1 one.
        QString s = QStringLiteral("");
        for (int i = 0; i < size; ++i) {
            const char32_t c = character(forKey);
            if (QChar::requiresSurrogates(c))
                s += QChar(QChar::highSurrogate(c)) + QChar(QChar::lowSurrogate(c));
            else
                s += QChar(char16_t(c));
        }
        if (m_exotic && chance(5))
            s.prepend(QChar(0xFEFF));
        else if (!m_exotic && s.startsWith(QChar(0xFEFF)))
            s[0] = u'x';
        return s;
    }

    QByteArray space()
    {
        QByteArray s;
        while (chance(30))
            s += " \t\n\r"[m_rng.bounded(4)];
        return s;
    }

    void write(QByteArray &out, const QJsonValue &value)
    {
        switch (value.type()) {
        case QJsonValue::Object: {
            const QJsonObject object = value.toObject();
            QStringList keys = object.keys();
            std::shuffle(keys.begin(), keys.end(), m_rng);
            out += '{';
            bool first = true;
            for (const QString &key : keys) {
                // Sometimes an earlier duplicate first, which the real member overrides.
                const QList<QJsonValue> spellings = chance(10) ? QList<QJsonValue>{integer(), object.value(key)}
                                                               : QList<QJsonValue>{object.value(key)};
                for (const QJsonValue &v : spellings) {
                    out += first ? space() : space() + ',' + space();
                    first = false;
                    writeString(out, key);
                    out += space() + ':' + space();
                    write(out, v);
                }
            }
            out += space() + '}';
            return;
        }
        case QJsonValue::Array: {
            const QJsonArray array = value.toArray();
            out += '[';
            for (qsizetype i = 0; i < array.size(); ++i) {
                out += (i == 0 ? space() : space() + ',' + space());
                write(out, array.at(i));
            }
            out += space() + ']';
            return;
        }
        case QJsonValue::String: writeString(out, value.toString()); return;
        case QJsonValue::Bool: out += value.toBool() ? "true" : "false"; return;
        case QJsonValue::Double: writeNumber(out, QCborValue::fromJsonValue(value)); return;
        default: out += "null"; return;
        }
    }

    void writeNumber(QByteArray &out, const QCborValue &number)
    {
        if (chance(15)) {
            out += numberLiteral();
            return;
        }
        if (number.isInteger()) {
            out += QByteArray::number(number.toInteger());
            if (chance(10))
                out += ".0";
            else if (chance(10))
                out += "E+00";
            return;
        }
        QByteArray text = chance(50) ? QByteArray::number(number.toDouble(), 'g', 17)
                                     : QByteArray::number(number.toDouble(), 'g', QLocale::FloatingPointShortest);
        if (chance(30))
            text.replace('e', 'E');
        out += text;
    }

    // Any shape the grammar allows (and, when exotic, some it does not).
    QByteArray numberLiteral()
    {
        QByteArray s;
        if (m_exotic && chance(5))
            s += '+';
        if (chance(40))
            s += '-';
        const auto digits = [this](int count) {
            QByteArray d;
            for (int i = 0; i < count; ++i)
                d += char('0' + m_rng.bounded(10));
            return d;
        };
        if (chance(30))
            s += '0';
        else if (!(m_exotic && chance(5)))
            s += char('1' + m_rng.bounded(9)) + digits(int(m_rng.bounded(20)));
        if (chance(50))
            s += '.' + digits(int(m_rng.bounded(m_exotic ? 0 : 1, 21)));
        if (chance(40)) {
            s += chance(50) ? 'e' : 'E';
            if (chance(60))
                s += chance(50) ? '-' : '+';
            const int exponent = int(m_rng.bounded(m_exotic ? 1000 : 281));
            s += (chance(10) ? "00" : "") + QByteArray::number(exponent);
        }
        return s;
    }

    void writeString(QByteArray &out, const QString &s)
    {
        out += '"';
        for (qsizetype i = 0; i < s.size(); ++i) {
            const char16_t c = s.at(i).unicode();
            const bool pair = QChar::isHighSurrogate(c) && i + 1 < s.size() && s.at(i + 1).isLowSurrogate();
            if (c == u'"' || c == u'\\') {
                out += '\\';
                out += char(c);
            } else if (c == u'/' && chance(50)) {
                out += "\\/";
            } else if (c < 0x20 && m_exotic && chance(10)) {
                out += char(c);
            } else if (c < 0x20) {
                static constexpr char shortForms[] = "\bb\ff\nn\rr\tt";
                const char *found = std::char_traits<char>::find(shortForms, 10, char(c));
                if (found && (found - shortForms) % 2 == 0 && chance(70))
                    out += "\\" + QByteArray(1, found[1]);
                else
                    writeUnicodeEscape(out, c);
            } else if (m_exotic && c < 0x80 && chance(1) && QByteArrayView("bfnrtu\"\\/").indexOf(char(c)) < 0) {
                out += "\\" + QByteArray(1, char(c)); // an unknown escape
            } else if (QChar::isSurrogate(c) && !pair) {
                writeUnicodeEscape(out, c);
            } else if (chance(20)) {
                writeUnicodeEscape(out, c);
                if (pair)
                    writeUnicodeEscape(out, s.at(++i).unicode());
            } else {
                out += QStringView(s).sliced(i, pair ? 2 : 1).toUtf8();
                i += pair ? 1 : 0;
            }
        }
        out += '"';
    }

    void writeUnicodeEscape(QByteArray &out, char16_t unit)
    {
        QByteArray hex = QByteArray::number(unit, 16).rightJustified(4, '0');
        out += "\\u" + (chance(50) ? hex.toUpper() : hex);
    }

    QRandomGenerator m_rng;
    bool m_exotic;
};

// A few random edits: what a torn write or a flipped bit leaves behind.
QByteArray mutated(QByteArray text, RandomJson &random)
{
    static const QByteArray interesting = "\"\\{}[],:0123456789eE+-.tfnu \t\n\r/\x80\xC3\xED\xF0\xFF";
    const int edits = int(random.bounded(3)) + 1;
    for (int i = 0; i < edits && !text.isEmpty(); ++i) {
        const qsizetype at = random.bounded(quint32(text.size()));
        const char byte = random.chance(30) ? char(random.bounded(256))
                                            : interesting.at(random.bounded(quint32(interesting.size())));
        switch (random.bounded(3)) {
        case 0: text[at] = byte; break;
        case 1: text.remove(at, 1); break;
        default: text.insert(at, byte); break;
        }
    }
    return text;
}

} // namespace

class TstJsonObjectReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsLikeQt_data();
    void readsLikeQt();
    void leavesToQt_data();
    void leavesToQt();
    void randomDocuments_data();
    void randomDocuments();
    void choosesTheFasterParser_data();
    void choosesTheFasterParser();
    void benchmarkJournalLine_data();
    void benchmarkJournalLine();
};

void TstJsonObjectReader::readsLikeQt_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("whitespace everywhere")
        << QByteArray(" \t\r\n{ \n\"a\" \t: \r[ 1 , { } , [ ] , \"x\" ] ,\"b\"\n:\n{\"c\" : null } \r\n}\n\t ");
    QTest::newRow("short escapes") << QByteArray(R"({"s":"\" \\ \/ \b \f \n \r \t"})");
    QTest::newRow("unicode escapes, both cases")
        << QByteArray(R"({"s":"\u0000\u001f\u00e9\u00E9\u20AC\u20ac\uFFFF\ufffe\u007f"})");
    QTest::newRow("escaped byte order mark first") << QByteArray(R"({"s":"\ufeffa"})");
    QTest::newRow("surrogate pair escapes") << QByteArray(R"({"s":"\ud83d\ude00 \uD834\uDD1E\uDBFF\uDFFF"})");
    QTest::newRow("2-byte UTF-8") << QByteArray("{\"s\":\"\xC3\xA9t\xC3\xA9 \xC3\xB1 \xC2\x80 \xDF\xBF\"}");
    QTest::newRow("3-byte UTF-8")
        << QByteArray("{\"s\":\"\xE2\x82\xAC \xE4\xB8\xAD \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF\"}");
    QTest::newRow("4-byte UTF-8")
        << QByteArray("{\"s\":\"\xF0\x9F\x98\x80 \xF0\x9D\x84\x9E \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF\"}");
    QTest::newRow("raw byte order mark inside") << QByteArray("{\"s\":\"a\xEF\xBB\xBF\",\"t\":\"\\n\xEF\xBB\xBF\"}");
    QTest::newRow("escapes mixed with UTF-8") << QByteArray("{\"s\":\"\xC3\xA9\\n\xF0\x9F\x98\x80\\t\\u00e9x\"}");
    QTest::newRow("non-ASCII keys")
        << QByteArray("{\"cl\xC3\xA9\":1,\"\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87\":2,\"\xED\x9F\xBF\":3}");
    QTest::newRow("escaped keys") << QByteArray(R"({"a\nb":1,"\u0041":2,"\"":3})");
    QTest::newRow("unsorted keys") << QByteArray(R"({"z":1,"a":2,"m":3,"":4,"aa":5})");
    QTest::newRow("duplicate keys, the last wins") << QByteArray(R"({"a":1,"b":2,"a":3,"a":{"x":4}})");
    QTest::newRow("duplicate keys, escaped and raw") << QByteArray(R"({"A":1,"\u0041":2})");
    QTest::newRow("empty strings") << QByteArray(R"({"":""})");
    QTest::newRow("empty key beside a non-Latin-1 key") << QByteArray("{\"\xE0\xA1\xBB\":1,\"\":2,\"\\u0800\":3}");
    QTest::newRow("empty containers") << QByteArray(R"({"o":{},"a":[],"s":"","n":[[],{}]})");
    QTest::newRow("nested") << QByteArray(R"({"a":[1,[2,[3,{"b":[{}]}]]],"c":{"d":{"e":null,"f":[true]}}})");
    QTest::newRow("literals") << QByteArray(R"({"t":true,"f":false,"n":null,"a":[true,false,null]})");
    QTest::newRow("DEL and printable ASCII") << QByteArray("{\"s\":\"\x7f ~!#$%&'()*+,-./:;<=>?@[]^_`{|}\"}");
    QTest::newRow("64 levels") << nested(64);

    for (const char *number :
         {"0", "-0", "1e3", "1.5", "-12", "9007199254740993", "9223372036854775807", "-9223372036854775808",
          "9223372036854775808", "-9223372036854775809", "0.1", "123456789.123456789e-5", "-0.0", "1.0", "1E2",
          "1e-2", "2.5e+10", "1e19", "1e18", "9007199254740993.0", "9223372036854775807.0", "1.7976931348623157e308",
          "2.2250738585072014e-308", "0e-400", "0.000e5", "12345678901234567890123", "1e007", "-1.5E-3"})
        QTest::addRow("number %s", number) << "{\"n\":" + QByteArray(number) + ",\"a\":[" + QByteArray(number) + "]}";

    // Quotes, escapes and multi-byte characters at every offset within the eight-byte blocks.
    for (int offset = 0; offset < 17; ++offset) {
        const QByteArray pad(offset, 'x');
        QTest::addRow("string of %d", offset) << "{\"s\":\"" + pad + "\",\"t\":1}";
        QTest::addRow("escape at %d", offset) << "{\"s\":\"" + pad + "\\\"yyyyyyyyy\"}";
        QTest::addRow("UTF-8 at %d", offset) << "{\"s\":\"" + pad + "\xE2\x82\xACyyyyyyyy\"}";
    }

    QTest::newRow("journal line") << QJsonDocument(QJsonObject{{u"seq"_s, 42}, {u"time"_s, qint64(1764000000000)},
                                                               {u"type"_s, u"tool_finished"_s},
                                                               {u"output"_s, codeLines(40)}, {u"isError"_s, false}})
                                         .toJson(QJsonDocument::Compact);
    QString big;
    while (big.size() < 1'000'000)
        big += codeLines(100) + u"ünïcödé 😀\n"_s;
    QTest::newRow("1 MB string") << QJsonDocument(QJsonObject{{u"output"_s, big}}).toJson(QJsonDocument::Compact);
}

void TstJsonObjectReader::readsLikeQt()
{
    QFETCH(QByteArray, text);
    const QString problem = verdict(text, true);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TstJsonObjectReader::leavesToQt_data()
{
    // qtParses: whether Qt parses it without error. Those it parses are its lenient or peculiar corners, left to
    // it so that the answer stays Qt's; the rest are invalid JSON.
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("qtParses");

    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("whitespace only") << QByteArray(" \n") << false;
    QTest::newRow("truncated object") << QByteArray(R"({"a":1)") << false;
    QTest::newRow("truncated string") << QByteArray(R"({"a":"b)") << false;
    QTest::newRow("truncated key") << QByteArray(R"({"a)") << false;
    QTest::newRow("truncated escape") << QByteArray(R"({"a":"\)") << false;
    QTest::newRow("only a brace") << QByteArray("{") << false;
    QTest::newRow("trailing garbage") << QByteArray(R"({"a":1}x)") << false;
    QTest::newRow("two objects") << QByteArray("{}{}") << false;
    QTest::newRow("array at the top") << QByteArray("[1,2]") << true;
    QTest::newRow("bare string") << QByteArray(R"("x")") << false;
    QTest::newRow("bare number") << QByteArray("1") << false;
    QTest::newRow("trailing comma in object") << QByteArray(R"({"a":1,})") << false;
    QTest::newRow("trailing comma in array") << QByteArray(R"({"a":[1,]})") << false;
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << false;
    QTest::newRow("missing comma") << QByteArray(R"({"a":1 "b":2})") << false;
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << false;
    QTest::newRow("number as key") << QByteArray("{1:1}") << false;
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << false;
    QTest::newRow("misspelled literal") << QByteArray(R"({"a":tru})") << false;
    QTest::newRow("literal run on") << QByteArray(R"({"a":nulls})") << false;
    QTest::newRow("comment") << QByteArray("{/*c*/}") << false;
    QTest::newRow("unknown escape") << QByteArray(R"({"a":"\x"})") << true;
    QTest::newRow("short unicode escape") << QByteArray(R"({"a":"\u12"})") << false;
    QTest::newRow("non-hex unicode escape") << QByteArray(R"({"a":"\uZZZZ"})") << false;
    QTest::newRow("raw tab") << QByteArray("{\"a\":\"\t\"}") << true;
    QTest::newRow("raw newline") << QByteArray("{\"a\":\"x\ny\"}") << true;
    QTest::newRow("raw NUL") << QByteArray("{\"a\":\"\0\"}", 9) << true;
    QTest::newRow("lone continuation byte") << QByteArray("{\"a\":\"\x80\"}") << false;
    QTest::newRow("overlong encoding") << QByteArray("{\"a\":\"\xC0\x80\"}") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("{\"a\":\"\xE0\x80\xAF\"}") << false;
    QTest::newRow("encoded surrogate") << QByteArray("{\"a\":\"\xED\xA0\x80\"}") << false;
    QTest::newRow("beyond U+10FFFF") << QByteArray("{\"a\":\"\xF4\x90\x80\x80\"}") << false;
    QTest::newRow("truncated sequence") << QByteArray("{\"a\":\"\xE2\x82\"}") << false;
    QTest::newRow("invalid lead byte") << QByteArray("{\"a\":\"\xF5\x80\x80\x80\"}") << false;
    QTest::newRow("invalid UTF-8 in a key") << QByteArray("{\"\xFF\":1}") << false;
    QTest::newRow("lone high surrogate") << QByteArray(R"({"a":"\ud800"})") << true;
    QTest::newRow("lone low surrogate") << QByteArray(R"({"a":"\udc00"})") << true;
    QTest::newRow("high surrogate, then a letter") << QByteArray(R"({"a":"\ud800x"})") << true;
    QTest::newRow("high surrogate, then no low one") << QByteArray(R"({"a":"\ud800\u0041"})") << true;
    QTest::newRow("surrogates reversed") << QByteArray(R"({"a":"\ude00\ud83d"})") << true;
    QTest::newRow("leading zero") << QByteArray(R"({"n":01})") << false;
    QTest::newRow("negative leading zero") << QByteArray(R"({"n":-01})") << false;
    QTest::newRow("no fraction digits") << QByteArray(R"({"n":1.})") << true;
    QTest::newRow("no integer digits") << QByteArray(R"({"n":.5})") << true;
    QTest::newRow("plus sign") << QByteArray(R"({"n":+1})") << false;
    QTest::newRow("minus alone") << QByteArray(R"({"n":-})") << false;
    QTest::newRow("no exponent digits") << QByteArray(R"({"n":1e})") << false;
    QTest::newRow("exponent sign alone") << QByteArray(R"({"n":1e+})") << false;
    QTest::newRow("NaN") << QByteArray(R"({"n":NaN})") << false;
    QTest::newRow("Infinity") << QByteArray(R"({"n":Infinity})") << false;
    QTest::newRow("hex") << QByteArray(R"({"n":0x10})") << false;
    QTest::newRow("overflow 1e400") << QByteArray(R"({"n":1e400})") << false;
    QTest::newRow("overflow -1e400") << QByteArray(R"({"n":-1e400})") << false;
    QTest::newRow("underflow 1e-400") << QByteArray(R"({"n":1e-400})") << false;
    QTest::newRow("subnormal") << QByteArray(R"({"n":4.9e-324})") << true;
    QTest::newRow("subnormal 1e-310") << QByteArray(R"({"n":1e-310})") << true;
    QTest::newRow("astral key") << QByteArray("{\"\xF0\x9F\x98\x80\":1}") << true;
    QTest::newRow("key from U+E000") << QByteArray("{\"\xEE\x80\x80\":1}") << true;
    QTest::newRow("escaped surrogate pair key") << QByteArray(R"({"\ud83d\ude00":1})") << true;
    QTest::newRow("string starting with a byte order mark") << QByteArray("{\"a\":\"\xEF\xBB\xBFx\"}") << true;
    QTest::newRow("leading byte order mark") << QByteArray("\xEF\xBB\xBF{}") << true;
    QTest::newRow("65 levels") << nested(65) << true;
    QTest::newRow("1025 levels") << nested(1025) << false;
    for (int offset = 0; offset < 17; ++offset) {
        QTest::addRow("invalid byte at %d", offset)
            << "{\"s\":\"" + QByteArray(offset, 'x') + "\xFFyyyyyyyy\"}" << false;
        QTest::addRow("raw control character at %d", offset)
            << "{\"s\":\"" + QByteArray(offset, 'x') + "\x01yyyyyyyy\"}" << true;
        QTest::addRow("unterminated at %d", offset) << "{\"s\":\"" + QByteArray(offset, 'x') << false;
    }
}

void TstJsonObjectReader::leavesToQt()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, qtParses);
    QJsonParseError error;
    QJsonDocument::fromJson(text, &error);
    QCOMPARE(error.error == QJsonParseError::NoError, qtParses);
    QCOMPARE(parseJsonObject(text), std::nullopt);
}

void TstJsonObjectReader::randomDocuments_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<bool>("exotic");

    QTest::newRow("common, seed 1") << 1u << false;
    QTest::newRow("common, seed 2") << 2u << false;
    QTest::newRow("common, seed 3") << 3u << false;
    QTest::newRow("exotic, seed 1") << 1u << true;
    QTest::newRow("exotic, seed 2") << 2u << true;
}

// Each random object written by Qt (compact and indented) and by hand must read exactly as Qt reads it; common
// documents must not be left to Qt at all. Mutated copies must read as Qt reads them or be left to it.
void TstJsonObjectReader::randomDocuments()
{
    QFETCH(quint32, seed);
    QFETCH(bool, exotic);
    constexpr int documents = 1000;
    RandomJson random(seed, exotic);
    int read = 0;
    for (int i = 0; i < documents; ++i) {
        const QJsonObject object = random.object();
        const QJsonDocument doc(object);
        const QByteArray texts[] = {doc.toJson(QJsonDocument::Compact), doc.toJson(QJsonDocument::Indented),
                                    random.handRolled(object)};
        for (const QByteArray &text : texts) {
            const QString problem = verdict(text, !exotic);
            QVERIFY2(problem.isEmpty(),
                     qPrintable(u"document %1: %2 in %3"_s.arg(i).arg(problem, QString::fromLatin1(excerpt(text)))));
            read += parseJsonObject(text) ? 1 : 0;
            const QByteArray broken = mutated(text, random);
            const QString brokenProblem = verdict(broken, false);
            QVERIFY2(brokenProblem.isEmpty(), qPrintable(u"mutated document %1: %2 in %3"_s.arg(i).arg(
                                                  brokenProblem, QString::fromLatin1(excerpt(broken)))));
        }
    }
    // Exotic documents are mostly left to Qt, but not all: the comparison must have been exercised.
    QVERIFY(read > (exotic ? documents / 10 : 3 * documents - 1));
}

void TstJsonObjectReader::choosesTheFasterParser_data()
{
    // The lenient corners tell the parsers apart: Qt answers there, this reader's own parser does not.
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ownParser");

    const QByteArray padding(600, 'x');
    QTest::newRow("short, escapes") << QByteArray(R"({"a":"x\ny"})") << false;
    QTest::newRow("short, lenient corner") << QByteArray("{\"a\":\"\t\\x\"}") << false;
    QTest::newRow("short, invalid") << QByteArray(R"({"a":)") << false;
    QTest::newRow("short, an array") << QByteArray("[1]") << false;
    QTest::newRow("long, no escapes, lenient corner") << "{\"a\":\"\t" + padding + "\"}" << false;
    QTest::newRow("long, no escapes, invalid") << "{\"a\":\"" + padding << false;
    QTest::newRow("long, escapes") << "{\"a\":\"\\n" + padding + "\"}" << true;
    QTest::newRow("long, escapes, invalid") << "{\"a\":\"\\n" + padding << true;
    QTest::newRow("long, escapes, lenient corner") << "{\"a\":\"\t\\n" + padding + "\"}" << true;
}

// Whichever parser readJsonObject picks, its answer is Qt's; long texts with escapes go to this reader's own.
void TstJsonObjectReader::choosesTheFasterParser()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ownParser);
    const QString problem = verdict(text, false, readJsonObject);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    const std::optional<QJsonObject> qt = doc.isObject() ? std::optional(doc.object()) : std::nullopt;
    QCOMPARE(readJsonObject(text), ownParser ? parseJsonObject(text) : qt);
}

void TstJsonObjectReader::benchmarkJournalLine_data()
{
    QTest::addColumn<int>("parser");
    QTest::newRow("readJsonObject") << 0;
    QTest::newRow("parseJsonObject") << 1;
    QTest::newRow("QJsonDocument::fromJson") << 2;
}

// Not a test: prints the time per journal-like line for the reader and for Qt; nothing is asserted on it.
void TstJsonObjectReader::benchmarkJournalLine()
{
    QFETCH(int, parser);
    const QByteArray line = QJsonDocument(QJsonObject{{u"seq"_s, 1234}, {u"time"_s, qint64(1764000000000)},
                                                      {u"type"_s, u"tool_finished"_s}, {u"callId"_s, u"call_17"_s},
                                                      {u"output"_s, codeLines(40)}, {u"isError"_s, false}})
                                .toJson(QJsonDocument::Compact);
    qsizetype keys = 0;
    QBENCHMARK {
        switch (parser) {
        case 0: keys += readJsonObject(line)->size(); break;
        case 1: keys += parseJsonObject(line)->size(); break;
        default: keys += QJsonDocument::fromJson(line).object().size(); break;
        }
    }
    QVERIFY(keys > 0);
}

QTEST_GUILESS_MAIN(TstJsonObjectReader)
#include "tst_jsonobjectreader.moc"
