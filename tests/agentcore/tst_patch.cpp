#include "tools/patch.h"

#include <QTest>

using reins::tools::PatchHunk;
using reins::tools::PatchOperation;

using Operations = std::vector<PatchOperation>;
using Hunks = std::vector<PatchHunk>;
Q_DECLARE_METATYPE(Operations)
Q_DECLARE_METATYPE(Hunks)

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QStringList lines(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *t : texts)
        out.append(s(t));
    return out;
}

PatchHunk hunk(QStringList oldLines, QStringList newLines, const char *hint = "", bool endOfFile = false)
{
    return PatchHunk{s(hint), std::move(oldLines), std::move(newLines), endOfFile};
}

PatchOperation add(const char *path, const char *content)
{
    PatchOperation op;
    op.kind = PatchOperation::Kind::Add;
    op.path = s(path);
    op.content = s(content);
    return op;
}

PatchOperation del(const char *path)
{
    PatchOperation op;
    op.kind = PatchOperation::Kind::Delete;
    op.path = s(path);
    return op;
}

PatchOperation update(const char *path, Hunks hunks, const char *moveTo = "")
{
    PatchOperation op;
    op.kind = PatchOperation::Kind::Update;
    op.path = s(path);
    op.moveTo = s(moveTo);
    op.hunks = std::move(hunks);
    return op;
}

// The envelope around a body, so rows show only what they are about.
QString wrap(const char *body)
{
    return QStringLiteral("*** Begin Patch\n") + s(body) + QStringLiteral("\n*** End Patch\n");
}

QString escaped(const QString &text)
{
    QString out = text;
    out.replace(u'\\', QLatin1String("\\\\")).replace(u'\r', QLatin1String("\\r")).replace(u'\n', QLatin1String("\\n"));
    return u'"' + out + u'"';
}

// A readable form of whole operations, compared first so a failure shows what differs.
QString describe(const Operations &ops)
{
    QStringList out;
    for (const PatchOperation &op : ops) {
        const char *kind = op.kind == PatchOperation::Kind::Add      ? "Add"
                           : op.kind == PatchOperation::Kind::Delete ? "Delete"
                                                                     : "Update";
        QString line = s(kind) + u' ' + escaped(op.path);
        if (!op.moveTo.isEmpty())
            line += QStringLiteral(" -> ") + escaped(op.moveTo);
        if (!op.content.isEmpty())
            line += QStringLiteral(" content=") + escaped(op.content);
        for (const PatchHunk &h : op.hunks) {
            QStringList oldQuoted, newQuoted;
            for (const QString &l : h.oldLines)
                oldQuoted.append(escaped(l));
            for (const QString &l : h.newLines)
                newQuoted.append(escaped(l));
            line += QStringLiteral("\n  @@%1 old[%2] new[%3]%4")
                        .arg(h.contextHint.isEmpty() ? QString() : u' ' + escaped(h.contextHint),
                             oldQuoted.join(u','), newQuoted.join(u','),
                             h.endOfFile ? QStringLiteral(" EOF") : QString());
        }
        out.append(line);
    }
    return out.join(u'\n');
}

} // namespace

class TstPatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void parseErrors_data();
    void parseErrors();
    void apply_data();
    void apply();
    void applyErrors_data();
    void applyErrors();
};

void TstPatch::parse_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<Operations>("expected");

    QTest::newRow("add") << wrap("*** Add File: docs/a.txt\n+one\n+\n+three")
                         << Operations{add("docs/a.txt", "one\n\nthree\n")};
    QTest::newRow("add, empty file") << wrap("*** Add File: empty.txt") << Operations{add("empty.txt", "")};
    QTest::newRow("add, blank line without '+' between content lines")
        << wrap("*** Add File: a.txt\n+one\n\n+three") << Operations{add("a.txt", "one\n\nthree\n")};
    QTest::newRow("delete") << wrap("*** Delete File: old.txt") << Operations{del("old.txt")};
    QTest::newRow("update")
        << wrap("*** Update File: src/main.cpp\n@@\n int main()\n-    return 1;\n+    return 0;")
        << Operations{update("src/main.cpp", {hunk(lines({"int main()", "    return 1;"}),
                                                   lines({"int main()", "    return 0;"}))})};
    QTest::newRow("update with move")
        << wrap("*** Update File: a.txt\n*** Move to: b/a.txt\n@@\n-x\n+y")
        << Operations{update("a.txt", {hunk(lines({"x"}), lines({"y"}))}, "b/a.txt")};
    QTest::newRow("move onto itself is no move")
        << wrap("*** Update File: a.txt\n*** Move to: ./a.txt\n@@\n-x\n+y")
        << Operations{update("a.txt", {hunk(lines({"x"}), lines({"y"}))})};
    QTest::newRow("several files")
        << wrap("*** Add File: new.txt\n+hello\n*** Delete File: gone.txt\n*** Update File: kept.txt\n@@\n-a\n+b\n"
                "*** Add File: other.txt\n+x")
        << Operations{add("new.txt", "hello\n"), del("gone.txt"),
                      update("kept.txt", {hunk(lines({"a"}), lines({"b"}))}), add("other.txt", "x\n")};
    QTest::newRow("first hunk without @@")
        << wrap("*** Update File: f.py\n import foo\n+import bar\n@@ def f():\n-    pass\n+    return 1")
        << Operations{update("f.py", {hunk(lines({"import foo"}), lines({"import foo", "import bar"})),
                                      hunk(lines({"    pass"}), lines({"    return 1"}), "def f():")})};
    QTest::newRow("@@ with context hint keeps its indentation")
        << wrap("*** Update File: f.py\n@@ class A:\n-    x = 1\n+    x = 2\n@@     def g(self):  \n-        pass\n"
                "+        return 2")
        << Operations{update("f.py", {hunk(lines({"    x = 1"}), lines({"    x = 2"}), "class A:"),
                                      hunk(lines({"        pass"}), lines({"        return 2"}), "    def g(self):")})};
    QTest::newRow("unified-diff range in @@ keeps only its context")
        << wrap("*** Update File: f.c\n@@ -3,7 +3,8 @@ int main()\n-a\n+b\n@@ -20 +21 @@\n-c\n+d")
        << Operations{update("f.c", {hunk(lines({"a"}), lines({"b"}), "int main()"),
                                     hunk(lines({"c"}), lines({"d"}))})};
    QTest::newRow("End of File")
        << wrap("*** Update File: f.txt\n@@\n last\n+appended\n*** End of File")
        << Operations{update("f.txt", {hunk(lines({"last"}), lines({"last", "appended"}), "", true)})};
    QTest::newRow("empty line inside a hunk is empty context")
        << wrap("*** Update File: f.txt\n@@\n a\n\n-b\n+c")
        << Operations{update("f.txt", {hunk(lines({"a", "", "b"}), lines({"a", "", "c"}))})};
    QTest::newRow("blank lines before the next section are empty context, as in codex")
        << wrap("*** Update File: f.txt\n@@\n-a\n+b\n\n\n@@\n-c\n+d\n\n*** Delete File: g.txt")
        << Operations{update("f.txt", {hunk(lines({"a", "", ""}), lines({"b", "", ""})),
                                       hunk(lines({"c", ""}), lines({"d", ""}))}),
                      del("g.txt")};
    QTest::newRow("heredoc")
        << s("<<'EOF'\n*** Begin Patch\n*** Delete File: x.txt\n*** End Patch\nEOF\n")
        << Operations{del("x.txt")};
    QTest::newRow("heredoc with command and double quotes")
        << s("apply_patch <<\"PATCH\"\n*** Begin Patch\n*** Delete File: x.txt\n*** End Patch\nPATCH")
        << Operations{del("x.txt")};
    QTest::newRow("fence")
        << s("```diff\n*** Begin Patch\n*** Delete File: x.txt\n*** End Patch\n```\n") << Operations{del("x.txt")};
    QTest::newRow("fence around heredoc")
        << s("\n```\n<<EOF\n*** Begin Patch\n*** Delete File: x.txt\n*** End Patch\nEOF\n```\n\n")
        << Operations{del("x.txt")};
    QTest::newRow("lenient markers: spaces, CRLF, case, no final newline")
        << s("  *** Begin Patch \r\n*** update file:  a.txt \r\n@@\r\n-x\r\n+y\r\n  *** End Patch")
        << Operations{update("a.txt", {hunk(lines({"x"}), lines({"y"}))})};
}

void TstPatch::parse()
{
    QFETCH(QString, patch);
    QFETCH(Operations, expected);

    const auto result = reins::tools::parsePatch(patch);
    QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
    QCOMPARE(describe(*result), describe(expected));
    QVERIFY(*result == expected);
}

void TstPatch::parseErrors_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("expected");

    QTest::newRow("missing Begin Patch")
        << s("*** Update File: a\n-x\n+y\n*** End Patch")
        << s("patch line 1: expected '*** Begin Patch', found '*** Update File: a'");
    QTest::newRow("missing End Patch")
        << s("*** Begin Patch\n*** Update File: a\n@@\n-x\n+y\n")
        << s("patch line 5: expected '*** End Patch' as the last line, found '+y'");
    QTest::newRow("empty") << s("  \n") << s("the patch is empty; expected '*** Begin Patch'");
    QTest::newRow("no operations") << s("*** Begin Patch\n*** End Patch") << s("the patch contains no file operations");
    QTest::newRow("absolute path")
        << wrap("*** Delete File: /etc/passwd")
        << s("patch line 2: absolute path '/etc/passwd' is not allowed; paths must be relative to the workspace");
    QTest::newRow("drive path")
        << wrap("*** Add File: ok.txt\n+x\n*** Delete File: C:\\x.txt")
        << s("patch line 4: absolute path 'C:\\x.txt' is not allowed; paths must be relative to the workspace");
    QTest::newRow("parent directory")
        << wrap("*** Add File: ../x\n+x")
        << s("patch line 2: path '../x' contains '..'; paths must stay inside the workspace");
    QTest::newRow("parent directory in Move to")
        << wrap("*** Update File: a\n*** Move to: b/../../c\n@@\n-x\n+y")
        << s("patch line 3: path 'b/../../c' contains '..'; paths must stay inside the workspace");
    QTest::newRow("empty path")
        << wrap("*** Delete File:  ") << s("patch line 2: expected a path after '*** Delete File:'");
    QTest::newRow("duplicate path")
        << wrap("*** Update File: a.txt\n@@\n-x\n+y\n*** Delete File: ./a.txt")
        << s("patch line 6: './a.txt' appears twice in the patch (first on line 2); put all changes to one file in one "
             "section");
    QTest::newRow("duplicate through Move to")
        << wrap("*** Add File: b.txt\n+x\n*** Update File: a.txt\n*** Move to: b.txt\n@@\n-x\n+y")
        << s("patch line 5: 'b.txt' appears twice in the patch (first on line 2); put all changes to one file in one "
             "section");
    QTest::newRow("garbage line inside a hunk")
        << wrap("*** Update File: a.txt\n@@\n-x\nfoo bar\n+y")
        << s("patch line 5: expected a hunk line starting with ' ', '-' or '+' (or '@@', '*** End of File'), found "
             "'foo bar'");
    QTest::newRow("update without hunks")
        << wrap("*** Update File: a.txt\n\n*** Delete File: b.txt")
        << s("patch line 2: '*** Update File: a.txt' has no hunks; expected '@@' or lines starting with ' ', '-' or "
             "'+'");
    QTest::newRow("empty last hunk")
        << wrap("*** Update File: a.txt\n@@\n-x\n+y\n@@ foo")
        << s("patch line 6: empty hunk: expected lines starting with ' ', '-' or '+'");
    QTest::newRow("End Patch before the end")
        << wrap("*** Delete File: a.txt\n*** End Patch\n*** Delete File: b.txt")
        << s("patch line 3: '*** End Patch' must be the last line of the patch");
    QTest::newRow("empty hunk before the next one")
        << wrap("*** Update File: a.txt\n@@ foo\n@@\n-x\n+y")
        << s("patch line 3: empty hunk: expected lines starting with ' ', '-' or '+'");
    QTest::newRow("Move to in the wrong place")
        << wrap("*** Update File: a.txt\n@@\n-x\n+y\n*** Move to: b.txt")
        << s("patch line 6: '*** Move to:' must directly follow '*** Update File:'");
    QTest::newRow("lines after End of File without @@")
        << wrap("*** Update File: a.txt\n-x\n+y\n*** End of File\n-z")
        << s("patch line 6: expected '@@' to start the next hunk, found '-z'");
    QTest::newRow("End of File closing an empty hunk")
        << wrap("*** Update File: a.txt\n@@\n*** End of File")
        << s("patch line 3: empty hunk: expected lines starting with ' ', '-' or '+'");
    QTest::newRow("End of File without a hunk")
        << wrap("*** Update File: a.txt\n*** End of File")
        << s("patch line 3: '*** End of File' must follow the lines of a hunk");
    QTest::newRow("not an operation")
        << wrap("*** Add File: a.txt\n+x\n-y")
        << s("patch line 4: expected '*** Add File: ', '*** Delete File: ' or '*** Update File: ', found '-y'");
}

void TstPatch::parseErrors()
{
    QFETCH(QString, patch);
    QFETCH(QString, expected);

    const auto result = reins::tools::parsePatch(patch);
    QVERIFY2(!result.has_value(), qPrintable(result ? describe(*result) : QString()));
    QCOMPARE(result.error().message, expected);
}

void TstPatch::apply_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Hunks>("hunks");
    QTest::addColumn<QString>("expected");

    QTest::newRow("simple replace")
        << s("a\nb\nc\n") << Hunks{hunk(lines({"a", "b"}), lines({"a", "B"}))} << s("a\nB\nc\n");
    QTest::newRow("delete lines")
        << s("a\nb\nc\nd\n") << Hunks{hunk(lines({"a", "b", "c"}), lines({"a"}))} << s("a\nd\n");
    QTest::newRow("two hunks in order")
        << s("x\n1\nx\n2\n")
        << Hunks{hunk(lines({"x"}), lines({"first"})), hunk(lines({"x"}), lines({"second"}))}
        << s("first\n1\nsecond\n2\n");
    QTest::newRow("context hint picks the second of two identical blocks")
        << s("def a():\n    return 0\ndef b():\n    return 0\n")
        << Hunks{hunk(lines({"    return 0"}), lines({"    return 1"}), "def b():")}
        << s("def a():\n    return 0\ndef b():\n    return 1\n");
    QTest::newRow("context hint matched trimmed")
        << s("class A:\n    def f(self):\n        pass\n")
        << Hunks{hunk(lines({"        pass"}), lines({"        return 1"}), "def f(self):")}
        << s("class A:\n    def f(self):\n        return 1\n");
    QTest::newRow("context hint repeated as the first context line")
        << s("int f()\n{\n    return 1;\n}\n")
        << Hunks{hunk(lines({"int f()", "{", "    return 1;"}), lines({"int f()", "{", "    return 2;"}),
                      "int f()")}
        << s("int f()\n{\n    return 2;\n}\n");
    QTest::newRow("trailing whitespace tolerated, context kept byte for byte")
        << s("keep  \nold \t\nnext\n")
        << Hunks{hunk(lines({"keep", "old"}), lines({"keep", "new"}))} << s("keep  \nnew\nnext\n");
    QTest::newRow("exact match preferred over an earlier tolerant one")
        << s("a \nb\na\nb\n") << Hunks{hunk(lines({"a", "b"}), lines({"a", "c"}))} << s("a \nb\na\nc\n");
    QTest::newRow("indentation tolerated")
        << s("if (x) {\n        call();\n}\n")
        << Hunks{hunk(lines({"if (x) {", "  call();"}), lines({"if (x) {", "  call(1);"}))}
        << s("if (x) {\n  call(1);\n}\n");
    QTest::newRow("CRLF file stays CRLF")
        << s("a\r\nb\r\nc\r\n") << Hunks{hunk(lines({"b"}), lines({"B", "B2"}))} << s("a\r\nB\r\nB2\r\nc\r\n");
    QTest::newRow("mixed endings: kept lines keep theirs, new lines get the dominant one")
        << s("a\r\nb\nc\nd\r\ne\r\n") << Hunks{hunk(lines({"b", "c", "d"}), lines({"b", "C", "d"}))}
        << s("a\r\nb\nC\r\nd\r\ne\r\n");
    QTest::newRow("LF file stays LF")
        << s("a\nb\n") << Hunks{hunk(lines({"a"}), lines({"A", "A2"}))} << s("A\nA2\nb\n");
    QTest::newRow("no final newline preserved")
        << s("a\nb") << Hunks{hunk(lines({"b"}), lines({"B"}))} << s("a\nB");
    QTest::newRow("no final newline, line appended after the last")
        << s("a\nb") << Hunks{hunk(lines({"b"}), lines({"b", "c"}))} << s("a\nb\nc");
    QTest::newRow("pure addition as the only hunk appends")
        << s("a\nb\n") << Hunks{hunk({}, lines({"c"}))} << s("a\nb\nc\n");
    QTest::newRow("pure addition after a context hint")
        << s("[one]\nx=1\n[two]\ny=2\n") << Hunks{hunk({}, lines({"z=3"}), "[two]")}
        << s("[one]\nx=1\n[two]\nz=3\ny=2\n");
    QTest::newRow("pure addition after the previous hunk")
        << s("a\nb\nc\n") << Hunks{hunk(lines({"a"}), lines({"A"})), hunk({}, lines({"new"}))}
        << s("A\nnew\nb\nc\n");
    QTest::newRow("pure addition into an empty file") << s("") << Hunks{hunk({}, lines({"x"}))} << s("x\n");
    QTest::newRow("end-of-file hunk takes the last occurrence")
        << s("end\nmiddle\nend\n") << Hunks{hunk(lines({"end"}), lines({"END"}), "", true)} << s("end\nmiddle\nEND\n");
    QTest::newRow("end-of-file pure addition")
        << s("a\nb\n") << Hunks{hunk(lines({"a"}), lines({"A"})), hunk({}, lines({"z"}), "", true)}
        << s("A\nb\nz\n");
    QTest::newRow("trailing empty old line stands for the final newline")
        << s("a\nb\n") << Hunks{hunk(lines({"b", ""}), lines({"c", ""}))} << s("a\nc\n");
    QTest::newRow("blank separator lines of the patch that are not in the file")
        << s("a\nc\n") << Hunks{hunk(lines({"a", "", ""}), lines({"b", "", ""}))} << s("b\nc\n");
    QTest::newRow("context between two changes kept from the file")
        << s("one  \ntwo\nthree\t\nfour\n")
        << Hunks{hunk(lines({"one", "two", "three", "four"}), lines({"one", "2", "three", "4"}))}
        << s("one  \n2\nthree\t\n4\n");
    QTest::newRow("remove everything") << s("a\nb\n") << Hunks{hunk(lines({"a", "b"}), {})} << s("");
}

void TstPatch::apply()
{
    QFETCH(QString, text);
    QFETCH(Hunks, hunks);
    QFETCH(QString, expected);

    const auto result = reins::tools::applyHunks(text, hunks);
    QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
    QCOMPARE(escaped(*result), escaped(expected));
}

void TstPatch::applyErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Hunks>("hunks");
    QTest::addColumn<QString>("expected");

    QTest::newRow("hunk not found")
        << s("a\nb\n") << Hunks{hunk(lines({"a", "x"}), lines({"a", "y"}))}
        << s("hunk 1: could not find these lines in the file:\na\nx");
    QTest::newRow("hunks out of order")
        << s("a\nb\n") << Hunks{hunk(lines({"b"}), lines({"B"})), hunk(lines({"a"}), lines({"A"}))}
        << s("hunk 2: could not find these lines in the file:\na");
    QTest::newRow("context hint not found")
        << s("a\n") << Hunks{hunk(lines({"a"}), lines({"b"}), "def nowhere():")}
        << s("hunk 1: could not find the context line '@@ def nowhere():' in the file");
    QTest::newRow("end-of-file hunk must be after the previous one")
        << s("a\nb\n") << Hunks{hunk(lines({"b"}), lines({"B"})), hunk(lines({"b"}), lines({"c"}), "", true)}
        << s("hunk 2: could not find these lines in the file:\nb");
    QStringList many;
    for (int k = 1; k <= 25; ++k)
        many.append(QString::number(k));
    QTest::newRow("long hunk is truncated")
        << s("a\n") << Hunks{hunk(many, {})}
        << (QStringList(many.mid(0, 20)).join(u'\n').prepend(s("hunk 1: could not find these lines in the file:\n"))
            + s("\n… (5 more lines)"));
}

void TstPatch::applyErrors()
{
    QFETCH(QString, text);
    QFETCH(Hunks, hunks);
    QFETCH(QString, expected);

    const auto result = reins::tools::applyHunks(text, hunks);
    QVERIFY2(!result.has_value(), qPrintable(result ? escaped(*result) : QString()));
    QCOMPARE(result.error().message, expected);
}

QTEST_GUILESS_MAIN(TstPatch)

#include "tst_patch.moc"
