// Restoring checkpoints: exact round trips, the user's repository untouched, and what a restore must never touch
// (ignored and uncaptured files, nested repositories, unchanged files' mtimes), cross-checked with the git CLI.

#include "checkpointtesting.h"

class TstCheckpointRestore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void userRepositoryUntouched();
    void monorepoSibling();
    void uncapturedSurviveRestore();
    void nestedRepositories();
    void restoreWritesOnlyDifferingFiles();
    void planRestore();

private:
    QTemporaryDir m_home;
};

void TstCheckpointRestore::initTestCase()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git command is needed to cross-check the store");
    QVERIFY(m_home.isValid());
    isolateGit(m_home.path());
}

void TstCheckpointRestore::roundTrip_data()
{
    QTest::addColumn<Action>("setup");
    QTest::addColumn<Action>("change");

    const Action base = [](const QString &root) {
        writeFile(root, u"a.txt"_s, "alpha\nbeta\n");
        writeFile(root, u"src/main.c"_s, "int main() { return 0; }\n");
        writeFile(root, u"src/util.c"_s, "void util() {}\n");
        writeFile(root, u"tool.sh"_s, "#!/bin/sh\necho hi\n");
    };
    const auto with = [base](const Action &more) {
        return Action([base, more](const QString &root) {
            base(root);
            more(root);
        });
    };
    const Action nothing = [](const QString &) {};

    QTest::newRow("modify") << base << Action([](const QString &root) { writeFile(root, u"a.txt"_s, "alpha\nBETA\n"); });
    QTest::newRow("modify, same size") << base << Action([](const QString &root) { writeFile(root, u"a.txt"_s, "alpha\nbetA\n"); });
    QTest::newRow("add") << base << Action([](const QString &root) { writeFile(root, u"b.txt"_s, "new\n"); });
    QTest::newRow("add in new folders")
        << base << Action([](const QString &root) { writeFile(root, u"new/deeper/x.txt"_s, "x\n"); });
    QTest::newRow("delete") << base << Action([](const QString &root) { removePath(root, u"src/util.c"_s); });
    QTest::newRow("delete a folder") << base << Action([](const QString &root) { removePath(root, u"src"_s); });
    QTest::newRow("rename") << base << Action([](const QString &root) {
        QFile::rename(root + u"/src/main.c"_s, root + u"/src/app.c"_s);
    });
    QTest::newRow("chmod +x") << base << Action([](const QString &root) { setExecutable(root, u"a.txt"_s, true); });
    QTest::newRow("chmod -x") << with([](const QString &root) { setExecutable(root, u"tool.sh"_s, true); })
                              << Action([](const QString &root) { setExecutable(root, u"tool.sh"_s, false); });
    QTest::newRow("symlink added") << base << Action([](const QString &root) { makeLink(root, u"src/main.c"_s, u"link"_s); });
    QTest::newRow("symlink retargeted")
        << with([](const QString &root) { makeLink(root, u"a.txt"_s, u"link"_s); })
        << Action([](const QString &root) {
               removePath(root, u"link"_s);
               makeLink(root, u"../nowhere"_s, u"link"_s);
           });
    QTest::newRow("file becomes symlink") << base << Action([](const QString &root) {
        removePath(root, u"a.txt"_s);
        makeLink(root, u"tool.sh"_s, u"a.txt"_s);
    });
    QTest::newRow("symlink becomes file") << with([](const QString &root) { makeLink(root, u"src"_s, u"dirlink"_s); })
                                          << Action([](const QString &root) {
                                                 removePath(root, u"dirlink"_s);
                                                 writeFile(root, u"dirlink"_s, "plain\n");
                                             });
    QByteArray binary;
    for (int i = 0; i < 5000; ++i)
        binary.append(char(i * 7 % 256));
    QTest::newRow("binary") << with([binary](const QString &root) { writeFile(root, u"data.bin"_s, binary); })
                            << Action([binary](const QString &root) {
                                   QByteArray changed = binary;
                                   changed[100] = '\0';
                                   changed.append("\xff\xfe", 2);
                                   writeFile(root, u"data.bin"_s, changed);
                               });
    QTest::newRow("unusual names")
        << with([](const QString &root) {
               writeFile(root, u"ünïcödé ☃.txt"_s, "snow\n");
               writeFile(root, u"日本/ファイル.txt"_s, "jp\n");
               writeFile(root, u"-dash %41 back\\slash"_s, "odd\n");
               writeFile(root, u"new\nline"_s, "nl\n");
               QDir().mkpath(root + u"/empty ☃ %0A"_s);
           })
        << Action([](const QString &root) {
               writeFile(root, u"ünïcödé ☃.txt"_s, "melted\n");
               removePath(root, u"日本/ファイル.txt"_s);
               writeFile(root, u"-dash %41 back\\slash"_s, "odder\n");
               removePath(root, u"new\nline"_s);
               removePath(root, u"empty ☃ %0A"_s);
               writeFile(root, u"ñ/é"_s, "new\n");
           });
    QTest::newRow("empty folder created") << base << Action([](const QString &root) { QDir().mkpath(root + u"/e/f"_s); });
    QTest::newRow("empty folders removed")
        << with([](const QString &root) {
               QDir().mkpath(root + u"/keep/empty"_s);
               QDir().mkpath(root + u"/solo"_s);
           })
        << Action([](const QString &root) {
               removePath(root, u"keep"_s);
               removePath(root, u"solo"_s);
           });
    QTest::newRow("folder emptied") << base << Action([](const QString &root) {
        removePath(root, u"src/main.c"_s);
        removePath(root, u"src/util.c"_s);
    });
    QTest::newRow("folder becomes file") << base << Action([](const QString &root) {
        removePath(root, u"src"_s);
        writeFile(root, u"src"_s, "now a file\n");
    });
    QTest::newRow("file becomes folder") << base << Action([](const QString &root) {
        removePath(root, u"a.txt"_s);
        writeFile(root, u"a.txt/inner"_s, "now a folder\n");
    });
    QTest::newRow("no change") << base << nothing;
    QTest::newRow("from an empty workspace") << nothing << base;
    QTest::newRow("to an empty workspace") << base << Action([](const QString &root) {
        for (const QString &name : QDir(root).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            removePath(root, name);
    });
}

void TstCheckpointRestore::roundTrip()
{
    QFETCH(Action, setup);
    QFETCH(Action, change);
    Fixture f;
    QVERIFY(f.init());
    setup(f.ws);
    const Checkpoint original = f.snap(u"original"_s, u"s1"_s);
    QVERIFY(!original.id.isEmpty());
    QVERIFY(!original.partial);
    const DiskState originalState = diskState(f.ws);

    change(f.ws);
    const DiskState changedState = diskState(f.ws);
    auto before = f.store->restore(original.id, u"s1"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(diskState(f.ws), originalState);
    QCOMPARE(before->label, u"before restoring "_s + original.id.left(7));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());

    // The store's latest checkpoint matches the disk: nothing left to restore.
    auto plan = f.store->planRestore(original.id);
    QVERIFY2(plan, why(plan));
    QVERIFY2(plan->isEmpty(), QTest::toString(*plan));

    // Restoring the checkpoint taken before the restore undoes it.
    auto undo = f.store->restore(before->id, u"s1"_s);
    QVERIFY2(undo, why(undo));
    QCOMPARE(diskState(f.ws), changedState);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointRestore::userRepositoryUntouched()
{
    Fixture f;
    QVERIFY(f.init());
    const QString &repo = f.ws;
    QCOMPARE(git(repo, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(repo, u".gitignore"_s, "*.log\nbuild/\n");
    writeFile(repo, u"tracked.txt"_s, "v1\n");
    writeFile(repo, u"staged.txt"_s, "v1\n");
    writeFile(repo, u"src/code.c"_s, "int x;\n");
    QCOMPARE(git(repo, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(repo, {u"commit"_s, u"-q"_s, u"-m"_s, u"first"_s}).exitCode, 0);
    // Staged, unstaged, untracked and ignored work, all at once.
    writeFile(repo, u"staged.txt"_s, "v2 staged\n");
    QCOMPARE(git(repo, {u"add"_s, u"staged.txt"_s}).exitCode, 0);
    writeFile(repo, u"staged.txt"_s, "v3 unstaged on top\n");
    writeFile(repo, u"tracked.txt"_s, "v2 unstaged\n");
    writeFile(repo, u"untracked.txt"_s, "new\n");
    writeFile(repo, u"debug.log"_s, "ignored\n");
    writeFile(repo, u"build/out.o"_s, "ignored\n");
    // Settle the index's stat data once, so that only we could change it from here on.
    git(repo, {u"status"_s});

    const DiskState gitDir = gitDirState(repo);
    const QByteArray status0 = status(repo);
    const Checkpoint first = f.snap(u"first"_s, u"s"_s);
    QVERIFY(!first.id.isEmpty());
    QCOMPARE(gitDirState(repo), gitDir);

    writeFile(repo, u"tracked.txt"_s, "v3 agent\n");
    removePath(repo, u"src/code.c"_s);
    writeFile(repo, u"agent.txt"_s, "agent\n");
    const QByteArray status1 = status(repo);
    QVERIFY(status1 != status0);
    QVERIFY(f.store->snapshot(options(u"second"_s, u"s"_s)));
    QCOMPARE(gitDirState(repo), gitDir);

    auto before = f.store->restore(first.id, u"s"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(gitDirState(repo), gitDir);
    QCOMPARE(status(repo), status0);
    QCOMPARE(readFile(repo, u"staged.txt"_s), "v3 unstaged on top\n");
    // git still sees the staged version in its index, untouched.
    QCOMPARE(git(repo, {u"show"_s, u":staged.txt"_s}).out, "v2 staged\n");

    auto undo = f.store->restore(before->id, u"s"_s);
    QVERIFY2(undo, why(undo));
    QCOMPARE(gitDirState(repo), gitDir);
    QCOMPARE(status(repo), status1);
    // The ignored files were never part of any of it.
    QCOMPARE(readFile(repo, u"debug.log"_s), "ignored\n");
    QVERIFY(!lsTree(f.store->path(), first.id).contains("debug.log"));
    QVERIFY(!lsTree(f.store->path(), first.id).contains("build/"));
    QVERIFY(!lsTree(f.store->path(), first.id).contains(".git/"));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointRestore::monorepoSibling()
{
    // The workspace is one folder of a larger repository: its sibling must never be touched.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString mono = dir.filePath(u"mono"_s);
    QVERIFY(QDir().mkpath(mono));
    QCOMPARE(git(mono, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(mono, u"app/main.c"_s, "app\n");
    writeFile(mono, u"lib/lib.c"_s, "lib\n");
    QCOMPARE(git(mono, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(mono, {u"commit"_s, u"-q"_s, u"-m"_s, u"m"_s}).exitCode, 0);
    auto opened = CheckpointStore::open(mono + u"/app"_s, dir.filePath(u"store"_s));
    QVERIFY(opened);
    CheckpointStore &store = **opened;
    auto first = store.snapshot(options(u"first"_s));
    QVERIFY(first);
    QCOMPARE(lsTree(store.path(), first->id).count('\n'), 1);
    writeFile(mono, u"app/new.c"_s, "new\n");
    writeFile(mono, u"lib/lib.c"_s, "changed by someone else\n");
    writeFile(mono, u"lib/other.c"_s, "other\n");
    const DiskState sibling = diskState(mono, u"lib"_s);
    const DiskState gitDir = gitDirState(mono);
    QVERIFY(store.restore(first->id));
    QCOMPARE(diskState(mono, u"lib"_s), sibling);
    QCOMPARE(gitDirState(mono), gitDir);
    QVERIFY(!QFileInfo::exists(mono + u"/app/new.c"_s));
}

void TstCheckpointRestore::uncapturedSurviveRestore()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u".gitignore"_s, "*.log\ncache/\n");
    writeFile(f.ws, u"code.c"_s, "v1\n");
    writeFile(f.ws, u"run.log"_s, "log v1\n");
    const Checkpoint first = f.snap(u"first"_s);

    // After the checkpoint: ignored files change and appear, a file grows over the cap, one is too large from the
    // start, and one has a name that is not UTF-8. None is captured, so none may be touched.
    writeFile(f.ws, u"code.c"_s, "v2\n");
    writeFile(f.ws, u"run.log"_s, "log v2\n");
    writeFile(f.ws, u"cache/blob"_s, "cached\n");
    writeFile(f.ws, u"big.dat"_s, QByteArray(2048, 'x'));
    const QByteArray badName = QFile::encodeName(f.ws) + "/bad\xff\xfename.txt";
    const int fd = ::open(badName.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, "raw\n", 4), ssize_t(4));
    ::close(fd);

    SnapshotOptions small = options(u"small cap"_s);
    small.maxFileBytes = 1024;
    auto capped = f.store->snapshot(small); // sets the cap restores use
    QVERIFY(capped);
    QVERIFY(capped->partial);
    QVERIFY2(capped->skipped.contains(u"big.dat (2 KB, over the 1 KB cap)"_s), qPrintable(capped->skipped.join(u"; ")));
    QVERIFY2(capped->skipped.join(u'\n').contains(u"not valid UTF-8"_s), qPrintable(capped->skipped.join(u"; ")));

    const DiskState uncaptured = [&] {
        DiskState all = diskState(f.ws);
        all.remove(u"code.c"_s);
        return all;
    }();
    auto before = f.store->restore(first.id);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"code.c"_s), "v1\n");
    DiskState after = diskState(f.ws);
    after.remove(u"code.c"_s);
    QCOMPARE(after, uncaptured);

    // A checkpoint that held a file the cap now excludes does not overwrite it: that could not be undone.
    writeFile(f.ws, u"grows.txt"_s, "small\n");
    const Checkpoint withSmall = f.snap(u"with small"_s);
    writeFile(f.ws, u"grows.txt"_s, QByteArray(4096, 'g'));
    QVERIFY(f.store->snapshot(small));
    auto plan = f.store->planRestore(withSmall.id);
    QVERIFY(plan);
    QVERIFY2(plan->leftAlone.contains(u"grows.txt"_s), QTest::toString(*plan));
    QVERIFY(f.store->restore(withSmall.id));
    QCOMPARE(readFile(f.ws, u"grows.txt"_s), QByteArray(4096, 'g'));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    ::unlink(badName.constData()); // QTemporaryDir cannot remove a name that is not UTF-8
}

void TstCheckpointRestore::nestedRepositories()
{
    Fixture f;
    QVERIFY(f.init());
    const QString nested = f.ws + u"/vendor/lib"_s;
    QVERIFY(QDir().mkpath(nested));
    QCOMPARE(git(nested, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(nested, u"lib.c"_s, "lib v1\n");
    QCOMPARE(git(nested, {u"add"_s, u"-A"_s}).exitCode, 0);
    QCOMPARE(git(nested, {u"commit"_s, u"-q"_s, u"-m"_s, u"one"_s}).exitCode, 0);
    const QByteArray head1 = git(nested, {u"rev-parse"_s, u"HEAD"_s}).out.trimmed();
    writeFile(nested, u"wip.c"_s, "uncommitted\n");
    QVERIFY(QDir().mkpath(f.ws + u"/fresh"_s));
    QCOMPARE(git(f.ws + u"/fresh"_s, {u"init"_s, u"-q"_s}).exitCode, 0); // no commit yet
    writeFile(f.ws, u"fresh/file"_s, "x\n");
    writeFile(f.ws, u"top.c"_s, "top v1\n");

    const Checkpoint first = f.snap(u"first"_s);
    QCOMPARE(first.nestedRepositories, (QStringList{u"fresh"_s, u"vendor/lib"_s}));
    // Recorded as a gitlink to its HEAD; the one without a commit is not in the tree at all.
    QCOMPARE(lsTree(f.store->path(), first.id),
             "100644 blob " + git(f.ws, {u"hash-object"_s, u"top.c"_s}).out.trimmed() + "\ttop.c\n"
                 + "160000 commit " + head1 + "\tvendor/lib\n");

    // The agent works inside the nested repository, commits there, and edits the top level.
    writeFile(nested, u"lib.c"_s, "lib v2\n");
    writeFile(nested, u"wip.c"_s, "changed\n");
    QCOMPARE(git(nested, {u"commit"_s, u"-q"_s, u"-am"_s, u"two"_s}).exitCode, 0);
    writeFile(f.ws, u"fresh/file"_s, "y\n");
    writeFile(f.ws, u"top.c"_s, "top v2\n");
    const DiskState nestedState = diskState(f.ws, u"vendor/lib"_s);
    const DiskState freshState = diskState(f.ws, u"fresh"_s);

    auto plan = f.store->planRestore(first.id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList{u"top.c"_s});
    QCOMPARE(plan->leftAlone, QStringList{u"vendor/lib"_s});
    auto before = f.store->restore(first.id);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"top.c"_s), "top v1\n");
    QCOMPARE(diskState(f.ws, u"vendor/lib"_s), nestedState);
    QCOMPARE(diskState(f.ws, u"fresh"_s), freshState);
    QVERIFY(QFileInfo(nested + u"/.git"_s).isDir()); // never renamed

    // A folder that becomes a repository later: its files leave the snapshot, and a restore leaves them alone.
    writeFile(f.ws, u"later/a.txt"_s, "a\n");
    const Checkpoint withFolder = f.snap(u"folder"_s);
    QCOMPARE(git(f.ws + u"/later"_s, {u"init"_s, u"-q"_s}).exitCode, 0);
    writeFile(f.ws, u"later/a.txt"_s, "changed in the repository\n");
    const DiskState laterState = diskState(f.ws, u"later"_s);
    QVERIFY(f.store->restore(withFolder.id));
    QCOMPARE(diskState(f.ws, u"later"_s), laterState);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointRestore::restoreWritesOnlyDifferingFiles()
{
    Fixture f;
    QVERIFY(f.init());
    const QStringList files{u"a.txt"_s, u"b.txt"_s, u"dir/c.txt"_s, u"dir/d.txt"_s};
    for (const QString &file : files)
        writeFile(f.ws, file, file.toUtf8() + '\n');
    makeLink(f.ws, u"a.txt"_s, u"link"_s);
    for (const QString &file : files + QStringList{u"link"_s})
        QVERIFY(setOldMtime(f.ws, file));
    const Checkpoint checkpoint = f.snap(u"c"_s);
    QMap<QString, qint64> mtimes;
    QMap<QString, quint64> inodes;
    for (const QString &file : files + QStringList{u"link"_s}) {
        mtimes.insert(file, mtimeNs(f.ws, file));
        inodes.insert(file, inodeOf(f.ws, file));
    }
    QCOMPARE(mtimes.value(u"a.txt"_s), qint64(1'000'000'000) * 1'000'000'000 + 123);

    writeFile(f.ws, u"dir/c.txt"_s, "changed\n");
    writeFile(f.ws, u"e.txt"_s, "new\n");
    auto plan = f.store->planRestore(checkpoint.id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList{u"dir/c.txt"_s});
    QCOMPARE(plan->remove, QStringList{u"e.txt"_s});
    QVERIFY(f.store->restore(checkpoint.id));
    QCOMPARE(readFile(f.ws, u"dir/c.txt"_s), "dir/c.txt\n");
    QVERIFY(!QFileInfo::exists(f.ws + u"/e.txt"_s));
    for (const QString &file : {u"a.txt"_s, u"b.txt"_s, u"dir/d.txt"_s, u"link"_s}) {
        QCOMPARE(mtimeNs(f.ws, file), mtimes.value(file));
        QCOMPARE(inodeOf(f.ws, file), inodes.value(file));
    }
    QVERIFY(inodeOf(f.ws, u"dir/c.txt"_s) != inodes.value(u"dir/c.txt"_s)); // replaced by a rename
}

void TstCheckpointRestore::planRestore()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"keep.txt"_s, "keep\n");
    writeFile(f.ws, u"edit.txt"_s, "v1\n");
    writeFile(f.ws, u"gone.txt"_s, "gone\n");
    QDir().mkpath(f.ws + u"/hollow"_s);
    const Checkpoint target = f.snap(u"target"_s);

    writeFile(f.ws, u"edit.txt"_s, "v2\n");
    removePath(f.ws, u"gone.txt"_s);
    writeFile(f.ws, u"added.txt"_s, "added\n");
    removePath(f.ws, u"hollow"_s);
    QDir().mkpath(f.ws + u"/fresh-empty"_s);
    const Checkpoint latest = f.snap(u"latest"_s);
    // Work after the latest checkpoint: not captured by any checkpoint yet.
    writeFile(f.ws, u"edit.txt"_s, "v3 uncaptured\n");
    writeFile(f.ws, u"later.txt"_s, "later\n");

    auto plan = f.store->planRestore(target.id.left(10));
    QVERIFY2(plan, why(plan));
    RestorePlan expected;
    expected.target = target.id;
    expected.write = {u"edit.txt"_s};
    expected.create = {u"gone.txt"_s, u"hollow/"_s};
    expected.remove = {u"added.txt"_s, u"fresh-empty/"_s, u"later.txt"_s};
    expected.editedSince = {u"edit.txt"_s, u"later.txt"_s};
    QCOMPARE(*plan, expected);
    // Planning changes nothing on disk and takes no checkpoint.
    QCOMPARE(readFile(f.ws, u"edit.txt"_s), "v3 uncaptured\n");
    QCOMPARE(f.store->list()->front(), latest);
}

QTEST_GUILESS_MAIN(TstCheckpointRestore)
#include "tst_checkpointrestore.moc"
