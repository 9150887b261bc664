#include "tools/applypatchtool.h"
#include "tools/editfiletool.h"
#include "tools/listfilestool.h"
#include "tools/readfiletool.h"
#include "tools/searchtool.h"
#include "tools/tool.h"
#include "tools/writefiletool.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QMap>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

using namespace reins;
using namespace reins::tools;
using namespace Qt::StringLiterals;

namespace {

/// Files of a workspace, path → bytes; folders are implied by the paths, a value of "->target" is a symlink.
using Files = QMap<QString, QByteArray>;

QByteArray utf16(const QString &text, bool littleEndian = true)
{
    QStringEncoder encoder(littleEndian ? QStringEncoder::Utf16LE : QStringEncoder::Utf16BE,
                           QStringEncoder::Flag::Stateless);
    return (littleEndian ? "\xFF\xFE"_ba : "\xFE\xFF"_ba) + QByteArray(encoder.encode(text));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

bool makeFiles(const QString &root, const Files &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString full = root + u'/' + it.key();
        QDir().mkpath(QFileInfo(full).path());
        if (it.value().startsWith("->")) {
            if (::symlink(it.value().mid(2).constData(), QFile::encodeName(full).constData()) != 0)
                return false;
            continue;
        }
        QFile file(full);
        if (!file.open(QIODevice::WriteOnly) || file.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

/// The files under `root` (not following links), as makeFiles takes them.
Files filesUnder(const QString &root)
{
    Files files;
    QDirIterator it(root, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString key = QDir(root).relativeFilePath(path);
        files.insert(key, it.fileInfo().isSymLink() ? "->" + QFile::encodeName(it.fileInfo().readSymLink())
                                                    : readAll(path));
    }
    return files;
}

/// Readable lines for QCOMPARE: "path: escaped bytes".
QStringList describe(const Files &files)
{
    QStringList out;
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        out.append(it.key() + u": "_s + QString::fromLatin1(it.value().toPercentEncoding(" !\"#$&'()*+,-./:;<=>?@[]^_`{|}~")));
    return out;
}

QByteArray numberedLines(int first, int last, const char *prefix = "line")
{
    QByteArray out;
    for (int i = first; i <= last; ++i)
        out += QByteArray::number(i).rightJustified(6, ' ') + '\t' + prefix + QByteArray::number(i) + '\n';
    return out;
}

QByteArray manyLines(int count, const char *prefix = "line")
{
    QByteArray out;
    for (int i = 1; i <= count; ++i)
        out += prefix + QByteArray::number(i) + '\n';
    return out;
}

} // namespace

class TstEditTools : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void editFile_data();
    void editFile();
    void staleFile_data();
    void staleFile();
    void ownChangesStayFresh();
    void writeFile_data();
    void writeFile();
    void writeFileKeepsMode();
    void applyPatch_data();
    void applyPatch();
    void applyPatchRollsBack_data();
    void applyPatchRollsBack();
    void readFile_data();
    void readFile();
    void listFiles_data();
    void listFiles();
    void search_data();
    void search();

private:
    ToolResult run(Tool &tool, const QJsonObject &arguments);
    QString path(const QString &relative) const { return m_root + u'/' + relative; }

    QTemporaryDir m_home; ///< HOME and XDG_CONFIG_HOME: no global git excludes, no ripgrep configuration
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_outside;
    QString m_root;
    std::unique_ptr<FileTracker> m_files;
    ToolContext m_context;
};

void TstEditTools::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + u"/config"_s));
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
    qunsetenv("RIPGREP_CONFIG_PATH");
    ::umask(022);
}

void TstEditTools::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_outside = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(m_outside->isValid());
    m_root = QFileInfo(m_dir->path()).canonicalFilePath();
    auto ws = workspace::Workspace::open(m_root);
    QVERIFY(ws);
    m_files = std::make_unique<FileTracker>();
    m_context = ToolContext{*ws, m_files.get(), {}, {}};
}

void TstEditTools::cleanup()
{
    m_context = {};
    m_files.reset();
    m_dir.reset();
    m_outside.reset();
    qunsetenv("REINS_SEARCH");
}

// File tools answer before start() returns; search may run ripgrep, so wait for it.
ToolResult TstEditTools::run(Tool &tool, const QJsonObject &arguments)
{
    std::optional<ToolResult> result;
    tool.start(arguments, m_context, [&](ToolResult r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 60'000))
        return ToolResult::failure(u"<the tool did not finish>"_s);
    return *result;
}

void TstEditTools::editFile_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QString>("oldString");
    QTest::addColumn<QString>("newString");
    QTest::addColumn<bool>("replaceAll");
    QTest::addColumn<QByteArray>("after");   ///< the bytes on disk afterwards
    QTest::addColumn<QString>("error");      ///< empty when the edit must succeed

    QTest::newRow("exact") << "a\nb\nc\n"_ba << u"b"_s << u"B"_s << false << "a\nB\nc\n"_ba << QString();
    QTest::newRow("CRLF file, LF strings: every CRLF kept")
        << "one\r\ntwo\r\nthree\r\n"_ba << u"one\ntwo\n"_s << u"uno\ndos\nand more\n"_s << false
        << "uno\r\ndos\r\nand more\r\nthree\r\n"_ba << QString();
    QTest::newRow("CRLF file, one-line old_string, new lines get CRLF")
        << "a\r\nb\r\n"_ba << u"a"_s << u"x\ny"_s << false << "x\r\ny\r\nb\r\n"_ba << QString();
    QTest::newRow("UTF-8 BOM kept byte for byte")
        << "\xEF\xBB\xBF" "first\nsecond\n"_ba << u"first"_s << u"1st"_s << false
        << "\xEF\xBB\xBF" "1st\nsecond\n"_ba << QString();
    QTest::newRow("UTF-8 BOM and CRLF, edit of the first line")
        << "\xEF\xBB\xBF" "first\r\nsecond\r\n"_ba << u"first\nsecond"_s << u"1\n2"_s << false
        << "\xEF\xBB\xBF" "1\r\n2\r\n"_ba << QString();
    QTest::newRow("no final newline kept") << "a\nb"_ba << u"b"_s << u"c"_s << false << "a\nc"_ba << QString();
    QTest::newRow("no final newline, old_string ends in one")
        << "a\nb"_ba << u"b\n"_s << u"c\n"_s << false << "a\nc"_ba << QString();
    QTest::newRow("tabs in the file, spaces in old_string")
        << "void f() {\n\tif (x) {\n\t\treturn 1;\n\t}\n}\n"_ba << u"    if (x) {\n        return 1;\n    }\n"_s
        << u"    if (y) {\n        return 2;\n    }\n"_s << false
        << "void f() {\n\tif (y) {\n\t\treturn 2;\n\t}\n}\n"_ba << QString();
    QTest::newRow("spaces in the file, less indentation in old_string")
        << "class A:\n    def f(self):\n        return 1\n"_ba << u"def f(self):\n    return 1"_s
        << u"def f(self):\n    return 2"_s << false << "class A:\n    def f(self):\n        return 2\n"_ba
        << QString();
    QTest::newRow("trailing whitespace in the file")
        << "int a = 1;   \nint b = 2;\t\nint c;\n"_ba << u"int a = 1;\nint b = 2;\n"_s
        << u"int a = 10;\nint b = 20;\n"_s << false << "int a = 10;\nint b = 20;\nint c;\n"_ba << QString();
    QTest::newRow("trailing whitespace in old_string")
        << "x = 1\ny = 2\n"_ba << u"x = 1  \n"_s << u"x = 3\n"_s << false << "x = 3\ny = 2\n"_ba << QString();
    QTest::newRow("ambiguous: count and line numbers")
        << "a\nfoo\nb\nfoo\n"_ba << u"foo"_s << u"bar"_s << false << "a\nfoo\nb\nfoo\n"_ba
        << u"f.txt: old_string occurs 2 times (lines 2, 4); add surrounding lines to make it unique, or set "
           "replace_all"_s;
    QTest::newRow("ambiguous only once indentation is ignored")
        << "\tfoo();\n  foo();\n"_ba << u"    foo();"_s << u"bar();"_s << false << "\tfoo();\n  foo();\n"_ba
        << u"ignoring indentation it occurs 2 times (lines 1, 2)"_s;
    QTest::newRow("replace_all") << "a\nfoo\nb\nfoo\n"_ba << u"foo"_s << u"bar"_s << true << "a\nbar\nb\nbar\n"_ba
                                 << QString();
    QTest::newRow("not found: the similar lines are quoted")
        << "alpha\nbeta\ngamma\n"_ba << u"betta"_s << u"x"_s << false << "alpha\nbeta\ngamma\n"_ba
        << u"f.txt: old_string was not found in the file. The most similar lines are:\n  2 | beta\n"_s;
    QTest::newRow("old_string equals new_string") << "a\n"_ba << u"a"_s << u"a"_s << false << "a\n"_ba
                                                  << u"nothing to change"_s;
    QTest::newRow("empty old_string") << "a\n"_ba << QString() << u"b"_s << false << "a\n"_ba
                                      << u"old_string must not be empty"_s;
    QTest::newRow("binary file refused")
        << "abc\0def\n"_ba << u"abc"_s << u"x"_s << false << "abc\0def\n"_ba
        << u"f.txt: this is a binary file (it contains NUL bytes); it cannot be read or edited as text"_s;
    QTest::newRow("invalid UTF-8 refused, untouched")
        << "ok\n\xC3\x28 bad\n"_ba << u"ok"_s << u"fine"_s << false << "ok\n\xC3\x28 bad\n"_ba
        << u"f.txt: this file is not valid UTF-8 text (first bad byte at offset 3)"_s;
    QTest::newRow("UTF-16 LE with BOM written back as UTF-16 LE with BOM")
        << utf16(u"hello\r\nworld\r\n"_s) << u"world"_s << u"wörld ✓"_s << false << utf16(u"hello\r\nwörld ✓\r\n"_s)
        << QString();
    QTest::newRow("UTF-16 BE with BOM written back as UTF-16 BE with BOM")
        << utf16(u"a\nb\n"_s, false) << u"b"_s << u"c"_s << false << utf16(u"a\nc\n"_s, false) << QString();
    QTest::newRow("non-ASCII UTF-8 text kept")
        << "größe = 1\n"_ba << u"1"_s << u"2"_s << false << "größe = 2\n"_ba << QString();
}

void TstEditTools::editFile()
{
    QFETCH(QByteArray, before);
    QFETCH(QString, oldString);
    QFETCH(QString, newString);
    QFETCH(bool, replaceAll);
    QFETCH(QByteArray, after);
    QFETCH(QString, error);

    QVERIFY(makeFiles(m_root, {{u"f.txt"_s, before}}));
    EditFileTool tool;
    const ToolResult result = run(tool, {{u"path"_s, u"f.txt"_s},
                                         {u"old_string"_s, oldString},
                                         {u"new_string"_s, newString},
                                         {u"replace_all"_s, replaceAll}});
    if (error.isEmpty()) {
        QVERIFY2(result.ok, qPrintable(result.text));
        QCOMPARE(result.text, u"Edited f.txt."_s);
        QCOMPARE(result.changedPaths, QStringList{u"f.txt"_s});
    } else {
        QVERIFY2(!result.ok, qPrintable(result.text));
        QVERIFY2(result.text.contains(error), qPrintable(result.text));
    }
    QCOMPARE(readAll(path(u"f.txt"_s)), after);
    QCOMPARE(filesUnder(m_root).keys(), QStringList{u"f.txt"_s}); // no temporary file left
}

void TstEditTools::staleFile_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QJsonObject>("arguments");
    QTest::addColumn<QByteArray>("after");

    QTest::newRow("edit_file") << u"edit_file"_s
                               << QJsonObject{{u"path"_s, u"f.txt"_s}, {u"old_string"_s, u"one"_s},
                                              {u"new_string"_s, u"1"_s}}
                               << "1\nTWO\n"_ba;
    QTest::newRow("write_file") << u"write_file"_s
                                << QJsonObject{{u"path"_s, u"f.txt"_s}, {u"content"_s, u"new\n"_s}} << "new\n"_ba;
    QTest::newRow("apply_patch update")
        << u"apply_patch"_s
        << QJsonObject{{u"patch"_s, u"*** Begin Patch\n*** Update File: f.txt\n-one\n+1\n*** End Patch\n"_s}}
        << "1\nTWO\n"_ba;
    QTest::newRow("apply_patch delete")
        << u"apply_patch"_s << QJsonObject{{u"patch"_s, u"*** Begin Patch\n*** Delete File: f.txt\n*** End Patch\n"_s}}
        << "<missing>"_ba;
}

// The file changes on disk after the agent read it: the change is refused with a message that says to read it
// again, and after read_file the same call works.
void TstEditTools::staleFile()
{
    QFETCH(QString, tool);
    QFETCH(QJsonObject, arguments);
    QFETCH(QByteArray, after);

    QVERIFY(makeFiles(m_root, {{u"f.txt"_s, "one\ntwo\n"_ba}}));
    ReadFileTool read;
    QVERIFY(run(read, {{u"path"_s, u"f.txt"_s}}).ok);
    QVERIFY(makeFiles(m_root, {{u"f.txt"_s, "one\nTWO\n"_ba}})); // someone else's edit

    EditFileTool edit;
    WriteFileTool write;
    ApplyPatchTool patch;
    Tool &t = tool == u"edit_file" ? static_cast<Tool &>(edit)
              : tool == u"write_file" ? static_cast<Tool &>(write)
                                      : static_cast<Tool &>(patch);
    const ToolResult refused = run(t, arguments);
    QVERIFY(!refused.ok);
    QVERIFY2(refused.text.contains(u"f.txt changed on disk since you last read it"_s), qPrintable(refused.text));
    QVERIFY2(refused.text.contains(u"Read it again with read_file"_s), qPrintable(refused.text));
    QCOMPARE(readAll(path(u"f.txt"_s)), "one\nTWO\n"_ba);

    QVERIFY(run(read, {{u"path"_s, u"f.txt"_s}}).ok);
    const ToolResult accepted = run(t, arguments);
    QVERIFY2(accepted.ok, qPrintable(accepted.text));
    QCOMPARE(readAll(path(u"f.txt"_s)), after);
}

// What the agent wrote itself is what it last saw: a second edit needs no read in between; a file never read is
// not stale either.
void TstEditTools::ownChangesStayFresh()
{
    QVERIFY(makeFiles(m_root, {{u"f.txt"_s, "a\nb\n"_ba}}));
    EditFileTool edit;
    QVERIFY(run(edit, {{u"path"_s, u"f.txt"_s}, {u"old_string"_s, u"a"_s}, {u"new_string"_s, u"A"_s}}).ok);
    QVERIFY(run(edit, {{u"path"_s, u"f.txt"_s}, {u"old_string"_s, u"b"_s}, {u"new_string"_s, u"B"_s}}).ok);
    QCOMPARE(readAll(path(u"f.txt"_s)), "A\nB\n"_ba);

    WriteFileTool write;
    QVERIFY(run(write, {{u"path"_s, u"g.txt"_s}, {u"content"_s, u"x\n"_s}}).ok);
    QVERIFY(run(edit, {{u"path"_s, u"g.txt"_s}, {u"old_string"_s, u"x"_s}, {u"new_string"_s, u"y"_s}}).ok);
    QCOMPARE(readAll(path(u"g.txt"_s)), "y\n"_ba);

    // Changed behind the agent's back after its own write: stale again.
    QVERIFY(makeFiles(m_root, {{u"g.txt"_s, "z\n"_ba}}));
    const ToolResult stale = run(edit, {{u"path"_s, u"g.txt"_s}, {u"old_string"_s, u"z"_s}, {u"new_string"_s, u"w"_s}});
    QVERIFY(!stale.ok);
    QVERIFY2(stale.text.contains(u"changed on disk"_s), qPrintable(stale.text));
}

void TstEditTools::writeFile_data()
{
    QTest::addColumn<QByteArray>("existing"); ///< null: the file does not exist yet
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<QString>("summary");

    QTest::newRow("new file") << QByteArray() << u"f.txt"_s << u"hello\n"_s << "hello\n"_ba
                              << u"Created f.txt (6 bytes)."_s;
    QTest::newRow("new file in missing folders") << QByteArray() << u"a/b/c.txt"_s << u"deep"_s << "deep"_ba
                                                 << u"Created a/b/c.txt (4 bytes)."_s;
    QTest::newRow("new file, non-ASCII content as UTF-8") << QByteArray() << u"f.txt"_s << u"é\n"_s << "é\n"_ba
                                                          << u"Created f.txt (3 bytes)."_s;
    QTest::newRow("replace LF file") << "old\n"_ba << u"f.txt"_s << u"new\nfile\n"_s << "new\nfile\n"_ba
                                     << u"Replaced f.txt (9 bytes)."_s;
    QTest::newRow("replace CRLF file, plain LF content stays CRLF")
        << "a\r\nb\r\n"_ba << u"f.txt"_s << u"x\ny\n"_s << "x\r\ny\r\n"_ba << u"Replaced f.txt (6 bytes)."_s;
    QTest::newRow("replace CRLF file, CRLF content kept as given")
        << "a\r\nb\r\n"_ba << u"f.txt"_s << u"x\r\ny\n"_s << "x\r\ny\n"_ba << u"Replaced f.txt (5 bytes)."_s;
    QTest::newRow("replace LF file with CRLF content") << "a\nb\n"_ba << u"f.txt"_s << u"x\r\ny\r\n"_s
                                                       << "x\r\ny\r\n"_ba << u"Replaced f.txt (6 bytes)."_s;
    QTest::newRow("replace UTF-8 BOM file, BOM kept")
        << "\xEF\xBB\xBF" "old\n"_ba << u"f.txt"_s << u"new\n"_s << "\xEF\xBB\xBF" "new\n"_ba
        << u"Replaced f.txt (7 bytes)."_s;
    QTest::newRow("replace UTF-16 LE file, encoding and CRLF kept")
        << utf16(u"old\r\n"_s) << u"f.txt"_s << u"new\n"_s << utf16(u"new\r\n"_s) << u"Replaced f.txt (12 bytes)."_s;
    QTest::newRow("replace binary file") << "\0\1\2"_ba << u"f.bin"_s << u"text\n"_s << "text\n"_ba
                                         << u"Replaced f.bin (5 bytes)."_s;
    QTest::newRow("replace with empty content") << "old\n"_ba << u"f.txt"_s << QString() << QByteArray("")
                                                << u"Replaced f.txt (0 bytes)."_s;
}

void TstEditTools::writeFile()
{
    QFETCH(QByteArray, existing);
    QFETCH(QString, file);
    QFETCH(QString, content);
    QFETCH(QByteArray, after);
    QFETCH(QString, summary);

    if (!existing.isNull())
        QVERIFY(makeFiles(m_root, {{file, existing}}));
    WriteFileTool tool;
    const ToolResult result = run(tool, {{u"path"_s, file}, {u"content"_s, content}});
    QVERIFY2(result.ok, qPrintable(result.text));
    QCOMPARE(result.text, summary);
    QCOMPARE(result.changedPaths, QStringList{file});
    QCOMPARE(readAll(path(file)), after);
    QCOMPARE(filesUnder(m_root).keys(), QStringList{file}); // no temporary file left
}

void TstEditTools::writeFileKeepsMode()
{
    QVERIFY(makeFiles(m_root, {{u"run.sh"_s, "#!/bin/sh\n"_ba}}));
    QVERIFY(QFile::setPermissions(path(u"run.sh"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                          | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                                          | QFile::ExeOther));
    WriteFileTool write;
    QVERIFY(run(write, {{u"path"_s, u"run.sh"_s}, {u"content"_s, u"#!/bin/sh\necho hi\n"_s}}).ok);
    EditFileTool edit;
    QVERIFY(run(edit, {{u"path"_s, u"run.sh"_s}, {u"old_string"_s, u"hi"_s}, {u"new_string"_s, u"ho"_s}}).ok);
    struct stat st{};
    QVERIFY(::stat(QFile::encodeName(path(u"run.sh"_s)).constData(), &st) == 0);
    QCOMPARE(st.st_mode & 07777, 0755u);
    QCOMPARE(readAll(path(u"run.sh"_s)), "#!/bin/sh\necho ho\n"_ba);
}

void TstEditTools::applyPatch_data()
{
    QTest::addColumn<Files>("before");
    QTest::addColumn<QString>("patch");
    QTest::addColumn<Files>("after");
    QTest::addColumn<QString>("result"); ///< the summary, or a part of the error

    const Files two{{u"a.txt"_s, "a1\na2\na3\n"_ba}, {u"b.txt"_s, "b1\nb2\nb3\n"_ba}};
    QTest::newRow("two files") << two
                               << u"*** Begin Patch\n*** Update File: a.txt\n a1\n-a2\n+A2\n*** Update File: b.txt\n"
                                  " b2\n-b3\n+B3\n*** End Patch\n"_s
                               << Files{{u"a.txt"_s, "a1\nA2\na3\n"_ba}, {u"b.txt"_s, "b1\nb2\nB3\n"_ba}}
                               << u"Patch applied: updated a.txt, updated b.txt."_s;
    QTest::newRow("second hunk fails: first file unchanged")
        << two
        << u"*** Begin Patch\n*** Update File: a.txt\n a1\n-a2\n+A2\n*** Update File: b.txt\n b2\n-nope\n+B3\n"
           "*** End Patch\n"_s
        << two << u"b.txt: "_s;
    QTest::newRow("second hunk of the same file fails")
        << two << u"*** Begin Patch\n*** Update File: a.txt\n-a1\n+A1\n@@\n-a9\n+A9\n*** End Patch\n"_s << two
        << u"a.txt: "_s;
    QTest::newRow("add, delete and move together")
        << Files{{u"old.txt"_s, "old\n"_ba}, {u"c.txt"_s, "c1\nc2\n"_ba}}
        << u"*** Begin Patch\n*** Add File: new/n.txt\n+hello\n+world\n*** Delete File: old.txt\n"
           "*** Update File: c.txt\n*** Move to: moved/d.txt\n c1\n-c2\n+C2\n*** End Patch\n"_s
        << Files{{u"new/n.txt"_s, "hello\nworld\n"_ba}, {u"moved/d.txt"_s, "c1\nC2\n"_ba}}
        << u"Patch applied: added new/n.txt, deleted old.txt, moved c.txt to moved/d.txt."_s;
    QTest::newRow("CRLF file stays CRLF")
        << Files{{u"w.txt"_s, "x\r\ny\r\n"_ba}} << u"*** Begin Patch\n*** Update File: w.txt\n x\n-y\n+z\n+zz\n*** End Patch\n"_s
        << Files{{u"w.txt"_s, "x\r\nz\r\nzz\r\n"_ba}} << u"Patch applied: updated w.txt."_s;
    QTest::newRow("add over an existing file") << two
                                               << u"*** Begin Patch\n*** Update File: a.txt\n-a1\n+A1\n*** Add File: "
                                                  "b.txt\n+x\n*** End Patch\n"_s
                                               << two << u"b.txt already exists"_s;
    QTest::newRow("update of a missing file") << two
                                              << u"*** Begin Patch\n*** Update File: a.txt\n-a1\n+A1\n*** Update "
                                                 "File: c.txt\n-x\n+y\n*** End Patch\n"_s
                                              << two << u"c.txt does not exist"_s;
    QTest::newRow("delete of a missing file") << two
                                              << u"*** Begin Patch\n*** Delete File: a.txt\n*** Delete File: c.txt\n"
                                                 "*** End Patch\n"_s
                                              << two << u"c.txt"_s;
    QTest::newRow("move onto an existing file") << two
                                                << u"*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n-a1\n"
                                                   "+A1\n*** End Patch\n"_s
                                                << two << u"cannot move a.txt to b.txt: it already exists"_s;
    QTest::newRow("a file in .git") << two
                                    << u"*** Begin Patch\n*** Update File: a.txt\n-a1\n+A1\n*** Add File: "
                                       ".git/hooks/pre-commit\n+rm -rf /\n*** End Patch\n"_s
                                    << two << u"inside .git"_s;
    QTest::newRow("a move into .git") << two
                                      << u"*** Begin Patch\n*** Update File: a.txt\n*** Move to: .git/a.txt\n-a1\n"
                                         "+A1\n*** End Patch\n"_s
                                      << two << u"inside .git"_s;
    QTest::newRow("a path leading outside") << two
                                            << u"*** Begin Patch\n*** Update File: a.txt\n-a1\n+A1\n*** Add File: "
                                               "../x.txt\n+x\n*** End Patch\n"_s
                                            << two << u"../x.txt"_s;
    QTest::newRow("a binary file") << Files{{u"a.txt"_s, "a\n"_ba}, {u"b.bin"_s, "\0\1"_ba}}
                                   << u"*** Begin Patch\n*** Update File: a.txt\n-a\n+A\n*** Update File: b.bin\n-x\n"
                                      "+y\n*** End Patch\n"_s
                                   << Files{{u"a.txt"_s, "a\n"_ba}, {u"b.bin"_s, "\0\1"_ba}} << u"binary file"_s;
}

void TstEditTools::applyPatch()
{
    QFETCH(Files, before);
    QFETCH(QString, patch);
    QFETCH(Files, after);
    QFETCH(QString, result);

    QVERIFY(makeFiles(m_root, before));
    ApplyPatchTool tool;
    const ToolResult r = run(tool, {{u"patch"_s, patch}});
    if (after == before) {
        QVERIFY2(!r.ok, qPrintable(r.text));
        QVERIFY2(r.text.contains(result), qPrintable(r.text));
        QVERIFY2(r.text.endsWith(u" — no file was changed."_s), qPrintable(r.text));
    } else {
        QVERIFY2(r.ok, qPrintable(r.text));
        QCOMPARE(r.text, result);
    }
    QCOMPARE(describe(filesUnder(m_root)), describe(after));
}

void TstEditTools::applyPatchRollsBack_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("blocked"); ///< turned into a folder between plan and apply
    QTest::addColumn<QString>("error");

    QTest::newRow("second update's file became a folder")
        << u"*** Begin Patch\n*** Update File: a.txt\n-a\n+A\n*** Update File: b.txt\n-b\n+B\n*** End Patch\n"_s
        << u"b.txt"_s << u"b.txt is a folder"_s;
    QTest::newRow("deleted file became a folder")
        << u"*** Begin Patch\n*** Update File: a.txt\n-a\n+A\n*** Delete File: b.txt\n*** End Patch\n"_s << u"b.txt"_s
        << u"b.txt is a folder"_s;
    QTest::newRow("move source became a folder after the new file was written")
        << u"*** Begin Patch\n*** Update File: a.txt\n-a\n+A\n*** Update File: b.txt\n*** Move to: m/c.txt\n-b\n+B\n"
           "*** End Patch\n"_s
        << u"b.txt"_s << u"b.txt is a folder"_s;
    QTest::newRow("added file's place became a folder")
        << u"*** Begin Patch\n*** Update File: a.txt\n-a\n+A\n*** Delete File: b.txt\n*** Add File: n.txt\n+n\n"
           "*** End Patch\n"_s
        << u"n.txt"_s << u"n.txt is a folder"_s;
}

// A write that fails part way (the disk changed between the plan shown for approval and the apply): the files
// already written get their old content back, and nothing the patch created is left behind.
void TstEditTools::applyPatchRollsBack()
{
    QFETCH(QString, patch);
    QFETCH(QString, blocked);
    QFETCH(QString, error);

    QVERIFY(makeFiles(m_root, {{u"a.txt"_s, "a\n"_ba}, {u"b.txt"_s, "b\n"_ba}}));
    ApplyPatchTool tool;
    auto changes = tool.plan({{u"patch"_s, patch}}, m_context);
    QVERIFY2(changes, qPrintable(changes ? QString() : changes.error().message));

    QFile::remove(path(blocked));
    QVERIFY(QDir().mkpath(path(blocked + u"/inside"_s)));
    Files expected = filesUnder(m_root);

    const ToolResult r = applyChanges(*changes, m_context, u"applied"_s);
    QVERIFY(!r.ok);
    QVERIFY2(r.text.contains(error), qPrintable(r.text));
    QVERIFY2(r.text.endsWith(u" — no file was changed."_s), qPrintable(r.text));
    QCOMPARE(describe(filesUnder(m_root)), describe(expected));
    QVERIFY(!QFileInfo::exists(path(u"m/c.txt"_s)));
}

void TstEditTools::readFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("offset"); ///< 0: not given
    QTest::addColumn<int>("limit");  ///< 0: not given
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray ten = manyLines(10);
    QTest::newRow("whole file") << ten << 0 << 0 << true << numberedLines(1, 10);
    QTest::newRow("offset and limit") << ten << 3 << 2 << true
                                      << numberedLines(3, 4) + "[lines 3–4 of 10; read on with offset=5]\n";
    QTest::newRow("limit only") << ten << 0 << 4 << true
                                << numberedLines(1, 4) + "[lines 1–4 of 10; read on with offset=5]\n";
    QTest::newRow("offset to the end") << ten << 9 << 0 << true << numberedLines(9, 10) + "[lines 9–10 of 10]\n";
    QTest::newRow("the last line alone") << ten << 10 << 1 << true << numberedLines(10, 10) + "[lines 10–10 of 10]\n";
    QTest::newRow("limit past the end") << ten << 1 << 50 << true << numberedLines(1, 10);
    QTest::newRow("offset past the end") << ten << 11 << 0 << false << "f.txt has 10 lines; offset 11 is past the end"_ba;
    QTest::newRow("a limit below 1 reads one line") << ten << 2 << -5 << true
                                            << numberedLines(2, 2) + "[lines 2–2 of 10; read on with offset=3]\n";
    QTest::newRow("default page of 2000 lines")
        << manyLines(2500) << 0 << 0 << true
        << numberedLines(1, 2000) + "[lines 1–2000 of 2500; read on with offset=2001]\n";
    QTest::newRow("second page") << manyLines(2500) << 2001 << 0 << true
                                 << numberedLines(2001, 2500) + "[lines 2001–2500 of 2500]\n";
    QTest::newRow("CRLF shown without the CR") << "a\r\nb\r\n"_ba << 0 << 0 << true << "     1\ta\n     2\tb\n"_ba;
    QTest::newRow("no final newline") << "a\nb"_ba << 0 << 0 << true << "     1\ta\n     2\tb\n"_ba;
    QTest::newRow("blank last line") << "a\n\n"_ba << 0 << 0 << true << "     1\ta\n     2\t\n"_ba;
    QTest::newRow("empty file") << QByteArray("") << 0 << 0 << true << "(f.txt is empty)"_ba;
    QTest::newRow("long line cut") << QByteArray(2100, 'x') + '\n' << 0 << 0 << true
                                   << "     1\t" + QByteArray(2000, 'x') + " [… line cut at 2000 characters]\n";
    QTest::newRow("UTF-8 BOM not shown") << "\xEF\xBB\xBFx\n"_ba << 0 << 0 << true << "     1\tx\n"_ba;
    QTest::newRow("UTF-16 LE") << utf16(u"hé\r\nho\r\n"_s) << 0 << 0 << true << "     1\thé\n     2\tho\n"_ba;
    QTest::newRow("binary refused") << "PK\3\4\0\0data"_ba << 0 << 0 << false
                                    << "f.txt: this is a binary file (it contains NUL bytes); it cannot be read or "
                                       "edited as text"_ba;
    QTest::newRow("invalid UTF-8 refused") << "ok\n\xFF\n"_ba << 0 << 0 << false
                                           << "f.txt: this file is not valid UTF-8 text (first bad byte at offset "
                                              "3); it was left untouched rather than risk mangling it"_ba;
}

void TstEditTools::readFile()
{
    QFETCH(QByteArray, content);
    QFETCH(int, offset);
    QFETCH(int, limit);
    QFETCH(bool, ok);
    QFETCH(QByteArray, expected);

    QVERIFY(makeFiles(m_root, {{u"f.txt"_s, content}}));
    QJsonObject arguments{{u"path"_s, u"f.txt"_s}};
    if (offset != 0)
        arguments.insert(u"offset"_s, offset);
    if (limit != 0)
        arguments.insert(u"limit"_s, limit);
    ReadFileTool tool;
    const ToolResult result = run(tool, arguments);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.text, QString::fromUtf8(expected));
    QCOMPARE(readAll(path(u"f.txt"_s)), content);
}

void TstEditTools::listFiles_data()
{
    QTest::addColumn<QString>("folder"); ///< empty: not given
    QTest::addColumn<int>("depth");      ///< 0: not given
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected");

    QTest::newRow("root, default depth")
        << QString() << 0 << true
        << u".config/ (hidden)\n.config/x (hidden)\n.gitignore (hidden)\n.hidden (hidden)\na.txt\n"
           "link (symbolic link)\nsrc/\nsrc/.env (hidden)\nsrc/deep/\nsrc/deep/more/\nsrc/main.cpp\n"_s;
    QTest::newRow("depth 1") << QString() << 1 << true
                             << u".config/ (hidden)\n.gitignore (hidden)\n.hidden (hidden)\na.txt\nlink (symbolic "
                                "link)\nsrc/\n"_s;
    QTest::newRow("a subfolder, whole depth")
        << u"src"_s << 10 << true << u"src/.env (hidden)\nsrc/deep/\nsrc/deep/more/\nsrc/deep/more/x.txt\nsrc/main.cpp\n"_s;
    QTest::newRow("an ignored folder") << u"build"_s << 0 << true << u"(no files)\n"_s;
    QTest::newRow(".git") << u".git"_s << 0 << true << u"(no files)\n"_s;
    QTest::newRow("a file") << u"a.txt"_s << 0 << false << u"a.txt is not a folder of the workspace"_s;
    QTest::newRow("a symlink") << u"link"_s << 0 << false << u"link is not a folder of the workspace"_s;
    QTest::newRow("missing") << u"nope"_s << 0 << false << u"nope is not a folder of the workspace"_s;
    QTest::newRow("outside") << u"../"_s << 0 << false << u"../ leads outside the workspace; use a path inside it"_s;
}

void TstEditTools::listFiles()
{
    QFETCH(QString, folder);
    QFETCH(int, depth);
    QFETCH(bool, ok);
    QFETCH(QString, expected);

    QVERIFY(makeFiles(m_root, {{u".gitignore"_s, "*.log\nbuild/\n"_ba},
                               {u".git/HEAD"_s, "ref: refs/heads/main\n"_ba},
                               {u"a.txt"_s, {}},
                               {u"debug.log"_s, {}},
                               {u"build/x.o"_s, {}},
                               {u".hidden"_s, {}},
                               {u".config/x"_s, {}},
                               {u"src/main.cpp"_s, {}},
                               {u"src/.env"_s, {}},
                               {u"src/deep/more/x.txt"_s, {}},
                               {u"link"_s, "->a.txt"_ba}}));
    QJsonObject arguments;
    if (!folder.isEmpty())
        arguments.insert(u"path"_s, folder);
    if (depth != 0)
        arguments.insert(u"depth"_s, depth);
    ListFilesTool tool;
    const ToolResult result = run(tool, arguments);
    QCOMPARE(result.ok, ok);
    QCOMPARE(result.text, expected);
}

void TstEditTools::search_data()
{
    QTest::addColumn<bool>("ripgrep");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("glob");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected"); ///< the whole output, or a part of the error
    QTest::addColumn<Files>("extra");      ///< files added to the common tree for this row

    QString cap;
    for (int i = 1; i <= SearchTool::kMaxMatches; ++i)
        cap += u"many.txt:%1:match %1\n"_s.arg(i);
    cap += u"[… 5 more matches left out; narrow the pattern, path or glob]\n"_s;
    const QString longLine = u"long.txt:1:needle "_s + QString(293, u'x') + u" […]\n"_s;

    struct Row
    {
        const char *name;
        QString pattern, folder, glob;
        bool ok;
        QString expected;
        Files extra = {};
    };
    const QByteArray fourMiB = "bigneedle\n" + QByteArray(4 * 1024 * 1024 - 10, 'x');
    const QList<Row> rows{
        {"the whole tree, sorted by path", u"hi"_s, {}, {}, true,
         u".hidden:1:hi hidden\na/b:1:hi there\na.c:1:hi\ncrlf.txt:1:crlf hi\nsrc/main.cpp:1:int main() { return 0; } "
         "// hi\nsrc/util.h:1:// hi\nu16.txt:1:hi16\n"_s},
        {"CRLF lines without the CR", u"crlf"_s, {}, {}, true, u"crlf.txt:1:crlf hi\n"_s},
        {"$ before a CR does not match", u"hi$"_s, u"crlf.txt"_s, {}, true, u"No matches.\n"_s},
        {"no line after the final newline", u"^$"_s, u"blank.txt"_s, {}, true, u"blank.txt:2:\n"_s},
        {"the UTF-8 BOM is not part of the first line", u"^hello"_s, {}, {}, true, u"bom.txt:1:hello\n"_s},
        {"UTF-16 with BOM searched as text", u"hi16"_s, {}, {}, true, u"u16.txt:1:hi16\n"_s},
        {"binary files skipped", u"binary"_s, {}, {}, true, u"No matches.\n"_s},
        {"ignored files skipped", u"log"_s, {}, {}, true, u".gitignore:1:*.log\n"_s},
        {".git never searched", u"git"_s, {}, {}, true, u"No matches.\n"_s},
        {"glob on the name", u"hi"_s, {}, u"*.h"_s, true, u"src/util.h:1:// hi\n"_s},
        {"glob with a folder", u"hi"_s, {}, u"src/*.cpp"_s, true, u"src/main.cpp:1:int main() { return 0; } // hi\n"_s},
        {"a subfolder", u"hi"_s, u"src"_s, {}, true,
         u"src/main.cpp:1:int main() { return 0; } // hi\nsrc/util.h:1:// hi\n"_s},
        {"a subfolder spelled ./src/", u"// hi"_s, u"./src/"_s, {}, true, u"src/main.cpp:1:int main() { return 0; } // hi\nsrc/util.h:1:// hi\n"_s},
        {"one file", u"hi"_s, u"a.c"_s, {}, true, u"a.c:1:hi\n"_s},
        {"one ignored file, named", u"hi"_s, u"app.log"_s, {}, true, u"app.log:1:hi log\n"_s},
        {"long lines cut", u"needle"_s, {}, {}, true, longLine},
        {"the cap note", u"^match"_s, u"many.txt"_s, {}, true, cap},
        {"look-ahead", u"hi(?= there)"_s, {}, {}, true, u"a/b:1:hi there\n"_s},
        {"no matches", u"zzz"_s, {}, {}, true, u"No matches.\n"_s},
        {"an empty file has no empty line", u"^$"_s, u"empty.txt"_s, {}, true, u"No matches.\n"_s,
         {{u"empty.txt"_s, QByteArray("")}}},
        {"a file of exactly 4 MiB is searched", u"bigneedle"_s, {}, {}, true, u"big.txt:1:bigneedle\n"_s,
         {{u"big.txt"_s, fourMiB}}},
        {"files over 4 MiB are skipped", u"bigneedle"_s, {}, {}, true, u"No matches.\n"_s,
         {{u"big.txt"_s, fourMiB + 'x'}}},
        {"invalid pattern", u"("_s, {}, {}, false, u"the pattern is not a valid regular expression"_s},
        {"a folder outside", u"hi"_s, u"../"_s, {}, false, u"leads outside the workspace"_s},
        {"a symlink to a file outside", u"secret"_s, u"outlink"_s, {}, false, u"symbolic link"_s},
        {"a symlinked folder outside", u"secret"_s, u"outdir/secret.txt"_s, {}, false, u"symbolic link"_s},
        {"a missing path", u"hi"_s, u"nope"_s, {}, false, u"nope does not exist"_s},
    };
    for (const bool rg : {false, true}) {
        for (const Row &row : rows)
            QTest::addRow("%s: %s", rg ? "ripgrep" : "built-in", row.name)
                << rg << row.pattern << row.folder << row.glob << row.ok << row.expected << row.extra;
    }
}

// Both backends must give the same lines: the model should not see a different world when ripgrep is missing.
void TstEditTools::search()
{
    QFETCH(bool, ripgrep);
    QFETCH(QString, pattern);
    QFETCH(QString, folder);
    QFETCH(QString, glob);
    QFETCH(bool, ok);
    QFETCH(QString, expected);
    QFETCH(Files, extra);

    if (ripgrep) {
        qunsetenv("REINS_SEARCH");
        if (SearchTool::ripgrep().isEmpty())
            QSKIP("rg is not installed");
    } else {
        qputenv("REINS_SEARCH", "builtin");
        QVERIFY(SearchTool::ripgrep().isEmpty());
    }

    const QString outside = QFileInfo(m_outside->path()).canonicalFilePath();
    QVERIFY(makeFiles(outside, {{u"secret.txt"_s, "secret hi\n"_ba}}));
    QVERIFY(makeFiles(m_root, {{u".gitignore"_s, "*.log\n"_ba},
                               {u"a/b"_s, "hi there\n"_ba},
                               {u"a.c"_s, "hi\n"_ba},
                               {u"app.log"_s, "hi log\n"_ba},
                               {u".hidden"_s, "hi hidden\n"_ba},
                               {u".git/HEAD"_s, "hi git\n"_ba},
                               {u"crlf.txt"_s, "crlf hi\r\nsecond\r\n"_ba},
                               {u"blank.txt"_s, "x\n\ny\n"_ba},
                               {u"bom.txt"_s, "\xEF\xBB\xBFhello\n"_ba},
                               {u"u16.txt"_s, utf16(u"hi16\n"_s)},
                               {u"bin.dat"_s, "hi\0binary\n"_ba},
                               {u"src/main.cpp"_s, "int main() { return 0; } // hi\n"_ba},
                               {u"src/util.h"_s, "// hi\n"_ba},
                               {u"long.txt"_s, "needle " + QByteArray(400, 'x') + '\n'},
                               {u"many.txt"_s, manyLines(205, "match ")},
                               {u"link"_s, "->a.c"_ba},
                               {u"outlink"_s, QFile::encodeName(u"->"_s + outside + u"/secret.txt"_s)},
                               {u"outdir"_s, QFile::encodeName(u"->"_s + outside)}}));
    QVERIFY(makeFiles(m_root, extra));

    QJsonObject arguments{{u"pattern"_s, pattern}};
    if (!folder.isEmpty())
        arguments.insert(u"path"_s, folder);
    if (!glob.isEmpty())
        arguments.insert(u"glob"_s, glob);
    SearchTool tool;
    const ToolResult result = run(tool, arguments);
    QCOMPARE(result.ok, ok);
    if (ok)
        QCOMPARE(result.text, expected);
    else
        QVERIFY2(result.text.contains(expected), qPrintable(result.text));
    QVERIFY2(!result.text.contains(u"secret"_s) || pattern == u"secret", qPrintable(result.text));
    QVERIFY2(!result.text.contains(u"secret hi"_s), qPrintable(result.text));
}

QTEST_GUILESS_MAIN(TstEditTools)
#include "tst_edittools.moc"
