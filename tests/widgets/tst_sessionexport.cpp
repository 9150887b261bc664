// Exporting a session: Markdown and one self-contained HTML file, built from a real event sequence through the
// ThreadState reducer; secrets never leave.

#include "sessionexport.h"

#include <QTest>

using namespace reins;
using namespace reins::protocol;
using namespace Qt::StringLiterals;

namespace {

ThreadState session()
{
    ThreadState state;
    qint64 seq = 0;
    const auto apply = [&](auto payload) { state.apply(AgentEvent{++seq, 1'700'000'000'000 + seq * 1000, payload}); };
    apply(SessionStarted{u"s-42"_s, u"/home/u/shop"_s, u"deepseek"_s, u"deepseek-flash"_s, ApprovalMode::Ask});
    apply(TurnStarted{u"t1"_s, u"Fix it. My key is sk-live-0123456789abcdefghij, oops."_s});
    apply(AssistantDelta{u"The bug is **here**: <script>alert(1)</script>"_s});
    apply(AssistantMessageDone{});
    apply(ToolCallProposed{u"c1"_s, u"run_command"_s, QJsonObject{{u"command"_s, u"curl -H 'Authorization: Bearer abcdefghijklmnop1234' x"_s}}});
    apply(ToolStarted{u"c1"_s, u"run_command"_s});
    apply(ToolOutput{u"c1"_s, OutputStream::Stdout, u"token ghp_abcdefghijklmnopqrstuvwx1234\n```\nnot a fence end\n"_s});
    apply(ToolFinished{u"c1"_s, ToolOutcome::Ok, u"Exit code 0"_s, 0, 120});
    apply(TurnCompleted{u"t1"_s, TurnEndReason::Done, QString()});
    return state;
}

} // namespace

class TstSessionExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void markdown();
    void html();
    void redaction_data();
    void redaction();
};

void TstSessionExport::markdown()
{
    const QString md = widgets::exportMarkdown(session(), {u"the-configured-key-123"_s});
    QVERIFY2(md.contains(u"# Reins session s-42"_s), qPrintable(md));
    QVERIFY(md.contains(u"## You"_s));
    QVERIFY(md.contains(u"The bug is **here**"_s));
    QVERIFY(md.contains(u"**run_command** `curl"_s));
    QVERIFY(md.contains(u"exit 0"_s));
    QVERIFY(md.contains(u"````\nnot a fence end"_s) || md.contains(u"````"_s)); // a longer fence around ```
    QVERIFY(!md.contains(u"sk-live-0123456789abcdefghij"_s));
    QVERIFY(!md.contains(u"ghp_abcdefghijklmnopqrstuvwx1234"_s));
    QVERIFY(!md.contains(u"abcdefghijklmnop1234"_s));
}

void TstSessionExport::html()
{
    const QString html = widgets::exportHtml(session(), {});
    QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
    QVERIFY(html.contains(u"default-src 'none'"_s)); // nothing loads from anywhere
    QVERIFY(!html.contains(u"<script>"_s));          // the model's HTML is text
    QVERIFY(html.contains(u"&lt;script&gt;"_s));
    QVERIFY(!html.contains(u"<link"_s) && !html.contains(u"src=\"http"_s));
    QVERIFY(!html.contains(u"sk-live-0123456789abcdefghij"_s));
    QVERIFY(html.contains(u"font-weight"_s) || html.contains(u"<b>"_s) || html.contains(u"<strong>"_s)); // rendered
}

void TstSessionExport::redaction_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("kept");
    QTest::newRow("openai-style key") << u"key sk-proj-AbCdEfGhIjKlMnOpQrStUv"_s << u"sk-proj-AbCdEfGhIjKlMnOpQrStUv"_s << false;
    QTest::newRow("anthropic key") << u"sk-ant-api03-abcdefghijklmnopqrst"_s << u"abcdefghijklmnopqrst"_s << false;
    QTest::newRow("aws key id") << u"AKIAABCDEFGHIJKLMNOP in env"_s << u"AKIAABCDEFGHIJKLMNOP"_s << false;
    QTest::newRow("slack token") << u"xoxb-1234567890-abcdef"_s << u"xoxb-1234567890-abcdef"_s << false;
    QTest::newRow("bearer header") << u"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc"_s << u"eyJhbGciOiJIUzI1NiJ9"_s << false;
    QTest::newRow("ordinary words stay") << u"the skeleton key opens sk-ills"_s << u"skeleton"_s << true;
}

void TstSessionExport::redaction()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    QFETCH(bool, kept);
    QCOMPARE(widgets::redacted(text, {}).contains(secret), kept);
}

QTEST_MAIN(TstSessionExport)
#include "tst_sessionexport.moc"
