#include "protocol/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace reins::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(AgentEvent)

namespace {

AgentEvent ev(qint64 seq, EventPayload payload)
{
    return AgentEvent{seq, 1'764'000'000'000 + seq * 37, std::move(payload)};
}

QJsonObject args(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TstAgentEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void everyAlternativeIsCovered();
    void jsonForm();
    void rejects_data();
    void rejects();
    void deltaLinesTakeTheShortPath_data();
    void deltaLinesTakeTheShortPath();
    void otherSpellingsTakeTheGeneralPath_data();
    void otherSpellingsTakeTheGeneralPath();
    void flatLinesTakeTheShortPath_data() { roundTrip_data(); }
    void flatLinesTakeTheShortPath();
    void flatPathAgreesWithTheGeneralPath_data();
    void flatPathAgreesWithTheGeneralPath();
    void flatPathAgreesOnRandomLines();

private:
    QSet<QString> m_roundTripped;
};

void TstAgentEvent::roundTrip_data()
{
    QTest::addColumn<AgentEvent>("event");

    QTest::newRow("session started") << ev(1, SessionStarted{QStringLiteral("s-1"), QStringLiteral("/home/u/proj"),
                                                             QStringLiteral("deepseek"), QStringLiteral("deepseek-flash"),
                                                             ApprovalMode::AutoEdit});
    QTest::newRow("turn started") << ev(2, TurnStarted{QStringLiteral("t1"), QStringLiteral("add a test\n\tfor ∑ & \"quotes\"")});
    QTest::newRow("assistant delta") << ev(3, AssistantDelta{QStringLiteral("Let me look")});
    QTest::newRow("assistant delta, emoji and NUL-free control chars")
        << ev(4, AssistantDelta{QStringLiteral("ok 👍\r\n\u0001")});
    QTest::newRow("reasoning delta") << ev(5, ReasoningDelta{QStringLiteral("The user wants…")});
    QTest::newRow("message done") << ev(6, AssistantMessageDone{QStringLiteral("tool_calls"), false});
    QTest::newRow("message incomplete") << ev(7, AssistantMessageDone{QString(), true});
    QTest::newRow("tool call proposed")
        << ev(8, ToolCallProposed{QStringLiteral("call_0"), QStringLiteral("read_file"),
                                  args(R"({"path":"src/main.cpp","offset":10,"limit":200})")});
    QTest::newRow("tool call, nested arguments")
        << ev(9, ToolCallProposed{QStringLiteral("call_1"), QStringLiteral("update_plan"),
                                  args(R"({"items":[{"text":"read","status":"done"},{"text":"edit","status":"pending"}]})")});
    QTest::newRow("approval requested, command")
        << ev(10, ApprovalRequested{QStringLiteral("call_2"), QStringLiteral("run_command"),
                                    args(R"({"command":"npm test && rm -rf build"})"), QString(),
                                    QStringLiteral("npm test && rm -rf build"),
                                    {QStringLiteral("npm test"), QStringLiteral("rm -rf build")},
                                    QStringLiteral("/home/u/proj"), QStringLiteral("bubblewrap"),
                                    QStringLiteral("allow: npm test"), {QStringLiteral("deletes files")}});
    QTest::newRow("approval requested, a rule that asks")
        << ev(10, ApprovalRequested{QStringLiteral("call_2"), QStringLiteral("run_command"), args(R"({"command":"git push"})"),
                                    QString(), QStringLiteral("git push"), {QStringLiteral("git push")},
                                    QStringLiteral("/home/u/proj"), QStringLiteral("none"),
                                    QStringLiteral("ask run_command `git push`"),
                                    {QStringLiteral("a rule asks: ask run_command `git push`")}, {}, true});
    QTest::newRow("approval requested, edit")
        << ev(11, ApprovalRequested{QStringLiteral("call_3"), QStringLiteral("edit_file"),
                                    args(R"({"path":"a.txt","old_string":"a","new_string":"b"})"),
                                    QStringLiteral("--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n"), QString(), {},
                                    QString(), QStringLiteral("none"), QString(), {}});
    QTest::newRow("approval requested, files to review")
        << ev(11, ApprovalRequested{QStringLiteral("call_4"), QStringLiteral("apply_patch"), args(R"({"patch":"…"})"),
                                    QStringLiteral("…"), QString(), {}, QString(), QStringLiteral("none"), QString(), {},
                                    {ProposedFile{QStringLiteral("a.txt"), QStringLiteral("a.txt"), QStringLiteral("a\n"),
                                                  QStringLiteral("b\n"), false, false},
                                     ProposedFile{QStringLiteral("new.txt"), QStringLiteral("new.txt"), std::nullopt,
                                                  QStringLiteral("é✓\n"), false, false},
                                     ProposedFile{QStringLiteral("logo.png"), QStringLiteral("img/logo.png"),
                                                  std::nullopt, std::nullopt, true, false}}});
    QTest::newRow("approval resolved") << ev(12, ApprovalResolved{QStringLiteral("call_2"),
                                                                  ApprovalDecision::ApproveSession, QString(),
                                                                  QStringLiteral("allow: npm test")});
    QTest::newRow("approval denied") << ev(13, ApprovalResolved{QStringLiteral("call_3"), ApprovalDecision::Deny,
                                                                QStringLiteral("keep a.txt as is"), QString()});
    QTest::newRow("tool started") << ev(14, ToolStarted{QStringLiteral("call_2"), QStringLiteral("run_command")});
    QTest::newRow("tool output stdout") << ev(15, ToolOutput{QStringLiteral("call_2"), OutputStream::Stdout,
                                                             QStringLiteral("PASS 12 tests\n")});
    QTest::newRow("tool output stderr") << ev(16, ToolOutput{QStringLiteral("call_2"), OutputStream::Stderr,
                                                             QStringLiteral("warning: x\n")});
    QTest::newRow("tool finished ok") << ev(17, ToolFinished{QStringLiteral("call_2"), ToolOutcome::Ok,
                                                             QStringLiteral("exit 0"), 0, 1234});
    QTest::newRow("tool finished, no exit code") << ev(18, ToolFinished{QStringLiteral("call_0"), ToolOutcome::Failed,
                                                                        QStringLiteral("no such file"), std::nullopt, 3});
    QTest::newRow("tool finished, negative exit") << ev(19, ToolFinished{QStringLiteral("c"), ToolOutcome::Interrupted,
                                                                         QString(), -9, 120000});
    QTest::newRow("tool denied") << ev(20, ToolFinished{QStringLiteral("call_3"), ToolOutcome::Denied,
                                                        QStringLiteral("denied: keep a.txt as is"), std::nullopt, 0});
    QTest::newRow("checkpoint") << ev(21, CheckpointCreated{QStringLiteral("ck-3f2a"), QStringLiteral("call_2"),
                                                            QStringLiteral("after npm test"), 3, false});
    QTest::newRow("checkpoint partial") << ev(22, CheckpointCreated{QStringLiteral("ck-2"), QString(),
                                                                    QStringLiteral("skipped big.bin (50 MB)"), 0, true});
    QTest::newRow("restore planned") << ev(35, RestorePlanned{QStringLiteral("ck-3f2a"), {QStringLiteral("a.txt")},
                                                               {QStringLiteral("b.txt")}, {QStringLiteral("c ü.txt")},
                                                               {QStringLiteral("a.txt")}});
    QTest::newRow("committed") << ev(36, Committed{QStringLiteral("0123abcd"), QStringLiteral("main"), QStringLiteral("Add mul()"), 3});
    QTest::newRow("restored") << ev(23, CheckpointRestored{QStringLiteral("ck-3f2a"), RestoreScope::Files,
                                                           QStringLiteral("ck-undo"), 2});
    QTest::newRow("plan") << ev(24, PlanUpdated{{{QStringLiteral("read the code"), PlanStatus::Done},
                                                 {QStringLiteral("fix it"), PlanStatus::InProgress},
                                                 {QStringLiteral("run tests"), PlanStatus::Pending}}});
    QTest::newRow("empty plan") << ev(25, PlanUpdated{});
    QTest::newRow("usage with cost") << ev(26, Usage{{1200, 1000, 200, 300, 120}, 0.000418, QStringLiteral("USD")});
    QTest::newRow("usage, cost unknown") << ev(27, Usage{{10, 0, 10, 5, 0}, std::nullopt, QString()});
    QTest::newRow("usage, large counts") << ev(28, Usage{{4'000'000'000LL, 3'999'999'999LL, 1, 1, 0}, 0.0,
                                                         QStringLiteral("CNY")});
    QTest::newRow("retry") << ev(29, Retry{2, 5, 4000, QStringLiteral("HTTP 503 from the server")});
    QTest::newRow("compacted") << ev(30, Compacted{QStringLiteral("We fixed the parser."), 7});
    QTest::newRow("turn completed") << ev(31, TurnCompleted{QStringLiteral("t1"), TurnEndReason::Done, QString()});
    QTest::newRow("turn step budget") << ev(32, TurnCompleted{QStringLiteral("t1"), TurnEndReason::StepBudget,
                                                              QStringLiteral("50 steps used")});
    QTest::newRow("error") << ev(33, ErrorEvent{QStringLiteral("DeepSeek rejected the key"), false,
                                                QStringLiteral("http_401")});
    QTest::newRow("warning") << ev(34, Warning{QStringLiteral("journal line 7 was torn and skipped")});
    QTest::newRow("approval mode changed") << ev(40, ApprovalModeChanged{ApprovalMode::FullAuto});
    QTest::newRow("model changed") << ev(41, ModelChanged{QStringLiteral("deepseek-reasoner")});
    QTest::newRow("seq and time zero") << AgentEvent{0, 0, Warning{}};
}

void TstAgentEvent::roundTrip()
{
    QFETCH(AgentEvent, event);
    m_roundTripped.insert(typeName(event.payload));

    const QByteArray line = toJsonLine(event);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1); // one event, one line, whatever the text holds
    const auto back = agentEventFromJsonLine(line);
    QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().message));
    QVERIFY(*back == event);
    QCOMPARE(toJsonLine(*back), line);

    const auto fromObject = agentEventFromJson(toJson(event));
    QVERIFY(fromObject.has_value());
    QVERIFY(*fromObject == event);
}

void TstAgentEvent::everyAlternativeIsCovered()
{
    // A new event type must get a row in roundTrip_data.
    if (m_roundTripped.isEmpty())
        QSKIP("needs the roundTrip rows to have run");
    const auto check = [this]<std::size_t... I>(std::index_sequence<I...>) {
        QStringList missing;
        ((m_roundTripped.contains(typeName(EventPayload(std::in_place_index<I>))) ? void()
                                                                                   : missing.append(typeName(EventPayload(std::in_place_index<I>)))),
         ...);
        return missing;
    };
    const QStringList missing = check(std::make_index_sequence<std::variant_size_v<EventPayload>>{});
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("no round-trip row for: ") + missing.join(u' ')));
}

void TstAgentEvent::jsonForm()
{
    // The exact line format is a contract for scripts reading `reins exec --json` and the journal.
    const AgentEvent e{7, 1000, ToolFinished{QStringLiteral("c1"), ToolOutcome::Ok, QStringLiteral("done"), 0, 15}};
    QCOMPARE(toJsonLine(e),
             QByteArray(R"({"callId":"c1","durationMs":15,"exitCode":0,"outcome":"ok","result":"done","seq":7,)"
                        R"("time":1000,"type":"tool_finished"})" "\n"));
    const AgentEvent u{8, 1001, Usage{{3, 2, 1, 4, 0}, std::nullopt, QString()}};
    QCOMPARE(toJsonLine(u),
             QByteArray(R"({"currency":"","seq":8,"time":1001,"tokens":{"cacheHitTokens":2,"cacheMissTokens":1,"cacheWriteTokens":0,)"
                        R"("inputTokens":3,"outputTokens":4,"reasoningTokens":0},"type":"usage"})" "\n"));
}

void TstAgentEvent::rejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");

    QTest::newRow("torn line") << QByteArray(R"({"type":"assistant_delta","te)")
                               << QStringLiteral("invalid event: not JSON (unterminated string at offset 30)");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("invalid event: not JSON (illegal value at offset 0)");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("invalid event: not a JSON object");
    QTest::newRow("unknown type") << QByteArray(R"({"type":"nope"})")
                                  << QStringLiteral("invalid event: unknown type 'nope'");
    QTest::newRow("op is not an event") << QByteArray(R"({"type":"user_turn"})")
                                        << QStringLiteral("invalid event: unknown type 'user_turn'");
    QTest::newRow("seq not a number") << QByteArray(R"({"type":"warning","seq":"1"})")
                                      << QStringLiteral("invalid event: field 'seq' must be a whole number");
    QTest::newRow("seq fractional") << QByteArray(R"({"type":"warning","seq":1.5})")
                                    << QStringLiteral("invalid event: field 'seq' must be a whole number");
    QTest::newRow("exit code too large") << QByteArray(R"({"type":"tool_finished","exitCode":1e12})")
                                         << QStringLiteral("invalid event: 'tool_finished': field 'exitCode' must be "
                                                           "a whole number");
    QTest::newRow("bad nested enum")
        << QByteArray(R"({"type":"plan_updated","items":[{"text":"a","status":"done"},{"text":"b","status":"later"}]})")
        << QStringLiteral("invalid event: 'plan_updated': field 'items[1].status' must be one of pending, "
                          "in_progress, done");
    QTest::newRow("items not an array") << QByteArray(R"({"type":"plan_updated","items":{}})")
                                        << QStringLiteral("invalid event: 'plan_updated': field 'items' must be an array");
    QTest::newRow("arguments not an object") << QByteArray(R"({"type":"tool_call_proposed","arguments":"{}"})")
                                             << QStringLiteral("invalid event: 'tool_call_proposed': field 'arguments' "
                                                               "must be an object");
    QTest::newRow("subcommands with a number")
        << QByteArray(R"({"type":"approval_requested","subcommands":["ls",1]})")
        << QStringLiteral("invalid event: 'approval_requested': field 'subcommands' must be an array of strings");
    QTest::newRow("nested token count")
        << QByteArray(R"({"type":"usage","tokens":{"inputTokens":"many"}})")
        << QStringLiteral("invalid event: 'usage': field 'tokens.inputTokens' must be a whole number");
}

void TstAgentEvent::rejects()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    const auto event = agentEventFromJsonLine(line);
    QVERIFY(!event.has_value());
    QCOMPARE(event.error().message, error);
}

// Every event of the round trip whose JSON has no nested value is read by the flat path, the same as the general
// path reads it; the others are left to the general path.
void TstAgentEvent::flatLinesTakeTheShortPath()
{
    QFETCH(AgentEvent, event);
    const QByteArray line = toJsonLine(event);
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    bool flat = true;
    for (const QJsonValue &value : object)
        flat = flat && !value.isObject() && !value.isArray()
               && !(value.isDouble() && (value.toDouble() != std::floor(value.toDouble()) || std::abs(value.toDouble()) >= 1e15));
    const std::optional<AgentEvent> fast = flatEventFromJsonLine(line);
    QCOMPARE(bool(fast), flat);
    if (fast) {
        QCOMPARE(*fast, event);
        QCOMPARE(*fast, agentEventFromJson(object).value());
    }
}

// Spellings of flat events other than toJsonLine's: the flat path reads some (the same as the general path) and
// leaves the rest to it, never reading what the general path refuses.
void TstAgentEvent::flatPathAgreesWithTheGeneralPath_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("flat");  // read by the flat path
    QTest::addColumn<bool>("valid"); // read by the general path
    const auto finished = [](const char *middle) {
        return QByteArray(R"({"callId":"c1",)") + QByteArray(middle) + QByteArray(R"(,"seq":7,"time":9,"type":"tool_finished"})");
    };
    QTest::newRow("as written") << finished(R"("durationMs":12,"exitCode":0,"outcome":"ok","result":"done")") << true << true;
    QTest::newRow("keys in another order")
        << QByteArray(R"({"type":"tool_finished","time":9,"seq":7,"result":"done","outcome":"ok","callId":"c1"})") << true << true;
    QTest::newRow("a negative exit code") << finished(R"("exitCode":-1,"outcome":"failed")") << true << true;
    QTest::newRow("exit code null") << finished(R"("exitCode":null,"outcome":"ok")") << true << true;
    QTest::newRow("escapes in a value") << finished(R"("outcome":"ok","result":"a\u0041\n\"b\"\\")") << true << true;
    QTest::newRow("a field left out") << finished(R"("outcome":"ok")") << true << true;
    QTest::newRow("spaces") << finished(R"("outcome": "ok")") << false << true;
    QTest::newRow("an unknown key") << finished(R"("outcome":"ok","x":1)") << false << true;
    QTest::newRow("a key with an escape") << finished(R"("outc\u006fme":"ok")") << false << true;
    QTest::newRow("a key twice") << finished(R"("outcome":"ok","outcome":"failed")") << false << true;
    QTest::newRow("exit code 1.0") << finished(R"("exitCode":1.0)") << false << true;
    QTest::newRow("exit code -0") << finished(R"("exitCode":-0)") << false << true;
    QTest::newRow("exit code with 16 digits") << finished(R"("durationMs":1234567890123456)") << false << true;
    QTest::newRow("a raw tab in a value") << finished("\"result\":\"a\tb\"") << false << true;
    QTest::newRow("seq left out") << QByteArray(R"({"callId":"c1","time":9,"type":"tool_finished"})") << false << true;
    QTest::newRow("exit code as a string") << finished(R"("exitCode":"1")") << false << false;
    QTest::newRow("exit code past an int") << finished(R"("exitCode":3000000000)") << false << false;
    QTest::newRow("an unknown outcome") << finished(R"("outcome":"fine")") << false << false;
    QTest::newRow("a nested value") << finished(R"("result":{"a":1})") << false << false;
    QTest::newRow("a leading zero") << finished(R"("exitCode":01)") << false << false;
    QTest::newRow("seq null") << QByteArray(R"({"callId":"c1","seq":null,"time":9,"type":"tool_finished"})") << false << false;
    QTest::newRow("an unknown type") << QByteArray(R"({"seq":1,"time":2,"type":"tool_vanished"})") << false << false;
    QTest::newRow("no type") << QByteArray(R"({"seq":1,"time":2})") << false << false;
    QTest::newRow("empty object") << QByteArray("{}") << false << false;
    QTest::newRow("something after") << finished(R"("outcome":"ok")") + " x" << false << false;
    QTest::newRow("cut short") << QByteArray(finished(R"("outcome":"ok")")).chopped(1) << false << false;
    QTest::newRow("a flag") << QByteArray(R"({"finishReason":"stop","incomplete":true,"seq":3,"time":4,"type":"assistant_message_done"})")
                            << true << true;
    QTest::newRow("a flag as a number") << QByteArray(R"({"incomplete":1,"seq":3,"time":4,"type":"assistant_message_done"})")
                                        << false << false;
    QTest::newRow("an output stream")
        << QByteArray(R"({"callId":"c2","seq":5,"stream":"stderr","text":"oops\n","time":6,"type":"tool_output"})") << true
        << true;
}

void TstAgentEvent::flatPathAgreesWithTheGeneralPath()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, flat);
    QFETCH(bool, valid);
    const std::optional<AgentEvent> fast = flatEventFromJsonLine(line);
    QCOMPARE(bool(fast), flat);
    const auto read = agentEventFromJsonLine(line);
    QVERIFY2(bool(read) == valid, read ? "read" : qPrintable(read.error().message));
    if (fast) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(*fast, agentEventFromJson(object).value());
        QCOMPARE(*fast, *read);
    }
}

// Random flat events and random damage to their lines: whatever the flat path reads, the general path reads the
// same; whatever the general path refuses, the flat path does not read.
void TstAgentEvent::flatPathAgreesOnRandomLines()
{
    QRandomGenerator random(20261128);
    bool clean = true; // toJsonLine's spelling of a valid event, which the flat path must read
    const auto text = [&] {
        // Pieces of JSON string text (escapes as JSON writes them); the last two are left to Qt by the flat path (a raw
        // control character, a lone surrogate).
        static const char16_t pieces[][16] = {u"a", u"Z", u"0", u" ", uR"(\\)", uR"(\")", uR"(\n)", uR"(\t)", u"é", u"東",
                                              uR"(\u0001)", uR"(\u00e9)", uR"(\ud83d\ude00)", u"/", uR"(\/)", u"{", u"]",
                                              u"\U0001F600", u"\t", uR"(\ud800)"};
        constexpr int kLeftToQt = 2;
        QString out;
        const int length = int(random.bounded(12));
        for (int i = 0; i < length; ++i) {
            const int piece = random.bounded(20) == 0 ? int(std::size(pieces)) - 1 - int(random.bounded(kLeftToQt))
                                                      : int(random.bounded(int(std::size(pieces)) - kLeftToQt));
            clean = clean && piece < int(std::size(pieces)) - kLeftToQt;
            out += QString::fromUtf16(pieces[piece]);
        }
        return out;
    };
    const char *outcomes[] = {"ok", "failed", "denied", "interrupted", "timed_out", "nonsense"};
    const char *streams[] = {"stdout", "stderr", "other"};
    int flatRead = 0, generalRead = 0, checked = 0;
    int cleanLines = 0;
    for (int i = 0; i < 6000; ++i) {
        QByteArray line;
        clean = true;
        const int outcome = int(random.bounded(6)), stream = int(random.bounded(3));
        switch (random.bounded(3)) {
        case 0:
            line = QStringLiteral(R"({"callId":"%1","durationMs":%2,"exitCode":%3,"outcome":"%4","result":"%5","seq":%6,"time":%7,"type":"tool_finished"})")
                       .arg(text()).arg(random.bounded(100000)).arg(int(random.bounded(512)) - 256)
                       .arg(QLatin1String(outcomes[outcome]), text()).arg(i).arg(random.bounded(1000000))
                       .toUtf8();
            clean = clean && outcome < 4; // the last two are no outcome of ours
            break;
        case 1:
            line = QStringLiteral(R"({"callId":"%1","seq":%2,"stream":"%3","text":"%4","time":%5,"type":"tool_output"})")
                       .arg(text()).arg(i).arg(QLatin1String(streams[stream]), text()).arg(random.bounded(99))
                       .toUtf8();
            clean = clean && stream != 2;
            break;
        default:
            line = QStringLiteral(R"({"message":"%1","reason":"%2","seq":%3,"time":%4,"turnId":"%5","type":"turn_completed"})")
                       .arg(text(), QLatin1String(random.bounded(2) ? "done" : "error")).arg(i).arg(i).arg(text())
                       .toUtf8();
            break;
        }
        if (random.bounded(3) == 0 && !line.isEmpty()) { // damage: a byte changed, removed or added
            clean = false;
            const qsizetype at = random.bounded(int(line.size()));
            const char bytes[] = {'"', '\\', ',', ':', '}', '{', ' ', '1', '-', '.', 'e', 'n', '\x01', '\xe9'};
            switch (random.bounded(3)) {
            case 0: line[at] = bytes[random.bounded(int(sizeof bytes))]; break;
            case 1: line.remove(at, 1); break;
            default: line.insert(at, bytes[random.bounded(int(sizeof bytes))]); break;
            }
        }
        const std::optional<AgentEvent> fast = flatEventFromJsonLine(line);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        const auto general = error.error == QJsonParseError::NoError && doc.isObject()
                                 ? agentEventFromJson(doc.object())
                                 : reins::Result<AgentEvent>(reins::fail(QStringLiteral("not JSON")));
        generalRead += general.has_value();
        if (clean) {
            ++cleanLines;
            QVERIFY2(fast, line.constData());
        }
        if (fast) {
            ++flatRead;
            QVERIFY2(general, line.constData());
            QVERIFY2(*fast == *general, line.constData());
        }
        ++checked;
    }
    QVERIFY2(cleanLines > 1500 && generalRead > cleanLines && flatRead >= cleanLines,
             qPrintable(u"%1 clean, %2 read by the general path, %3 by the flat path"_s.arg(cleanLines).arg(generalRead).arg(flatRead)));
    QCOMPARE(checked, 6000);
}

QTEST_GUILESS_MAIN(TstAgentEvent)
// A streamed piece of an answer, as toJsonLine writes it, is read without a QJsonObject — to the same event the
// general path gives.
void TstAgentEvent::deltaLinesTakeTheShortPath_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<qint64>("time");
    QTest::newRow("plain") << QStringLiteral("I looked at the parser") << qint64(3) << qint64(1'764'000'020'040);
    QTest::newRow("empty") << QString() << qint64(1) << qint64(0);
    QTest::newRow("escapes") << QStringLiteral("a \"quote\", a \\ and\n\ta tab, \u0001 \u001f") << qint64(10) << qint64(7);
    QTest::newRow("non-ASCII") << QStringLiteral("café — 東京 — \U0001F600 — \u00e9") << qint64(999'999) << qint64(1);
    QTest::newRow("a line separator") << QStringLiteral("a\u2028b\u2029c") << qint64(42) << qint64(42);
    QTest::newRow("long") << QStringLiteral("    int value = compute(1, 2); // \"line\"\n").repeated(2'000) << qint64(5)
                          << qint64(99);
    QTest::newRow("largest seq") << QStringLiteral("x") << qint64(999'999'999'999'999'999) << qint64(1);
}

void TstAgentEvent::deltaLinesTakeTheShortPath()
{
    QFETCH(QString, text);
    QFETCH(qint64, seq);
    QFETCH(qint64, time);
    const AgentEvent event{seq, time, AssistantDelta{text}};
    const QByteArray line = toJsonLine(event);
    const std::optional<AgentEvent> fast = assistantDeltaFromJsonLine(line);
    QVERIFY2(fast, line.left(200).constData());
    QCOMPARE(*fast, event);
    const auto general = agentEventFromJson(QJsonDocument::fromJson(line).object());
    QVERIFY(general);
    QCOMPARE(*fast, *general);
    QCOMPARE(agentEventFromJsonLine(line).value(), event);
}

// Anything but toJsonLine's exact spelling of a delta goes the general way: read by it where it is valid, refused
// by it where it is not.
void TstAgentEvent::otherSpellingsTakeTheGeneralPath_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid"); // what the general path makes of it
    QTest::newRow("keys in another order") << QByteArray(R"({"text":"a","seq":1,"time":2,"type":"assistant_delta"})") << true;
    QTest::newRow("spaces") << QByteArray(R"({"seq": 1,"text":"a","time":2,"type":"assistant_delta"})") << true;
    QTest::newRow("another field") << QByteArray(R"({"seq":1,"text":"a","time":2,"type":"assistant_delta","x":1})") << true;
    QTest::newRow("another type") << QByteArray(R"({"seq":1,"text":"a","time":2,"type":"reasoning_delta"})") << true;
    QTest::newRow("seq as a float") << QByteArray(R"({"seq":1.0,"text":"a","time":2,"type":"assistant_delta"})") << true;
    QTest::newRow("a negative time") << QByteArray(R"({"seq":1,"text":"a","time":-2,"type":"assistant_delta"})") << true;
    QTest::newRow("a leading zero") << QByteArray(R"({"seq":01,"text":"a","time":2,"type":"assistant_delta"})") << false;
    QTest::newRow("text not a string") << QByteArray(R"({"seq":1,"text":5,"time":2,"type":"assistant_delta"})") << false;
    QTest::newRow("a raw tab in the text") << QByteArray("{\"seq\":1,\"text\":\"a\tb\",\"time\":2,\"type\":\"assistant_delta\"}")
                                           << true; // Qt takes it: so does the journal
    QTest::newRow("cut short") << QByteArray(R"({"seq":1,"text":"a","time":2,"type":"assistant_delta")") << false;
    QTest::newRow("something after") << QByteArray(R"({"seq":1,"text":"a","time":2,"type":"assistant_delta"} x)") << false;
    QTest::newRow("an unterminated text") << QByteArray(R"({"seq":1,"text":"a,"time":2,"type":"assistant_delta"})") << false;
    QTest::newRow("seq too long") << QByteArray(R"({"seq":1234567890123456789,"text":"a","time":2,"type":"assistant_delta"})")
                                  << true;
}

void TstAgentEvent::otherSpellingsTakeTheGeneralPath()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QVERIFY(!assistantDeltaFromJsonLine(line));
    const auto read = agentEventFromJsonLine(line);
    QCOMPARE(bool(read), valid);
    if (valid) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(*read, agentEventFromJson(object).value());
    }
}

#include "tst_agentevent.moc"
