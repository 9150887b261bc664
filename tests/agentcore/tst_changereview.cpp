// The review of a proposal, without a window: which decision leaves through the seam, what each file becomes, and
// what the agent is told.

#include "review/changereview.h"

#include <QTest>

using namespace reins;
using namespace reins::protocol;
using namespace reins::review;
using namespace Qt::StringLiterals;

namespace {

QString lines(int count, const QString &prefix)
{
    QString text;
    for (int i = 1; i <= count; ++i)
        text += u"%1%2\n"_s.arg(prefix).arg(i);
    return text;
}

QString replaced(QString text, int line, const QString &with)
{
    QStringList all = text.split(u'\n');
    all[line - 1] = with;
    return all.join(u'\n');
}

// Two files: a.txt with changes at lines 2 and 20 (two hunks), b.txt with one.
ApprovalRequested proposal()
{
    ApprovalRequested request;
    request.callId = u"call-1"_s;
    request.tool = u"apply_patch"_s;
    const QString a = lines(24, u"a"_s);
    request.files.push_back({u"a.txt"_s, u"a.txt"_s, a, replaced(replaced(a, 2, u"A2"_s), 20, u"A20"_s), false, false});
    request.files.push_back({u"b.txt"_s, u"b.txt"_s, u"one\n"_s, u"two\n"_s, false, false});
    return request;
}

} // namespace

class TstChangeReview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resolution_data();
    void resolution();
    void wholeFileDecisions();
    void commentsAndReasonsReachTheAgent();
    void notAProposal();
};

void TstChangeReview::resolution_data()
{
    QTest::addColumn<QList<int>>("decisions"); // per hunk in order: 0 pending, 1 accepted, 2 rejected, 3 edited
    QTest::addColumn<int>("decision");
    QTest::addColumn<QStringList>("contents"); // per file: "<rejected>", "<as proposed>", or the content
    const QString a = lines(24, u"a"_s);
    QTest::newRow("all accepted") << QList<int>{1, 1, 1} << int(ApprovalDecision::ApproveOnce) << QStringList{};
    QTest::newRow("all rejected") << QList<int>{2, 2, 2} << int(ApprovalDecision::Deny) << QStringList{};
    QTest::newRow("none reviewed") << QList<int>{0, 0, 0} << int(ApprovalDecision::Deny) << QStringList{};
    QTest::newRow("first hunk only")
        << QList<int>{1, 2, 2} << int(ApprovalDecision::ApproveEdited)
        << QStringList{replaced(a, 2, u"A2"_s), u"<rejected>"_s};
    QTest::newRow("second hunk and b")
        << QList<int>{2, 1, 1} << int(ApprovalDecision::ApproveEdited)
        << QStringList{replaced(a, 20, u"A20"_s), u"<as proposed>"_s};
    QTest::newRow("pending is not written")
        << QList<int>{0, 1, 0} << int(ApprovalDecision::ApproveEdited)
        << QStringList{replaced(a, 20, u"A20"_s), u"<rejected>"_s};
    QTest::newRow("edited hunk")
        << QList<int>{3, 1, 1} << int(ApprovalDecision::ApproveEdited)
        << QStringList{replaced(replaced(a, 2, u"mine"_s), 20, u"A20"_s), u"<as proposed>"_s};
}

void TstChangeReview::resolution()
{
    QFETCH(QList<int>, decisions);
    QFETCH(int, decision);
    QFETCH(QStringList, contents);
    auto review = ChangeReview::fromProposal(proposal());
    QVERIFY(review);
    QCOMPARE(review->hunkCount(), 3);
    int index = 0;
    for (int file = 0; file < 2; ++file) {
        for (int hunk = 0; hunk < review->files()[size_t(file)].decisionCount(); ++hunk, ++index) {
            switch (decisions[index]) {
            case 1: review->decide(file, hunk, HunkDecision::Accepted); break;
            case 2: review->decide(file, hunk, HunkDecision::Rejected, u"no"_s); break;
            case 3: {
                QString text = review->newSideText(file, hunk);
                QVERIFY(text.contains(u"A2"_s));
                review->edit(file, hunk, text.replace(u"A2"_s, u"mine"_s));
                break;
            }
            default: break;
            }
        }
    }
    auto op = review->resolution();
    QVERIFY(op);
    QCOMPARE(op->callId, u"call-1"_s);
    QCOMPARE(int(op->decision), decision);
    QCOMPARE(op->reviewedFiles.size(), size_t(contents.size()));
    for (qsizetype i = 0; i < contents.size(); ++i) {
        const ReviewedFile &reviewed = op->reviewedFiles[size_t(i)];
        if (contents[i] == u"<rejected>") {
            QVERIFY(!reviewed.accepted);
        } else if (contents[i] == u"<as proposed>") {
            QVERIFY(reviewed.accepted);
            QVERIFY(!reviewed.content);
        } else {
            QVERIFY(reviewed.accepted);
            QCOMPARE(reviewed.content.value_or(u"<none>"_s), contents[i]);
        }
    }
}

void TstChangeReview::wholeFileDecisions()
{
    ApprovalRequested request = proposal();
    request.files.push_back({u"logo.png"_s, u"logo.png"_s, std::nullopt, std::nullopt, true, false});
    request.files.push_back({u"huge.log"_s, u"huge.log"_s, std::nullopt, std::nullopt, false, true});
    auto review = ChangeReview::fromProposal(request);
    QVERIFY(review);
    QCOMPARE(review->files()[2].decisionCount(), 1);
    QVERIFY(review->files()[2].diff.binary);
    QCOMPARE(review->files()[3].decisionCount(), 1);
    QVERIFY(!review->files()[3].contentAvailable);
    review->decideAll(HunkDecision::Accepted);
    review->decideFile(2, HunkDecision::Rejected, u"keep the old logo"_s);
    auto op = review->resolution();
    QVERIFY(op);
    QCOMPARE(op->decision, ApprovalDecision::ApproveEdited);
    QVERIFY(!op->reviewedFiles[2].accepted);
    QVERIFY(op->reviewedFiles[3].accepted && !op->reviewedFiles[3].content);
    QVERIFY2(op->message.contains(u"Rejected the whole change to logo.png: keep the old logo"_s), qPrintable(op->message));
}

void TstChangeReview::commentsAndReasonsReachTheAgent()
{
    auto review = ChangeReview::fromProposal(proposal());
    QVERIFY(review);
    review->decide(0, 0, HunkDecision::Accepted);
    review->decide(0, 1, HunkDecision::Rejected, u"line 20 must stay lower case"_s);
    review->decide(1, 0, HunkDecision::Accepted);
    review->comment({0, true, 2, u"A2"_s, u"good name"_s});
    review->comment({0, true, 3, u"a3"_s, u"   "_s}); // empty: dropped
    QCOMPARE(review->comments().size(), size_t(1));
    const QString message = review->feedback();
    QCOMPARE(message, u"The person rejected part of the change:\n"
                      "- Rejected a.txt, change 2 of 2 (@@ -17,7 +17,7 @@): line 20 must stay lower case\n"
                      "Review comments:\n"
                      "- a.txt, new line 2 (`A2`): good name"_s);
    auto op = review->resolution();
    QVERIFY(op);
    QCOMPARE(op->message, message);
}

void TstChangeReview::notAProposal()
{
    ReviewFile file;
    file.diff.oldPath = file.diff.newPath = u"x"_s;
    ChangeReview review = ChangeReview::fromDiffs({file});
    QVERIFY(!review.isProposal());
    QVERIFY(!review.resolution());
    review.comment({0, false, 1, QString(), u"why was this removed?"_s});
    QCOMPARE(review.feedback(), u"Review comments:\n- x, old line 1: why was this removed?"_s);
}

QTEST_GUILESS_MAIN(TstChangeReview)
#include "tst_changereview.moc"
