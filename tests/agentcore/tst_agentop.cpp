#include "protocol/json.h"

#include <QJsonDocument>
#include <QTest>

using namespace reins::protocol;

Q_DECLARE_METATYPE(AgentOp)

class TstAgentOp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void jsonForm_data();
    void jsonForm();
    void rejects_data();
    void rejects();
};

void TstAgentOp::roundTrip_data()
{
    QTest::addColumn<AgentOp>("op");
    QTest::addColumn<QString>("type");

    QTest::newRow("user turn") << AgentOp(UserTurn{QStringLiteral("fix the build\nplease — ünïcode ✓")})
                               << QStringLiteral("user_turn");
    QTest::newRow("empty user turn") << AgentOp(UserTurn{}) << QStringLiteral("user_turn");
    QTest::newRow("interrupt") << AgentOp(Interrupt{}) << QStringLiteral("interrupt");
    QTest::newRow("approve once") << AgentOp(ResolveApproval{QStringLiteral("call_1"), ApprovalDecision::ApproveOnce,
                                                             std::nullopt, std::nullopt, QString()})
                                  << QStringLiteral("resolve_approval");
    QTest::newRow("deny with message")
        << AgentOp(ResolveApproval{QStringLiteral("c2"), ApprovalDecision::Deny, std::nullopt, std::nullopt,
                                   QStringLiteral("use the test script instead")})
        << QStringLiteral("resolve_approval");
    QTest::newRow("edited command") << AgentOp(ResolveApproval{QStringLiteral("c3"), ApprovalDecision::ApproveEdited,
                                                               std::nullopt, QStringLiteral("npm test -- --ci"),
                                                               QString()})
                                    << QStringLiteral("resolve_approval");
    QTest::newRow("edited content, empty") << AgentOp(ResolveApproval{QStringLiteral("c4"),
                                                                      ApprovalDecision::ApproveEdited, QString(),
                                                                      std::nullopt, QString()})
                                           << QStringLiteral("resolve_approval");
    QTest::newRow("reviewed files") << AgentOp(ResolveApproval{
        QStringLiteral("c8"), ApprovalDecision::ApproveEdited, std::nullopt, std::nullopt,
        QStringLiteral("Rejected b.txt: not now"),
        {ReviewedFile{QStringLiteral("a.txt"), true, QStringLiteral("part of it\n")},
         ReviewedFile{QStringLiteral("b.txt"), false, std::nullopt},
         ReviewedFile{QStringLiteral("c.txt"), true, std::nullopt}}})
                                    << QStringLiteral("resolve_approval");
    QTest::newRow("approve session") << AgentOp(ResolveApproval{QStringLiteral("c5"), ApprovalDecision::ApproveSession,
                                                                std::nullopt, std::nullopt, QString()})
                                     << QStringLiteral("resolve_approval");
    QTest::newRow("approve always") << AgentOp(ResolveApproval{QStringLiteral("c6"), ApprovalDecision::ApproveAlways,
                                                               std::nullopt, std::nullopt, QString()})
                                    << QStringLiteral("resolve_approval");
    QTest::newRow("abort") << AgentOp(ResolveApproval{QStringLiteral("c7"), ApprovalDecision::Abort, std::nullopt,
                                                      std::nullopt, QStringLiteral("stop")})
                           << QStringLiteral("resolve_approval");
    QTest::newRow("restore dry run") << AgentOp(RestoreCheckpoint{QStringLiteral("ck-9"), RestoreScope::Files, true})
                                     << QStringLiteral("restore_checkpoint");
    QTest::newRow("restore conversation")
        << AgentOp(RestoreCheckpoint{QStringLiteral("ck-1"), RestoreScope::Conversation, false})
        << QStringLiteral("restore_checkpoint");
    QTest::newRow("compact") << AgentOp(Compact{}) << QStringLiteral("compact");
    QTest::newRow("mode full-auto") << AgentOp(SetApprovalMode{ApprovalMode::FullAuto})
                                    << QStringLiteral("set_approval_mode");
    QTest::newRow("mode read-only") << AgentOp(SetApprovalMode{ApprovalMode::ReadOnly})
                                    << QStringLiteral("set_approval_mode");
    QTest::newRow("model") << AgentOp(SetModel{QStringLiteral("deepseek-reasoner")}) << QStringLiteral("set_model");
    QTest::newRow("commit") << AgentOp(CommitChanges{QStringLiteral("Add mul()\n\nAsked for by the user.")})
                            << QStringLiteral("commit_changes");
    QTest::newRow("shutdown") << AgentOp(Shutdown{}) << QStringLiteral("shutdown");
}

void TstAgentOp::roundTrip()
{
    QFETCH(AgentOp, op);
    QFETCH(QString, type);

    const QJsonObject json = toJson(op);
    QCOMPARE(json.value(QLatin1String("type")).toString(), type);
    QCOMPARE(typeName(op), type);
    // Through text too, as the ops travel between processes.
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    const auto back = agentOpFromJson(reparsed);
    QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().message));
    QVERIFY(*back == op);
}

void TstAgentOp::jsonForm_data()
{
    QTest::addColumn<AgentOp>("op");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("resolve approval, absent optionals omitted")
        << AgentOp(ResolveApproval{QStringLiteral("c1"), ApprovalDecision::Deny, std::nullopt, std::nullopt,
                                   QStringLiteral("no")})
        << QByteArray(R"({"callId":"c1","decision":"deny","message":"no","reviewedFiles":[],"type":"resolve_approval"})");
    QTest::newRow("restore") << AgentOp(RestoreCheckpoint{QStringLiteral("x"), RestoreScope::Both, false})
                             << QByteArray(R"({"checkpointId":"x","dryRun":false,"scope":"both","type":"restore_checkpoint"})");
    QTest::newRow("mode") << AgentOp(SetApprovalMode{ApprovalMode::AutoEdit})
                          << QByteArray(R"({"mode":"auto-edit","type":"set_approval_mode"})");
    QTest::newRow("set model") << AgentOp(SetModel{QStringLiteral("gpt-5-mini")})
                               << QByteArray(R"({"model":"gpt-5-mini","type":"set_model"})");
}

void TstAgentOp::jsonForm()
{
    QFETCH(AgentOp, op);
    QFETCH(QByteArray, json);
    QCOMPARE(QJsonDocument(toJson(op)).toJson(QJsonDocument::Compact), json);
}

void TstAgentOp::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QTest::newRow("no type") << QByteArray(R"({"text":"x"})") << QStringLiteral("invalid operation: missing 'type' string");
    QTest::newRow("type not a string") << QByteArray(R"({"type":3})")
                                       << QStringLiteral("invalid operation: missing 'type' string");
    QTest::newRow("unknown type") << QByteArray(R"({"type":"format_disk"})")
                                  << QStringLiteral("invalid operation: unknown type 'format_disk'");
    QTest::newRow("an event is not an op") << QByteArray(R"({"type":"turn_started"})")
                                           << QStringLiteral("invalid operation: unknown type 'turn_started'");
    QTest::newRow("text not a string") << QByteArray(R"({"type":"user_turn","text":42})")
                                       << QStringLiteral("invalid operation: 'user_turn': field 'text' must be a string");
    QTest::newRow("unknown decision")
        << QByteArray(R"({"type":"resolve_approval","callId":"c","decision":"yes"})")
        << QStringLiteral("invalid operation: 'resolve_approval': field 'decision' must be one of approve_once, "
                          "approve_session, approve_always, approve_edited, deny, abort");
    QTest::newRow("dry run not a bool") << QByteArray(R"({"type":"restore_checkpoint","dryRun":"yes"})")
                                        << QStringLiteral("invalid operation: 'restore_checkpoint': field 'dryRun' "
                                                          "must be true or false");
    QTest::newRow("edited command not a string")
        << QByteArray(R"({"type":"resolve_approval","decision":"approve_edited","editedCommand":["ls"]})")
        << QStringLiteral("invalid operation: 'resolve_approval': field 'editedCommand' must be a string");
}

void TstAgentOp::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto op = agentOpFromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(!op.has_value());
    QCOMPARE(op.error().message, error);
}

QTEST_GUILESS_MAIN(TstAgentOp)
#include "tst_agentop.moc"
