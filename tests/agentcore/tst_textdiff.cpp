// The diff of two texts as the view's FileDiff: statuses, line numbers, binary content, and the hunks git's own
// `git diff --no-index` writes for the same two files.

#include "review/textdiff.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::checkpoint;
using namespace reins::review;
using namespace Qt::StringLiterals;

namespace reins::checkpoint {

// Lets QCOMPARE print FileDiffs that differ.
char *toString(const FileDiff &diff)
{
    QString text = u"FileDiff{status=%1 %2 -> %3 binary=%4 similarity=%5 +%6 -%7"_s.arg(int(diff.status))
                       .arg(diff.oldPath, diff.newPath)
                       .arg(diff.binary)
                       .arg(diff.similarity)
                       .arg(diff.additions)
                       .arg(diff.deletions);
    for (const DiffHunk &hunk : diff.hunks) {
        text += u"\n  @@ -%1,%2 +%3,%4 @@ %5"_s.arg(hunk.oldStart).arg(hunk.oldLines).arg(hunk.newStart).arg(hunk.newLines).arg(hunk.header);
        for (const DiffLine &line : hunk.lines)
            text += u"\n  %1%2 [%3,%4]%5"_s.arg(QChar::fromLatin1(line.origin), line.text)
                        .arg(line.oldLine)
                        .arg(line.newLine)
                        .arg(line.noNewlineAtEnd ? u" (no newline)"_s : QString());
    }
    return qstrdup((text + u'}').toUtf8().constData());
}

} // namespace reins::checkpoint

namespace {

using Bytes = std::optional<QByteArray>;

template<typename T>
const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

/// The hunks as git prints them: "@@ -1,2 +1 @@ header", each line with its origin, "\ No newline at end of file".
QString unifiedHunks(const FileDiff &diff)
{
    const auto range = [](int start, int count) {
        return count == 1 ? QString::number(start) : u"%1,%2"_s.arg(start).arg(count);
    };
    QString text;
    for (const DiffHunk &hunk : diff.hunks) {
        text += u"@@ -%1 +%2 @@"_s.arg(range(hunk.oldStart, hunk.oldLines), range(hunk.newStart, hunk.newLines));
        text += hunk.header.isEmpty() ? u"\n"_s : u' ' + hunk.header + u'\n';
        for (const DiffLine &line : hunk.lines) {
            text += QChar::fromLatin1(line.origin) + line.text + u'\n';
            if (line.noNewlineAtEnd)
                text += u"\\ No newline at end of file\n"_s;
        }
    }
    return text;
}

/// `git diff --no-index` of the two texts, from the first hunk on, '\r' before line ends dropped (FileDiff has
/// no line endings).
QString gitHunks(const QByteArray &before, const QByteArray &after, int context)
{
    QTemporaryDir dir;
    const auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile file(dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    };
    if (!dir.isValid() || !write(u"a"_s, before) || !write(u"b"_s, after))
        return u"(cannot write the files)"_s;
    QProcess git;
    git.setWorkingDirectory(dir.path());
    git.start(u"git"_s, {u"-c"_s, u"core.autocrlf=false"_s, u"diff"_s, u"--no-index"_s, u"--no-color"_s,
                         u"--no-ext-diff"_s, u"-U%1"_s.arg(context), u"a"_s, u"b"_s});
    git.waitForFinished(60000);
    QByteArray out = git.readAllStandardOutput();
    const qsizetype header = out.startsWith("@@") ? -1 : out.indexOf("\n@@");
    out = out.startsWith("@@") ? out : header < 0 ? QByteArray() : out.mid(header + 1);
    out.replace("\r\n", "\n");
    return QString::fromUtf8(out);
}

QByteArray numbered(int count, const QByteArray &prefix = "line ")
{
    QByteArray text;
    for (int i = 1; i <= count; ++i)
        text += prefix + QByteArray::number(i) + '\n';
    return text;
}

} // namespace

Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(FileDiff)
Q_DECLARE_METATYPE(FileDiff::Status)

class TstTextDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void values_data();
    void values();
    void renamedSimilarity();
    void binary_data();
    void binary();
    void neitherSide();
    void splitLines_data();
    void splitLines();
    void matchesGit_data();
    void matchesGit();

private:
    QTemporaryDir m_home;
};

void TstTextDiff::initTestCase()
{
    // git's configuration must not change its output (diff.algorithm, noprefix, …).
    QVERIFY(m_home.isValid());
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
    qputenv("HOME", QFile::encodeName(m_home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path()));
}

void TstTextDiff::values_data()
{
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<QString>("newPath");
    QTest::addColumn<Bytes>("before");
    QTest::addColumn<Bytes>("after");
    QTest::addColumn<int>("context");
    QTest::addColumn<FileDiff>("expected");

    using S = FileDiff::Status;
    QTest::newRow("added") << u"a.txt"_s << u"a.txt"_s << Bytes() << Bytes("one\ntwo\n") << 3
                           << FileDiff{S::Added, {}, u"a.txt"_s, 0, 0, false, 0, 2, 0,
                                       {{0, 0, 1, 2, {}, {{'+', u"one"_s, -1, 1}, {'+', u"two"_s, -1, 2}}}}};
    QTest::newRow("added empty") << u"a.txt"_s << u"a.txt"_s << Bytes() << Bytes(QByteArray()) << 3
                                 << FileDiff{S::Added, {}, u"a.txt"_s, 0, 0, false, 0, 0, 0, {}};
    QTest::newRow("deleted") << u"a.txt"_s << u"a.txt"_s << Bytes("one\ntwo") << Bytes() << 3
                             << FileDiff{S::Deleted, u"a.txt"_s, {}, 0, 0, false, 0, 0, 2,
                                         {{1, 2, 0, 0, {}, {{'-', u"one"_s, 1, -1}, {'-', u"two"_s, 2, -1, true}}}}};
    // The header is git's default function context: the nearest line above the hunk that starts with a letter.
    QTest::newRow("modified") << u"a.txt"_s << u"a.txt"_s << Bytes(numbered(10)) << Bytes(numbered(10).replace("line 5\n", "line five\n")) << 1
                              << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 1, 1,
                                          {{4, 3, 4, 3, u"line 3"_s, {{' ', u"line 4"_s, 4, 4}, {'-', u"line 5"_s, 5, -1},
                                                             {'+', u"line five"_s, -1, 5}, {' ', u"line 6"_s, 6, 6}}}}};
    QTest::newRow("inserted, no context") << u"a.txt"_s << u"a.txt"_s << Bytes("a\nb\nc\n") << Bytes("a\nb\nX\nY\nc\n") << 0
                                          << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 2, 0,
                                                      {{2, 0, 3, 2, u"b"_s, {{'+', u"X"_s, -1, 3}, {'+', u"Y"_s, -1, 4}}}}};
    QTest::newRow("final newline added") << u"a.txt"_s << u"a.txt"_s << Bytes("a\nb") << Bytes("a\nb\n") << 3
                                         << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 1, 1,
                                                     {{1, 2, 1, 2, {}, {{' ', u"a"_s, 1, 1}, {'-', u"b"_s, 2, -1, true},
                                                                        {'+', u"b"_s, -1, 2}}}}};
    QTest::newRow("CRLF endings stripped") << u"a.txt"_s << u"a.txt"_s << Bytes("a\r\nb\r\n") << Bytes("a\r\nc\r\n") << 3
                                           << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 1, 1,
                                                       {{1, 2, 1, 2, {}, {{' ', u"a"_s, 1, 1}, {'-', u"b"_s, 2, -1},
                                                                          {'+', u"c"_s, -1, 2}}}}};
    QTest::newRow("UTF-8 text") << u"a.txt"_s << u"a.txt"_s << Bytes("größe\n") << Bytes("grösse 😀\n") << 3
                                << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 1, 1,
                                            {{1, 1, 1, 1, {}, {{'-', u"größe"_s, 1, -1}, {'+', u"grösse 😀"_s, -1, 1}}}}};
    QTest::newRow("unchanged") << u"a.txt"_s << u"a.txt"_s << Bytes("a\n") << Bytes("a\n") << 3
                               << FileDiff{S::Modified, u"a.txt"_s, u"a.txt"_s, 0, 0, false, 0, 0, 0, {}};
    QTest::newRow("renamed, unchanged") << u"old.txt"_s << u"new.txt"_s << Bytes("a\n") << Bytes("a\n") << 3
                                        << FileDiff{S::Renamed, u"old.txt"_s, u"new.txt"_s, 0, 0, false, 100, 0, 0, {}};
    QTest::newRow("hunk header names the function")
        << u"a.c"_s << u"a.c"_s << Bytes("int main()\n{\n  a;\n  b;\n  c;\n  d;\n  e;\n}\n")
        << Bytes("int main()\n{\n  a;\n  b;\n  c;\n  d;\n  E;\n}\n") << 1
        << FileDiff{S::Modified, u"a.c"_s, u"a.c"_s, 0, 0, false, 0, 1, 1,
                    {{6, 3, 6, 3, u"int main()"_s, {{' ', u"  d;"_s, 6, 6}, {'-', u"  e;"_s, 7, -1},
                                                     {'+', u"  E;"_s, -1, 7}, {' ', u"}"_s, 8, 8}}}}};
}

void TstTextDiff::values()
{
    QFETCH(QString, oldPath);
    QFETCH(QString, newPath);
    QFETCH(Bytes, before);
    QFETCH(Bytes, after);
    QFETCH(int, context);
    QFETCH(FileDiff, expected);
    const auto diff = diffTexts(oldPath, newPath, before, after, context);
    QVERIFY2(diff, why(diff));
    QCOMPARE(*diff, expected);
}

void TstTextDiff::renamedSimilarity()
{
    // 10 lines, one of them changed: 9 of 10 unchanged.
    const auto diff = diffTexts(u"a.txt"_s, u"b.txt"_s, numbered(10), numbered(10).replace("line 3\n", "three\n"));
    QVERIFY2(diff, why(diff));
    QCOMPARE(diff->status, FileDiff::Status::Renamed);
    QCOMPARE(diff->oldPath, u"a.txt"_s);
    QCOMPARE(diff->newPath, u"b.txt"_s);
    QCOMPARE(diff->similarity, 90);
    QCOMPARE(diff->hunks.size(), 1u);
}

void TstTextDiff::binary_data()
{
    QTest::addColumn<Bytes>("before");
    QTest::addColumn<Bytes>("after");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<FileDiff::Status>("status");

    const QByteArray nul("a\0b\n", 4);
    QTest::newRow("NUL before") << Bytes(nul) << Bytes("text\n") << true << FileDiff::Status::Modified;
    QTest::newRow("NUL after") << Bytes("text\n") << Bytes(nul) << true << FileDiff::Status::Modified;
    QTest::newRow("added binary") << Bytes() << Bytes(nul) << true << FileDiff::Status::Added;
    QTest::newRow("deleted binary") << Bytes(nul) << Bytes() << true << FileDiff::Status::Deleted;
    QTest::newRow("NUL at byte 7999") << Bytes(QByteArray(7999, 'a') + '\0') << Bytes("x\n") << true << FileDiff::Status::Modified;
    // git looks at the first 8000 bytes only.
    QTest::newRow("NUL at byte 8000 is text") << Bytes(QByteArray(8000, 'a') + '\0') << Bytes("x\n") << false << FileDiff::Status::Modified;
    // libgit2 alone would call this binary (many control characters); git's rule does not.
    QTest::newRow("control characters are text") << Bytes(QByteArray("\x01\x02\x03\x04\x05\x06\n")) << Bytes("x\n") << false << FileDiff::Status::Modified;
}

void TstTextDiff::binary()
{
    QFETCH(Bytes, before);
    QFETCH(Bytes, after);
    QFETCH(bool, binary);
    QFETCH(FileDiff::Status, status);
    const auto diff = diffTexts(u"f"_s, u"f"_s, before, after);
    QVERIFY2(diff, why(diff));
    QCOMPARE(diff->binary, binary);
    QCOMPARE(diff->status, status);
    QCOMPARE(diff->hunks.empty(), binary);
    if (binary)
        QCOMPARE(diff->additions + diff->deletions, 0);
}

void TstTextDiff::neitherSide()
{
    QVERIFY(!diffTexts(u"f"_s, u"f"_s, std::nullopt, std::nullopt));
}

void TstTextDiff::splitLines_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("lines");

    QTest::newRow("empty") << QByteArray() << QStringList();
    QTest::newRow("one newline") << QByteArray("\n") << QStringList{u""_s};
    QTest::newRow("final newline") << QByteArray("a\nb\n") << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("no final newline") << QByteArray("a\nb") << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("empty lines") << QByteArray("\n\na\n\n") << QStringList{u""_s, u""_s, u"a"_s, u""_s};
    QTest::newRow("CRLF") << QByteArray("a\r\nb\r\n") << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("lone CR is not an ending") << QByteArray("a\rb\n") << QStringList{u"a\rb"_s};
    QTest::newRow("CR at the very end stays") << QByteArray("a\r") << QStringList{u"a\r"_s};
    QTest::newRow("UTF-8") << QByteArray("größe\n😀") << QStringList{u"größe"_s, u"😀"_s};
}

void TstTextDiff::splitLines()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, lines);
    QCOMPARE(review::splitLines(text), lines);
}

void TstTextDiff::matchesGit_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<int>("context");

    QByteArray code;
    for (int f = 0; f < 6; ++f) {
        code += "int function" + QByteArray::number(f) + "(int x)\n{\n";
        for (int i = 0; i < 8; ++i)
            code += "    x = x * " + QByteArray::number(f * 10 + i) + ";\n";
        code += "    return x;\n}\n\n";
    }
    QByteArray edited = code;
    edited.replace("x = x * 3;", "x = x * 3 + 1;")
        .replace("    x = x * 24;\n", "")
        .replace("    x = x * 41;\n", "    x = x * 41;\n    if (x > 100)\n        x = 100;\n")
        .replace("int function5(int x)", "long function5(long x)");

    QTest::newRow("several hunks, 3 lines of context") << code << edited << 3;
    QTest::newRow("several hunks, 1 line of context") << code << edited << 1;
    QTest::newRow("several hunks, no context") << code << edited << 0;
    QTest::newRow("no final newline") << numbered(8) + "end" << numbered(8).replace("line 7", "line seven") + "END" << 3;
    QTest::newRow("final newline removed") << numbered(5) << numbered(5).chopped(1) << 3;
    QTest::newRow("CRLF") << QByteArray("a\r\nb\r\nc\r\nd\r\n") << QByteArray("a\r\nB\r\nc\r\nd\r\ne\r\n") << 3;
    QTest::newRow("whole file replaced") << numbered(4) << numbered(3, "other ") << 3;
    QTest::newRow("from empty") << QByteArray() << numbered(3) << 3;
}

void TstTextDiff::matchesGit()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git command is needed for the cross-check");
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(int, context);
    const auto diff = diffTexts(u"a"_s, u"b"_s, before, after, context);
    QVERIFY2(diff, why(diff));
    QVERIFY(!diff->hunks.empty());
    QCOMPARE(unifiedHunks(*diff), gitHunks(before, after, context));
}

QTEST_GUILESS_MAIN(TstTextDiff)
#include "tst_textdiff.moc"
