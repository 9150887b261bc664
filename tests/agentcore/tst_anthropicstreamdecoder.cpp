#include "provider/anthropicstreamdecoder.h"
#include "streamdecoding.h"

#include <QTest>

using namespace reins::provider;
using reins::protocol::TokenUsage;
using Events = std::vector<StreamEvent>;
Q_DECLARE_METATYPE(Events)

namespace {

// Pairs of event name and data, as Anthropic sends them.
QByteArray sse(std::initializer_list<std::pair<const char *, const char *>> events)
{
    QByteArray out;
    for (const auto &[name, data] : events)
        out += QByteArray("event: ") + name + "\ndata: " + data + "\n\n";
    return out;
}

constexpr const char *kStart =
    R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":1000,"cache_read_input_tokens":4000,"output_tokens":1}}})";

std::unique_ptr<StreamDecoder> make()
{
    return std::make_unique<AnthropicStreamDecoder>();
}

} // namespace

class TstAnthropicStreamDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
};

void TstAnthropicStreamDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Events>("expected");
    QTest::addColumn<bool>("complete");

    const TokenUsage finalUsage{5025, 4000, 1025, 15, 0, 1000};

    QTest::newRow("text with a ping in the middle")
        << sse({{"message_start", kStart},
                {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
                {"ping", R"({"type": "ping"})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})"},
                {"ping", R"({"type": "ping"})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}})"},
                {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
                {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}})"},
                {"message_stop", R"({"type":"message_stop"})"}})
        << Events{TextDelta{QStringLiteral("Hello")}, TextDelta{QStringLiteral("!")}, UsageReport{finalUsage},
                  Finished{QStringLiteral("end_turn")}}
        << true;

    QTest::newRow("thinking, then a tool call whose input arrives in fragments")
        << sse({{"message_start", kStart},
                {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Look at "}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"main."}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}})"},
                {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
                {"content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"read_file","input":{}}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"ma"}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"in.cpp\"}"}})"},
                {"content_block_stop", R"({"type":"content_block_stop","index":1})"},
                {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":15}})"},
                {"message_stop", R"({"type":"message_stop"})"}})
        << Events{ReasoningDelta{QStringLiteral("Look at ")}, ReasoningDelta{QStringLiteral("main.")},
                  ReasoningSignature{QStringLiteral("EqQB")},
                  ToolCallDone{ToolCall{QStringLiteral("toolu_01"), QStringLiteral("read_file"),
                                        QStringLiteral(R"({"path": "main.cpp"})")}},
                  UsageReport{finalUsage}, Finished{QStringLiteral("tool_use")}}
        << true;

    QTest::newRow("a tool call with no input")
        << sse({{"message_start", kStart},
                {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"list_files","input":{}}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}})"},
                {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
                {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":15}})"},
                {"message_stop", R"({"type":"message_stop"})"}})
        << Events{ToolCallDone{ToolCall{QStringLiteral("t"), QStringLiteral("list_files"), QStringLiteral("{}")}},
                  UsageReport{finalUsage}, Finished{QStringLiteral("tool_use")}}
        << true;

    QTest::newRow("an overloaded error event")
        << sse({{"message_start", kStart},
                {"error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"}})
        << Events{StreamError{ProviderError{QStringLiteral("The server reported an error during the answer: Overloaded"),
                                            QStringLiteral("overloaded_error"), 0, true, std::nullopt}},
                  UsageReport{TokenUsage{5025, 4000, 1025, 1, 0, 1000}}}
        << false;

    QTest::newRow("an invalid request error is final")
        << sse({{"error", R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})"}})
        << Events{StreamError{ProviderError{QStringLiteral("The server reported an error during the answer: bad"),
                                            QStringLiteral("invalid_request_error"), 0, false, std::nullopt}}}
        << false;

    QTest::newRow("broken inside a tool call: no call, the usage known so far")
        << sse({{"message_start", kStart},
                {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Writing"}})"},
                {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
                {"content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"write_file","input":{}}})"},
                {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\":\"a\",\"con"}})"}})
        << Events{TextDelta{QStringLiteral("Writing")}, UsageReport{TokenUsage{5025, 4000, 1025, 1, 0, 1000}}} << false;
}

void TstAnthropicStreamDecoder::decode()
{
    QFETCH(QByteArray, body);
    QFETCH(Events, expected);
    QFETCH(bool, complete);

    bool wasComplete = false;
    const Events whole = reins::test::decode(make, body, 0, &wasComplete);
    QVERIFY2(whole == expected, qPrintable(reins::test::describe(whole) + QStringLiteral("\n != ")
                                           + reins::test::describe(expected)));
    QCOMPARE(wasComplete, complete);
    const Events bytewise = reins::test::decode(make, body, 1);
    QVERIFY2(bytewise == expected, qPrintable(reins::test::describe(bytewise)));
}

QTEST_GUILESS_MAIN(TstAnthropicStreamDecoder)
#include "tst_anthropicstreamdecoder.moc"
