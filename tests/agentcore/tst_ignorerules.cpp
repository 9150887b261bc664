#include "workspace/ignorerules.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::workspace;
using namespace Qt::StringLiterals;

namespace {

/// One ignore file: the folder it sits in (relative, "" for the root) and its bytes.
struct IgnoreFile
{
    QString base;
    QByteArray content;
};
using IgnoreFiles = QList<IgnoreFile>;

IgnoreFiles rootFile(const QByteArray &content)
{
    return {{QString(), content}};
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

Q_DECLARE_METATYPE(IgnoreFiles)

class TstIgnoreRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void globMatch_data();
    void globMatch();
    void isIgnored_data();
    void isIgnored();
    void emptyRules();

private:
    /// What `git check-ignore` says of the same row in a scratch repository; nullopt if git could not be asked.
    std::optional<bool> gitSays(const IgnoreFiles &files, const QString &path, bool isDir);

    QString m_git;
    QTemporaryDir m_home;
};

void TstIgnoreRules::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Neither the user's global excludes nor their git configuration may leak into the cross-check.
    qputenv("HOME", QFile::encodeName(m_home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + u"/config"));
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
    m_git = QStandardPaths::findExecutable(u"git"_s);
}

void TstIgnoreRules::globMatch_data()
{
    QTest::addColumn<QString>("glob");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");

    auto row = [](const char *name, const QString &glob, const QString &text, bool expected) {
        QTest::newRow(name) << glob << text << expected;
    };
    row("literal", u"foo"_s, u"foo"_s, true);
    row("literal is case sensitive", u"foo"_s, u"Foo"_s, false);
    row("literal needs the whole text", u"foo"_s, u"foobar"_s, false);
    row("star", u"*.c"_s, u"main.c"_s, true);
    row("star matches nothing", u"*.c"_s, u".c"_s, true);
    row("star stops at slash", u"*.c"_s, u"src/main.c"_s, false);
    row("star inside a component", u"src/*.c"_s, u"src/main.c"_s, true);
    row("star does not cross folders", u"src/*.c"_s, u"src/x/main.c"_s, false);
    row("trailing star stays in its component", u"src/*"_s, u"src/x/y"_s, false);
    row("question mark", u"fo?"_s, u"foo"_s, true);
    row("question mark needs a character", u"fo?"_s, u"fo"_s, false);
    row("question mark never matches slash", u"a?b"_s, u"a/b"_s, false);
    row("class", u"[abc].txt"_s, u"b.txt"_s, true);
    row("class miss", u"[abc].txt"_s, u"d.txt"_s, false);
    row("class negated with !", u"[!abc].txt"_s, u"d.txt"_s, true);
    row("class negated with ! miss", u"[!abc].txt"_s, u"a.txt"_s, false);
    row("class negated with ^", u"[^abc].txt"_s, u"a.txt"_s, false);
    row("range", u"file[0-9]"_s, u"file7"_s, true);
    row("range miss", u"file[0-9]"_s, u"filex"_s, false);
    row("two ranges", u"[a-cx-z]"_s, u"y"_s, true);
    row("leading ] is literal", u"[]a]"_s, u"]"_s, true);
    row("trailing dash is literal", u"[a-]"_s, u"-"_s, true);
    row("escaped dash in class", u"[a\\-c]"_s, u"b"_s, false);
    row("posix class", u"[[:digit:]]x"_s, u"7x"_s, true);
    row("posix class miss", u"[[:digit:]]x"_s, u"ax"_s, false);
    row("posix class is ascii only", u"[[:alpha:]]"_s, u"é"_s, false);
    row("unknown posix class matches nothing", u"[[:nope:]]"_s, u"a"_s, false);
    row("negated class never matches slash", u"a[!x]b"_s, u"a/b"_s, false);
    row("class never matches slash", u"a[/]b"_s, u"a/b"_s, false);
    row("unterminated class matches nothing", u"[ab"_s, u"a"_s, false);
    row("escaped star is literal", u"\\*"_s, u"*"_s, true);
    row("escaped star is not a wildcard", u"\\*"_s, u"a"_s, false);
    row("escaped question mark", u"a\\?"_s, u"ab"_s, false);
    row("trailing lone backslash matches nothing", u"a\\"_s, u"a"_s, false);
    row("leading **/ at depth 0", u"**/foo"_s, u"foo"_s, true);
    row("leading **/ at depth 2", u"**/foo"_s, u"a/b/foo"_s, true);
    row("leading **/ needs the whole name", u"**/foo"_s, u"a/xfoo"_s, false);
    row("**/foo/bar", u"**/foo/bar"_s, u"x/foo/bar"_s, true);
    row("**/foo/bar not across folders", u"**/foo/bar"_s, u"foo/x/bar"_s, false);
    row("trailing /** inside", u"abc/**"_s, u"abc/x/y"_s, true);
    row("trailing /** not the folder itself", u"abc/**"_s, u"abc"_s, false);
    row("a/**/b zero folders", u"a/**/b"_s, u"a/b"_s, true);
    row("a/**/b one folder", u"a/**/b"_s, u"a/x/b"_s, true);
    row("a/**/b two folders", u"a/**/b"_s, u"a/x/y/b"_s, true);
    row("a/**/b not a partial name", u"a/**/b"_s, u"a/xb"_s, false);
    row("** inside a name is a plain star", u"a**b"_s, u"axxb"_s, true);
    row("** inside a name does not cross folders", u"a**b"_s, u"ax/yb"_s, false);
    row("**/ after a name is a plain star", u"x**/y"_s, u"x/a/y"_s, false);
    row("lone ** matches all", u"**"_s, u"a/b/c"_s, true);
    row("many stars do not explode", u"*a*a*a*a*a*a*a*a*a*a*b"_s, u"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"_s,
        false);
}

void TstIgnoreRules::globMatch()
{
    QFETCH(QString, glob);
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(reins::workspace::globMatch(glob, text), expected);
}

void TstIgnoreRules::isIgnored_data()
{
    QTest::addColumn<IgnoreFiles>("files");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("expected");

    auto row = [](const char *name, const IgnoreFiles &files, const QString &path, bool isDir, bool expected) {
        QTest::newRow(name) << files << path << isDir << expected;
    };
    // Blank lines, comments, escapes, spaces.
    row("comment matches nothing", rootFile("# foo\n\n"_ba), u"# foo"_s, false, false);
    row("escaped hash", rootFile("\\#foo\n"_ba), u"#foo"_s, false, true);
    row("hash inside a pattern", rootFile("a#b\n"_ba), u"a#b"_s, false, true);
    row("no final newline", rootFile("foo"_ba), u"foo"_s, false, true);
    row("CRLF line ends", rootFile("foo\r\nbar\r\n"_ba), u"bar"_s, false, true);
    row("trailing spaces ignored", rootFile("foo   \n"_ba), u"foo"_s, false, true);
    row("trailing spaces not part of the name", rootFile("foo   \n"_ba), u"foo "_s, false, false);
    row("escaped trailing space kept", rootFile("foo\\ \n"_ba), u"foo "_s, false, true);
    row("escaped trailing space needed", rootFile("foo\\ \n"_ba), u"foo"_s, false, false);
    row("only the escaped space kept", rootFile("foo\\  \n"_ba), u"foo "_s, false, true);
    row("inner space kept", rootFile("a b\n"_ba), u"a b"_s, false, true);
    row("trailing tab is not trimmed", rootFile("foo\t\n"_ba), u"foo"_s, false, false);
    // Negation; the last match wins.
    row("negation re-includes", rootFile("*.log\n!keep.log\n"_ba), u"keep.log"_s, false, false);
    row("negation leaves others", rootFile("*.log\n!keep.log\n"_ba), u"other.log"_s, false, true);
    row("a later line beats a negation", rootFile("!keep.log\n*.log\n"_ba), u"keep.log"_s, false, true);
    row("escaped bang is literal", rootFile("\\!important\n"_ba), u"!important"_s, false, true);
    row("everything but folders and C files, dir", rootFile("*\n!*/\n!*.c\n"_ba), u"src"_s, true, false);
    row("everything but folders and C files, .c", rootFile("*\n!*/\n!*.c\n"_ba), u"src/a.c"_s, false, false);
    row("everything but folders and C files, .h", rootFile("*\n!*/\n!*.c\n"_ba), u"src/a.h"_s, false, true);
    // Trailing slash: folders only.
    row("dir pattern on a dir", rootFile("build/\n"_ba), u"build"_s, true, true);
    row("dir pattern on a file", rootFile("build/\n"_ba), u"build"_s, false, false);
    row("dir pattern at depth", rootFile("build/\n"_ba), u"src/build"_s, true, true);
    row("frotz/ at the top", rootFile("frotz/\n"_ba), u"frotz"_s, true, true);
    row("frotz/ at depth", rootFile("frotz/\n"_ba), u"a/frotz"_s, true, true);
    row("doc/frotz/ matches doc/frotz", rootFile("doc/frotz/\n"_ba), u"doc/frotz"_s, true, true);
    row("doc/frotz/ is anchored", rootFile("doc/frotz/\n"_ba), u"a/doc/frotz"_s, true, false);
    row("doc/frotz/ not a file", rootFile("doc/frotz/\n"_ba), u"doc/frotz"_s, false, false);
    row("/out/ is anchored and a dir", rootFile("/out/\n"_ba), u"out"_s, true, true);
    row("/out/ not deeper", rootFile("/out/\n"_ba), u"x/out"_s, true, false);
    // Leading or middle slash: anchored to the ignore file's folder.
    row("/build at the top", rootFile("/build\n"_ba), u"build"_s, false, true);
    row("/build not deeper", rootFile("/build\n"_ba), u"src/build"_s, true, false);
    row("build without slash at depth", rootFile("build\n"_ba), u"src/build"_s, false, true);
    row("middle slash anchors", rootFile("doc/*.txt\n"_ba), u"doc/a.txt"_s, false, true);
    row("middle slash anchors, deeper", rootFile("doc/*.txt\n"_ba), u"doc/x/a.txt"_s, false, false);
    row("middle slash anchors, elsewhere", rootFile("doc/*.txt\n"_ba), u"x/doc/a.txt"_s, false, false);
    // Ignore files in folders.
    const IgnoreFiles subObjects{{QString(), "/top\n"_ba}, {u"sub"_s, "*.o\n"_ba}};
    row("*.o of sub in sub", subObjects, u"sub/a.o"_s, false, true);
    row("*.o of sub below sub", subObjects, u"sub/x/a.o"_s, false, true);
    row("*.o of sub not in a sibling", subObjects, u"other/a.o"_s, false, false);
    row("*.o of sub not at the top", subObjects, u"a.o"_s, false, false);
    row("*.o of sub not in a longer name", subObjects, u"subway/a.o"_s, false, false);
    const IgnoreFiles subAnchored{{u"sub"_s, "/gen\n"_ba}};
    row("anchored in sub", subAnchored, u"sub/gen"_s, false, true);
    row("anchored in sub, not deeper", subAnchored, u"sub/x/gen"_s, false, false);
    row("anchored in sub, not at the top", subAnchored, u"gen"_s, false, false);
    const IgnoreFiles deeperWins{{QString(), "*.log\n"_ba}, {u"sub"_s, "!*.log\n"_ba}};
    row("deeper negation wins", deeperWins, u"sub/a.log"_s, false, false);
    row("deeper negation only below", deeperWins, u"a.log"_s, false, true);
    const IgnoreFiles deeperIgnores{{QString(), "!*.log\n"_ba}, {u"sub"_s, "*.log\n"_ba}};
    row("shallower negation loses", deeperIgnores, u"sub/a.log"_s, false, true);
    // Double asterisks.
    row("**/foo at the top", rootFile("**/foo\n"_ba), u"foo"_s, false, true);
    row("**/foo deep", rootFile("**/foo\n"_ba), u"a/b/foo"_s, true, true);
    row("**/foo/bar", rootFile("**/foo/bar\n"_ba), u"x/foo/bar"_s, false, true);
    row("**/foo/bar directly under foo", rootFile("**/foo/bar\n"_ba), u"foo/x/bar"_s, false, false);
    row("abc/** inside", rootFile("abc/**\n"_ba), u"abc/x/y"_s, false, true);
    row("abc/** not abc itself", rootFile("abc/**\n"_ba), u"abc"_s, true, false);
    row("abc/** anchored", rootFile("abc/**\n"_ba), u"x/abc/y"_s, false, false);
    row("a/**/b zero", rootFile("a/**/b\n"_ba), u"a/b"_s, false, true);
    row("a/**/b two", rootFile("a/**/b\n"_ba), u"a/x/y/b"_s, false, true);
    row("a/**/b no partial", rootFile("a/**/b\n"_ba), u"a/xb"_s, false, false);
    // Wildcards never cross '/', character classes.
    row("star in anchored pattern", rootFile("a/*.c\n"_ba), u"a/b/x.c"_s, false, false);
    row("question mark", rootFile("fo?\n"_ba), u"x/foo"_s, false, true);
    row("class", rootFile("*.[oa]\n"_ba), u"lib.a"_s, false, true);
    row("class miss", rootFile("*.[oa]\n"_ba), u"lib.so"_s, false, false);
    row("negated class", rootFile("[!a]*\n"_ba), u"abc"_s, false, false);
    row("range", rootFile("v[0-9]\n"_ba), u"v5"_s, true, true);
    row("posix class", rootFile("[[:upper:]]*\n"_ba), u"README"_s, false, true);
    row("dir-only negated re-include of a folder", rootFile("tmp*\n!tmpkeep/\n"_ba), u"tmpkeep"_s, true, false);
    row("dir-only negation not for files", rootFile("tmp*\n!tmpkeep/\n"_ba), u"tmpkeep"_s, false, true);
}

void TstIgnoreRules::isIgnored()
{
    QFETCH(IgnoreFiles, files);
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QFETCH(bool, expected);

    IgnoreRules rules;
    for (const IgnoreFile &file : files)
        rules.addPatterns(file.base, file.content);
    QCOMPARE(rules.isIgnored(path, isDir), expected);

    if (m_git.isEmpty())
        QSKIP("git is not available for the cross-check");
    const auto git = gitSays(files, path, isDir);
    QVERIFY2(git, "could not ask git check-ignore");
    QCOMPARE(*git, expected);
}

void TstIgnoreRules::emptyRules()
{
    IgnoreRules rules;
    QVERIFY(rules.isEmpty());
    rules.addPatterns(QString(), "# only a comment\n\n   \n"_ba);
    QVERIFY(rules.isEmpty());
    rules.addPatterns(u"sub"_s, "*.o\n"_ba);
    QVERIFY(!rules.isEmpty());
}

std::optional<bool> TstIgnoreRules::gitSays(const IgnoreFiles &files, const QString &path, bool isDir)
{
    QTemporaryDir repo;
    if (!repo.isValid())
        return std::nullopt;
    auto git = [&](const QStringList &args) {
        QProcess process;
        process.setWorkingDirectory(repo.path());
        process.start(m_git, args);
        if (!process.waitForFinished() || process.exitStatus() != QProcess::NormalExit)
            return -1;
        return process.exitCode();
    };
    if (git({u"init"_s, u"-q"_s}) != 0)
        return std::nullopt;
    for (const IgnoreFile &file : files) {
        const QString folder = file.base.isEmpty() ? repo.path() : repo.path() + u'/' + file.base;
        if (!writeFile(folder + u"/.gitignore", file.content))
            return std::nullopt;
    }
    // check-ignore looks at the real file to learn whether it is a folder.
    const QString full = repo.path() + u'/' + path;
    if (isDir ? !QDir().mkpath(full) : !writeFile(full, QByteArray()))
        return std::nullopt;
    const int code = git({u"check-ignore"_s, u"-q"_s, u"--no-index"_s, u"--"_s, path});
    if (code != 0 && code != 1)
        return std::nullopt;
    return code == 0;
}

QTEST_GUILESS_MAIN(TstIgnoreRules)
#include "tst_ignorerules.moc"
