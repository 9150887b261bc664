// The diff review view, offscreen, driven by keys: a real session proposes a change through the fake model server
// on loopback; the person takes part of it; the disk and the next request to the model show exactly that.

#include "diffpane.h"
#include "diffview.h"
#include "fakemodelserver.h"
#include "review/changereview.h"
#include "review/textdiff.h"
#include "session/agentsession.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace reins;
using namespace reins::protocol;
using namespace Qt::StringLiterals;
using reins::test::FakeModelServer;
using reins::widgets::DiffPane;
using reins::widgets::DiffView;

namespace {

QJsonObject toolCallExchange(const QString &id, const QString &name, const QJsonObject &arguments)
{
    const QJsonObject call{{u"index"_s, 0},
                           {u"id"_s, id},
                           {u"function"_s, QJsonObject{{u"name"_s, name},
                                                       {u"arguments"_s, QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact))}}}};
    const QJsonObject chunk{{u"choices"_s, QJsonArray{QJsonObject{{u"delta"_s, QJsonObject{{u"tool_calls"_s, QJsonArray{call}}}},
                                                                 {u"finish_reason"_s, u"tool_calls"_s}}}}};
    return {{u"events"_s, QJsonArray{QJsonObject{{u"data"_s, chunk}}, QJsonObject{{u"data"_s, u"[DONE]"_s}}}}};
}

QJsonObject textExchange(const QString &text)
{
    const QJsonObject chunk{{u"choices"_s, QJsonArray{QJsonObject{{u"delta"_s, QJsonObject{{u"content"_s, text}}},
                                                                 {u"finish_reason"_s, u"stop"_s}}}}};
    return {{u"events"_s, QJsonArray{QJsonObject{{u"data"_s, chunk}}, QJsonObject{{u"data"_s, u"[DONE]"_s}}}}};
}

QByteArray numberedLines(int count, const QByteArray &prefix)
{
    QByteArray text;
    for (int i = 1; i <= count; ++i)
        text += prefix + QByteArray::number(i) + " = " + QByteArray::number(i * 10) + "\n";
    return text;
}

QByteArray replaceLine(QByteArray text, int line, const QByteArray &with)
{
    QList<QByteArray> lines = text.split('\n');
    lines[line - 1] = with;
    return lines.join('\n');
}

// A session in ask mode against the fake server, proposing to rewrite calc.py with two separate changes.
struct ProposalFixture
{
    QTemporaryDir home, ws;
    FakeModelServer server;
    std::unique_ptr<session::AgentSession> session;
    std::vector<AgentEvent> events;
    QByteArray original = numberedLines(30, "value_");
    QByteArray proposed = replaceLine(replaceLine(numberedLines(30, "value_"), 3, "renamed_3 = 30"), 25,
                                      "value_25 = 2500  # scaled");

    bool start()
    {
        qputenv("XDG_STATE_HOME", home.filePath(u"state"_s).toUtf8());
        qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
        qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
        QFile file(ws.filePath(u"calc.py"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(original) != original.size())
            return false;
        file.close();
        const QJsonArray exchanges{
            toolCallExchange(u"w1"_s, u"write_file"_s,
                             {{u"path"_s, u"calc.py"_s}, {u"content"_s, QString::fromUtf8(proposed)}}),
            textExchange(u"Understood."_s)};
        if (!server.listen() || !server.loadScenario(QJsonObject{{u"exchanges"_s, exchanges}}))
            return false;
        session::SessionConfig config;
        config.provider = *provider::providerDefaults(u"deepseek"_s);
        config.provider.baseUrl = QUrl(server.baseUrl());
        config.provider.apiKey = u"sk-diffview-test"_s;
        config.approvalMode = ApprovalMode::Ask;
        config.interactive = true;
        auto created = session::AgentSession::create(config, ws.path());
        if (!created) {
            qWarning("%s", qPrintable(created.error().message));
            return false;
        }
        session = std::move(*created);
        QObject::connect(session.get(), &session::AgentSession::event, session.get(),
                         [this](const AgentEvent &e) { events.push_back(e); });
        session->submit(UserTurn{u"rename value 3 and scale value 25"_s});
        return true;
    }
    const ApprovalRequested *request() const
    {
        for (const AgentEvent &e : events)
            if (const auto *r = std::get_if<ApprovalRequested>(&e.payload))
                return r;
        return nullptr;
    }
    bool ended() const
    {
        return !session->isRunning()
               && std::ranges::any_of(events, [](const AgentEvent &e) { return std::holds_alternative<TurnCompleted>(e.payload); });
    }
    QByteArray disk() const
    {
        QFile file(ws.filePath(u"calc.py"_s));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
    }
    /// What the model was told about the tool call, in the request after the decision.
    QString toolResult() const
    {
        const QJsonArray messages = server.requests().at(1).json.value(u"messages"_s).toArray();
        return messages.last().toObject().value(u"content"_s).toString();
    }
};

review::ReviewFile textFile(const QString &path, const QByteArray &before, const QByteArray &after);

} // namespace

class TstDiffView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptOneRejectTheOther();
    void editThenAccept();
    void keyboardVisitsEveryHunkInOrder();
    void sideBySideRowsStayAligned();
    void foldedStretchesUnfold();
};

void TstDiffView::acceptOneRejectTheOther()
{
    ProposalFixture f;
    QVERIFY(f.start());
    QTRY_VERIFY_WITH_TIMEOUT(f.request(), 10'000);
    QCOMPARE(f.disk(), f.original); // nothing written before the review

    auto review = review::ChangeReview::fromProposal(*f.request());
    QVERIFY2(review, review ? "" : qPrintable(review.error().message));
    DiffView view;
    view.resize(1200, 700);
    view.setReview(std::move(*review), u"Proposed change"_s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.review().hunkCount(), 2);
    view.setPrompt([](DiffView::PromptKind kind, const QString &, const QString &, const QString &) -> std::optional<QString> {
        if (kind == DiffView::PromptKind::RejectReason)
            return u"keep the old name scaled by ten, not a hundred"_s;
        return std::nullopt;
    });
    QObject::connect(&view, &DiffView::resolved, f.session.get(),
                     [&f](const ResolveApproval &op) { f.session->submit(op); });

    view.newPane()->setFocus();
    QTest::keyClick(view.newPane(), Qt::Key_A); // the first hunk (line 3), then on to the second
    QCOMPARE(view.currentHunk(), 1);
    QTest::keyClick(view.newPane(), Qt::Key_R); // the second (line 25), with the reason above
    QCOMPARE(view.review().pendingCount(), 0);
    view.commentCurrent(); // no prompt answer for comments: nothing added
    QCOMPARE(view.review().comments().size(), size_t(0));
    if (qEnvironmentVariableIsSet("REINS_SCREENSHOT_DIR")) // to look at the notes by eye
        view.grab().save(qEnvironmentVariable("REINS_SCREENSHOT_DIR") + u"/diffview-proposal.png"_s);
    QTest::keyClick(view.newPane(), Qt::Key_Return, Qt::ControlModifier);

    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QCOMPARE(f.disk(), replaceLine(f.original, 3, "renamed_3 = 30")); // exactly the accepted hunk
    QCOMPARE(f.server.requests().size(), 2);
    const QString told = f.toolResult();
    QVERIFY2(told.contains(u"keep the old name scaled by ten, not a hundred"_s), qPrintable(told));
    QVERIFY2(told.contains(u"Rejected calc.py, change 2 of 2"_s), qPrintable(told));
}

void TstDiffView::editThenAccept()
{
    ProposalFixture f;
    QVERIFY(f.start());
    QTRY_VERIFY_WITH_TIMEOUT(f.request(), 10'000);
    auto review = review::ChangeReview::fromProposal(*f.request());
    QVERIFY(review);
    DiffView view;
    view.setReview(std::move(*review), u"Proposed change"_s);
    view.show();
    QString editorStartedWith;
    view.setPrompt([&](DiffView::PromptKind kind, const QString &, const QString &initial, const QString &fileName)
                       -> std::optional<QString> {
        if (kind != DiffView::PromptKind::EditHunk)
            return QString();
        editorStartedWith = initial;
        [&] { QCOMPARE(fileName, u"calc.py"_s); }();
        QString edited = initial;
        edited.replace(u"renamed_3 = 30"_s, u"total_3 = 30  # person's name"_s);
        return edited;
    });
    QObject::connect(&view, &DiffView::resolved, f.session.get(),
                     [&f](const ResolveApproval &op) { f.session->submit(op); });
    view.newPane()->setFocus();
    QTest::keyClick(view.newPane(), Qt::Key_E); // edit hunk 1: accepted with the person's text
    QVERIFY(editorStartedWith.contains(u"renamed_3 = 30"_s));
    QVERIFY(editorStartedWith.contains(u"value_2 = 20"_s)); // context lines come with it
    QTest::keyClick(view.newPane(), Qt::Key_N);
    QTest::keyClick(view.newPane(), Qt::Key_R); // hunk 2 rejected (empty reason)
    view.submit();
    QTRY_VERIFY_WITH_TIMEOUT(f.ended(), 10'000);
    QCOMPARE(f.disk(), replaceLine(f.original, 3, "total_3 = 30  # person's name"));
    QVERIFY2(f.toolResult().contains(u"total_3 = 30  # person's name"_s), qPrintable(f.toolResult()));
}

namespace {

review::ReviewFile textFile(const QString &path, const QByteArray &before, const QByteArray &after)
{
    review::ReviewFile file;
    auto diff = review::diffTexts(path, path, before, after);
    file.diff = diff.value_or(checkpoint::FileDiff{});
    file.before = before;
    file.after = after;
    return file;
}

review::ChangeReview threeFiles()
{
    std::vector<review::ReviewFile> files;
    files.push_back(textFile(u"a.cpp"_s, numberedLines(40, "int a"), replaceLine(replaceLine(numberedLines(40, "int a"), 2, "int x2 = 20;"), 35, "int x35 = 350;")));
    review::ReviewFile binary;
    binary.diff.oldPath = binary.diff.newPath = u"logo.png"_s;
    binary.diff.binary = true;
    binary.contentAvailable = false;
    files.push_back(binary);
    files.push_back(textFile(u"b.py"_s, "print('hello')\n", "print('hello, world')\n"));
    return review::ChangeReview::fromDiffs(std::move(files));
}

} // namespace

void TstDiffView::keyboardVisitsEveryHunkInOrder()
{
    DiffView view;
    view.setReview(threeFiles(), u"Since checkpoint"_s);
    view.show();
    QSignalSpy visited(&view, &DiffView::currentHunkChanged);
    view.newPane()->setFocus();
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(view.newPane(), Qt::Key_N);
    QList<QPair<int, int>> order;
    for (const QList<QVariant> &args : visited)
        order.append({args.at(0).toInt(), args.at(1).toInt()});
    // a.cpp hunk 2, then logo.png (whole), then b.py; a fourth n at the end stays put.
    QCOMPARE(order, (QList<QPair<int, int>>{{0, 1}, {1, 0}, {2, 0}}));
    QCOMPARE(view.fileList()->currentItem(), view.fileList()->topLevelItem(2));
    QTest::keyClick(view.newPane(), Qt::Key_P);
    QCOMPARE(view.currentFile(), 1);
    QTest::keyClick(view.newPane(), Qt::Key_P);
    QCOMPARE(view.currentFile(), 0);
    QCOMPARE(view.currentHunk(), 1); // back into a.cpp at its last hunk
    QTest::keyClick(view.newPane(), Qt::Key_BracketRight);
    QTest::keyClick(view.newPane(), Qt::Key_BracketRight);
    QCOMPARE(view.currentFile(), 2);
    QTest::keyClick(view.newPane(), Qt::Key_BracketLeft);
    QCOMPARE(view.currentFile(), 1);
    QVERIFY(view.newPane()->text().contains(u"Binary file"_s));
}

void TstDiffView::sideBySideRowsStayAligned()
{
    DiffView view;
    std::vector<review::ReviewFile> files;
    files.push_back(textFile(u"m.txt"_s, "one\ntwo\nthree\nfour\n", "one\nTWO\n2b\n2c\nfour\nfive\n"));
    view.setReview(review::ChangeReview::fromDiffs(std::move(files)), u"Working tree"_s);
    view.show();
    QCOMPARE(view.oldPane()->lines(), view.newPane()->lines());
    // two → TWO beside each other, 2b and 2c against filler; three removed beside nothing… in git's pairing
    // the removed run (two, three) meets the added run (TWO, 2b, 2c): two rows paired, one filler on the old side.
    QCOMPARE(view.oldPane()->text(1), u"two\n"_s);
    QCOMPARE(view.newPane()->text(1), u"TWO\n"_s);
    QCOMPARE(view.oldPane()->text(2), u"three\n"_s);
    QCOMPARE(view.newPane()->text(2), u"2b\n"_s);
    QCOMPARE(view.oldPane()->text(3), u"\n"_s);
    QCOMPARE(view.newPane()->text(3), u"2c\n"_s);
    view.setLayoutMode(DiffView::Layout::Inline);
    QVERIFY(view.inlinePane()->text().contains(u"three"_s));
    QVERIFY(view.inlinePane()->text().contains(u"2c"_s));
}

void TstDiffView::foldedStretchesUnfold()
{
    DiffView view;
    view.setReview(threeFiles(), u"Since checkpoint"_s);
    view.show();
    const int folded = view.newPane()->lines();
    QVERIFY2(view.newPane()->text().contains(u"unchanged lines"_s), qPrintable(view.newPane()->text()));
    // The stretch between the two hunks: find its row and activate it with Enter.
    int gapRow = -1;
    for (int row = 0; row < view.newPane()->lines() && gapRow < 0; ++row)
        if (view.newPane()->text(row).contains(u"unchanged lines"_s) && row > 2)
            gapRow = row;
    QVERIFY(gapRow > 0);
    view.newPane()->setFocus();
    view.newPane()->setCursorPosition(gapRow, 0);
    QTest::keyClick(view.newPane(), Qt::Key_Return);
    QVERIFY(view.newPane()->lines() > folded + 20);
    QCOMPARE(view.oldPane()->lines(), view.newPane()->lines());
    QVERIFY(view.newPane()->text().contains(u"int a20 = 200"_s));
}

QTEST_MAIN(TstDiffView)
#include "tst_diffview.moc"
