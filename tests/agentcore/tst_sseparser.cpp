#include "net/sseparser.h"

#include <QTest>

using reins::net::SseEvent;
using reins::net::SseParser;

using Events = std::vector<SseEvent>;
Q_DECLARE_METATYPE(Events)

namespace {

SseEvent data(const char *text, const char *event = "message", const char *id = "")
{
    SseEvent e;
    e.data = QString::fromUtf8(text);
    e.event = QString::fromUtf8(event);
    e.id = QString::fromUtf8(id);
    return e;
}

Events parseWhole(const QByteArray &bytes)
{
    SseParser parser;
    Events out;
    parser.feed(bytes, out);
    parser.finish();
    return out;
}

Events parseInPieces(const QByteArray &bytes, qsizetype piece)
{
    SseParser parser;
    Events out;
    for (qsizetype i = 0; i < bytes.size(); i += piece)
        parser.feed(QByteArrayView(bytes).sliced(i, std::min(piece, bytes.size() - i)), out);
    parser.finish();
    return out;
}

QString describe(const Events &events)
{
    QStringList parts;
    for (const SseEvent &e : events)
        parts.append(QStringLiteral("{%1|%2|%3|%4}").arg(e.event, e.data, e.id,
                                                        e.retryMs ? QString::number(*e.retryMs) : QString()));
    return parts.join(u' ');
}

} // namespace

class TstSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void commentsAreCounted();
};

void TstSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Events>("expected");

    QTest::newRow("one event, LF") << QByteArray("data: hello\n\n") << Events{data("hello")};
    QTest::newRow("CRLF") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n") << Events{data("a"), data("b")};
    QTest::newRow("CR alone") << QByteArray("data: a\r\rdata: b\r\r") << Events{data("a"), data("b")};
    QTest::newRow("mixed line ends") << QByteArray("data: a\r\n\ndata: b\r\r\ndata: c\n\r")
                                     << Events{data("a"), data("b"), data("c")};
    QTest::newRow("multi-line data joined with LF") << QByteArray("data: one\ndata: two\ndata:three\n\n")
                                                    << Events{data("one\ntwo\nthree")};
    QTest::newRow("no space after colon") << QByteArray("data:x\n\n") << Events{data("x")};
    QTest::newRow("only the first space is removed") << QByteArray("data:  two spaces\n\n")
                                                     << Events{data(" two spaces")};
    QTest::newRow("empty data line") << QByteArray("data\n\n") << Events{data("")};
    QTest::newRow("event name") << QByteArray("event: message_start\ndata: {}\n\n")
                                << Events{data("{}", "message_start")};
    QTest::newRow("event name resets after dispatch")
        << QByteArray("event: ping\ndata: 1\n\ndata: 2\n\n") << Events{data("1", "ping"), data("2")};
    QTest::newRow("id persists") << QByteArray("id: 7\ndata: a\n\ndata: b\n\n") << Events{data("a", "message", "7"),
                                                                                       data("b", "message", "7")};
    {
        SseEvent e = data("r");
        e.retryMs = 3000;
        QTest::newRow("retry") << QByteArray("retry: 3000\ndata: r\n\nretry: soon\ndata: s\n\n")
                               << Events{e, data("s")};
    }
    QTest::newRow("comments skipped") << QByteArray(": keep-alive\n\n: keep-alive\ndata: x\n\n") << Events{data("x")};
    QTest::newRow("a block without data dispatches nothing") << QByteArray("event: x\n\ndata: y\n\n")
                                                             << Events{data("y")};
    QTest::newRow("unknown fields ignored") << QByteArray("foo: bar\ndata: y\n\n") << Events{data("y")};
    QTest::newRow("unterminated block dropped") << QByteArray("data: a\n\ndata: cut off") << Events{data("a")};
    QTest::newRow("UTF-8, multi-byte") << QByteArray("data: h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x91\x8d\n\n")
                                       << Events{data("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x91\x8d")};
    QTest::newRow("DeepSeek keep-alive then data")
        << QByteArray(": keep-alive\r\n\r\n: keep-alive\r\n\r\ndata: {\"choices\":[]}\r\n\r\ndata: [DONE]\r\n\r\n")
        << Events{data("{\"choices\":[]}"), data("[DONE]")};
    QTest::newRow("colon inside the value") << QByteArray("data: {\"a\":\"b:c\"}\n\n") << Events{data("{\"a\":\"b:c\"}")};
}

void TstSseParser::parse()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Events, expected);

    const Events whole = parseWhole(bytes);
    QVERIFY2(whole == expected, qPrintable(describe(whole) + QStringLiteral(" != ") + describe(expected)));
    // One byte per read, and every two-way split: the same events.
    QVERIFY2(parseInPieces(bytes, 1) == expected, qPrintable(describe(parseInPieces(bytes, 1))));
    for (qsizetype cut = 1; cut < bytes.size(); ++cut) {
        SseParser parser;
        Events out;
        parser.feed(QByteArrayView(bytes).first(cut), out);
        parser.feed(QByteArrayView(bytes).sliced(cut), out);
        QVERIFY2(out == expected, qPrintable(QStringLiteral("split at %1: ").arg(cut) + describe(out)));
    }
}

void TstSseParser::commentsAreCounted()
{
    SseParser parser;
    Events out;
    parser.feed(": keep-alive\n\n: keep-alive\r\n\r\ndata: x\n", out);
    QCOMPARE(parser.comments(), 2);
    QVERIFY(out.empty());
    QVERIFY(parser.pendingBytes() > 0); // "data: x" waits for its blank line
    parser.feed("\n", out);
    QCOMPARE(out.size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TstSseParser)
#include "tst_sseparser.moc"
