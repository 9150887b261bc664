// Row alignment of the diff view, side by side and unified, against golden files: which lines pair up, where the
// fillers go, where unchanged stretches fold into gaps. REINS_UPDATE_GOLDEN=1 rewrites the golden files.

#include "review/sidebyside.h"
#include "review/textdiff.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>

using namespace reins;
using namespace reins::checkpoint;
using namespace reins::review;
using namespace Qt::StringLiterals;

namespace {

using Bytes = std::optional<QByteArray>;

QByteArray numbered(int count, const QByteArray &prefix = "line ")
{
    QByteArray text;
    for (int i = 1; i <= count; ++i)
        text += prefix + QByteArray::number(i) + '\n';
    return text;
}

QString kindName(SideRow::Kind kind)
{
    switch (kind) {
    case SideRow::Kind::Context: return u"context"_s;
    case SideRow::Kind::Removed: return u"removed"_s;
    case SideRow::Kind::Added: return u"added"_s;
    case SideRow::Kind::Changed: return u"changed"_s;
    case SideRow::Kind::Gap: return u"gap"_s;
    }
    return {};
}

QString kindName(InlineRow::Kind kind)
{
    switch (kind) {
    case InlineRow::Kind::Context: return u"context"_s;
    case InlineRow::Kind::Removed: return u"removed"_s;
    case InlineRow::Kind::Added: return u"added"_s;
    case InlineRow::Kind::Gap: return u"gap"_s;
    }
    return {};
}

QString number(int line)
{
    return (line < 0 ? QString() : QString::number(line)).rightJustified(3);
}

QString hunkMark(int hunk)
{
    return hunk < 0 ? u"   "_s : u"@%1 "_s.arg(hunk);
}

QString gapText(int oldLine, int newLine, int lines)
{
    return u"old %1-%2, new %3-%4: %5 unchanged"_s.arg(oldLine)
        .arg(oldLine + lines - 1)
        .arg(newLine)
        .arg(newLine + lines - 1)
        .arg(lines);
}

/// One row per line: hunk, kind, old line number and text | new line number and text.
QString dumpSideBySide(const std::vector<SideRow> &rows)
{
    qsizetype width = 0;
    for (const SideRow &row : rows)
        width = std::max(width, row.oldText.size());
    QString text;
    for (const SideRow &row : rows) {
        QString line = hunkMark(row.hunk) + kindName(row.kind).leftJustified(8);
        if (row.kind == SideRow::Kind::Gap)
            line += gapText(row.oldLine, row.newLine, row.gapLines);
        else
            line += number(row.oldLine) + u' ' + row.oldText.leftJustified(width) + u" |" + number(row.newLine)
                    + u' ' + row.newText;
        while (line.endsWith(u' '))
            line.chop(1);
        text += line + u'\n';
    }
    return text;
}

/// One row per line: index, hunk, kind, old and new line numbers, text, and the partner's index.
QString dumpInline(const std::vector<InlineRow> &rows)
{
    QString text;
    for (size_t i = 0; i < rows.size(); ++i) {
        const InlineRow &row = rows[i];
        QString line = QString::number(i).rightJustified(2) + u' ' + hunkMark(row.hunk) + kindName(row.kind).leftJustified(8);
        if (row.kind == InlineRow::Kind::Gap)
            line += gapText(row.oldLine, row.newLine, row.gapLines);
        else
            line += number(row.oldLine) + number(row.newLine) + u"  "_s + row.text;
        if (row.partner >= 0)
            line += u"  <-> %1"_s.arg(row.partner);
        while (line.endsWith(u' '))
            line.chop(1);
        text += line + u'\n';
    }
    return text;
}

int lineCount(const Bytes &text)
{
    return text ? int(splitLines(*text).size()) : 0;
}

} // namespace

Q_DECLARE_METATYPE(Bytes)

class TstSideBySide : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();
    void noRows_data();
    void noRows();
    void partnersAreMutual();
};

void TstSideBySide::golden_data()
{
    QTest::addColumn<Bytes>("before");
    QTest::addColumn<Bytes>("after");
    QTest::addColumn<bool>("knownCounts");

    const QByteArray ten = numbered(10);
    const QByteArray twenty = numbered(20);
    const QByteArray thirty = numbered(30);
    QTest::newRow("added_file") << Bytes() << Bytes("alpha\nbeta\n") << true;
    QTest::newRow("deleted_file") << Bytes("alpha\nbeta\n") << Bytes() << true;
    QTest::newRow("pure_addition") << Bytes(ten) << Bytes(QByteArray(ten).replace("line 5\n", "line 5\nnew a\nnew b\n")) << true;
    QTest::newRow("pure_deletion") << Bytes(ten) << Bytes(QByteArray(ten).replace("line 5\nline 6\n", "")) << true;
    QTest::newRow("more_removed_than_added")
        << Bytes(ten) << Bytes(QByteArray(ten).replace("line 4\nline 5\nline 6\n", "lines 4 to 6\n")) << true;
    QTest::newRow("more_added_than_removed")
        << Bytes(ten) << Bytes(QByteArray(ten).replace("line 5\n", "line 5a\nline 5b\nline 5c\n")) << true;
    QTest::newRow("two_changes_one_hunk")
        << Bytes(ten) << Bytes(QByteArray(ten).replace("line 4\n", "line four\n").replace("line 7\n", "")) << true;
    QTest::newRow("two_hunks_with_gap")
        << Bytes(twenty) << Bytes(QByteArray(twenty).replace("line 3\n", "line three\n").replace("line 17\n", "line seventeen\n"))
        << true;
    QTest::newRow("first_line") << Bytes(ten) << Bytes(QByteArray(ten).replace("line 1\n", "first\n")) << true;
    QTest::newRow("last_line_no_final_newline")
        << Bytes(ten + "end") << Bytes(ten + "the end") << true;
    QTest::newRow("final_newline_removed") << Bytes(ten) << Bytes(ten.chopped(1)) << true;
    QTest::newRow("whole_file_replaced") << Bytes("a\nb\nc\n") << Bytes("x\ny\n") << true;
    QTest::newRow("gaps_known_counts")
        << Bytes(thirty) << Bytes(QByteArray(thirty).replace("line 15\n", "line fifteen\n")) << true;
    QTest::newRow("gaps_unknown_counts")
        << Bytes(thirty) << Bytes(QByteArray(thirty).replace("line 15\n", "line fifteen\n")) << false;
}

void TstSideBySide::golden()
{
    QFETCH(Bytes, before);
    QFETCH(Bytes, after);
    QFETCH(bool, knownCounts);
    const auto diff = diffTexts(u"file.txt"_s, u"file.txt"_s, before, after);
    QVERIFY2(diff, diff ? "" : qPrintable(diff.error().message));
    const int oldCount = knownCounts ? lineCount(before) : -1;
    const int newCount = knownCounts ? lineCount(after) : -1;
    const QString actual = u"side by side:\n"_s + dumpSideBySide(alignSideBySide(*diff, oldCount, newCount))
                           + u"\ninline:\n"_s + dumpInline(alignInline(*diff, oldCount, newCount));

    const QString path = QStringLiteral(GOLDEN_DIR "/%1.txt").arg(QString::fromLatin1(QTest::currentDataTag()));
    if (qEnvironmentVariableIntValue("REINS_UPDATE_GOLDEN") == 1) {
        QDir().mkpath(QStringLiteral(GOLDEN_DIR));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actual.toUtf8());
        QSKIP("golden file rewritten");
    }
    QFile in(path);
    QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path + u": missing (run with REINS_UPDATE_GOLDEN=1)"_s));
    QCOMPARE(actual, QString::fromUtf8(in.readAll()));
}

void TstSideBySide::noRows_data()
{
    QTest::addColumn<Bytes>("before");
    QTest::addColumn<Bytes>("after");

    QTest::newRow("binary") << Bytes(QByteArray("a\0b", 3)) << Bytes(QByteArray("a\0c", 3));
    QTest::newRow("unchanged") << Bytes("a\nb\n") << Bytes("a\nb\n");
    QTest::newRow("empty file added") << Bytes() << Bytes(QByteArray());
}

void TstSideBySide::noRows()
{
    QFETCH(Bytes, before);
    QFETCH(Bytes, after);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY(diff);
    QVERIFY(alignSideBySide(*diff, 10, 10).empty());
    QVERIFY(alignInline(*diff, 10, 10).empty());
}

void TstSideBySide::partnersAreMutual()
{
    QByteArray edited = numbered(40);
    edited.replace("line 3\nline 4\n", "three\n").replace("line 20\n", "twenty\ntwenty b\n").replace("line 38\n", "");
    const auto diff = diffTexts(u"f"_s, u"f"_s, numbered(40), edited);
    QVERIFY(diff);
    const std::vector<InlineRow> rows = alignInline(*diff);
    int pairs = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].partner < 0)
            continue;
        const InlineRow &other = rows[size_t(rows[i].partner)];
        QCOMPARE(other.partner, int(i));
        QVERIFY(rows[i].kind != other.kind);
        QVERIFY(rows[i].kind == InlineRow::Kind::Removed || rows[i].kind == InlineRow::Kind::Added);
        ++pairs;
    }
    QCOMPARE(pairs, 4); // "line 3"/"three", "line 20"/"twenty", both ways

    // The side-by-side view pairs the same lines.
    int changed = 0;
    for (const SideRow &row : alignSideBySide(*diff))
        changed += row.kind == SideRow::Kind::Changed ? 1 : 0;
    QCOMPARE(changed, 2);
}

QTEST_GUILESS_MAIN(TstSideBySide)
#include "tst_sidebyside.moc"
