// Word marks within a changed line: a table of old line, new line and the expected ranges on each side, in UTF-16
// units ("start:length", space separated).

#include "review/worddiff.h"

#include <QTest>

using namespace reins::review;
using namespace Qt::StringLiterals;

namespace reins::review {

// Lets QCOMPARE print word diffs that differ.
char *toString(const WordDiff &diff)
{
    const auto side = [](const std::vector<TextRange> &ranges) {
        QStringList parts;
        for (const TextRange &range : ranges)
            parts << u"%1:%2"_s.arg(range.start).arg(range.length);
        return parts.join(u' ');
    };
    return qstrdup(u"old [%1] new [%2]"_s.arg(side(diff.oldRanges), side(diff.newRanges)).toUtf8().constData());
}

} // namespace reins::review

namespace {

/// "4:3 10:2" → {{4, 3}, {10, 2}}
std::vector<TextRange> ranges(const QString &text)
{
    std::vector<TextRange> out;
    for (const QString &part : text.split(u' ', Qt::SkipEmptyParts)) {
        const QStringList numbers = part.split(u':');
        out.push_back({numbers.value(0).toInt(), numbers.value(1).toInt()});
    }
    return out;
}

} // namespace

class TstWordDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void table_data();
    void table();
    void symmetric_data() { table_data(); }
    void symmetric();
};

void TstWordDiff::table_data()
{
    QTest::addColumn<QString>("oldLine");
    QTest::addColumn<QString>("newLine");
    QTest::addColumn<QString>("oldRanges");
    QTest::addColumn<QString>("newRanges");

    QTest::newRow("renamed identifier") << u"int count = total;"_s << u"int amount = total;"_s << u"4:5"_s << u"4:6"_s;
    QTest::newRow("changed number") << u"timeout = 30;"_s << u"timeout = 45;"_s << u"10:2"_s << u"10:2"_s;
    QTest::newRow("digit inside a word changes the word") << u"x = value1 + offset;"_s << u"x = value2 + offset;"_s
                                                          << u"4:6"_s << u"4:6"_s;
    QTest::newRow("inserted argument") << u"call(a, b);"_s << u"call(a, x, b);"_s << u""_s << u"8:3"_s;
    QTest::newRow("removed argument") << u"f(a, b, c)"_s << u"f(a, c)"_s << u"5:3"_s << u""_s;
    QTest::newRow("two changes") << u"alpha(beta, gamma)"_s << u"Alpha(beta, delta)"_s << u"0:5 12:5"_s << u"0:5 12:5"_s;
    QTest::newRow("merged across one space") << u"one two three four five"_s << u"one 2 3 four five"_s << u"4:9"_s
                                             << u"4:3"_s;
    QTest::newRow("whitespace only") << u"a = b;"_s << u"a  =  b;"_s << u"1:1 3:1"_s << u"1:2 4:2"_s;
    QTest::newRow("trailing whitespace") << u"x = 1;"_s << u"x = 1;  "_s << u""_s << u"6:2"_s;
    QTest::newRow("indentation") << u"    return x;"_s << u"\treturn x;"_s << u"0:4"_s << u"0:1"_s;
    QTest::newRow("punctuation inserted") << u"if (a < b)"_s << u"if (a <= b)"_s << u""_s << u"7:1"_s;
    QTest::newRow("punctuation replaced, adjacent merged") << u"foo.bar();"_s << u"foo->bar();"_s << u"3:1"_s << u"3:2"_s;
    QTest::newRow("non-ASCII word") << u"let größe = berechne(wert);"_s << u"let grösse = berechne(wert);"_s << u"4:5"_s
                                    << u"4:6"_s;
    QTest::newRow("surrogate pair before the change") << u"label = \"😀 ok\";"_s << u"label = \"😀 fine\";"_s
                                                      << u"12:2"_s << u"12:4"_s;
    QTest::newRow("surrogate pair changed, one character") << u"x = \"😀\";"_s << u"x = \"😁\";"_s << u"5:2"_s << u"5:2"_s;
    QTest::newRow("surrogate pair letter in a word") << u"let 𝒳1 = 2;"_s << u"let 𝒳2 = 2;"_s << u"4:3"_s << u"4:3"_s;
    QTest::newRow("completely different") << u"return x;"_s << u"throw std::runtime_error(msg);"_s << u""_s << u""_s;
    QTest::newRow("less than a third shared") << u"a = bcdefgh"_s << u"a = ijklmno"_s << u""_s << u""_s;
    QTest::newRow("a third shared") << u"a = b"_s << u"a = c"_s << u"4:1"_s << u"4:1"_s;
    QTest::newRow("identical") << u"same line"_s << u"same line"_s << u""_s << u""_s;
    QTest::newRow("both empty") << QString() << QString() << u""_s << u""_s;
    QTest::newRow("one side empty") << QString() << u"int x;"_s << u""_s << u""_s;
    const QString longLine = u"a "_s.repeated(1001); // 2,002 tokens
    QTest::newRow("very long line") << longLine << longLine + u"b"_s << u""_s << u""_s;
    const QString justShort = u"a "_s.repeated(1000); // exactly 2,000 tokens
    QTest::newRow("2000 tokens still compared") << justShort << justShort.chopped(2) + u"b "_s << u"1998:1"_s
                                                << u"1998:1"_s;
}

void TstWordDiff::table()
{
    QFETCH(QString, oldLine);
    QFETCH(QString, newLine);
    QFETCH(QString, oldRanges);
    QFETCH(QString, newRanges);
    QCOMPARE(diffWords(oldLine, newLine), (WordDiff{ranges(oldRanges), ranges(newRanges)}));
}

void TstWordDiff::symmetric()
{
    // Swapping the lines swaps the marks, unless the common subsequence is ambiguous (no row here is).
    QFETCH(QString, oldLine);
    QFETCH(QString, newLine);
    const WordDiff forward = diffWords(oldLine, newLine);
    const WordDiff backward = diffWords(newLine, oldLine);
    QCOMPARE(backward, (WordDiff{forward.newRanges, forward.oldRanges}));
}

QTEST_GUILESS_MAIN(TstWordDiff)
#include "tst_worddiff.moc"
