// Taking some hunks of a change and leaving others: every subset of a three-hunk change against texts built by
// hand, line endings kept byte for byte, the person's replacement text, and a round trip over generated edits.

#include "review/hunkselection.h"
#include "review/textdiff.h"

#include <QRandomGenerator>
#include <QTest>

using namespace reins;
using namespace reins::checkpoint;
using namespace reins::review;
using namespace Qt::StringLiterals;

namespace {

/// The 30-line file of the three-hunk change, with that change's parts taken or not: line 3 rewritten (hunk 1), two
/// lines inserted after line 15 (hunk 2), line 27 removed (hunk 3). Built line by line, without any diff.
QByteArray threeHunkText(bool first, bool second, bool third, const QByteArray &ending = "\n")
{
    QByteArray text;
    for (int i = 1; i <= 30; ++i) {
        if (i == 27 && third)
            continue;
        text += (i == 3 && first ? QByteArray("line three") : "line " + QByteArray::number(i)) + ending;
        if (i == 15 && second)
            text += "inserted a" + ending + "inserted b" + ending;
    }
    return text;
}

std::vector<HunkChoice> choicesFromMask(int hunks, int mask)
{
    std::vector<HunkChoice> choices;
    for (int h = 0; h < hunks; ++h)
        choices.push_back({(mask & (1 << h)) != 0, std::nullopt});
    return choices;
}

template<typename T>
const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

/// A text of `lines` lines drawn from a small vocabulary (so that lines repeat, as code does).
QList<QByteArray> randomLines(QRandomGenerator &random, int lines)
{
    static const char *const words[] = {"{", "}", "return x;", "x += 1;", "", "int y = 0;", "// note", "call(a, b);"};
    QList<QByteArray> out;
    for (int i = 0; i < lines; ++i)
        out << QByteArray(words[random.bounded(int(std::size(words)))]);
    return out;
}

QByteArray joinLines(const QList<QByteArray> &lines, const QByteArray &ending, bool finalNewline)
{
    QByteArray text = lines.join(ending);
    if (finalNewline && !lines.isEmpty())
        text += ending;
    return text;
}

} // namespace

class TstHunkSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void threeHunkSubsets_data();
    void threeHunkSubsets();
    void lineEndingsKept_data();
    void lineEndingsKept();
    void replacement_data();
    void replacement();
    void errors();
    void roundTrip_data();
    void roundTrip();
};

void TstHunkSelection::threeHunkSubsets_data()
{
    QTest::addColumn<int>("mask");
    QTest::addColumn<QByteArray>("ending");

    for (const QByteArray &ending : {QByteArray("\n"), QByteArray("\r\n")}) {
        for (int mask = 0; mask < 8; ++mask) {
            const QString name = u"%1%2%3 %4"_s.arg(mask & 1 ? u"1"_s : u"-"_s, mask & 2 ? u"2"_s : u"-"_s,
                                                    mask & 4 ? u"3"_s : u"-"_s, ending == "\n" ? u"LF"_s : u"CRLF"_s);
            QTest::newRow(qPrintable(name)) << mask << ending;
        }
    }
}

void TstHunkSelection::threeHunkSubsets()
{
    QFETCH(int, mask);
    QFETCH(QByteArray, ending);
    const QByteArray before = threeHunkText(false, false, false, ending);
    const QByteArray after = threeHunkText(true, true, true, ending);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY2(diff, why(diff));
    QCOMPARE(diff->hunks.size(), 3u);
    const auto applied = applyHunks(before, after, *diff, choicesFromMask(3, mask));
    QVERIFY2(applied, why(applied));
    QCOMPARE(*applied, threeHunkText(mask & 1, mask & 2, mask & 4, ending));
}

void TstHunkSelection::lineEndingsKept_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<int>("mask");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray head = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    QTest::newRow("no final newline, last hunk taken")
        << head + "last" << QByteArray(head).replace("2\n", "two\n") + "LAST" << 0b11
        << QByteArray(head).replace("2\n", "two\n") + "LAST";
    QTest::newRow("no final newline, last hunk left")
        << head + "last" << QByteArray(head).replace("2\n", "two\n") + "LAST" << 0b01
        << QByteArray(head).replace("2\n", "two\n") + "last";
    QTest::newRow("no final newline, only the last hunk")
        << head + "last" << QByteArray(head).replace("2\n", "two\n") + "LAST" << 0b10 << head + "LAST";
    QTest::newRow("final newline removed, taken") << head + "last\n" << head + "last" << 0b1 << head + "last";
    QTest::newRow("final newline removed, left") << head + "last\n" << head + "last" << 0b0 << head + "last\n";
    QTest::newRow("final newline added, taken") << head + "last" << head + "last\n" << 0b1 << head + "last\n";
    QTest::newRow("mixed endings kept")
        << QByteArray("a\r\nb\nc\r\nd\n") + head << QByteArray("a\r\nB\nc\r\nd\n") + QByteArray(head).replace("9\n", "9\r\n")
        << 0b01 << QByteArray("a\r\nB\nc\r\nd\n") + head;
    QTest::newRow("CRLF change to LF taken")
        << QByteArray("x\r\ny\r\n") << QByteArray("x\r\ny\n") << 0b1 << QByteArray("x\r\ny\n");
    QTest::newRow("from empty, taken") << QByteArray() << QByteArray("a\nb\n") << 0b1 << QByteArray("a\nb\n");
    QTest::newRow("to empty, left") << QByteArray("a\nb\n") << QByteArray() << 0b0 << QByteArray("a\nb\n");
    QTest::newRow("to empty, taken") << QByteArray("a\nb\n") << QByteArray() << 0b1 << QByteArray();
}

void TstHunkSelection::lineEndingsKept()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(int, mask);
    QFETCH(QByteArray, expected);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY2(diff, why(diff));
    const auto applied = applyHunks(before, after, *diff, choicesFromMask(int(diff->hunks.size()), mask));
    QVERIFY2(applied, why(applied));
    QCOMPARE(*applied, expected);
}

void TstHunkSelection::replacement_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<int>("hunk");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray before = threeHunkText(false, false, false);
    const QByteArray after = threeHunkText(true, true, true);
    // Hunk 1 covers new lines 1-6 (line 3 and three lines of context on each side it has).
    QByteArray firstRewritten = after;
    firstRewritten.replace("line 1\nline 2\nline three\nline 4\nline 5\nline 6\n", "line 1\nline 2\nline THREE!\nline 4\nline 5\nline 6\n");
    QTest::newRow("first hunk rewritten") << before << after << 0 << u"line 1\nline 2\nline THREE!\nline 4\nline 5\nline 6"_s
                                          << firstRewritten;
    QTest::newRow("trailing newline optional")
        << before << after << 0 << u"line 1\nline 2\nline THREE!\nline 4\nline 5\nline 6\n"_s << firstRewritten;
    QByteArray middleRewritten = after;
    middleRewritten.replace("inserted a\ninserted b\n", "just one\n");
    QTest::newRow("middle hunk, fewer lines")
        << before << after << 1 << u"line 13\nline 14\nline 15\njust one\nline 16\nline 17\nline 18"_s << middleRewritten;
    QByteArray dropped = after;
    dropped.replace("line 24\nline 25\nline 26\nline 28\nline 29\nline 30\n", "");
    QTest::newRow("empty text drops the lines") << before << after << 2 << QString() << dropped;
    QTest::newRow("CRLF file") << threeHunkText(false, false, false, "\r\n") << threeHunkText(true, true, true, "\r\n") << 0
                               << u"line 1\nline 2\nline 3!\r\nline 4\nline 5\nline 6"_s
                               << QByteArray(threeHunkText(true, true, true, "\r\n")).replace("line three\r\n", "line 3!\r\n");
    QTest::newRow("at the end, no final newline") << QByteArray("a\nb\nc") << QByteArray("a\nb\nC") << 0 << u"a\nb\nsee"_s
                                                  << QByteArray("a\nb\nsee");
    QTest::newRow("at the end, no final newline, text ends in one")
        << QByteArray("a\nb\nc") << QByteArray("a\nb\nC") << 0 << u"a\nb\nsee\n"_s << QByteArray("a\nb\nsee");
    QTest::newRow("at the end, final newline") << QByteArray("a\nb\nc") << QByteArray("a\nb\nC\n") << 0 << u"a\nb\nsee"_s
                                               << QByteArray("a\nb\nsee\n");
    QTest::newRow("non-ASCII") << QByteArray("x\n") << QByteArray("y\n") << 0 << u"größe 😀"_s << QByteArray("größe 😀\n");
}

void TstHunkSelection::replacement()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(int, hunk);
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY2(diff, why(diff));
    std::vector<HunkChoice> choices(diff->hunks.size());
    choices[size_t(hunk)].replacement = text;
    const auto applied = applyHunks(before, after, *diff, choices);
    QVERIFY2(applied, why(applied));
    QCOMPARE(*applied, expected);
}

void TstHunkSelection::errors()
{
    const QByteArray before = threeHunkText(false, false, false);
    const QByteArray after = threeHunkText(true, true, true);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY2(diff, why(diff));
    QVERIFY(!applyHunks(before, after, *diff, choicesFromMask(2, 0)));
    QVERIFY(!applyHunks(before, after, *diff, choicesFromMask(4, 0)));
    // A diff of other texts: its hunks do not fit.
    QVERIFY(!applyHunks(QByteArray("a\n"), after, *diff, choicesFromMask(3, 0)));

    const QByteArray binary("a\0b", 3);
    const auto binaryDiff = diffTexts(u"f"_s, u"f"_s, binary, QByteArray("text\n"));
    QVERIFY(binaryDiff);
    QVERIFY(!applyHunks(binary, QByteArray("text\n"), *binaryDiff, {}));
}

void TstHunkSelection::roundTrip_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("context");
    for (quint32 seed = 1; seed <= 12; ++seed)
        for (int context : {0, 1, 3})
            QTest::newRow(qPrintable(u"seed %1, context %2"_s.arg(seed).arg(context))) << seed << context;
}

void TstHunkSelection::roundTrip()
{
    QFETCH(quint32, seed);
    QFETCH(int, context);
    QRandomGenerator random(seed);
    const QByteArray ending = random.bounded(3) == 0 ? "\r\n" : "\n";
    QList<QByteArray> lines = randomLines(random, random.bounded(0, 60));
    const QByteArray before = joinLines(lines, ending, random.bounded(4) != 0);
    // A handful of edits anywhere: replace, insert, remove.
    for (int edit = random.bounded(1, 8); edit > 0; --edit) {
        const int at = lines.isEmpty() ? 0 : random.bounded(int(lines.size()));
        switch (random.bounded(3)) {
        case 0:
            if (!lines.isEmpty())
                lines[at] = randomLines(random, 1).front() + " /* edited */";
            break;
        case 1:
            for (const QByteArray &line : randomLines(random, random.bounded(1, 4)))
                lines.insert(random.bounded(int(lines.size()) + 1), line);
            break;
        default:
            if (!lines.isEmpty())
                lines.remove(at, std::min<qsizetype>(random.bounded(1, 3), lines.size() - at));
            break;
        }
    }
    const QByteArray after = joinLines(lines, ending, random.bounded(4) != 0);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after, context);
    QVERIFY2(diff, why(diff));
    const int hunks = int(diff->hunks.size());
    const auto all = applyHunks(before, after, *diff, choicesFromMask(hunks, (1 << hunks) - 1));
    QVERIFY2(all, why(all));
    QCOMPARE(*all, after);
    const auto none = applyHunks(before, after, *diff, choicesFromMask(hunks, 0));
    QVERIFY2(none, why(none));
    QCOMPARE(*none, before);
    // Taking every hunk but one and then diffing again leaves that hunk's change alone: the result differs
    // from `after` exactly where the hunk left out was.
    for (int left = 0; left < hunks; ++left) {
        const auto partial = applyHunks(before, after, *diff, choicesFromMask(hunks, ((1 << hunks) - 1) & ~(1 << left)));
        QVERIFY2(partial, why(partial));
        const auto rest = diffTexts(u"f"_s, u"f"_s, *partial, after, 0);
        QVERIFY2(rest, why(rest));
        const DiffHunk &hunk = diff->hunks[size_t(left)];
        int changed = 0;
        for (const DiffLine &line : hunk.lines)
            changed += line.origin == '+' ? 1 : 0;
        QCOMPARE(rest->additions, changed);
    }
}

QTEST_GUILESS_MAIN(TstHunkSelection)
#include "tst_hunkselection.moc"
