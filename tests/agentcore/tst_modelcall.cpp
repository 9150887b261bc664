// ModelCall end to end: the real transport against the fake model server on loopback.

#include "fakemodelserver.h"
#include "provider/modelcall.h"
#include "provider/modellist.h"
#include "provider/pricetable.h"
#include "streamdecoding.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace reins;
using namespace reins::provider;
using reins::test::FakeModelServer;

namespace {

const QString kKey = QStringLiteral("sk-test-0123456789abcdef");

struct Outcome
{
    std::vector<StreamEvent> events;
    std::vector<protocol::Retry> retries;
    ModelResponse response;
    qint64 elapsedMs = 0;
};

ProviderConfig config(const QString &id, const FakeModelServer &server)
{
    ProviderConfig c = *providerDefaults(id);
    c.baseUrl = QUrl(server.baseUrl());
    c.apiKey = kKey;
    c.retryBaseDelayMs = 20;
    c.retryMaxDelayMs = 200;
    c.maxRetries = 3;
    return c;
}

ModelRequest simpleRequest()
{
    ModelRequest r;
    r.model = QStringLiteral("deepseek-flash");
    r.system = QStringLiteral("You are a careful coding agent.");
    r.messages.push_back(ChatMessage{ChatMessage::Role::User, QStringLiteral("What does main.cpp print?"), {}, {}, {}, {}, false});
    return r;
}

Outcome run(const ProviderConfig &c, const ModelRequest &request, const std::function<void(ModelCall &)> &onFirstEvent = {})
{
    QNetworkAccessManager network;
    ModelCall call(c, request, &network);
    Outcome outcome;
    bool first = true;
    QObject::connect(&call, &ModelCall::streamEvent, &call, [&](const StreamEvent &e) {
        outcome.events.push_back(e);
        if (first && onFirstEvent) {
            first = false;
            onFirstEvent(call);
        }
    });
    QObject::connect(&call, &ModelCall::retrying, &call, [&](const protocol::Retry &r) { outcome.retries.push_back(r); });
    QSignalSpy finished(&call, &ModelCall::finished);
    QElapsedTimer timer;
    timer.start();
    call.start();
    if (!finished.wait(30'000))
        qWarning("the call did not finish");
    outcome.elapsedMs = timer.elapsed();
    outcome.response = call.response();
    if (finished.size() != 1)
        qWarning("finished emitted %d times", int(finished.size()));
    return outcome;
}

QJsonObject scenario(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(json, &error).object();
    if (o.isEmpty())
        qFatal("bad scenario in test: %s at %d", qPrintable(error.errorString()), error.offset);
    return o;
}

constexpr const char *kOkExchange =
    R"({"status":200,"events":[{"data":{"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}},{"data":"[DONE]"}]})";

QByteArray withOk(const char *firstExchanges)
{
    return QByteArray(R"({"exchanges":[)") + firstExchanges + "," + kOkExchange + "]}";
}

} // namespace

class TstModelCall : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deepseekSendsReasoningBackAndCostsAddUp();
    void retries_data();
    void retries();
    void connectionRefused();
    void idleTimeout();
    void noContentTimeout();
    void keepAlivesAreNotContent();
    void cancellation();
    void oneBytePerReadGivesTheSameEvents();
    void anthropicThroughTheServer();
    void modelList_data();
    void modelList();
};

void TstModelCall::deepseekSendsReasoningBackAndCostsAddUp()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenarioFile(QStringLiteral(REINS_SCENARIOS "/deepseek_tool_round_trip.json")));
    ProviderConfig c = config(QStringLiteral("deepseek"), server);
    ModelRequest request = simpleRequest();
    request.thinking = true;

    const Outcome first = run(c, request);
    QVERIFY2(!first.response.error, qPrintable(first.response.error ? first.response.error->message : QString()));
    QCOMPARE(first.response.reasoning, QStringLiteral("I should read main.cpp first."));
    QCOMPARE(first.response.text, QStringLiteral("Let me look."));
    QCOMPARE(first.response.toolCalls.size(), std::size_t(1));
    QCOMPARE(first.response.toolCalls[0], (ToolCall{QStringLiteral("call_0"), QStringLiteral("read_file"),
                                                    QStringLiteral(R"({"path":"main.cpp"})")}));
    QCOMPARE(first.response.finishReason, QStringLiteral("tool_calls"));
    QVERIFY(first.response.usage);

    // The next request of the conversation carries the reasoning of the message that made the call.
    request.messages.push_back(ChatMessage{ChatMessage::Role::Assistant, first.response.text, first.response.reasoning,
                                           {}, first.response.toolCalls, {}, false});
    request.messages.push_back(ChatMessage{ChatMessage::Role::Tool, QStringLiteral("1\tint main() { puts(\"hi\"); }"),
                                           {}, {}, {}, QStringLiteral("call_0"), false});
    const Outcome second = run(c, request);
    QVERIFY(!second.response.error);
    QCOMPARE(second.response.text, QStringLiteral("It prints \"hi\"."));
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    QCOMPARE(server.requests().size(), 2);
    const QJsonObject assistant = server.requests()[1].json.value(QLatin1String("messages")).toArray().at(2).toObject();
    QCOMPARE(assistant.value(QLatin1String("reasoning_content")).toString(), QStringLiteral("I should read main.cpp first."));
    // The key travels only in the Authorization header.
    for (const auto &r : server.requests())
        QVERIFY(!r.body.contains(kKey.toUtf8()));

    // Cost, by hand from resources/prices.json (deepseek-flash, USD per million tokens):
    //   off-peak: hit 0.003, miss 0.15, output 0.60  →  request 1: 1024·0.003 + 176·0.15 + 80·0.60 = 77.472
    //                                                    request 2: 1280·0.003 + 120·0.15 + 30·0.60 = 39.84
    //   peak (01:00–04:00, 06:00–10:00 UTC) is exactly double.
    const auto table = PriceTable::load();
    QVERIFY(table);
    const QDateTime offPeak(QDate(2026, 11, 28), QTime(12, 0), QTimeZone::UTC);
    const QDateTime peak(QDate(2026, 11, 28), QTime(2, 30), QTimeZone::UTC);
    const auto c1 = table->cost(QStringLiteral("deepseek"), request.model, *first.response.usage, offPeak);
    const auto c2 = table->cost(QStringLiteral("deepseek"), request.model, *second.response.usage, offPeak);
    QVERIFY(c1 && c2);
    QCOMPARE(c1->currency, QStringLiteral("USD"));
    QCOMPARE(qRound64(c1->amount * 1e9), qint64(77'472)); // in nano-dollars
    QCOMPARE(qRound64(c2->amount * 1e9), qint64(39'840));
    QCOMPARE(qRound64((c1->amount + c2->amount) * 1e9), qint64(117'312));
    const auto p1 = table->cost(QStringLiteral("deepseek"), request.model, *first.response.usage, peak);
    QCOMPARE(qRound64(p1->amount * 1e9), qint64(154'944));
}

void TstModelCall::retries_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<int>("retries");
    QTest::addColumn<QString>("errorCode");   // empty: success
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("incomplete");
    QTest::addColumn<QString>("messageContains");

    const QString cc = QStringLiteral("deepseek");
    QTest::newRow("429 waits as Retry-After says")
        << cc << withOk(R"({"status":429,"headers":{"Retry-After":"1"},"body":{"error":{"message":"Rate limit reached"}}})")
        << 1 << QString() << QStringLiteral("ok") << false << QString();
    QTest::newRow("503 then success")
        << cc << withOk(R"({"status":503,"body":"upstream unavailable"})") << 1 << QString() << QStringLiteral("ok")
        << false << QString();
    QTest::newRow("502 and 504 then success")
        << cc << withOk(R"({"status":502,"body":""},{"status":504,"body":""})") << 2 << QString() << QStringLiteral("ok")
        << false << QString();
    QTest::newRow("529 then success")
        << cc << withOk(R"({"status":529,"body":{"error":{"message":"overloaded"}}})") << 1 << QString()
        << QStringLiteral("ok") << false << QString();
    QTest::newRow("500 until the retries run out")
        << cc
        << QByteArray(R"({"exchanges":[{"status":500,"body":"a"},{"status":500,"body":"b"},{"status":500,"body":"c"},{"status":500,"body":"d"}]})")
        << 3 << QStringLiteral("http_500") << QString() << false << QStringLiteral("DeepSeek had a server error (HTTP 500): d.");
    QTest::newRow("400 is not retried")
        << cc << QByteArray(R"({"exchanges":[{"status":400,"body":{"error":{"message":"Invalid tool schema"}}}]})") << 0
        << QStringLiteral("http_400") << QString() << false
        << QStringLiteral("DeepSeek refused the request (HTTP 400): Invalid tool schema.");
    QTest::newRow("401 is not retried and the echoed key is redacted")
        << cc
        << QByteArray(R"({"exchanges":[{"status":401,"body":{"error":{"message":"Authentication Fails, Your api key: sk-test-0123456789abcdef is invalid"}}}]})")
        << 0 << QStringLiteral("auth") << QString() << false
        << QStringLiteral("DeepSeek rejected the API key (HTTP 401): Authentication Fails, Your api key: [redacted] is invalid. "
                          "Check the key in Settings → Providers or the environment variable it is read from.");
    QTest::newRow("403 with a masked echo of the key")
        << cc
        << QByteArray(R"({"exchanges":[{"status":403,"body":{"error":{"message":"Incorrect API key provided: sk-test-0123****cdef"}}}]})")
        << 0 << QStringLiteral("auth") << QString() << false << QStringLiteral("Incorrect API key provided: [redacted]");
    QTest::newRow("404 names the model and base URL")
        << cc << QByteArray(R"({"exchanges":[{"status":404,"body":{"error":{"message":"Model Not Exist"}}}]})") << 0
        << QStringLiteral("http_404") << QString() << false << QStringLiteral("Check the model name and the base URL.");
    QTest::newRow("context overflow is one clear message")
        << cc
        << QByteArray(R"({"exchanges":[{"status":400,"body":{"error":{"message":"This model's maximum context length is 131072 tokens. However, you requested 140000 tokens."}}}]})")
        << 0 << QStringLiteral("context_overflow") << QString() << false << QStringLiteral("Compact it with /compact");
    QTest::newRow("a stream broken before content is retried")
        << cc << withOk(R"({"events":[{"comment":"keep-alive"}],"disconnect":true})") << 1 << QString()
        << QStringLiteral("ok") << false << QString();
    QTest::newRow("an error chunk before content is retried")
        << cc << withOk(R"({"events":[{"data":{"error":{"message":"busy","type":"server_error"}}}]})") << 1 << QString()
        << QStringLiteral("ok") << false << QString();
    QTest::newRow("a stream broken after content keeps the text and is not retried")
        << cc
        << QByteArray(R"({"exchanges":[{"events":[{"data":{"choices":[{"delta":{"content":"The answer is"}}]}}],"disconnect":true}]})")
        << 0 << QStringLiteral("network") << QStringLiteral("The answer is") << true << QString();
    QTest::newRow("a stream ended cleanly but without a finish is incomplete")
        << cc << QByteArray(R"({"exchanges":[{"events":[{"data":{"choices":[{"delta":{"content":"Half"}}]}}]}]})") << 0
        << QStringLiteral("network") << QStringLiteral("Half") << true
        << QStringLiteral("ended before the answer was complete");
    QTest::newRow("a finish then a dropped connection is a whole answer")
        << cc
        << QByteArray(R"({"exchanges":[{"events":[{"data":{"choices":[{"delta":{"content":"Whole"},"finish_reason":"stop"}]}}],"disconnect":true}]})")
        << 0 << QString() << QStringLiteral("Whole") << false << QString();
    QTest::newRow("Anthropic: overloaded_error event, then success")
        << QStringLiteral("anthropic")
        << QByteArray(R"({"exchanges":[{"events":[{"event":"error","data":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}]},)"
                      R"({"events":[{"event":"message_start","data":{"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}},)"
                      R"({"event":"content_block_start","data":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}},)"
                      R"({"event":"ping","data":{"type":"ping"}},)"
                      R"({"event":"content_block_delta","data":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}},)"
                      R"({"event":"content_block_stop","data":{"type":"content_block_stop","index":0}},)"
                      R"({"event":"message_delta","data":{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}},)"
                      R"({"event":"message_stop","data":{"type":"message_stop"}}]}]})")
        << 1 << QString() << QStringLiteral("ok") << false << QString();
    QTest::newRow("Anthropic: 529 then success")
        << QStringLiteral("anthropic")
        << QByteArray(R"({"exchanges":[{"status":529,"body":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}},)"
                      R"({"events":[{"data":{"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}},)"
                      R"({"data":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"ok"}}},)"
                      R"({"data":{"type":"content_block_stop","index":0}},{"data":{"type":"message_stop"}}]}]})")
        << 1 << QString() << QStringLiteral("ok") << false << QString();
}

void TstModelCall::retries()
{
    QFETCH(QString, provider);
    QFETCH(QByteArray, scenario);
    QFETCH(int, retries);
    QFETCH(QString, errorCode);
    QFETCH(QString, text);
    QFETCH(bool, incomplete);
    QFETCH(QString, messageContains);

    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario(::scenario(scenario)));
    const ProviderConfig c = config(provider, server);
    const Outcome outcome = run(c, simpleRequest());

    QCOMPARE(int(outcome.retries.size()), retries);
    for (std::size_t i = 0; i < outcome.retries.size(); ++i) {
        QCOMPARE(outcome.retries[i].attempt, int(i) + 1);
        QCOMPARE(outcome.retries[i].maxAttempts, c.maxRetries);
        QVERIFY(!outcome.retries[i].reason.contains(kKey));
    }
    if (QByteArray(QTest::currentDataTag()).startsWith("429")) {
        QCOMPARE(outcome.retries[0].delayMs, 1000);
        QVERIFY2(outcome.elapsedMs >= 1000, qPrintable(QString::number(outcome.elapsedMs)));
    } else {
        for (const auto &r : outcome.retries) // 20 ms base, doubling, ±25 % jitter
            QVERIFY2(r.delayMs >= 15 * (1 << (r.attempt - 1)) && r.delayMs <= 25 * (1 << (r.attempt - 1)),
                     qPrintable(QString::number(r.delayMs)));
    }
    QCOMPARE(outcome.response.error ? outcome.response.error->code : QString(), errorCode);
    QCOMPARE(outcome.response.text, text);
    QCOMPARE(outcome.response.incomplete, incomplete);
    QVERIFY(outcome.response.toolCalls.empty());
    if (outcome.response.error) {
        QVERIFY(!outcome.response.error->message.contains(kKey));
        QVERIFY2(outcome.response.error->message.contains(messageContains), qPrintable(outcome.response.error->message));
    }
    // Every scripted exchange was used, and no more.
    QCOMPARE(server.requests().size(), retries + 1);
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    // What the consumer saw was never repeated: text events add up to the text exactly once.
    QString streamed;
    for (const StreamEvent &e : outcome.events)
        if (auto *t = std::get_if<TextDelta>(&e))
            streamed += t->text;
    QCOMPARE(streamed, text);
}

void TstModelCall::connectionRefused()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    ProviderConfig c = config(QStringLiteral("deepseek"), server);
    c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1")); // nothing listens on port 1
    c.maxRetries = 2;
    const Outcome outcome = run(c, simpleRequest());
    QCOMPARE(outcome.retries.size(), std::size_t(2));
    QVERIFY(outcome.response.error);
    QCOMPARE(outcome.response.error->code, QStringLiteral("network"));
    QVERIFY2(outcome.response.error->message.startsWith(QStringLiteral("Could not reach DeepSeek at http://127.0.0.1:1")),
             qPrintable(outcome.response.error->message));
}

void TstModelCall::idleTimeout()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    // Headers, then silence.
    QVERIFY(server.loadScenario(scenario(R"({"exchanges":[{"events":[],"hangMs":5000}]})")));
    ProviderConfig c = config(QStringLiteral("deepseek"), server);
    c.idleTimeoutMs = 300;
    c.maxRetries = 0;
    const Outcome outcome = run(c, simpleRequest());
    QVERIFY(outcome.response.error);
    QCOMPARE(outcome.response.error->code, QStringLiteral("idle_timeout"));
    QCOMPARE(outcome.response.error->message, QStringLiteral("DeepSeek sent nothing for 0.3 s; the connection was given up."));
    QVERIFY2(outcome.elapsedMs < 4000, qPrintable(QString::number(outcome.elapsedMs)));
}

void TstModelCall::noContentTimeout()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QByteArray events;
    for (int i = 0; i < 40; ++i)
        events += QByteArray(i ? "," : "") + R"({"comment":"keep-alive","delayMs":100})";
    QVERIFY(server.loadScenario(scenario(R"({"exchanges":[{"events":[)" + events + "]}]}")));
    ProviderConfig c = config(QStringLiteral("deepseek"), server);
    c.idleTimeoutMs = 400;     // the keep-alives keep the connection alive…
    c.noContentTimeoutMs = 700; // …but no content ever comes
    c.maxRetries = 0;
    const Outcome outcome = run(c, simpleRequest());
    QVERIFY(outcome.response.error);
    QCOMPARE(outcome.response.error->code, QStringLiteral("no_content_timeout"));
    QVERIFY2(outcome.elapsedMs < 3000, qPrintable(QString::number(outcome.elapsedMs)));
}

void TstModelCall::keepAlivesAreNotContent()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QByteArray events;
    for (int i = 0; i < 8; ++i)
        events += R"({"comment":"keep-alive","delayMs":100},)";
    events += R"({"data":{"choices":[{"delta":{"content":"late"},"finish_reason":"stop"}]}},{"data":"[DONE]"})";
    QVERIFY(server.loadScenario(scenario(R"({"exchanges":[{"events":[)" + events + "]}]}")));
    ProviderConfig c = config(QStringLiteral("deepseek"), server);
    c.idleTimeoutMs = 400; // longer than the gap between keep-alives, shorter than the wait for content
    c.maxRetries = 0;
    const Outcome outcome = run(c, simpleRequest());
    QVERIFY2(!outcome.response.error, qPrintable(outcome.response.error ? outcome.response.error->message : QString()));
    QCOMPARE(outcome.response.text, QStringLiteral("late"));
    QCOMPARE(outcome.events.size(), std::size_t(2)); // the text and the finish; comments are no events
}

void TstModelCall::cancellation()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario(scenario(
        R"({"exchanges":[{"events":[{"data":{"choices":[{"delta":{"content":"first"}}]}},)"
        R"({"data":{"choices":[{"delta":{"content":" second"},"finish_reason":"stop"}]},"delayMs":3000}]}]})")));
    const ProviderConfig c = config(QStringLiteral("deepseek"), server);
    const Outcome outcome = run(c, simpleRequest(), [](ModelCall &call) { call.cancel(); });
    QVERIFY(outcome.response.error);
    QCOMPARE(outcome.response.error->code, QStringLiteral("cancelled"));
    QCOMPARE(outcome.response.text, QStringLiteral("first"));
    QVERIFY(outcome.response.incomplete);
    QVERIFY2(outcome.elapsedMs < 2000, qPrintable(QString::number(outcome.elapsedMs)));
    QVERIFY(outcome.retries.empty());
}

void TstModelCall::oneBytePerReadGivesTheSameEvents()
{
    QFile file(QStringLiteral(REINS_SCENARIOS "/deepseek_tool_round_trip.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject whole = QJsonDocument::fromJson(file.readAll()).object();
    QJsonArray exchanges = whole.value(QLatin1String("exchanges")).toArray();
    exchanges.removeLast();
    whole.insert(QStringLiteral("exchanges"), exchanges);
    QJsonObject split = whole;
    QJsonObject exchange = exchanges.first().toObject();
    exchange.insert(QStringLiteral("splitBytes"), 1);
    split.insert(QStringLiteral("exchanges"), QJsonArray{exchange});

    std::vector<StreamEvent> results[2];
    int i = 0;
    for (const QJsonObject &s : {whole, split}) {
        FakeModelServer server;
        QVERIFY(server.listen());
        QVERIFY(server.loadScenario(s));
        ModelRequest request = simpleRequest();
        request.thinking = true;
        const Outcome outcome = run(config(QStringLiteral("deepseek"), server), request);
        QVERIFY(!outcome.response.error);
        QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
        results[i++] = outcome.events;
    }
    QVERIFY2(results[0] == results[1], qPrintable(reins::test::describe(results[1])));
    QCOMPARE(results[0].size(), std::size_t(6)); // 2 reasoning, 1 text, 1 call, finish, usage
}

void TstModelCall::anthropicThroughTheServer()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenarioFile(QStringLiteral(REINS_SCENARIOS "/anthropic_tool_use.json")));
    ProviderConfig c = config(QStringLiteral("anthropic"), server);
    c.apiKey = QStringLiteral("sk-ant-test-0123456789");
    ModelRequest request;
    request.model = QStringLiteral("claude-test");
    request.system = QStringLiteral("Be brief.");
    request.tools = {{QStringLiteral("read_file"), QStringLiteral("Read a file"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}},
                     {QStringLiteral("search"), QStringLiteral("Search"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}};
    request.messages.push_back(ChatMessage{ChatMessage::Role::User, QStringLiteral("Read a.txt"), {}, {}, {}, {}, false});
    const Outcome outcome = run(c, request);
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    QVERIFY(!outcome.response.error);
    QCOMPARE(outcome.response.text, QStringLiteral("Reading it."));
    QCOMPARE(outcome.response.toolCalls.size(), std::size_t(1));
    QCOMPARE(outcome.response.toolCalls[0].arguments, QStringLiteral(R"({"path": "a.txt"})"));
    QCOMPARE(outcome.response.finishReason, QStringLiteral("tool_use"));
    QCOMPARE(*outcome.response.usage, (protocol::TokenUsage{2030, 2000, 30, 42, 0, 0}));
    // At most four cache breakpoints.
    QCOMPARE(server.requests()[0].body.count("cache_control"), 3);
}

void TstModelCall::modelList_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<QStringList>("models");
    QTest::addColumn<QString>("error");

    QTest::newRow("OpenAI-compatible")
        << QStringLiteral("ollama")
        << QByteArray(R"({"exchanges":[{"expect":{"method":"GET","path":"/models"},"body":{"object":"list","data":[{"id":"qwen3:8b"},{"id":"llama3.2"}]}}]})")
        << QStringList{QStringLiteral("qwen3:8b"), QStringLiteral("llama3.2")} << QString();
    QTest::newRow("Anthropic")
        << QStringLiteral("anthropic")
        << QByteArray(R"({"exchanges":[{"expect":{"method":"GET","path":"/v1/models","headers":{"anthropic-version":"2023-06-01"}},"body":{"data":[{"id":"claude-a","type":"model"}],"has_more":false}}]})")
        << QStringList{QStringLiteral("claude-a")} << QString();
    QTest::newRow("not supported")
        << QStringLiteral("llamacpp") << QByteArray(R"({"exchanges":[{"status":404,"body":"Not Found"}]})")
        << QStringList{} << QStringLiteral("llama.cpp does not know this model or endpoint (HTTP 404): Not Found. Check the model name and the base URL.");
}

void TstModelCall::modelList()
{
    QFETCH(QString, provider);
    QFETCH(QByteArray, scenario);
    QFETCH(QStringList, models);
    QFETCH(QString, error);

    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario(::scenario(scenario)));
    QNetworkAccessManager network;
    ModelList list(config(provider, server), &network);
    QSignalSpy finished(&list, &ModelList::finished);
    list.start();
    QVERIFY(finished.wait(10'000));
    const auto result = finished.first().first().value<Result<QStringList>>();
    QVERIFY2(server.finishedCleanly(), qPrintable(server.failures().join(u'\n')));
    if (error.isEmpty()) {
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, models);
    } else {
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().message, error);
    }
}

QTEST_GUILESS_MAIN(TstModelCall)
#include "tst_modelcall.moc"
