#include "threadstate.h"
#include "timelinefilter.h"
#include "timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QIcon>
#include <QImage>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace reins;
using namespace reins::protocol;
using namespace reins::widgets;

using Events = QList<AgentEvent>;

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

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

TokenUsage tokens(qint64 in, qint64 out)
{
    TokenUsage usage;
    usage.inputTokens = in;
    usage.cacheMissTokens = in;
    usage.outputTokens = out;
    return usage;
}

// Two turns with every kind of step: streaming, tools through the gate, a failed command, a denied one, a call
// the turn's end interrupts, events for ids never proposed, checkpoints, a restore, a commit.
Events session()
{
    const QJsonObject readArgs = json(R"({"path":"src/a.cpp"})");
    const QJsonObject editArgs = json(R"({"path":"src/a.cpp","old_string":"a","new_string":"b"})");
    const QJsonObject testArgs = json(R"({"command":"npm test"})");
    const QJsonObject rmArgs = json(R"({"command":"rm -rf build"})");
    const QJsonObject patchArgs = json(R"({"patch":"*** Begin Patch\n*** Add File: src/b.cpp\n+x\n*** End Patch"})");
    ApprovalRequested editApproval{s("c2"), s("edit_file"), editArgs, s("-a\n+b\n")};
    ApprovalRequested rmApproval{s("c4"), s("run_command"), rmArgs, {}, s("rm -rf build"), {s("rm -rf build")}};
    rmApproval.risks = {s("deletes files")};

    return Script()
        << SessionStarted{s("s1"), s("/w"), s("deepseek"), s("deepseek-chat"), ApprovalMode::Ask}
        << TurnStarted{s("t1"), s("Fix the build\nplease")} << ReasoningDelta{s("look first")}
        << AssistantDelta{s("Let me look")} << AssistantDelta{s(" at the tests.")}
        << AssistantMessageDone{s("tool_calls"), false, {}} << Usage{tokens(1000, 50), 0.002, s("USD")}
        << ToolCallProposed{s("c1"), s("read_file"), readArgs} << ToolStarted{s("c1"), s("read_file")}
        << ToolFinished{s("c1"), ToolOutcome::Ok, s("int a;"), std::nullopt, 12}
        << ToolCallProposed{s("c2"), s("edit_file"), editArgs} << editApproval
        << ApprovalResolved{s("c2"), ApprovalDecision::ApproveOnce, {}, {}} << ToolStarted{s("c2"), s("edit_file")}
        << ToolFinished{s("c2"), ToolOutcome::Ok, s("edited"), std::nullopt, 30}
        << CheckpointCreated{s("cp1"), s("c2"), s("after edit_file"), 1, false}
        << ToolCallProposed{s("c3"), s("run_command"), testArgs} << ToolStarted{s("c3"), s("run_command")}
        << ToolOutput{s("c3"), OutputStream::Stdout, s("1 failing\n")}
        << ToolOutput{s("c3"), OutputStream::Stderr, s("Error: expected b\n")}
        << ToolFinished{s("c3"), ToolOutcome::Failed, s("exit 1"), 1, 2500}
        << PlanUpdated{{{s("edit"), PlanStatus::Done}, {s("test"), PlanStatus::InProgress}}}
        << AssistantDelta{s("The test fails; cleaning up.")} << AssistantMessageDone{s("tool_calls"), false, {}}
        << Usage{tokens(2000, 80), std::nullopt, {}} << ToolCallProposed{s("c4"), s("run_command"), rmArgs}
        << rmApproval << ApprovalResolved{s("c4"), ApprovalDecision::Deny, s("not that"), {}}
        << ToolFinished{s("c4"), ToolOutcome::Denied, s("denied: not that"), std::nullopt, 0}
        << AssistantDelta{s("Patching instead.")} << ToolCallProposed{s("c5"), s("apply_patch"), patchArgs}
        << Warning{s("slow disk")} << ErrorEvent{s("the provider hung up"), true, s("http_502")}
        << TurnCompleted{s("t1"), TurnEndReason::Error, s("the provider hung up")}
        << TurnStarted{s("t2"), s("try again")} << AssistantDelta{s("Sure")}
        << Usage{tokens(500, 20), 0.001, s("USD")} << AssistantMessageDone{s("stop"), true, {}}
        << AssistantMessageDone{{}, true, {}} // a broken stream with nothing received
        << ApprovalResolved{s("c9"), ApprovalDecision::ApproveOnce, {}, {}}
        << ToolOutput{s("c10"), OutputStream::Stdout, s("orphan output")}
        << Retry{1, 3, 1000, s("rate limited")} << AssistantDelta{s("Again")} << Compacted{s("summary of t1"), 1}
        << Committed{s("0123456789abcdef"), s("main"), s("Fix the build"), 2}
        << RestorePlanned{s("cp1"), {s("src/a.cpp")}, {}, {}, {}}
        << CheckpointRestored{s("cp1"), RestoreScope::Files, s("cp2"), 1}
        << CheckpointCreated{s("cp3"), {}, s("start of turn"), 3, true}
        << TurnCompleted{s("t2"), TurnEndReason::Done, {}};
}

const QList<int> kRoles{Qt::DisplayRole,
                        Qt::ToolTipRole,
                        Qt::DecorationRole,
                        TimelineModel::KindRole,
                        TimelineModel::CategoryRole,
                        TimelineModel::SeqRole,
                        TimelineModel::CallIdRole,
                        TimelineModel::CheckpointIdRole,
                        TimelineModel::TimeRole,
                        TimelineModel::DurationRole,
                        TimelineModel::TokensRole,
                        TimelineModel::CostRole,
                        TimelineModel::StatusRole,
                        TimelineModel::SummaryRole,
                        TimelineModel::CategoriesRole};

// One row, every role; an icon as its image, which compares by content.
QVariantList rowData(const QAbstractItemModel &model, int row)
{
    QVariantList values;
    for (int role : kRoles) {
        const QVariant value = model.index(row, 0).data(role);
        values << (role == Qt::DecorationRole ? QVariant(value.value<QIcon>().pixmap(16).toImage()) : value);
    }
    return values;
}

QList<QVariantList> rows(const QAbstractItemModel &model)
{
    QList<QVariantList> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result << rowData(model, row);
    return result;
}

// What a view knows: only what the model's signals told it.
class Mirror : public QObject
{
public:
    explicit Mirror(const QAbstractItemModel *model)
        : m_model(model)
    {
        connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
            for (int row = first; row <= last; ++row)
                rows.insert(row, rowData(*m_model, row));
        });
        connect(model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                        rows[row] = rowData(*m_model, row);
                });
        connect(model, &QAbstractItemModel::modelReset, this, [this] { rows = ::rows(*m_model); });
    }
    QList<QVariantList> rows;

private:
    const QAbstractItemModel *m_model;
};

void compareRows(const QList<QVariantList> &actual, const QList<QVariantList> &expected, qint64 seq)
{
    QCOMPARE(actual.size(), expected.size());
    for (int row = 0; row < actual.size(); ++row)
        for (int i = 0; i < kRoles.size(); ++i)
            QVERIFY2(actual[row][i] == expected[row][i],
                     qPrintable(QStringLiteral("after seq %1, row %2, role %3: %4 ≠ %5")
                                    .arg(seq)
                                    .arg(row)
                                    .arg(kRoles[i])
                                    .arg(actual[row][i].toString(), expected[row][i].toString())));
}

int find(const TimelineModel &model, const QString &summary)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row).data(TimelineModel::SummaryRole).toString() == summary)
            return row;
    return -1;
}

} // namespace

class TstTimelineModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void incrementalEqualsReset();
    void filter_data();
    void filter();
    void rowForSeq();
    void roles();
    void largeReset();
};

void TstTimelineModel::incrementalEqualsReset()
{
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Mirror mirror(&model);
    TimelineFilter errorsAndEdits;
    errorsAndEdits.setSourceModel(&model);
    errorsAndEdits.setCategories(TimelineFilter::Errors | TimelineFilter::Edits);
    QAbstractItemModelTester filterTester(&errorsAndEdits, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TimelineFilter all;
    all.setSourceModel(&model);
    QAbstractItemModelTester allTester(&all, QAbstractItemModelTester::FailureReportingMode::QtTest);

    ThreadState reduced;
    for (const AgentEvent &event : session()) {
        model.apply(event);
        reduced.apply(event);
        QCOMPARE(model.state(), reduced);

        TimelineModel fresh;
        fresh.reset(reduced);
        const QList<QVariantList> expected = rows(fresh);
        compareRows(rows(model), expected, event.seq);
        compareRows(mirror.rows, expected, event.seq);
        if (QTest::currentTestFailed())
            return;

        // The filter follows the rows as they change (a command that fails joins the errors).
        QList<QVariantList> filtered;
        for (const QVariantList &row : expected)
            if (row[kRoles.indexOf(TimelineModel::CategoriesRole)].toInt()
                & (TimelineFilter::Errors | TimelineFilter::Edits))
                filtered << row;
        compareRows(rows(errorsAndEdits), filtered, event.seq);
        QCOMPARE(all.rowCount(), model.rowCount());
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(model.rowCount(), 26);
}

void TstTimelineModel::filter_data()
{
    QTest::addColumn<int>("categories");
    QTest::addColumn<QStringList>("expected");

    using F = TimelineFilter;
    const QStringList edits{s("Edited src/a.cpp"), s("Edit src/b.cpp — interrupted")};
    const QStringList commands{s("Ran `npm test` — exit 1"), s("Approval: run_command `rm -rf build` — denied")};
    const QStringList approvals{s("Edited src/a.cpp"), s("Approval: run_command `rm -rf build` — denied")};
    const QStringList errors{s("Ran `npm test` — exit 1"), s("Error: the provider hung up")};
    QTest::newRow("none checked: all") << 0 << QStringList();
    QTest::newRow("edits") << int(F::Edits) << edits;
    QTest::newRow("commands") << int(F::Commands) << commands;
    QTest::newRow("approvals") << int(F::Approvals) << approvals;
    QTest::newRow("errors") << int(F::Errors) << errors;
    QTest::newRow("edits, errors") << int(F::Edits | F::Errors)
                                   << QStringList{edits[0], errors[0], edits[1], errors[1]};
    QTest::newRow("commands, approvals") << int(F::Commands | F::Approvals)
                                         << QStringList{approvals[0], commands[0], commands[1]};
    QTest::newRow("all four") << int(F::Edits | F::Commands | F::Approvals | F::Errors)
                              << QStringList{edits[0], commands[0], commands[1], edits[1], errors[1]};
}

void TstTimelineModel::filter()
{
    QFETCH(int, categories);
    QFETCH(QStringList, expected);

    ThreadState state;
    for (const AgentEvent &event : session())
        state.apply(event);
    TimelineModel model;
    model.reset(state);
    TimelineFilter filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    filter.setCategories(TimelineFilter::Categories::fromInt(categories));
    QCOMPARE(int(filter.categories()), categories);

    QStringList shown;
    for (int row = 0; row < filter.rowCount(); ++row)
        shown << filter.index(row, 0).data().toString();
    if (categories == 0)
        QCOMPARE(filter.rowCount(), model.rowCount());
    else
        QCOMPARE(shown, expected);

    // Unchecking everything shows every row again.
    filter.setCategories({});
    QCOMPARE(filter.rowCount(), model.rowCount());
}

void TstTimelineModel::rowForSeq()
{
    const Events events = session();
    TimelineModel model;
    for (const AgentEvent &event : events)
        model.apply(event);

    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowForSeq(model.index(row).data(TimelineModel::SeqRole).toLongLong()), row);
    QCOMPARE(model.rowForSeq(1), -1); // SessionStarted makes no entry
    QCOMPARE(model.rowForSeq(2), 0);  // the first user message
    QCOMPARE(model.rowForSeq(3), 1);  // the reasoning delta opened the assistant message
    QCOMPARE(model.rowForSeq(4), -1); // a delta that only grew it
    QCOMPARE(model.rowForSeq(events.size() + 1), -1);
    QCOMPARE(model.rowForSeq(0), -1);

    TimelineModel fresh;
    fresh.reset(model.state());
    for (qint64 seq = 0; seq <= events.size(); ++seq)
        QCOMPARE(fresh.rowForSeq(seq), model.rowForSeq(seq));
}

void TstTimelineModel::roles()
{
    TimelineModel model;
    for (const AgentEvent &event : session())
        model.apply(event);

    const int checkpoint = find(model, s("Checkpoint: after edit_file (1 file)"));
    QVERIFY(checkpoint >= 0);
    const QModelIndex cp = model.index(checkpoint);
    QCOMPARE(cp.data(TimelineModel::CheckpointIdRole).toString(), s("cp1"));
    QCOMPARE(cp.data(TimelineModel::CallIdRole).toString(), s("c2"));
    QCOMPARE(cp.data(TimelineModel::CategoryRole).toString(), s("checkpoint"));
    QCOMPARE(cp.data(TimelineModel::KindRole).toInt(), int(ThreadEntry::Kind::Checkpoint));
    QVERIFY(!cp.data(TimelineModel::StatusRole).isValid());
    QVERIFY(!cp.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(find(model, s("Checkpoint: start of turn (3 files) — partial")) >= 0);

    const QModelIndex test = model.index(find(model, s("Ran `npm test` — exit 1")));
    QVERIFY(test.isValid());
    QCOMPARE(test.data(TimelineModel::DurationRole).toLongLong(), 2500);
    QCOMPARE(test.data(TimelineModel::StatusRole).toInt(), int(ToolStatus::Failed));
    QCOMPARE(test.data(TimelineModel::CallIdRole).toString(), s("c3"));
    QCOMPARE(test.data(TimelineModel::CategoryRole).toString(), s("error"));
    QCOMPARE(test.data(TimelineModel::CategoriesRole).toInt(), int(TimelineFilter::Commands | TimelineFilter::Errors));
    QCOMPARE(test.data(TimelineModel::TimeRole).toDateTime(), QDateTime::fromMSecsSinceEpoch(1000 + 16 * 10));
    QVERIFY(!test.data(TimelineModel::CheckpointIdRole).isValid());
    QVERIFY(test.data(Qt::ToolTipRole).toString().contains(s("Exit code: 1")));
    QVERIFY(test.data(Qt::ToolTipRole).toString().contains(s("Took 2.5 s")));

    const QModelIndex interrupted = model.index(find(model, s("Edit src/b.cpp — interrupted")));
    QCOMPARE(interrupted.data(TimelineModel::StatusRole).toInt(), int(ToolStatus::Interrupted));
    QCOMPARE(interrupted.data(TimelineModel::DurationRole).toLongLong(), 0);

    const QModelIndex denied = model.index(find(model, s("Approval: run_command `rm -rf build` — denied")));
    QCOMPARE(denied.data(TimelineModel::CategoryRole).toString(), s("approval"));
    QVERIFY(denied.data(Qt::ToolTipRole).toString().contains(s("Risk: deletes files")));
    QVERIFY(denied.data(Qt::ToolTipRole).toString().contains(s("Decision: deny — not that")));

    // Usage lands on the assistant message it paid for; a request without a price has no cost.
    const QModelIndex first = model.index(find(model, s("Assistant: Let me look at the tests.")));
    QCOMPARE(first.data(TimelineModel::TokensRole).toLongLong(), 1050);
    QCOMPARE(first.data(TimelineModel::CostRole).toDouble(), 0.002);
    QCOMPARE(first.data(TimelineModel::CategoryRole).toString(), s("message"));
    const QModelIndex second = model.index(find(model, s("Assistant: The test fails; cleaning up.")));
    QCOMPARE(second.data(TimelineModel::TokensRole).toLongLong(), 2080);
    QVERIFY(!second.data(TimelineModel::CostRole).isValid());
    QVERIFY(!second.data(TimelineModel::StatusRole).isValid());
    const QModelIndex broken = model.index(find(model, s("Assistant: Sure — broke off")));
    QCOMPARE(broken.data(TimelineModel::TokensRole).toLongLong(), 520);
    QCOMPARE(broken.data(TimelineModel::CostRole).toDouble(), 0.001);

    // Calls known only from later events still get a row; output shows until a result comes.
    const QModelIndex orphan = model.index(find(model, s("call c10 — interrupted")));
    QVERIFY(orphan.isValid());
    QCOMPARE(orphan.data(Qt::ToolTipRole).toString(), s("call c10\nStatus: interrupted\n\norphan output"));

    QCOMPARE(model.index(0).data().toString(), s("You: Fix the build…"));
    QVERIFY(find(model, s("Restored checkpoint cp1 (files, 1 file written)")) >= 0);
    QVERIFY(find(model, s("Committed 01234567: Fix the build")) >= 0);
    QVERIFY(find(model, s("Plan: 1 of 2 done")) >= 0);
    QVERIFY(find(model, s("Turn ended — the provider hung up")) >= 0);
    QCOMPARE(model.index(model.rowCount() - 1).data().toString(), s("Turn done"));
    QCOMPARE(model.roleNames().value(TimelineModel::CheckpointIdRole), QByteArray("checkpointId"));
}

void TstTimelineModel::largeReset()
{
    // 10,000 events: 1,000 turns of a streamed answer, a command and its result.
    ThreadState state;
    qint64 seq = 0;
    const auto apply = [&](EventPayload payload) {
        ++seq;
        state.apply(AgentEvent{seq, seq * 10, std::move(payload)});
    };
    for (int turn = 0; turn < 1000; ++turn) {
        const QString turnId = QString::number(turn);
        const QString callId = s("c") + turnId;
        apply(TurnStarted{turnId, s("go")});
        apply(AssistantDelta{s("Running")});
        apply(AssistantDelta{s(" it.")});
        apply(AssistantMessageDone{s("tool_calls"), false, {}});
        apply(Usage{tokens(100, 10), 0.0001, s("USD")});
        apply(ToolCallProposed{callId, s("run_command"), json(R"({"command":"make"})")});
        apply(ToolStarted{callId, s("run_command")});
        apply(ToolOutput{callId, OutputStream::Stdout, s("ok\n")});
        apply(ToolFinished{callId, ToolOutcome::Ok, s("exit 0"), 0, 5});
        apply(TurnCompleted{turnId, TurnEndReason::Done, {}});
    }
    QCOMPARE(seq, 10'000);

    TimelineModel model;
    TimelineFilter filter;
    filter.setSourceModel(&model);
    filter.setCategories(TimelineFilter::Commands);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.reset(state);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model.rowCount(), 4000);
    QCOMPARE(filter.rowCount(), 1000);
    QCOMPARE(model.rowForSeq(9'996), 3998);
    QCOMPARE(model.index(3998).data().toString(), s("Ran `make` — exit 0"));

    // Applying onto a large model stays incremental: one insertion for the next turn's first entry.
    ++seq;
    model.apply(AgentEvent{seq, seq * 10, TurnStarted{s("next"), s("more")}});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 4001);
}

QTEST_MAIN(TstTimelineModel)
#include "tst_timelinemodel.moc"
