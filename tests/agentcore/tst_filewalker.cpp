#include "workspace/filewalker.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace reins::workspace;
using namespace Qt::StringLiterals;

namespace reins::workspace {

// Lets QCOMPARE print an entry that differs.
char *toString(const WalkEntry &entry)
{
    const QString text = u"%1 dir=%2 link=%3 hidden=%4 size=%5 depth=%6 nested=%7 mode=%8"_s.arg(entry.path)
                             .arg(entry.isDir)
                             .arg(entry.isSymlink)
                             .arg(entry.hidden)
                             .arg(entry.size)
                             .arg(entry.depth)
                             .arg(entry.isNestedRepository)
                             .arg(entry.mode, 0, 8);
    return qstrdup(text.toUtf8().constData());
}

} // namespace reins::workspace

namespace {

/// A file to create: a path ending in '/' is a folder.
struct TreeFile
{
    QString path;
    QByteArray content;
};
using Tree = QList<TreeFile>;

bool makeTree(const QString &root, const Tree &tree)
{
    for (const TreeFile &file : tree) {
        const QString full = root + u'/' + file.path;
        if (file.path.endsWith(u'/')) {
            if (!QDir().mkpath(full))
                return false;
            continue;
        }
        QDir().mkpath(QFileInfo(full).path());
        QFile out(full);
        if (!out.open(QIODevice::WriteOnly) || out.write(file.content) != file.content.size())
            return false;
    }
    return true;
}

bool makeLink(const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) == 0;
}

QList<WalkEntry> entries(const QString &root, const WalkOptions &options = {})
{
    QList<WalkEntry> result;
    walk(root, options, [&](const WalkEntry &entry) {
        result.append(entry);
        return true;
    });
    return result;
}

/// The walk as paths, folders with a trailing '/', nested repositories marked.
QStringList listing(const QString &root, const WalkOptions &options = {})
{
    QStringList result;
    for (const WalkEntry &entry : entries(root, options))
        result.append(entry.isNestedRepository ? entry.path + u"/ (repository)"_s
                      : entry.isDir            ? entry.path + u'/'
                                               : entry.path);
    return result;
}

} // namespace

Q_DECLARE_METATYPE(Tree)

class TstFileWalker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void walk_data();
    void walk();
    void entryFields();
    void symlinksAreListedNotFollowed();
    void globalExcludes();
    void excludeOfLinkedGitDirs();
    void earlyStop();
    void matchesGit();
    void nestedRepositories_data();
    void nestedRepositories();
    void statFields_data();
    void statFields();

private:
    QTemporaryDir m_home; ///< HOME and XDG_CONFIG_HOME point here unless a test says otherwise: no global excludes
};

void TstFileWalker::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qputenv("GIT_CONFIG_GLOBAL", "/dev/null");
}

void TstFileWalker::init()
{
    qputenv("HOME", QFile::encodeName(m_home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + u"/config"));
}

void TstFileWalker::walk_data()
{
    QTest::addColumn<Tree>("tree");
    QTest::addColumn<QString>("start");
    QTest::addColumn<int>("maxDepth");
    QTest::addColumn<bool>("includeIgnored");
    QTest::addColumn<QStringList>("expected");

    const Tree plain{{u"b/x"_s, {}}, {u"b/A"_s, {}}, {u"a"_s, {}}, {u"B"_s, {}}, {u"c.txt"_s, {}},
                     {u"a.txt"_s, {}}, {u"b.c"_s, {}}, {u"empty/"_s, {}}};
    QTest::newRow("byte order, contents right after their folder")
        << plain << QString() << -1 << false
        << QStringList{u"B"_s, u"a"_s, u"a.txt"_s, u"b/"_s, u"b/A"_s, u"b/x"_s, u"b.c"_s, u"c.txt"_s, u"empty/"_s};
    QTest::newRow("maxDepth 1") << plain << QString() << 1 << false
                                << QStringList{u"B"_s, u"a"_s, u"a.txt"_s, u"b/"_s, u"b.c"_s, u"c.txt"_s, u"empty/"_s};
    QTest::newRow("maxDepth 0 lists nothing") << plain << QString() << 0 << false << QStringList();

    const Tree deep{{u"a/b/c/d"_s, {}}, {u"x"_s, {}}};
    QTest::newRow("maxDepth 2") << deep << QString() << 2 << false << QStringList{u"a/"_s, u"a/b/"_s, u"x"_s};
    QTest::newRow("maxDepth counts from the start") << deep << u"a"_s << 2 << false
                                                    << QStringList{u"a/b/"_s, u"a/b/c/"_s};

    const Tree nested{{u".gitignore"_s, "*.log\n"_ba},
                      {u"a.log"_s, {}},
                      {u"a.tmp"_s, {}},
                      {u"sub/.gitignore"_s, "!keep.log\n*.tmp\n"_ba},
                      {u"sub/keep.log"_s, {}},
                      {u"sub/drop.log"_s, {}},
                      {u"sub/a.tmp"_s, {}},
                      {u"sub/deep/b.tmp"_s, {}},
                      {u"other/a.tmp"_s, {}}};
    QTest::newRow("nested ignore files")
        << nested << QString() << -1 << false
        << QStringList{u".gitignore"_s, u"a.tmp"_s, u"other/"_s, u"other/a.tmp"_s, u"sub/"_s, u"sub/.gitignore"_s,
                       u"sub/deep/"_s, u"sub/keep.log"_s};
    QTest::newRow("includeIgnored lists everything")
        << nested << QString() << -1 << true
        << QStringList{u".gitignore"_s, u"a.log"_s, u"a.tmp"_s, u"other/"_s, u"other/a.tmp"_s, u"sub/"_s,
                       u"sub/.gitignore"_s, u"sub/a.tmp"_s, u"sub/deep/"_s, u"sub/deep/b.tmp"_s, u"sub/drop.log"_s,
                       u"sub/keep.log"_s};

    const Tree buildDir{{u".gitignore"_s, "build/\n!build/keep.txt\n"_ba},
                        {u"build/keep.txt"_s, {}},
                        {u"build/x.o"_s, {}},
                        {u"main.c"_s, {}}};
    QTest::newRow("no re-include inside an ignored folder")
        << buildDir << QString() << -1 << false << QStringList{u".gitignore"_s, u"main.c"_s};
    QTest::newRow("start inside an ignored folder lists nothing") << buildDir << u"build"_s << -1 << false
                                                                  << QStringList();
    QTest::newRow("start inside an ignored folder, includeIgnored")
        << buildDir << u"build"_s << -1 << true << QStringList{u"build/keep.txt"_s, u"build/x.o"_s};
    const Tree buildContents{{u".gitignore"_s, "/build/*\n!/build/keep.txt\n"_ba},
                             {u"build/keep.txt"_s, {}},
                             {u"build/x.o"_s, {}}};
    QTest::newRow("re-include after ignoring a folder's contents")
        << buildContents << QString() << -1 << false
        << QStringList{u".gitignore"_s, u"build/"_s, u"build/keep.txt"_s};

    const Tree gitDirs{{u".git/HEAD"_s, "ref: refs/heads/main\n"_ba},
                       {u".git/info/exclude"_s, "secret*\n/only-top\n"_ba},
                       {u"secret.txt"_s, {}},
                       {u"only-top"_s, {}},
                       {u"public.txt"_s, {}},
                       {u"sub/.git"_s, "gitdir: ../.git/modules/sub\n"_ba},
                       {u"sub/secret.txt"_s, {}},
                       {u"sub/only-top"_s, {}},
                       {u"sub/a"_s, {}}};
    QTest::newRow(".git never listed, info/exclude applies")
        << gitDirs << QString() << -1 << false
        << QStringList{u"public.txt"_s, u"sub/"_s, u"sub/a"_s, u"sub/only-top"_s};
    QTest::newRow(".git not listed with includeIgnored")
        << gitDirs << QString() << -1 << true
        << QStringList{u"only-top"_s, u"public.txt"_s, u"secret.txt"_s, u"sub/"_s, u"sub/a"_s, u"sub/only-top"_s,
                       u"sub/secret.txt"_s};
    QTest::newRow("start at .git lists nothing") << gitDirs << u".git"_s << -1 << true << QStringList();
    QTest::newRow("start at .git/info lists nothing") << gitDirs << u".git/info"_s << -1 << true << QStringList();

    const Tree below{{u".gitignore"_s, "*.o\n/top.txt\nsrc/gen/\n"_ba},
                     {u"top.txt"_s, {}},
                     {u"src/a.o"_s, {}},
                     {u"src/b.c"_s, {}},
                     {u"src/top.txt"_s, {}},
                     {u"src/gen/x.c"_s, {}},
                     {u"src/lib/.gitignore"_s, "/skip\n"_ba},
                     {u"src/lib/skip"_s, {}},
                     {u"src/lib/keep"_s, {}},
                     {u"src/lib/x/skip"_s, {}}};
    QTest::newRow("start below the root, root rules apply")
        << below << u"src"_s << -1 << false
        << QStringList{u"src/b.c"_s, u"src/lib/"_s, u"src/lib/.gitignore"_s, u"src/lib/keep"_s, u"src/lib/x/"_s,
                       u"src/lib/x/skip"_s, u"src/top.txt"_s};
    QTest::newRow("start two levels down, rules of each level")
        << below << u"src/lib"_s << -1 << false
        << QStringList{u"src/lib/.gitignore"_s, u"src/lib/keep"_s, u"src/lib/x/"_s, u"src/lib/x/skip"_s};
    QTest::newRow("start spelled with ./ and a trailing slash")
        << below << u"./src/lib/"_s << 1 << false
        << QStringList{u"src/lib/.gitignore"_s, u"src/lib/keep"_s, u"src/lib/x/"_s};
    QTest::newRow("start ignored by the root .gitignore") << below << u"src/gen"_s << -1 << false << QStringList();
    QTest::newRow("start missing") << below << u"nope"_s << -1 << false << QStringList();
    QTest::newRow("start is a file") << below << u"top.txt"_s << -1 << true << QStringList();
    QTest::newRow("start outside the root") << below << u"src/../.."_s << -1 << true << QStringList();

    const Tree selfIgnoring{{u".gitignore"_s, ".gitignore\n*.tmp\n"_ba}, {u"a.tmp"_s, {}}, {u"b"_s, {}}};
    QTest::newRow("an ignored .gitignore still applies") << selfIgnoring << QString() << -1 << false
                                                         << QStringList{u"b"_s};
    const Tree dirOnly{{u".gitignore"_s, "logs/\n"_ba}, {u"logs"_s, {}}, {u"x/logs/y"_s, {}}};
    QTest::newRow("a folder pattern leaves a file of that name")
        << dirOnly << QString() << -1 << false << QStringList{u".gitignore"_s, u"logs"_s, u"x/"_s};
}

void TstFileWalker::walk()
{
    QFETCH(Tree, tree);
    QFETCH(QString, start);
    QFETCH(int, maxDepth);
    QFETCH(bool, includeIgnored);
    QFETCH(QStringList, expected);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(makeTree(root.path(), tree));
    QCOMPARE(listing(root.path(), {start, maxDepth, includeIgnored}), expected);
}

void TstFileWalker::entryFields()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(makeTree(root.path(), {{u"a.txt"_s, "hello"_ba},
                                   {u".hidden/in.txt"_s, "xy"_ba},
                                   {u"dir/.dot"_s, {}},
                                   {u"dir/sub/f"_s, "1234"_ba}}));
    const QList<WalkEntry> expected{
        {u".hidden"_s, true, false, true, 0, 1},     {u".hidden/in.txt"_s, false, false, true, 2, 2},
        {u"a.txt"_s, false, false, false, 5, 1},     {u"dir"_s, true, false, false, 0, 1},
        {u"dir/.dot"_s, false, false, true, 0, 2},   {u"dir/sub"_s, true, false, false, 0, 2},
        {u"dir/sub/f"_s, false, false, false, 4, 3},
    };
    QCOMPARE(entries(root.path()), expected);

    // Below a hidden start, everything is hidden: the start's own components count.
    const QList<WalkEntry> belowHidden{{u".hidden/in.txt"_s, false, false, true, 2, 1}};
    QCOMPARE(entries(root.path(), {u".hidden"_s}), belowHidden);
}

void TstFileWalker::symlinksAreListedNotFollowed()
{
    QTemporaryDir outside;
    QTemporaryDir root;
    QVERIFY(outside.isValid() && root.isValid());
    QVERIFY(makeTree(outside.path(), {{u"secret/file"_s, "s"_ba}, {u"patterns"_s, "*.x\n"_ba}}));
    QVERIFY(makeTree(root.path(), {{u"real/file"_s, "abc"_ba}, {u"g/a.x"_s, {}}}));
    QVERIFY(makeLink(outside.path(), root.path() + u"/linkdir"));
    QVERIFY(makeLink(u"real/file"_s, root.path() + u"/linkfile"));
    QVERIFY(makeLink(u"nowhere"_s, root.path() + u"/broken"));
    // Git does not follow a .gitignore that is a link, so neither do we.
    QVERIFY(makeLink(outside.path() + u"/patterns", root.path() + u"/g/.gitignore"));

    const auto outsideSize = qint64(QFile::encodeName(outside.path()).size());
    const QList<WalkEntry> expected{
        {u"broken"_s, false, true, false, 7, 1},
        {u"g"_s, true, false, false, 0, 1},
        {u"g/.gitignore"_s, false, true, true, outsideSize + 9, 2},
        {u"g/a.x"_s, false, false, false, 0, 2},
        {u"linkdir"_s, false, true, false, outsideSize, 1},
        {u"linkfile"_s, false, true, false, 9, 1},
        {u"real"_s, true, false, false, 0, 1},
        {u"real/file"_s, false, false, false, 3, 2},
    };
    QCOMPARE(entries(root.path()), expected);
    QCOMPARE(listing(root.path(), {u"linkdir"_s}), QStringList());
    QCOMPARE(listing(root.path(), {u"linkdir"_s, -1, true}), QStringList());
}

void TstFileWalker::globalExcludes()
{
    QTemporaryDir root;
    QTemporaryDir config;
    QVERIFY(root.isValid() && config.isValid());
    QVERIFY(makeTree(root.path(), {{u".git/info/exclude"_s, "!keep.bak\n"_ba},
                                   {u"a.bak"_s, {}},
                                   {u"a.txt"_s, {}},
                                   {u"keep.bak"_s, {}},
                                   {u"sub/b.bak"_s, {}}}));
    QVERIFY(makeTree(config.path(),
                     {{u"xdg/git/ignore"_s, "*.bak\n"_ba}, {u"home/.config/git/ignore"_s, "*.txt\n"_ba}}));
    const QStringList withoutGlobal{u"a.bak"_s, u"a.txt"_s, u"keep.bak"_s, u"sub/"_s, u"sub/b.bak"_s};
    QCOMPARE(listing(root.path()), withoutGlobal);

    // info/exclude outranks the global file, so its negation wins.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(config.path() + u"/xdg"));
    QCOMPARE(listing(root.path()), (QStringList{u"a.txt"_s, u"keep.bak"_s, u"sub/"_s}));
    QCOMPARE(rootRules(root.path()).isIgnored(u"x.bak"_s, false), true);

    // Without XDG_CONFIG_HOME (or with it empty) git reads ~/.config/git/ignore.
    qputenv("XDG_CONFIG_HOME", QByteArray());
    qputenv("HOME", QFile::encodeName(config.path() + u"/home"));
    QCOMPARE(listing(root.path()), (QStringList{u"a.bak"_s, u"keep.bak"_s, u"sub/"_s, u"sub/b.bak"_s}));
    qunsetenv("XDG_CONFIG_HOME");
    QCOMPARE(listing(root.path()), (QStringList{u"a.bak"_s, u"keep.bak"_s, u"sub/"_s, u"sub/b.bak"_s}));
}

void TstFileWalker::excludeOfLinkedGitDirs()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A linked worktree (as `git worktree add` lays it out) and a submodule: their .git is a file naming the git dir.
    const QByteArray worktreeGitDir = QFile::encodeName(dir.path()) + "/main/.git/worktrees/wt";
    QVERIFY(makeTree(dir.path(), {{u"main/.git/info/exclude"_s, "wt-ignored\n"_ba},
                                  {u"main/.git/worktrees/wt/commondir"_s, "../..\n"_ba},
                                  {u"wt/.git"_s, "gitdir: " + worktreeGitDir + "\n"},
                                  {u"wt/wt-ignored"_s, {}},
                                  {u"wt/kept"_s, {}},
                                  {u"main/.git/modules/sub/info/exclude"_s, "sub-ignored\n"_ba},
                                  {u"main/sub/.git"_s, "gitdir: ../.git/modules/sub\n"_ba},
                                  {u"main/sub/sub-ignored"_s, {}},
                                  {u"main/sub/kept"_s, {}}}));
    QCOMPARE(listing(dir.path() + u"/wt"), QStringList{u"kept"_s});
    QCOMPARE(listing(dir.path() + u"/main/sub"), QStringList{u"kept"_s});
}

void TstFileWalker::earlyStop()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(makeTree(root.path(), {{u"a/b/c/d"_s, {}}, {u"a/b/e"_s, {}}, {u"a/f"_s, {}}, {u"z"_s, {}}}));
    const QStringList all = listing(root.path());
    QCOMPARE(all.size(), 7);
    // Stopping at any entry, even deep inside a folder, ends the whole walk there.
    for (qsizetype stopAt = 1; stopAt <= all.size(); ++stopAt) {
        QStringList seen;
        reins::workspace::walk(root.path(), {}, [&](const WalkEntry &entry) {
            seen.append(entry.isDir ? entry.path + u'/' : entry.path);
            return seen.size() < stopAt;
        });
        QCOMPARE(seen, all.first(stopAt));
    }
}

void TstFileWalker::matchesGit()
{
    const QString git = QStandardPaths::findExecutable(u"git"_s);
    if (git.isEmpty())
        QSKIP("git is not available");
    QTemporaryDir root;
    QTemporaryDir config;
    QVERIFY(root.isValid() && config.isValid());
    auto run = [&](const QStringList &args) {
        QProcess process;
        process.setWorkingDirectory(root.path());
        process.start(git, args);
        process.waitForFinished();
        return process.exitCode() == 0 ? process.readAllStandardOutput() : QByteArray();
    };
    run({u"init"_s, u"-q"_s});
    QVERIFY(QFileInfo(root.path() + u"/.git").isDir());

    const QByteArray patterns = "*.o\n!keep.o\n/build/\ndoc/frotz/\n**/cache\nabc/**\na/**/b\n*.[ab]\n\\#hash\n"
                                "\\!bang\nspace\\ \ntrail   \n/only/*\n!/only/yes\n"_ba;
    QVERIFY(makeTree(root.path(),
                     {{u".gitignore"_s, patterns},       {u".git/info/exclude"_s, "excluded\n"_ba},
                      {u"x.o"_s, {}},                    {u"keep.o"_s, {}},
                      {u"build/x"_s, {}},                {u"src/build/x"_s, {}},
                      {u"doc/frotz/x"_s, {}},            {u"src/doc/frotz/x"_s, {}},
                      {u"cache"_s, {}},                  {u"deep/cache/x"_s, {}},
                      {u"abc/x/y"_s, {}},                {u"a/b"_s, {}},
                      {u"a/x/b"_s, {}},                  {u"a/xb"_s, {}},
                      {u"lib.a"_s, {}},                  {u"lib.c"_s, {}},
                      {u"#hash"_s, {}},                  {u"!bang"_s, {}},
                      {u"space "_s, {}},                 {u"space"_s, {}},
                      {u"trail"_s, {}},                  {u"only/yes"_s, {}},
                      {u"only/no"_s, {}},                {u"sub/.gitignore"_s, "!*.o\n*.c\n/anch\n"_ba},
                      {u"sub/x.o"_s, {}},                {u"sub/y.c"_s, {}},
                      {u"sub/deeper/z.c"_s, {}},         {u"sub/anch"_s, {}},
                      {u"sub/deeper/anch"_s, {}},        {u"other/y.c"_s, {}},
                      {u"excluded"_s, {}},               {u"sub/excluded"_s, {}},
                      {u"a.global"_s, {}},               {u"Ünïcode/ä.txt"_s, {}}}));
    QVERIFY(makeLink(u"src"_s, root.path() + u"/link"));
    QVERIFY(makeTree(config.path(), {{u"git/ignore"_s, "*.global\n"_ba}}));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(config.path()));

    QStringList gitFiles;
    const QByteArray out = run({u"ls-files"_s, u"-z"_s, u"--others"_s, u"--exclude-standard"_s});
    for (const QByteArray &name : out.split('\0'))
        if (!name.isEmpty())
            gitFiles.append(QFile::decodeName(name));
    QVERIFY(!gitFiles.isEmpty());

    QStringList ours;
    for (const WalkEntry &entry : entries(root.path()))
        if (!entry.isDir)
            ours.append(entry.path);
    gitFiles.sort();
    ours.sort();
    QCOMPARE(ours, gitFiles);
}

void TstFileWalker::nestedRepositories_data()
{
    QTest::addColumn<Tree>("tree");
    QTest::addColumn<QString>("start");
    QTest::addColumn<bool>("stop");
    QTest::addColumn<QStringList>("expected");

    // A repository of its own (a .git folder), a submodule or worktree (a .git file), and a folder whose .git is
    // a dangling link: all three count.
    const Tree tree{{u".git/HEAD"_s, "ref: refs/heads/main\n"_ba},
                    {u"a.txt"_s, {}},
                    {u"sub/.git/HEAD"_s, "ref: refs/heads/main\n"_ba},
                    {u"sub/inside.txt"_s, {}},
                    {u"lib/inner/.git"_s, "gitdir: ../../.git/modules/inner\n"_ba},
                    {u"lib/inner/y"_s, {}},
                    {u"lib/z"_s, {}}};
    QTest::newRow("nested repositories reported, not entered")
        << tree << QString() << true
        << QStringList{u"a.txt"_s, u"lib/"_s, u"lib/inner/ (repository)"_s, u"lib/z"_s, u"sub/ (repository)"_s};
    QTest::newRow("without the option they are entered")
        << tree << QString() << false
        << QStringList{u"a.txt"_s, u"lib/"_s, u"lib/inner/"_s, u"lib/inner/y"_s, u"lib/z"_s, u"sub/"_s,
                       u"sub/inside.txt"_s};
    QTest::newRow("start at a nested repository lists nothing") << tree << u"sub"_s << true << QStringList();
    QTest::newRow("start below a nested repository lists nothing") << tree << u"lib/inner"_s << true << QStringList();
    QTest::newRow("start above one reports it") << tree << u"lib"_s << true
                                                << QStringList{u"lib/inner/ (repository)"_s, u"lib/z"_s};

    Tree ignored = tree;
    ignored.append({u".gitignore"_s, "sub/\n"_ba});
    QTest::newRow("an ignored nested repository is not reported")
        << ignored << QString() << true
        << QStringList{u".gitignore"_s, u"a.txt"_s, u"lib/"_s, u"lib/inner/ (repository)"_s, u"lib/z"_s};
}

void TstFileWalker::nestedRepositories()
{
    QFETCH(Tree, tree);
    QFETCH(QString, start);
    QFETCH(bool, stop);
    QFETCH(QStringList, expected);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(makeTree(root.path(), tree));
    WalkOptions options;
    options.start = start;
    options.stopAtNestedRepositories = stop;
    QCOMPARE(listing(root.path(), options), expected);
}

void TstFileWalker::statFields_data()
{
    QTest::addColumn<int>("extraFiles");
    // A folder of 128 entries or more is stat'ed on two threads before it is visited.
    QTest::newRow("small folder") << 0;
    QTest::newRow("large folder") << 300;
}

void TstFileWalker::statFields()
{
    QFETCH(int, extraFiles);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    Tree tree{{u"f"_s, "hello"_ba}, {u"d/g"_s, {}}, {u".gitignore"_s, "*.log\n"_ba}};
    for (int i = 0; i < extraFiles; ++i)
        tree.append({u"n%1%2"_s.arg(i).arg(i % 10 == 0 ? u".log"_s : QString()), QByteArray(i, 'x')});
    QVERIFY(makeTree(root.path(), tree));
    QVERIFY(QFile::setPermissions(root.filePath(u"f"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    QVERIFY(makeLink(u"f"_s, root.path() + u"/l"));
    WalkOptions options;
    options.withStat = true;
    QHash<QString, WalkEntry> byPath;
    for (const WalkEntry &entry : entries(root.path(), options))
        byPath.insert(entry.path, entry);
    // f, d, d/g, l, .gitignore, and the extra files that are not ignored.
    QCOMPARE(byPath.size(), 5 + extraFiles - (extraFiles + 9) / 10);
    for (int i = 0; i < extraFiles; ++i) {
        if (i % 10 == 0) {
            QVERIFY(!byPath.contains(u"n%1.log"_s.arg(i)));
            continue;
        }
        const WalkEntry extra = byPath.value(u"n%1"_s.arg(i));
        struct stat st{};
        QCOMPARE(::lstat(QFile::encodeName(root.filePath(extra.path)).constData(), &st), 0);
        QCOMPARE(extra.size, qint64(i));
        QCOMPARE(extra.inode, quint64(st.st_ino));
        QCOMPARE(extra.mtimeNs, qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec);
    }
    const QFileInfo info(root.filePath(u"f"_s));
    const WalkEntry f = byPath.value(u"f"_s);
    QCOMPARE(f.mtimeNs / 1000000, info.lastModified().toMSecsSinceEpoch());
    QVERIFY(f.ctimeNs > 0);
    QVERIFY(f.inode > 0);
    QCOMPARE(f.mode, quint32(S_IFREG | 0700));
    QCOMPARE(byPath.value(u"l"_s).mode & S_IFMT, quint32(S_IFLNK));
    // Folders carry no stat data, and without the option nothing does.
    QCOMPARE(byPath.value(u"d"_s).mode, 0u);
    QCOMPARE(entries(root.path()).first().mode, 0u);
}

QTEST_GUILESS_MAIN(TstFileWalker)
#include "tst_filewalker.moc"
