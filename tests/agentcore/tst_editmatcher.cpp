#include "tools/editmatcher.h"

#include <QTest>

using reins::tools::applyEdit;
using reins::tools::EditOutcome;
using reins::tools::EditRequest;
using reins::tools::MatchKind;

Q_DECLARE_METATYPE(EditRequest)
Q_DECLARE_METATYPE(EditOutcome)

namespace reins::tools {

// Found by QCOMPARE through ADL, so that a failure shows both outcomes with their line ends visible.
char *toString(const EditOutcome &o)
{
    static const char *const kinds[] = {"Exact", "LineEndings", "TrailingSpace", "Indentation"};
    const QByteArray text = o.text.toUtf8().replace("\r", "\\r").replace("\n", "\\n\n");
    return qstrdup(QByteArray("{replacements=" + QByteArray::number(o.replacements)
                              + " firstLine=" + QByteArray::number(o.firstLine) + " kind="
                              + kinds[int(o.kind)] + " text=\n" + text + "}")
                       .constData());
}

} // namespace reins::tools

namespace reins {

char *toString(const Error &e)
{
    return QTest::toString(QStringLiteral("{retryable=%1 message=%2}").arg(e.retryable).arg(e.message));
}

} // namespace reins

namespace {

EditRequest request(const QString &oldString, const QString &newString, bool replaceAll = false)
{
    return EditRequest{oldString, newString, replaceAll};
}

EditOutcome outcome(const QString &text, int replacements, int firstLine, MatchKind kind = MatchKind::Exact)
{
    return EditOutcome{text, replacements, firstLine, kind};
}

} // namespace

class TstEditMatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apply_data();
    void apply();
    void failures_data();
    void failures();
    void largeText();
};

void TstEditMatcher::apply_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<EditRequest>("edit");
    QTest::addColumn<EditOutcome>("expected");

    QTest::newRow("exact single")
        << QStringLiteral("a\nb\nc\n") << request(QStringLiteral("b"), QStringLiteral("B"))
        << outcome(QStringLiteral("a\nB\nc\n"), 1, 2);
    QTest::newRow("exact, part of a line")
        << QStringLiteral("int x = 1;\nint y = 2;\n") << request(QStringLiteral("y = 2"), QStringLiteral("y = 3"))
        << outcome(QStringLiteral("int x = 1;\nint y = 3;\n"), 1, 2);
    QTest::newRow("exact wins over a tolerant match elsewhere")
        << QStringLiteral("foo \nfoo\n") << request(QStringLiteral("foo\n"), QStringLiteral("bar\n"))
        << outcome(QStringLiteral("foo \nbar\n"), 1, 2);
    QTest::newRow("replace_all")
        << QStringLiteral("x = 1\ny\nx = 1\nz\nx = 1\n")
        << request(QStringLiteral("x = 1"), QStringLiteral("x = 2"), true)
        << outcome(QStringLiteral("x = 2\ny\nx = 2\nz\nx = 2\n"), 3, 1);
    QTest::newRow("replace_all, single occurrence")
        << QStringLiteral("a\nb\n") << request(QStringLiteral("b"), QStringLiteral("c"), true)
        << outcome(QStringLiteral("a\nc\n"), 1, 2);
    QTest::newRow("CRLF file, LF strings")
        << QStringLiteral("int a;\r\nint b;\r\nint c;\r\n")
        << request(QStringLiteral("int a;\nint b;\n"), QStringLiteral("int a;\nint bb;\nint x;\n"))
        << outcome(QStringLiteral("int a;\r\nint bb;\r\nint x;\r\nint c;\r\n"), 1, 1, MatchKind::LineEndings);
    QTest::newRow("CRLF file, exact match, LF new text")
        << QStringLiteral("a\r\nb\r\nc\r\n") << request(QStringLiteral("b"), QStringLiteral("b1\nb2"))
        << outcome(QStringLiteral("a\r\nb1\r\nb2\r\nc\r\n"), 1, 2);
    QTest::newRow("CRLF file, new text already CRLF")
        << QStringLiteral("a\r\nb\r\nc\r\n") << request(QStringLiteral("b"), QStringLiteral("b1\r\nb2"))
        << outcome(QStringLiteral("a\r\nb1\r\nb2\r\nc\r\n"), 1, 2);
    QTest::newRow("LF file, CRLF strings")
        << QStringLiteral("a\nb\nc\n") << request(QStringLiteral("a\r\nb"), QStringLiteral("a\r\nB"))
        << outcome(QStringLiteral("a\nB\nc\n"), 1, 1, MatchKind::LineEndings);
    QTest::newRow("mixed line ends kept outside the edit")
        << QStringLiteral("a\r\nb\nc\r\nd\re\r\n") << request(QStringLiteral("c"), QStringLiteral("C"))
        << outcome(QStringLiteral("a\r\nb\nC\r\nd\re\r\n"), 1, 3);
    QTest::newRow("byte order mark kept")
        << QStringLiteral("\uFEFFfirst\nsecond\n") << request(QStringLiteral("first"), QStringLiteral("1st"))
        << outcome(QStringLiteral("\uFEFF1st\nsecond\n"), 1, 1);
    QTest::newRow("byte order mark kept, indentation drift on line 1")
        << QStringLiteral("\uFEFF    a();\n    b();\n")
        << request(QStringLiteral("a();\nb();"), QStringLiteral("x();\ny();"))
        << outcome(QStringLiteral("\uFEFF    x();\n    y();\n"), 1, 1, MatchKind::Indentation);
    QTest::newRow("no final newline kept")
        << QStringLiteral("a\nb") << request(QStringLiteral("a"), QStringLiteral("A"))
        << outcome(QStringLiteral("A\nb"), 1, 1);
    QTest::newRow("edit at the very end")
        << QStringLiteral("a\nb") << request(QStringLiteral("b"), QStringLiteral("B\nc"))
        << outcome(QStringLiteral("a\nB\nc"), 1, 2);
    QTest::newRow("edit removing the final newline")
        << QStringLiteral("a\nb\n") << request(QStringLiteral("b\n"), QStringLiteral("B"))
        << outcome(QStringLiteral("a\nB"), 1, 2);
    QTest::newRow("tolerant match at the end adds no final newline")
        << QStringLiteral("a\n  b") << request(QStringLiteral("b\n"), QStringLiteral("c\n"))
        << outcome(QStringLiteral("a\n  c"), 1, 2, MatchKind::Indentation);
    QTest::newRow("trailing whitespace in the file")
        << QStringLiteral("if (x) {  \n    y();\n}\n")
        << request(QStringLiteral("if (x) {\n    y();"), QStringLiteral("if (z) {\n    y();"))
        << outcome(QStringLiteral("if (z) {\n    y();\n}\n"), 1, 1, MatchKind::TrailingSpace);
    QTest::newRow("trailing whitespace in old_string")
        << QStringLiteral("a\nb\nc\n") << request(QStringLiteral("a \t\nb"), QStringLiteral("x\nb"))
        << outcome(QStringLiteral("x\nb\nc\n"), 1, 1, MatchKind::TrailingSpace);
    QTest::newRow("trailing whitespace and CRLF")
        << QStringLiteral("a  \r\nb\r\n") << request(QStringLiteral("a\nb\n"), QStringLiteral("x\ny\n"))
        << outcome(QStringLiteral("x\r\ny\r\n"), 1, 1, MatchKind::TrailingSpace);
    QTest::newRow("file indented 4 more spaces")
        << QStringLiteral("class A {\n    void f() {\n        g();\n    }\n};\n")
        << request(QStringLiteral("void f() {\n    g();\n}"), QStringLiteral("void f() {\n    g();\n\n    h();\n}"))
        << outcome(QStringLiteral("class A {\n    void f() {\n        g();\n\n        h();\n    }\n};\n"), 1, 2,
                   MatchKind::Indentation);
    QTest::newRow("file indented 4 fewer spaces")
        << QStringLiteral("if (a)\n    b();\nc();\n")
        << request(QStringLiteral("    if (a)\n        b();\n"), QStringLiteral("    if (a)\n        d();\n"))
        << outcome(QStringLiteral("if (a)\n    d();\nc();\n"), 1, 1, MatchKind::Indentation);
    QTest::newRow("tabs in the file, spaces in old_string")
        << QStringLiteral("func f() {\n\tif x {\n\t\ty()\n\t}\n}\n")
        << request(QStringLiteral("    if x {\n        y()\n    }"),
                   QStringLiteral("    if x {\n        y()\n        z()\n    }"))
        << outcome(QStringLiteral("func f() {\n\tif x {\n\t\ty()\n\t\tz()\n\t}\n}\n"), 1, 2, MatchKind::Indentation);
    QTest::newRow("two-space levels in a four-space file are scaled")
        << QStringLiteral("int f()\n{\n    if (a) {\n        b();\n    }\n}\n")
        << request(QStringLiteral("  if (a) {\n    b();\n  }"), QStringLiteral("  if (a) {\n    b();\n    c();\n  }"))
        << outcome(QStringLiteral("int f()\n{\n    if (a) {\n        b();\n        c();\n    }\n}\n"), 1, 3,
                   MatchKind::Indentation);
    QTest::newRow("spaces in the file, tabs in old_string")
        << QStringLiteral("def f():\n    if x:\n        y()\n")
        << request(QStringLiteral("\tif x:\n\t\ty()\n"), QStringLiteral("\tif x:\n\t\ty()\n\telse:\n\t\tz()\n"))
        << outcome(QStringLiteral("def f():\n    if x:\n        y()\n    else:\n        z()\n"), 1, 2,
                   MatchKind::Indentation);
    QTest::newRow("indentation drift in a CRLF file")
        << QStringLiteral("{\r\n    a;\r\n    b;\r\n}\r\n")
        << request(QStringLiteral("a;\nb;\n"), QStringLiteral("a;\nc;\n"))
        << outcome(QStringLiteral("{\r\n    a;\r\n    c;\r\n}\r\n"), 1, 2, MatchKind::Indentation);
    QTest::newRow("tolerant replace_all re-indents each match")
        << QStringLiteral("a\nb\n    a\n    b\n") << request(QStringLiteral("  a\n  b"), QStringLiteral("  c"), true)
        << outcome(QStringLiteral("c\n    c\n"), 2, 1, MatchKind::Indentation);
    QTest::newRow("non-ASCII around the edit")
        << QStringLiteral("café ☕\nnaïve 😀 text\nfin\n")
        << request(QStringLiteral("naïve 😀 text"), QStringLiteral("naïve 🎉 texte"))
        << outcome(QStringLiteral("café ☕\nnaïve 🎉 texte\nfin\n"), 1, 2);
    QTest::newRow("non-ASCII with indentation drift")
        << QStringLiteral("// é\n  «😀»\n  ünï\n") << request(QStringLiteral("«😀»\nünï"), QStringLiteral("«🎉»\nünï"))
        << outcome(QStringLiteral("// é\n  «🎉»\n  ünï\n"), 1, 2, MatchKind::Indentation);
}

void TstEditMatcher::apply()
{
    QFETCH(QString, text);
    QFETCH(EditRequest, edit);
    QFETCH(EditOutcome, expected);

    const reins::Result<EditOutcome> result = applyEdit(text, edit);
    QVERIFY2(result.has_value(), qPrintable(result.error().message));
    QCOMPARE(*result, expected);
}

void TstEditMatcher::failures_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<EditRequest>("edit");
    QTest::addColumn<QString>("message");

    QTest::newRow("exact, several times")
        << QStringLiteral("x = 1\ny\nx = 1\nz\nx = 1\n") << request(QStringLiteral("x = 1"), QStringLiteral("x = 2"))
        << QStringLiteral("old_string occurs 3 times (lines 1, 3, 5); add surrounding lines to make it unique, "
                          "or set replace_all");
    QTest::newRow("exact, twice on one line")
        << QStringLiteral("a\nf(x, x)\n") << request(QStringLiteral("x"), QStringLiteral("y"))
        << QStringLiteral("old_string occurs 2 times (line 2); add surrounding lines to make it unique, "
                          "or set replace_all");
    QTest::newRow("exact, more lines than are listed")
        << QStringLiteral("x\n").repeated(12) << request(QStringLiteral("x"), QStringLiteral("y"))
        << QStringLiteral("old_string occurs 12 times (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …); add surrounding "
                          "lines to make it unique, or set replace_all");
    QTest::newRow("indentation, ambiguous")
        << QStringLiteral("  a\n  b\n\ta\n\tb\n") << request(QStringLiteral("a\nb"), QStringLiteral("c"))
        << QStringLiteral("old_string was not found exactly; ignoring indentation it occurs 2 times (lines 1, 3); "
                          "add surrounding lines to make it unique, or set replace_all");
    QTest::newRow("trailing whitespace, ambiguous")
        << QStringLiteral("a \nb\na\t\nb\n") << request(QStringLiteral("a\nb"), QStringLiteral("c"))
        << QStringLiteral("old_string was not found exactly; ignoring trailing whitespace it occurs 2 times "
                          "(lines 1, 3); add surrounding lines to make it unique, or set replace_all");
    QTest::newRow("line endings, ambiguous")
        << QStringLiteral("a\r\nb\r\na\r\nb\r\n") << request(QStringLiteral("a\nb"), QStringLiteral("c"))
        << QStringLiteral("old_string was not found exactly; treating CRLF and LF alike it occurs 2 times "
                          "(lines 1, 3); add surrounding lines to make it unique, or set replace_all");
    QTest::newRow("not found, nearest lines quoted")
        << QStringLiteral("int main()\n{\n    return 0;\n}\n")
        << request(QStringLiteral("    return 1;\n}"), QStringLiteral("    return 2;\n}"))
        << QStringLiteral("old_string was not found in the file. The most similar lines are:\n"
                          "  3 |     return 0;\n"
                          "  4 | }\n"
                          "Read the file again and copy the exact text.");
    QTest::newRow("not found, numbers aligned")
        << QStringLiteral("1\n2\n3\n4\n5\n6\n7\n8\nalpha();\nbeta();\ngamma();\n")
        << request(QStringLiteral("alpha();\nbeta ();\ngamma();"), QStringLiteral("x"))
        << QStringLiteral("old_string was not found in the file. The most similar lines are:\n"
                          "   9 | alpha();\n"
                          "  10 | beta();\n"
                          "  11 | gamma();\n"
                          "Read the file again and copy the exact text.");
    QTest::newRow("not found, nothing similar")
        << QStringLiteral("alpha\nbeta\n") << request(QStringLiteral("zzz qqq"), QStringLiteral("x"))
        << QStringLiteral("old_string was not found in the file.");
    QTest::newRow("not found, empty file")
        << QString() << request(QStringLiteral("a"), QStringLiteral("b"))
        << QStringLiteral("old_string was not found: the file is empty.");
    QTest::newRow("empty old_string")
        << QStringLiteral("a\n") << request(QString(), QStringLiteral("b"))
        << QStringLiteral("old_string must not be empty; to create a file use write_file");
    QTest::newRow("identical strings")
        << QStringLiteral("a\n") << request(QStringLiteral("a"), QStringLiteral("a"))
        << QStringLiteral("old_string and new_string are the same; nothing to change");
}

void TstEditMatcher::failures()
{
    QFETCH(QString, text);
    QFETCH(EditRequest, edit);
    QFETCH(QString, message);

    const reins::Result<EditOutcome> result = applyEdit(text, edit);
    QVERIFY2(!result.has_value(), qPrintable(result.has_value() ? result->text : QString()));
    QCOMPARE(result.error(), reins::Error{message});
}

void TstEditMatcher::largeText()
{
    // About 1.8 MB. Correctness only; a quadratic search would still show up as a test that takes minutes.
    QString before, exact, drifted;
    for (int i = 0; i < 40000; ++i) {
        const QString line = QStringLiteral("    line %1 of a rather large generated file\n").arg(i);
        before += line;
        exact += i == 23456 ? QStringLiteral("    replaced\n") : line;
        drifted += i == 29999 ? QStringLiteral("    one\n") : i == 30000 ? QStringLiteral("    two\n") : line;
    }
    QVERIFY(before.size() > 1'000'000);

    const reins::Result<EditOutcome> once = applyEdit(
        before, request(QStringLiteral("line 23456 of a rather large generated file\n"), QStringLiteral("replaced\n")));
    QVERIFY2(once.has_value(), qPrintable(once.error().message));
    QCOMPARE(*once, outcome(exact, 1, 23457));

    // Whole lines without their indentation: only the indentation rule finds them, after the others scanned all.
    const reins::Result<EditOutcome> reindented =
        applyEdit(before, request(QStringLiteral("line 29999 of a rather large generated file\n"
                                                 "line 30000 of a rather large generated file\n"),
                                  QStringLiteral("one\ntwo\n")));
    QVERIFY2(reindented.has_value(), qPrintable(reindented.error().message));
    QCOMPARE(*reindented, outcome(drifted, 1, 30000, MatchKind::Indentation));

    const reins::Result<EditOutcome> missing = applyEdit(
        before, request(QStringLiteral("line 12345 of a rather big generated file\n"), QStringLiteral("x\n")));
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().message,
             QStringLiteral("old_string was not found in the file. The most similar lines are:\n"
                            "  12346 |     line 12345 of a rather large generated file\n"
                            "Read the file again and copy the exact text."));
}

QTEST_GUILESS_MAIN(TstEditMatcher)
#include "tst_editmatcher.moc"
