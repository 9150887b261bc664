#include "tools/editfiletool.h"
#include "tools/readfiletool.h"
#include "tools/tool.h"
#include "tools/writefiletool.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace reins;
using namespace reins::workspace;
using namespace Qt::StringLiterals;

namespace {

/// Everything under a folder, without following links: "file 0644 <bytes>", "dir 0755" or "link -> target".
/// Compared before and after a refused operation to prove that nothing on disk changed.
using Snapshot = QMap<QString, QByteArray>;

QByteArray modeText(const QString &path)
{
    struct stat st{};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return "missing";
    return QByteArray::number(st.st_mode & 07777, 8).rightJustified(4, '0');
}

void snapshotInto(Snapshot &out, const QString &root, const QString &prefix)
{
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString key = prefix + QDir(root).relativeFilePath(path);
        if (info.isSymLink()) {
            out.insert(key, "link -> " + QFile::encodeName(info.readSymLink()));
        } else if (info.isDir()) {
            out.insert(key, "dir " + modeText(path));
        } else {
            QFile file(path);
            (void)file.open(QIODevice::ReadOnly);
            out.insert(key, "file " + modeText(path) + ' ' + file.readAll());
        }
    }
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<cannot open>";
    return file.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

bool makeLink(const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) == 0;
}

/// A path given to the workspace, and what each kind of use must give: "" = allowed, "-" = not tried, anything
/// else = refused with an error containing that text. `target` is the file a successful write or edit changes.
struct Case
{
    const char *name;
    QString path;
    QString read;
    QString write;
    QString edit;
    QString target = {};
};

const QString NotTried = u"-"_s;

// $WS, $OUT and $OUTNAME are replaced by the workspace, the outside folder and the outside folder's name.
QList<Case> confinementCases()
{
    const QString dotDot = u"leads outside the workspace"_s;
    const QString outside = u"is outside the workspace"_s;
    const QString throughLink = u"through a symbolic link"_s;
    const QString link = u"symbolic link"_s;
    const QString hard = u"hard link"_s;
    const QString git = u"inside .git"_s;
    const QString nul = u"NUL character"_s;
    return {
        {"../x", u"../x"_s, dotDot, dotDot, dotDot},
        {"a/../../x", u"a/../../x"_s, dotDot, dotDot, dotDot},
        {"../ to the outside file by name", u"../$OUTNAME/secret.txt"_s, dotDot, dotDot, dotDot},
        {"/etc/passwd", u"/etc/passwd"_s, outside, NotTried, outside},
        {"absolute path outside", u"$OUT/secret.txt"_s, outside, outside, outside},
        {"absolute path of a sibling sharing the prefix", u"$WSx/a.txt"_s, outside, outside, outside},
        {"absolute path inside", u"$WS/a.txt"_s, QString(), QString(), QString(), u"a.txt"_s},
        {"absolute path with .. staying inside", u"$WS/sub/../a.txt"_s, QString(), QString(), QString(), u"a.txt"_s},
        {"the root itself", u"$WS"_s, u"is a folder"_s, u"is a folder"_s, u"is a folder"_s},
        {"a folder", u"sub"_s, u"is a folder"_s, u"is a folder"_s, u"is a folder"_s},
        {"symlink pointing outside", u"link-out"_s, throughLink, link, throughLink},
        {"relative symlink pointing outside", u"link-out-rel"_s, throughLink, link, throughLink},
        {"symlink pointing inside", u"link-in"_s, QString(), link, link},
        {"symlinked folder pointing outside", u"dir-out/file.txt"_s, throughLink, throughLink, throughLink},
        {"new file in a symlinked folder pointing outside", u"dir-out/new.txt"_s, throughLink, throughLink,
         throughLink},
        {"new folder in a symlinked folder pointing outside", u"dir-out/new/x.txt"_s, throughLink, throughLink,
         throughLink},
        {"symlinked folder pointing inside", u"dir-in/b.txt"_s, QString(), link, link},
        {"hard link to a file outside", u"hard"_s, hard, hard, hard},
        {".git/config", u".git/config"_s, QString(), git, git},
        {".git/hooks/x", u".git/hooks/x"_s, NotTried, git, NotTried},
        {".GIT/x", u".GIT/x"_s, NotTried, git, NotTried},
        {"sub/.Git/x", u"sub/.Git/x"_s, NotTried, git, NotTried},
        {".git reached through ..", u"sub/../.git/config"_s, QString(), git, git},
        {".git/config through a symlinked folder", u"git-link/config"_s, QString(), link, link},
        {"new hook through a symlinked folder", u"git-link/hooks/x"_s, NotTried, link, NotTried},
        {"NUL in the path", u"a.txt\0b"_s, nul, nul, nul},
        {"NUL alone", QString(QChar(0)), nul, nul, nul},
        {"empty path", QString(), u"empty"_s, u"empty"_s, u"empty"_s},
        {"blank path", u"   "_s, u"empty"_s, u"empty"_s, u"empty"_s},
    };
}

} // namespace

class TstWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void open_data();
    void open();
    void resolve_data();
    void resolve();
    void confinement_data();
    void confinement();
    void toolConfinement_data();
    void toolConfinement();
    void folderSwappedForLink_data();
    void folderSwappedForLink();
    void folderSwappedWhileInUse();
    void stat_data();
    void stat();
    void keepsModeBits_data();
    void keepsModeBits();
    void newFileMode_data();
    void newFileMode();
    void createsMissingFolders();
    void replacesAtomically();
    void noTemporaryFilesLeft_data();
    void noTemporaryFilesLeft();
    void removeFile_data();
    void removeFile();
    void protectsReinsConfiguration();

private:
    QString expand(QString path) const;
    Snapshot snapshot() const;

    std::unique_ptr<QTemporaryDir> m_wsDir;
    std::unique_ptr<QTemporaryDir> m_outDir;
    QString m_ws;   ///< canonical
    QString m_out;  ///< canonical
    std::shared_ptr<Workspace> m_workspace;
    QByteArray m_configHome;
};

void TstWorkspace::initTestCase()
{
    m_configHome = qgetenv("XDG_CONFIG_HOME");
    ::umask(022);
}

// A fresh workspace and a folder outside it for every row, since some rows are meant to change files.
void TstWorkspace::init()
{
    m_wsDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tst_workspace-ws-XXXXXX"_s);
    m_outDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tst_workspace-out-XXXXXX"_s);
    QVERIFY(m_wsDir->isValid());
    QVERIFY(m_outDir->isValid());
    m_ws = QFileInfo(m_wsDir->path()).canonicalFilePath();
    m_out = QFileInfo(m_outDir->path()).canonicalFilePath();

    QVERIFY(writeAll(m_out + u"/secret.txt"_s, "secret\n"));
    QVERIFY(writeAll(m_out + u"/dir/file.txt"_s, "outside file\n"));

    QVERIFY(writeAll(m_ws + u"/a.txt"_s, "alpha\n"));
    // Every file inside holds "alpha" once, so that the edit rows reach the write through whichever path.
    QVERIFY(writeAll(m_ws + u"/sub/b.txt"_s, "beta alpha\n"));
    QVERIFY(writeAll(m_ws + u"/.git/config"_s, "[alpha]\n"));
    QVERIFY(QDir().mkpath(m_ws + u"/.git/hooks"_s));
    QVERIFY(makeLink(m_out + u"/secret.txt"_s, m_ws + u"/link-out"_s));
    QVERIFY(makeLink(u"../"_s + QFileInfo(m_out).fileName() + u"/secret.txt"_s, m_ws + u"/link-out-rel"_s));
    QVERIFY(makeLink(u"a.txt"_s, m_ws + u"/link-in"_s));
    QVERIFY(makeLink(m_out + u"/dir"_s, m_ws + u"/dir-out"_s));
    QVERIFY(makeLink(u"sub"_s, m_ws + u"/dir-in"_s));
    QVERIFY(makeLink(u".git"_s, m_ws + u"/git-link"_s));
    QVERIFY(::link(QFile::encodeName(m_out + u"/secret.txt"_s).constData(),
                   QFile::encodeName(m_ws + u"/hard"_s).constData())
            == 0);

    auto ws = Workspace::open(m_ws);
    QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().message));
    m_workspace = *ws;
}

void TstWorkspace::cleanup()
{
    m_workspace.reset();
    m_wsDir.reset();
    m_outDir.reset();
    if (m_configHome.isNull())
        qunsetenv("XDG_CONFIG_HOME");
    else
        qputenv("XDG_CONFIG_HOME", m_configHome);
}

QString TstWorkspace::expand(QString path) const
{
    return path.replace(u"$OUTNAME"_s, QFileInfo(m_out).fileName())
        .replace(u"$OUT"_s, m_out)
        .replace(u"$WS"_s, m_ws);
}

Snapshot TstWorkspace::snapshot() const
{
    Snapshot out;
    snapshotInto(out, m_ws, u"ws/"_s);
    snapshotInto(out, m_out, u"out/"_s);
    return out;
}

void TstWorkspace::open_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<bool>("ok");

    QTest::newRow("a folder") << u"$WS"_s << true;
    QTest::newRow("a folder spelled with .. and a trailing slash") << u"$WS/sub/../"_s << true;
    QTest::newRow("a file") << u"$WS/a.txt"_s << false;
    QTest::newRow("missing") << u"$WS/nope"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TstWorkspace::open()
{
    QFETCH(QString, root);
    QFETCH(bool, ok);

    const auto ws = Workspace::open(expand(root));
    QCOMPARE(bool(ws), ok);
    if (ok)
        QCOMPARE((*ws)->root(), m_ws);
    else
        QVERIFY(ws.error().message.contains(u"not a folder"_s));
}

void TstWorkspace::resolve_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");  ///< the relative path, or empty when refused
    QTest::addColumn<QString>("error");

    QTest::newRow("plain") << u"a.txt"_s << u"a.txt"_s << QString();
    QTest::newRow("./ and doubled slashes") << u"./sub//b.txt"_s << u"sub/b.txt"_s << QString();
    QTest::newRow("trailing slash") << u"sub/"_s << u"sub"_s << QString();
    QTest::newRow("dot is the root") << u"."_s << u"."_s << QString();
    QTest::newRow(".. staying inside") << u"sub/../a.txt"_s << u"a.txt"_s << QString();
    QTest::newRow("absolute inside") << u"$WS/sub/b.txt"_s << u"sub/b.txt"_s << QString();
    QTest::newRow("absolute root") << u"$WS"_s << u"."_s << QString();
    QTest::newRow("absolute root with a slash") << u"$WS/"_s << u"."_s << QString();
    QTest::newRow("a name starting with ..") << u"..foo"_s << u"..foo"_s << QString();
    QTest::newRow("..") << u".."_s << QString() << u"leads outside the workspace"_s;
    QTest::newRow("../x") << u"../x"_s << QString() << u"leads outside the workspace"_s;
    QTest::newRow("a/../../x") << u"a/../../x"_s << QString() << u"leads outside the workspace"_s;
    QTest::newRow("/etc/passwd") << u"/etc/passwd"_s << QString() << u"is outside the workspace"_s;
    QTest::newRow("/") << u"/"_s << QString() << u"is outside the workspace"_s;
    QTest::newRow("absolute, leaving through ..") << u"$WS/../x"_s << QString() << u"is outside the workspace"_s;
    QTest::newRow("absolute sibling sharing the prefix") << u"$WSx/a"_s << QString() << u"is outside the workspace"_s;
    QTest::newRow("NUL") << u"a\0b"_s << QString() << u"NUL character"_s;
    QTest::newRow("empty") << QString() << QString() << u"the path is empty"_s;
    QTest::newRow("blank") << u" \t"_s << QString() << u"the path is empty"_s;
}

void TstWorkspace::resolve()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QFETCH(QString, error);

    const auto relative = m_workspace->resolve(expand(path));
    if (error.isEmpty()) {
        QVERIFY2(relative, qPrintable(relative ? QString() : relative.error().message));
        QCOMPARE(*relative, expected);
    } else {
        QVERIFY2(!relative, qPrintable(relative ? *relative : QString()));
        QVERIFY2(relative.error().message.contains(error), qPrintable(relative.error().message));
    }
}

void TstWorkspace::confinement_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("target");

    for (const Case &c : confinementCases()) {
        if (c.read != NotTried)
            QTest::addRow("read: %s", c.name) << u"read"_s << c.path << c.read << c.target;
        if (c.write != NotTried)
            QTest::addRow("write: %s", c.name) << u"write"_s << c.path << c.write << c.target;
    }
}

// Every path through resolve() and then the file operation, as the tools use them.
void TstWorkspace::confinement()
{
    QFETCH(QString, operation);
    QFETCH(QString, path);
    QFETCH(QString, error);
    QFETCH(QString, target);

    const Snapshot before = snapshot();
    const QString expanded = expand(path);
    QString message;
    std::optional<QByteArray> read;
    if (auto relative = m_workspace->resolve(expanded); !relative) {
        message = relative.error().message;
    } else if (operation == u"read") {
        auto bytes = m_workspace->readFile(*relative);
        if (bytes)
            read = *bytes;
        else
            message = bytes.error().message;
    } else {
        auto written = m_workspace->writeFile(*relative, "written\n");
        if (!written)
            message = written.error().message;
    }

    Snapshot expected = before;
    if (error.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
        if (operation == u"read") {
            // What a plain open (following links) sees: the allowed rows only lead to files inside.
            QCOMPARE(*read, readAll(expanded.startsWith(u'/') ? expanded : m_ws + u'/' + expanded));
        } else {
            expected[u"ws/"_s + target] = "file " + modeText(m_ws + u'/' + target) + " written\n";
            QCOMPARE(readAll(m_ws + u'/' + target), "written\n"_ba);
        }
    } else {
        QVERIFY2(!message.isEmpty(), "the operation was allowed");
        QVERIFY2(message.contains(error), qPrintable(message));
    }
    QCOMPARE(snapshot(), expected);
}

void TstWorkspace::toolConfinement_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("target");

    for (const Case &c : confinementCases()) {
        if (c.read != NotTried)
            QTest::addRow("read_file: %s", c.name) << u"read_file"_s << c.path << c.read << c.target;
        if (c.write != NotTried)
            QTest::addRow("write_file: %s", c.name) << u"write_file"_s << c.path << c.write << c.target;
        if (c.edit != NotTried)
            QTest::addRow("edit_file: %s", c.name) << u"edit_file"_s << c.path << c.edit << c.target;
    }
}

// The same paths through the tools the model calls: the refusal must reach the ToolResult, and nothing on disk
// may change.
void TstWorkspace::toolConfinement()
{
    QFETCH(QString, tool);
    QFETCH(QString, path);
    QFETCH(QString, error);
    QFETCH(QString, target);

    tools::FileTracker files;
    tools::ToolContext context{m_workspace, &files, {}, {}};
    tools::ReadFileTool readFile;
    tools::WriteFileTool writeFile;
    tools::EditFileTool editFile;
    tools::Tool *t = tool == u"read_file" ? static_cast<tools::Tool *>(&readFile)
                     : tool == u"write_file" ? static_cast<tools::Tool *>(&writeFile)
                                             : static_cast<tools::Tool *>(&editFile);
    QJsonObject arguments{{u"path"_s, expand(path)}};
    if (tool == u"write_file")
        arguments.insert(u"content"_s, u"written\n"_s);
    if (tool == u"edit_file") {
        arguments.insert(u"old_string"_s, u"alpha"_s);
        arguments.insert(u"new_string"_s, u"omega"_s);
    }

    const Snapshot before = snapshot();
    std::optional<tools::ToolResult> result;
    t->start(arguments, context, [&](tools::ToolResult r) { result = std::move(r); });
    QVERIFY2(result, "file tools call done before start() returns");

    Snapshot expected = before;
    if (error.isEmpty()) {
        QVERIFY2(result->ok, qPrintable(result->text));
        if (tool == u"read_file") {
            QVERIFY2(result->text.startsWith(u"     1\t"_s), qPrintable(result->text));
        } else {
            const QByteArray content = tool == u"write_file" ? "written\n"_ba : "omega\n"_ba;
            expected[u"ws/"_s + target] = "file " + modeText(m_ws + u'/' + target) + ' ' + content;
            QCOMPARE(result->changedPaths, QStringList{target});
        }
    } else {
        QVERIFY2(!result->ok, qPrintable(result->text));
        QVERIFY2(result->text.contains(error), qPrintable(result->text));
    }
    QCOMPARE(snapshot(), expected);
}

void TstWorkspace::folderSwappedForLink_data()
{
    QTest::addColumn<QString>("operation");
    QTest::newRow("read") << u"read"_s;
    QTest::newRow("write") << u"write"_s;
    QTest::newRow("write a new file") << u"write new"_s;
    QTest::newRow("remove") << u"remove"_s;
    QTest::newRow("open the folder") << u"openDir"_s;
}

// A folder checked while it is a real folder, then replaced by a link to the outside before the use: the use must
// see the link and refuse, not trust the earlier check.
void TstWorkspace::folderSwappedForLink()
{
    QFETCH(QString, operation);

    QVERIFY(writeAll(m_ws + u"/swap/file.txt"_s, "inside\n"));
    auto info = m_workspace->stat(u"swap/file.txt"_s);
    QVERIFY(info);
    QVERIFY(info->exists);
    QVERIFY(!info->isSymlink);
    auto relative = m_workspace->resolve(u"swap/file.txt"_s);
    QVERIFY(relative);

    QVERIFY(QDir().rename(m_ws + u"/swap"_s, m_ws + u"/swap-old"_s));
    QVERIFY(makeLink(m_out + u"/dir"_s, m_ws + u"/swap"_s));
    const Snapshot before = snapshot();

    QString message;
    if (operation == u"read") {
        auto bytes = m_workspace->readFile(*relative);
        if (bytes)
            QCOMPARE(*bytes, "<must be refused>"_ba);
        message = bytes.error().message;
    } else if (operation == u"write" || operation == u"write new") {
        auto ok = m_workspace->writeFile(operation == u"write" ? *relative : u"swap/new.txt"_s, "written\n");
        QVERIFY2(!ok, "the write went through the link");
        message = ok.error().message;
    } else if (operation == u"remove") {
        auto ok = m_workspace->removeFile(*relative);
        QVERIFY2(!ok, "the file behind the link was removed");
        message = ok.error().message;
    } else {
        auto fd = m_workspace->openDir(u"swap"_s);
        QVERIFY2(!fd, "the folder behind the link was opened");
        message = fd.error().message;
    }
    QVERIFY2(message.contains(u"symbolic link"_s), qPrintable(message));
    QCOMPARE(snapshot(), before);
    QCOMPARE(readAll(m_out + u"/dir/file.txt"_s), "outside file\n"_ba);
}

// The real race: another thread swaps the folder and a link to the outside back and forth (atomically, with
// RENAME_EXCHANGE) while files are read and written through it. No read may return the outside file and no write
// may land outside, whatever the timing.
void TstWorkspace::folderSwappedWhileInUse()
{
    QVERIFY(writeAll(m_ws + u"/swap/file.txt"_s, "inside\n"));
    QVERIFY(makeLink(m_out + u"/dir"_s, m_ws + u"/swap-link"_s));
    const QByteArray a = QFile::encodeName(m_ws + u"/swap"_s);
    const QByteArray b = QFile::encodeName(m_ws + u"/swap-link"_s);
    QVERIFY2(::renameat2(AT_FDCWD, a.constData(), AT_FDCWD, b.constData(), RENAME_EXCHANGE) == 0,
             "RENAME_EXCHANGE is not supported here");
    QVERIFY(::renameat2(AT_FDCWD, a.constData(), AT_FDCWD, b.constData(), RENAME_EXCHANGE) == 0);

    std::atomic<bool> stop = false;
    std::atomic<int> swaps = 0;
    std::thread swapper([&] {
        while (!stop) {
            if (::renameat2(AT_FDCWD, a.constData(), AT_FDCWD, b.constData(), RENAME_EXCHANGE) == 0)
                ++swaps;
        }
    });
    int reads = 0, refusals = 0;
    QByteArray leaked;
    // At least 3000 reads, and on until the other thread has swapped a few times (a busy machine may be slow to
    // schedule it), within a bound.
    for (int i = 0; (i < 3000 || swaps < 10) && i < 200'000 && leaked.isNull(); ++i) {
        auto bytes = m_workspace->readFile(u"swap/file.txt"_s);
        if (bytes) {
            ++reads;
            if (*bytes != "inside\n" && *bytes != "written\n")
                leaked = *bytes;
        } else {
            ++refusals;
        }
        if (i % 20 == 0)
            (void)m_workspace->writeFile(u"swap/file.txt"_s, "written\n");
    }
    stop = true;
    swapper.join();

    QCOMPARE(leaked, QByteArray());
    QCOMPARE(readAll(m_out + u"/dir/file.txt"_s), "outside file\n"_ba);
    QCOMPARE(QDir(m_out + u"/dir"_s).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{u"file.txt"_s});
    QVERIFY(swaps >= 10);
    QVERIFY(reads + refusals >= 3000);
}

void TstWorkspace::stat_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("exists");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("isSymlink");
    QTest::addColumn<QString>("error");

    QTest::newRow("file") << u"a.txt"_s << true << false << false << QString();
    QTest::newRow("folder") << u"sub"_s << true << true << false << QString();
    QTest::newRow("root") << u"."_s << true << true << false << QString();
    QTest::newRow("link is not followed") << u"link-out"_s << true << false << true << QString();
    QTest::newRow("missing") << u"nope.txt"_s << false << false << false << QString();
    QTest::newRow("missing folder on the way") << u"nope/deeper/x"_s << false << false << false << QString();
    QTest::newRow("through a linked folder pointing outside")
        << u"dir-out/file.txt"_s << false << false << false << u"through a symbolic link"_s;
    QTest::newRow("through a file") << u"a.txt/x"_s << false << false << false << u"Not a directory"_s;
}

void TstWorkspace::stat()
{
    QFETCH(QString, path);
    QFETCH(bool, exists);
    QFETCH(bool, isDir);
    QFETCH(bool, isSymlink);
    QFETCH(QString, error);

    const auto info = m_workspace->stat(path);
    if (!error.isEmpty()) {
        QVERIFY(!info);
        QVERIFY2(info.error().message.contains(error), qPrintable(info.error().message));
        return;
    }
    QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
    QCOMPARE(info->exists, exists);
    QCOMPARE(info->isDir, isDir);
    QCOMPARE(info->isSymlink, isSymlink);
    if (path == u"a.txt") {
        QCOMPARE(info->size, 6);
        QCOMPARE(info->mode, 0644u);
        QCOMPARE(info->links, 1u);
    }
}

void TstWorkspace::keepsModeBits_data()
{
    QTest::addColumn<uint>("mode");
    QTest::newRow("0755") << 0755u;
    QTest::newRow("0600") << 0600u;
    QTest::newRow("0640") << 0640u;
    QTest::newRow("0444 (read-only)") << 0444u;
    QTest::newRow("0777 (wider than the umask allows)") << 0777u;
}

void TstWorkspace::keepsModeBits()
{
    QFETCH(uint, mode);

    const QString path = m_ws + u"/script.sh"_s;
    QVERIFY(writeAll(path, "#!/bin/sh\n"));
    QVERIFY(::chmod(QFile::encodeName(path).constData(), mode) == 0);
    QVERIFY(m_workspace->writeFile(u"script.sh"_s, "#!/bin/sh\necho hi\n"));
    QCOMPARE(readAll(path), "#!/bin/sh\necho hi\n"_ba);
    QCOMPARE(modeText(path), QByteArray::number(mode, 8).rightJustified(4, '0'));
}

void TstWorkspace::newFileMode_data()
{
    QTest::addColumn<uint>("umask");
    QTest::addColumn<QByteArray>("mode");
    QTest::newRow("umask 022") << 022u << "0644"_ba;
    QTest::newRow("umask 077") << 077u << "0600"_ba;
    QTest::newRow("umask 002") << 002u << "0664"_ba;
}

void TstWorkspace::newFileMode()
{
    QFETCH(uint, umask);
    QFETCH(QByteArray, mode);

    const mode_t old = ::umask(umask);
    const auto ok = m_workspace->writeFile(u"new.txt"_s, "new\n");
    ::umask(old);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    QCOMPARE(modeText(m_ws + u"/new.txt"_s), mode);
}

void TstWorkspace::createsMissingFolders()
{
    const auto ok = m_workspace->writeFile(u"x/y/z/new.txt"_s, "deep\n");
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    QCOMPARE(readAll(m_ws + u"/x/y/z/new.txt"_s), "deep\n"_ba);
    for (const QString &dir : {u"x"_s, u"x/y"_s, u"x/y/z"_s})
        QCOMPARE(modeText(m_ws + u'/' + dir), "0755"_ba);
    // A file where a folder is needed: a clear refusal, nothing created.
    const auto blocked = m_workspace->writeFile(u"a.txt/inner/new.txt"_s, "x");
    QVERIFY(!blocked);
    QVERIFY2(blocked.error().message.contains(u"Not a directory"_s), qPrintable(blocked.error().message));
    QCOMPARE(readAll(m_ws + u"/a.txt"_s), "alpha\n"_ba);
}

// The new content arrives by rename: a reader that opened the old file keeps seeing the old content whole, and the
// file is a new inode rather than the old one truncated.
void TstWorkspace::replacesAtomically()
{
    const QString path = m_ws + u"/a.txt"_s;
    QFile reader(path);
    QVERIFY(reader.open(QIODevice::ReadOnly));
    struct stat before{};
    QVERIFY(::stat(QFile::encodeName(path).constData(), &before) == 0);

    QVERIFY(m_workspace->writeFile(u"a.txt"_s, "a much longer new content\n"));

    QCOMPARE(reader.readAll(), "alpha\n"_ba);
    struct stat after{};
    QVERIFY(::stat(QFile::encodeName(path).constData(), &after) == 0);
    QVERIFY(before.st_ino != after.st_ino);
    QCOMPARE(readAll(path), "a much longer new content\n"_ba);
}

void TstWorkspace::noTemporaryFilesLeft_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("ok");

    QTest::newRow("new file") << u"new.txt"_s << true;
    QTest::newRow("replaced file") << u"a.txt"_s << true;
    QTest::newRow("new file in a new folder") << u"n/new.txt"_s << true;
    QTest::newRow("hidden file") << u".env"_s << true;
    QTest::newRow("name of 255 bytes") << QString(255, u'n') << true;
    QTest::newRow("name of 200 two-byte characters (400 bytes)") << QString(200, QChar(0xE9)) << false;
    QTest::newRow("refused: symbolic link") << u"link-in"_s << false;
    QTest::newRow("refused: hard link") << u"hard"_s << false;
    QTest::newRow("refused: a folder") << u"sub"_s << false;
}

void TstWorkspace::noTemporaryFilesLeft()
{
    QFETCH(QString, path);
    QFETCH(bool, ok);

    Snapshot expected = snapshot();
    const auto written = m_workspace->writeFile(path, "content\n");
    QCOMPARE(bool(written), ok);
    if (ok) {
        QCOMPARE(readAll(m_ws + u'/' + path), "content\n"_ba);
        if (path.contains(u'/'))
            expected[u"ws/"_s + path.section(u'/', 0, 0)] = "dir 0755";
        expected[u"ws/"_s + path] = "file " + modeText(m_ws + u'/' + path) + " content\n";
    }
    QCOMPARE(snapshot(), expected);
}

void TstWorkspace::removeFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");

    QTest::newRow("regular file") << u"sub/b.txt"_s << QString();
    QTest::newRow("folder") << u"sub"_s << u"is a folder"_s;
    QTest::newRow("the root") << u"."_s << u"root is a folder"_s;
    QTest::newRow("symlink pointing inside") << u"link-in"_s << u"symbolic link"_s;
    QTest::newRow("symlink pointing outside") << u"link-out"_s << u"symbolic link"_s;
    QTest::newRow("symlinked folder") << u"dir-in"_s << u"symbolic link"_s;
    QTest::newRow("file in a symlinked folder pointing outside") << u"dir-out/file.txt"_s << u"symbolic link"_s;
    QTest::newRow("file in a symlinked folder pointing inside") << u"dir-in/b.txt"_s << u"symbolic link"_s;
    QTest::newRow("hard link") << u"hard"_s << u"hard link"_s;
    QTest::newRow(".git/config") << u".git/config"_s << u"inside .git"_s;
    QTest::newRow(".git/config through a symlinked folder") << u"git-link/config"_s << u"symbolic link"_s;
    QTest::newRow("missing") << u"nope.txt"_s << u"No such file"_s;
}

void TstWorkspace::removeFile()
{
    QFETCH(QString, path);
    QFETCH(QString, error);

    Snapshot expected = snapshot();
    const auto removed = m_workspace->removeFile(path);
    if (error.isEmpty()) {
        QVERIFY2(removed, qPrintable(removed ? QString() : removed.error().message));
        expected.remove(u"ws/"_s + path);
    } else {
        QVERIFY2(!removed, "the removal was allowed");
        QVERIFY2(removed.error().message.contains(error), qPrintable(removed.error().message));
    }
    QCOMPARE(snapshot(), expected);
}

// Reins's own configuration is protected like .git when the workspace holds it (a workspace at $HOME).
void TstWorkspace::protectsReinsConfiguration()
{
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_ws + u"/cfg"_s));
    QVERIFY(m_workspace->isProtected(u"cfg/reins"_s));
    QVERIFY(m_workspace->isProtected(u"cfg/reins/settings.json"_s));
    QVERIFY(!m_workspace->isProtected(u"cfg/reinsx"_s));
    QVERIFY(!m_workspace->isProtected(u"cfg/other/settings.json"_s));

    const auto refused = m_workspace->writeFile(u"cfg/reins/settings.json"_s, "{}");
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"Reins's configuration"_s), qPrintable(refused.error().message));
    QVERIFY(!QFileInfo::exists(m_ws + u"/cfg/reins"_s));
    QVERIFY(m_workspace->writeFile(u"cfg/other/settings.json"_s, "{}"));
}

QTEST_GUILESS_MAIN(TstWorkspace)
#include "tst_workspace.moc"
