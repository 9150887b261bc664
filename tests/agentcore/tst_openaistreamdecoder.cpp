#include "provider/openaistreamdecoder.h"
#include "streamdecoding.h"

#include <QTest>

using namespace reins::provider;
using reins::protocol::TokenUsage;
using Events = std::vector<StreamEvent>;
Q_DECLARE_METATYPE(Events)

namespace {

// Each string becomes one `data:` event; "#…" becomes a comment line.
QByteArray sse(std::initializer_list<const char *> chunks, const char *eol = "\n")
{
    QByteArray out;
    for (const char *c : chunks) {
        if (c[0] == '#')
            out += QByteArray(":") + (c + 1) + eol + eol;
        else
            out += QByteArray("data: ") + c + eol + eol;
    }
    return out;
}

ToolCallDone call(const char *id, const char *name, const char *arguments)
{
    return ToolCallDone{ToolCall{QString::fromUtf8(id), QString::fromUtf8(name), QString::fromUtf8(arguments)}};
}

TextDelta text(const char *t)
{
    return TextDelta{QString::fromUtf8(t)};
}

std::unique_ptr<StreamDecoder> make()
{
    return std::make_unique<OpenAiStreamDecoder>();
}

} // namespace

class TstOpenAiStreamDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
};

void TstOpenAiStreamDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Events>("expected");
    QTest::addColumn<bool>("complete");

    QTest::newRow("plain text")
        << sse({R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
                R"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})",
                R"({"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]})",
                R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})", "[DONE]"})
        << Events{text("Hel"), text("lo"), Finished{QStringLiteral("stop")}} << true;

    QTest::newRow("a tool call in many fragments")
        << sse({R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read_file","arguments":""}}]}}]})",
                R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"pa"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"th\":"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"src/ü.cpp\"}"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})", "[DONE]"})
        << Events{call("call_1", "read_file", R"({"path": "src/ü.cpp"})"), Finished{QStringLiteral("tool_calls")}}
        << true;

    QTest::newRow("two parallel calls, interleaved")
        << sse({R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"read_file","arguments":"{\"path\":"}}]}}]})",
                R"({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"search","arguments":"{\"pattern\":"}}]}}]})",
                R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"x\"}"}}]}}]})",
                R"({"choices":[{"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\"y\"}"}}]}}]})",
                R"({"choices":[{"delta":{},"finish_reason":"tool_calls"}]})", "[DONE]"})
        << Events{call("a", "read_file", R"({"path":"x"})"), call("b", "search", R"({"pattern":"y"})"),
                  Finished{QStringLiteral("tool_calls")}}
        << true;

    QTest::newRow("Ollama: parallel calls all at index 0, each whole")
        << sse({R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_b","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"b\"}"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})", "[DONE]"})
        << Events{call("call_a", "read_file", R"({"path":"a"})"), call("call_b", "read_file", R"({"path":"b"})"),
                  Finished{QStringLiteral("stop")}}
        << true;

    QTest::newRow("llama.cpp: arguments as an object, no index")
        << sse({R"({"choices":[{"delta":{"tool_calls":[{"id":"x","function":{"name":"list_files","arguments":{"depth":2}}}]},"finish_reason":"tool_calls"}]})",
                "[DONE]"})
        << Events{call("x", "list_files", R"({"depth":2})"), Finished{QStringLiteral("tool_calls")}} << true;

    QTest::newRow("a call without arguments gets {}")
        << sse({R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"x","function":{"name":"list_files"}}]}}]})",
                R"({"choices":[{"delta":{},"finish_reason":"tool_calls"}]})", "[DONE]"})
        << Events{call("x", "list_files", "{}"), Finished{QStringLiteral("tool_calls")}} << true;

    QTest::newRow("DeepSeek: reasoning, then content, then a tool call, then usage")
        << sse({"#keep-alive", "#keep-alive",
                R"({"choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Need to"}}]})",
                R"({"choices":[{"index":0,"delta":{"content":null,"reasoning_content":" read it."}}]})",
                R"({"choices":[{"index":0,"delta":{"content":"Reading."}}]})",
                R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}}]}}]})",
                R"({"choices":[{"index":0,"delta":{"content":""},"finish_reason":"tool_calls"}]})",
                R"({"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":50,"total_tokens":1050,"prompt_cache_hit_tokens":900,"prompt_cache_miss_tokens":100,"completion_tokens_details":{"reasoning_tokens":20}}})",
                "[DONE]"},
               "\r\n")
        << Events{ReasoningDelta{QStringLiteral("Need to")}, ReasoningDelta{QStringLiteral(" read it.")},
                  text("Reading."), call("call_0", "read_file", R"({"path":"a"})"),
                  Finished{QStringLiteral("tool_calls")}, UsageReport{TokenUsage{1000, 900, 100, 50, 20, 0}}}
        << true;

    QTest::newRow("Ollama reasoning field")
        << sse({R"({"choices":[{"delta":{"reasoning":"hmm"}}]})", R"({"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]})",
                "[DONE]"})
        << Events{ReasoningDelta{QStringLiteral("hmm")}, text("ok"), Finished{QStringLiteral("stop")}} << true;

    QTest::newRow("OpenAI usage with cached tokens")
        << sse({R"({"choices":[{"delta":{"content":"x"},"finish_reason":"length"}]})",
                R"({"choices":[],"usage":{"prompt_tokens":2000,"completion_tokens":10,"prompt_tokens_details":{"cached_tokens":1536},"completion_tokens_details":{"reasoning_tokens":4}}})",
                "[DONE]"})
        << Events{text("x"), Finished{QStringLiteral("length")}, UsageReport{TokenUsage{2000, 1536, 464, 10, 4, 0}}}
        << true;

    QTest::newRow("finish reasons pass through")
        << sse({R"({"choices":[{"delta":{},"finish_reason":"insufficient_system_resource"}]})", "[DONE]"})
        << Events{Finished{QStringLiteral("insufficient_system_resource")}} << true;

    QTest::newRow("broken stream: the unfinished call is never yielded")
        << sse({R"({"choices":[{"delta":{"content":"Let me "}}]})",
                R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"write_file","arguments":"{\"path\":\"a\",\"content\":\"hal"}}]}}]})"})
        << Events{text("Let me ")} << false;

    QTest::newRow("[DONE] without a finish reason does not complete pending calls")
        << sse({R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"x","arguments":"{"}}]}}]})",
                "[DONE]"})
        << Events{} << false;

    QTest::newRow("finish without [DONE] is complete")
        << sse({R"({"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]})"}) << Events{text("a"), Finished{QStringLiteral("stop")}}
        << true;

    QTest::newRow("an error chunk")
        << sse({R"({"error":{"message":"Server overloaded","type":"server_error"}})"})
        << Events{StreamError{ProviderError{QStringLiteral("The server reported an error during the answer: Server overloaded"),
                                            QStringLiteral("server_error"), 0, true, std::nullopt}}}
        << false;

    QTest::newRow("a chunk that is not JSON")
        << sse({"{not json"})
        << Events{StreamError{ProviderError{QStringLiteral("The server sent a chunk that is not JSON (unterminated object); "
                                                           "this is not the streaming protocol expected. If it persists, "
                                                           "check the base URL."),
                                            QStringLiteral("bad_response"), 0, true, std::nullopt}}}
        << false;
}

void TstOpenAiStreamDecoder::decode()
{
    QFETCH(QByteArray, body);
    QFETCH(Events, expected);
    QFETCH(bool, complete);

    bool wasComplete = false;
    const Events whole = reins::test::decode(make, body, 0, &wasComplete);
    QVERIFY2(whole == expected, qPrintable(reins::test::describe(whole) + QStringLiteral("\n != ")
                                           + reins::test::describe(expected)));
    QCOMPARE(wasComplete, complete);
    // One byte per read gives exactly the same events.
    const Events bytewise = reins::test::decode(make, body, 1);
    QVERIFY2(bytewise == expected, qPrintable(reins::test::describe(bytewise)));
    const Events sevens = reins::test::decode(make, body, 7);
    QVERIFY2(sevens == expected, qPrintable(reins::test::describe(sevens)));
}

QTEST_GUILESS_MAIN(TstOpenAiStreamDecoder)
#include "tst_openaistreamdecoder.moc"
