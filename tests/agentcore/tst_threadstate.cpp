#include "protocol/json.h"
#include "threadstate.h"

#include <QJsonDocument>
#include <QTest>

using namespace reins;
using namespace reins::protocol;
using Kind = ThreadEntry::Kind;

using Events = QList<AgentEvent>;
Q_DECLARE_METATYPE(Events)
Q_DECLARE_METATYPE(ThreadState)

namespace {

// Builds an event list with seq 1, 2, … and times 1000, 1010, …
class Script
{
public:
    Script &operator<<(EventPayload payload)
    {
        const qint64 seq = m_events.size() + 1;
        m_events.append(AgentEvent{seq, 1000 + (seq - 1) * 10, std::move(payload)});
        return *this;
    }
    operator Events() const { return m_events; }

private:
    Events m_events;
};

ThreadEntry entry(Kind kind, qint64 seq, const QString &turn, const QString &text = {})
{
    ThreadEntry e;
    e.kind = kind;
    e.seq = seq;
    e.timeMs = 1000 + (seq - 1) * 10;
    e.turnId = turn;
    e.text = text;
    return e;
}

ThreadEntry call(qint64 seq, const QString &turn, const QString &id, const QString &tool, const char *arguments)
{
    ThreadEntry e = entry(Kind::ToolCall, seq, turn);
    e.callId = id;
    e.tool = tool;
    e.arguments = QJsonDocument::fromJson(arguments).object();
    return e;
}

const QString T1 = QStringLiteral("t1");
const QString T2 = QStringLiteral("t2");

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

ThreadState reduce(const Events &events)
{
    ThreadState state;
    for (const AgentEvent &e : events)
        state.apply(e);
    return state;
}

} // namespace

class TstThreadState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reduce_data();
    void reduce();
    void journalReplayEqualsLive_data() { reduce_data(); }
    void journalReplayEqualsLive();
};

void TstThreadState::reduce_data()
{
    QTest::addColumn<Events>("events");
    QTest::addColumn<ThreadState>("expected");

    {
        ThreadState st;
        st.sessionId = s("s1");
        st.workspace = s("/w");
        st.provider = s("deepseek");
        st.model = s("deepseek-flash");
        st.approvalMode = ApprovalMode::AutoEdit;
        st.lastSeq = 1;
        QTest::newRow("session header")
            << Events(Script() << SessionStarted{s("s1"), s("/w"), s("deepseek"), s("deepseek-flash"),
                                                 ApprovalMode::AutoEdit})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("hi")));
        ThreadEntry a = entry(Kind::Assistant, 2, T1, s("Hello, world"));
        a.reasoning = s("greet them");
        a.finishReason = s("stop");
        st.entries.push_back(a);
        ThreadEntry end = entry(Kind::TurnEnd, 8, QString());
        end.turnId = T1;
        st.entries.push_back(end);
        st.lastSeq = 8;
        QTest::newRow("streamed deltas make one assistant entry")
            << Events(Script() << TurnStarted{T1, s("hi")} << ReasoningDelta{s("greet ")} << ReasoningDelta{s("them")}
                               << AssistantDelta{s("Hello")} << AssistantDelta{s(", ")} << AssistantDelta{s("world")}
                               << AssistantMessageDone{s("stop"), false} << TurnCompleted{T1, TurnEndReason::Done, {}})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("run tests")));
        st.entries.push_back(entry(Kind::Assistant, 2, T1, s("Running.")));
        ThreadEntry c = call(3, T1, s("c1"), s("run_command"), R"({"command":"make test"})");
        ApprovalRequested req{s("c1"), s("run_command"), c.arguments, {}, s("make test"), {s("make test")},
                              s("/w"), s("bubblewrap"), {}, {}};
        c.approval = req;
        c.decision = ApprovalDecision::ApproveOnce;
        c.status = ToolStatus::Succeeded;
        c.output = s("ok 1\nok 2\n");
        c.result = s("exit 0");
        c.exitCode = 0;
        c.durationMs = 420;
        st.entries.push_back(c);
        ThreadEntry ck = entry(Kind::Checkpoint, 10, T1, s("after make test"));
        ck.checkpointId = s("ck1");
        ck.callId = s("c1");
        ck.filesChanged = 2;
        st.entries.push_back(ck);
        st.currentTurnId = T1;
        st.running = true;
        st.lastSeq = 10;
        QTest::newRow("a command through the gate")
            << Events(Script() << TurnStarted{T1, s("run tests")} << AssistantDelta{s("Running.")}
                               << ToolCallProposed{s("c1"), s("run_command"), c.arguments} << req
                               << ApprovalResolved{s("c1"), ApprovalDecision::ApproveOnce, {}, {}}
                               << ToolStarted{s("c1"), s("run_command")}
                               << ToolOutput{s("c1"), OutputStream::Stdout, s("ok 1\n")}
                               << ToolOutput{s("c1"), OutputStream::Stderr, s("ok 2\n")}
                               << ToolFinished{s("c1"), ToolOutcome::Ok, s("exit 0"), 0, 420}
                               << CheckpointCreated{s("ck1"), s("c1"), s("after make test"), 2, false})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("edit")));
        ThreadEntry c = call(2, T1, s("c9"), s("write_file"), R"({"path":"a","content":"x"})");
        ApprovalRequested req{s("c9"), s("write_file"), c.arguments, s("+x\n"), {}, {}, {}, s("none"), {}, {}};
        c.approval = req;
        c.decision = ApprovalDecision::Deny;
        c.decisionMessage = s("not that file");
        c.status = ToolStatus::Denied;
        c.result = s("denied by the user: not that file");
        st.entries.push_back(c);
        st.currentTurnId = T1;
        st.running = true;
        st.lastSeq = 5;
        QTest::newRow("a denied edit")
            << Events(Script() << TurnStarted{T1, s("edit")} << ToolCallProposed{s("c9"), s("write_file"), c.arguments}
                               << req << ApprovalResolved{s("c9"), ApprovalDecision::Deny, s("not that file"), {}}
                               << ToolFinished{s("c9"), ToolOutcome::Denied, s("denied by the user: not that file"),
                                               std::nullopt, 0})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("go")));
        ThreadEntry running = call(2, T1, s("a"), s("run_command"), R"({"command":"sleep 100"})");
        running.status = ToolStatus::Interrupted;
        st.entries.push_back(running);
        ThreadEntry waiting = call(4, T1, s("b"), s("write_file"), R"({})");
        waiting.status = ToolStatus::Interrupted;
        waiting.approval = ApprovalRequested{s("b"), s("write_file"), {}, {}, {}, {}, {}, {}, {}, {}};
        st.entries.push_back(waiting);
        ThreadEntry end = entry(Kind::TurnEnd, 6, T1, s("interrupted by the user"));
        end.endReason = TurnEndReason::Interrupted;
        st.entries.push_back(end);
        st.lastSeq = 6;
        QTest::newRow("an interrupt ends what was under way")
            << Events(Script() << TurnStarted{T1, s("go")}
                               << ToolCallProposed{s("a"), s("run_command"), running.arguments}
                               << ToolStarted{s("a"), s("run_command")} << ToolCallProposed{s("b"), s("write_file"), {}}
                               << waiting.approval.value()
                               << TurnCompleted{T1, TurnEndReason::Interrupted, s("interrupted by the user")})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("q")));
        ThreadEntry a = entry(Kind::Assistant, 2, T1, s("a"));
        a.finishReason = s("stop");
        a.usage = {100, 80, 20, 10, 4};
        a.cost = 0.5;
        st.entries.push_back(a);
        st.entries.push_back(entry(Kind::User, 5, T2, s("q2")));
        ThreadEntry b = entry(Kind::Assistant, 6, T2, s("b"));
        b.usage = {50, 0, 50, 5, 0};
        b.open = true;
        st.entries.push_back(b);
        st.totalUsage = {150, 80, 70, 15, 4};
        st.totalCost = 0.5;
        st.currency = s("USD");
        st.requestsWithoutCost = 1;
        st.currentTurnId = T2;
        st.running = true;
        st.lastSeq = 7;
        QTest::newRow("usage adds up; an unknown cost is counted, not guessed")
            << Events(Script() << TurnStarted{T1, s("q")} << AssistantDelta{s("a")}
                               << AssistantMessageDone{s("stop"), false}
                               << Usage{{100, 80, 20, 10, 4}, 0.5, s("USD")} << TurnStarted{T2, s("q2")}
                               << AssistantDelta{s("b")} << Usage{{50, 0, 50, 5, 0}, std::nullopt, {}})
            << st;
    }
    {
        const std::vector<PlanItem> first{{s("read"), PlanStatus::InProgress}, {s("fix"), PlanStatus::Pending}};
        const std::vector<PlanItem> second{{s("read"), PlanStatus::Done}, {s("fix"), PlanStatus::InProgress}};
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("plan it")));
        ThreadEntry p1 = entry(Kind::Plan, 2, T1);
        p1.plan = first;
        ThreadEntry p2 = entry(Kind::Plan, 3, T1);
        p2.plan = second;
        st.entries.push_back(p1);
        st.entries.push_back(p2);
        st.plan = second;
        st.currentTurnId = T1;
        st.running = true;
        st.lastSeq = 3;
        QTest::newRow("the plan is replaced whole")
            << Events(Script() << TurnStarted{T1, s("plan it")} << PlanUpdated{first} << PlanUpdated{second}) << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("q")));
        st.entries.push_back(entry(Kind::Retry, 2, T1, s("HTTP 503")));
        ThreadEntry a = entry(Kind::Assistant, 3, T1, s("partial ans"));
        a.incomplete = true;
        st.entries.push_back(a);
        st.entries.push_back(entry(Kind::Error, 6, T1, s("the connection dropped")));
        st.entries.push_back(entry(Kind::Warning, 7, T1, s("context nearly full")));
        st.currentTurnId = T1;
        st.running = true;
        st.lastSeq = 7;
        QTest::newRow("a broken stream keeps its partial text")
            << Events(Script() << TurnStarted{T1, s("q")} << Retry{1, 5, 1000, s("HTTP 503")}
                               << AssistantDelta{s("partial ")} << AssistantDelta{s("ans")}
                               << AssistantMessageDone{{}, true} << ErrorEvent{s("the connection dropped"), true, {}}
                               << Warning{s("context nearly full")})
            << st;
    }
    {
        ThreadState st;
        st.entries.push_back(entry(Kind::User, 1, T1, s("q")));
        st.entries.push_back(entry(Kind::Assistant, 2, T1, s("I'll read it.")));
        ThreadEntry c = call(3, T1, s("r"), s("read_file"), R"({"path":"x"})");
        c.status = ToolStatus::Succeeded;
        c.result = s("1\tcontent");
        st.entries.push_back(c);
        ThreadEntry a = entry(Kind::Assistant, 6, T1, s("Done."));
        a.open = true;
        st.entries.push_back(a);
        st.currentTurnId = T1;
        st.running = true;
        st.lastSeq = 6;
        QTest::newRow("text after a tool call is a new entry, still open")
            << Events(Script() << TurnStarted{T1, s("q")} << AssistantDelta{s("I'll read it.")}
                               << ToolCallProposed{s("r"), s("read_file"), c.arguments}
                               << ToolStarted{s("r"), s("read_file")}
                               << ToolFinished{s("r"), ToolOutcome::Ok, s("1\tcontent"), std::nullopt, 0}
                               << AssistantDelta{s("Done.")})
            << st;
    }
    {
        ThreadState st;
        ThreadEntry ck = entry(Kind::Checkpoint, 1, QString(), s("start"));
        ck.checkpointId = s("ck0");
        ThreadEntry r = entry(Kind::Restore, 2, QString(), s("files"));
        r.checkpointId = s("ck0");
        r.undoCheckpointId = s("ck-undo");
        r.filesChanged = 3;
        ThreadEntry c = entry(Kind::Compaction, 3, QString(), s("summary"));
        st.entries = {ck, r, c};
        st.lastSeq = 3;
        QTest::newRow("checkpoints, restores and compaction outside a turn")
            << Events(Script() << CheckpointCreated{s("ck0"), {}, s("start"), 0, false}
                               << CheckpointRestored{s("ck0"), RestoreScope::Files, s("ck-undo"), 3}
                               << Compacted{s("summary"), 4})
            << st;
    }
}

void TstThreadState::reduce()
{
    QFETCH(Events, events);
    QFETCH(ThreadState, expected);

    const ThreadState actual = ::reduce(events);
    QCOMPARE(actual.entries.size(), expected.entries.size());
    for (std::size_t i = 0; i < expected.entries.size(); ++i)
        QVERIFY2(actual.entries[i] == expected.entries[i], qPrintable(QStringLiteral("entry %1 differs").arg(i)));
    QVERIFY(actual == expected);
}

void TstThreadState::journalReplayEqualsLive()
{
    // The journal stores events as JSON lines; the state rebuilt from them must equal the live one.
    QFETCH(Events, events);
    ThreadState live;
    QByteArray journal;
    for (const AgentEvent &e : events) {
        live.apply(e);
        journal += toJsonLine(e);
    }
    ThreadState replayed;
    for (const QByteArray &line : journal.split('\n')) {
        if (line.isEmpty())
            continue;
        const auto e = agentEventFromJsonLine(line);
        QVERIFY2(e.has_value(), qPrintable(e ? QString() : e.error().message));
        replayed.apply(*e);
    }
    QVERIFY(replayed == live);
}

QTEST_GUILESS_MAIN(TstThreadState)
#include "tst_threadstate.moc"
