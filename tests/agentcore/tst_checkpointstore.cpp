// The checkpoint store: where it lives, snapshots, the stat cache and changed paths, ids, diffs and pruning,
// cross-checked with the git CLI.

#include "checkpointtesting.h"

class TstCheckpointStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeLocation();
    void listAndChain();
    void findIds();
    void bigFile();
    void statCache();
    void manyNewFilesGoIntoAPack_data();
    void manyNewFilesGoIntoAPack();
    void changedPathsMatchFullScan();
    void partialOnTimeBudget();
    void diffValues();
    void diffToWorkingTree();
    void prune();

private:
    QTemporaryDir m_home;
};

void TstCheckpointStore::initTestCase()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git command is needed to cross-check the store");
    QVERIFY(m_home.isValid());
    isolateGit(m_home.path());
}

void TstCheckpointStore::storeLocation()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ws = dir.filePath(u"ws"_s);
    QVERIFY(writeFile(ws, u"a.txt"_s, "a\n"));
    const DiskState before = diskState(ws);

    auto opened = CheckpointStore::open(ws, dir.filePath(u"store"_s));
    QVERIFY2(opened, why(opened));
    CheckpointStore &store = **opened;
    const QByteArray digest = QCryptographicHash::hash(QFileInfo(ws).canonicalFilePath().toUtf8(),
                                                       QCryptographicHash::Sha256)
                                  .toHex()
                                  .left(16);
    QCOMPARE(store.path(), QFileInfo(dir.filePath(u"store"_s)).canonicalFilePath() + u'/' + QString::fromLatin1(digest) + u".git"_s);
    QCOMPARE(store.workspace(), QFileInfo(ws).canonicalFilePath());
    QCOMPARE(readFile(store.path(), u"reins-workspace"_s), QFileInfo(ws).canonicalFilePath().toUtf8() + '\n');
    QCOMPARE(git(store.path(), {u"--git-dir="_s + store.path(), u"rev-parse"_s, u"--is-bare-repository"_s}).out, "true\n");
    QVERIFY(store.snapshot(options(u"first"_s)));
    // Nothing was created inside the workspace.
    QCOMPARE(diskState(ws), before);
    QCOMPARE(fsckProblems(store.path()), QByteArray());

    // The default place is under the XDG data folder.
    auto defaultStore = CheckpointStore::open(ws);
    QVERIFY2(defaultStore, why(defaultStore));
    QVERIFY((*defaultStore)->path().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/reins/checkpoints/"_s));
    QDir((*defaultStore)->path()).removeRecursively();

    // A store inside the workspace is refused, and so is a workspace that is not a folder.
    auto inside = CheckpointStore::open(ws, ws + u"/.reins"_s);
    QVERIFY(!inside);
    QVERIFY2(inside.error().message.contains(u"inside the workspace"_s), qPrintable(inside.error().message));
    QVERIFY(!CheckpointStore::open(dir.filePath(u"missing"_s), dir.filePath(u"store"_s)));

    // The same workspace reopens the same store, with its checkpoints.
    auto again = CheckpointStore::open(ws, dir.filePath(u"store"_s));
    QVERIFY(again);
    QCOMPARE((*again)->path(), store.path());
    QCOMPARE((*again)->list()->size(), size_t(1));
}

void TstCheckpointStore::listAndChain()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a"_s, "1\n");
    writeFile(f.ws, u"b"_s, "1\n");
    // A few milliseconds apart: list() orders by time.
    const Checkpoint first = f.snap(u"turn t1 started"_s, u"t"_s);
    QTest::qWait(3);
    writeFile(f.ws, u"a"_s, "2\n");
    const Checkpoint second = f.snap(u"after edit_file a"_s, u"t"_s);
    QTest::qWait(3);
    const Checkpoint manual = f.snap(u"by hand"_s);
    QTest::qWait(3);
    writeFile(f.ws, u"c"_s, "3\n");
    removePath(f.ws, u"b"_s);
    const Checkpoint third = f.snap(u"multi\nline label"_s, u"t"_s);

    QCOMPARE(first.parentId, QString());
    QCOMPARE(first.filesChanged, 2);
    QCOMPARE(second.parentId, first.id);
    QCOMPARE(second.filesChanged, 1);
    QCOMPARE(manual.parentId, QString()); // the manual session is a chain of its own
    QCOMPARE(manual.session, QString());
    QCOMPARE(third.parentId, second.id);
    QCOMPARE(third.filesChanged, 2); // b deleted, c added
    QCOMPARE(third.label, u"multi\nline label"_s);
    QCOMPARE(third.session, u"t"_s);
    QCOMPARE(third.id.size(), 40);

    auto all = f.store->list();
    QVERIFY(all);
    QCOMPARE(*all, (std::vector<Checkpoint>{third, manual, second, first}));
    auto session = f.store->list(u"t"_s);
    QVERIFY(session);
    QCOMPARE(*session, (std::vector<Checkpoint>{third, second, first}));
    QCOMPARE(f.store->list(u"nobody"_s)->size(), size_t(0));

    // Session names that are no ref names still work.
    const Checkpoint odd = f.snap(u"odd"_s, u"a session/with ..spaces~^:"_s);
    QVERIFY(!odd.id.isEmpty());
    QCOMPARE(f.store->list(u"a session/with ..spaces~^:"_s)->size(), size_t(1));
    QCOMPARE(f.store->find(odd.id)->session, u"a session/with ..spaces~^:"_s);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::findIds()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a"_s, "a\n");
    // Enough checkpoints for two to share their first four hex digits.
    QHash<QString, QString> byPrefix;
    QString shared;
    for (int i = 0; i < 4000 && shared.isEmpty(); ++i) {
        const Checkpoint checkpoint = f.snap(u"n%1"_s.arg(i), u"s"_s);
        QVERIFY(!checkpoint.id.isEmpty());
        const QString prefix = checkpoint.id.left(4);
        if (byPrefix.contains(prefix))
            shared = prefix;
        byPrefix.insert(prefix, checkpoint.id);
    }
    QVERIFY(!shared.isEmpty());
    const QString id = byPrefix.value(shared);

    QCOMPARE(f.store->find(id)->id, id);
    QCOMPARE(f.store->find(id.left(12))->id, id);
    QCOMPARE(f.store->find(id.left(12).toUpper())->id, id);

    auto ambiguous = f.store->find(shared);
    QVERIFY(!ambiguous);
    QVERIFY2(ambiguous.error().message.contains(u"ambiguous"_s), qPrintable(ambiguous.error().message));
    QVERIFY2(ambiguous.error().message.contains(id.left(6)), qPrintable(ambiguous.error().message));

    QString unknownId = u"0000000000"_s;
    while (byPrefix.contains(unknownId.left(4)))
        unknownId = QString::number(unknownId.toLongLong(nullptr, 16) + 0x1000000, 16).rightJustified(10, u'0');
    auto unknown = f.store->find(unknownId);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.contains(u"no checkpoint"_s), qPrintable(unknown.error().message));

    for (const QString &bad : {u"abc"_s, u"xyz123"_s, QString(), u"0123456789012345678901234567890123456789a"_s}) {
        auto invalid = f.store->find(bad);
        QVERIFY(!invalid);
        QVERIFY2(invalid.error().message.contains(u"hexadecimal"_s), qPrintable(invalid.error().message));
    }
    // An unknown id restores nothing and takes no checkpoint.
    const size_t count = f.store->list()->size();
    QVERIFY(!f.store->restore(unknownId));
    QCOMPARE(f.store->list()->size(), count);
}

void TstCheckpointStore::bigFile()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"small.txt"_s, "small\n");
    {
        QFile big(f.ws + u"/media/big.bin"_s);
        QDir().mkpath(f.ws + u"/media"_s);
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(50 * 1024 * 1024 + 512 * 1024)); // sparse: 50.5 MB
    }
    const Checkpoint checkpoint = f.snap(u"with a big file"_s);
    QVERIFY(!checkpoint.id.isEmpty());
    QVERIFY(checkpoint.partial);
    QCOMPARE(checkpoint.skipped, QStringList{u"media/big.bin (50.5 MB, over the 10 MB cap)"_s});
    QCOMPARE(lsTree(f.store->path(), checkpoint.id).count('\n'), 1);
    QVERIFY(f.store->sizeOnDisk() < 1024 * 1024);
    QCOMPARE(f.store->find(checkpoint.id.left(8))->skipped, checkpoint.skipped);

    writeFile(f.ws, u"small.txt"_s, "changed\n");
    QVERIFY(f.store->restore(checkpoint.id));
    QCOMPARE(readFile(f.ws, u"small.txt"_s), "small\n");
    QCOMPARE(QFileInfo(f.ws + u"/media/big.bin"_s).size(), qint64(50 * 1024 * 1024 + 512 * 1024));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::statCache()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"same-size.txt"_s, "before\n");
    writeFile(f.ws, u"plain.txt"_s, "plain\n");
    QVERIFY(setOldMtime(f.ws, u"same-size.txt"_s));
    const qint64 oldMtime = mtimeNs(f.ws, u"same-size.txt"_s);
    // Past the racy window (100 ms with nanosecond timestamps), the index trusts the stat data it records.
    QTest::qWait(300);
    const Checkpoint first = f.snap(u"first"_s);

    // Same size, same mtime (set back), same inode: only the ctime tells. Git's own limit is a change that keeps
    // all of them, which user space cannot make since it cannot set the ctime.
    writeFile(f.ws, u"same-size.txt"_s, "after!\n");
    QVERIFY(setOldMtime(f.ws, u"same-size.txt"_s));
    QCOMPARE(mtimeNs(f.ws, u"same-size.txt"_s), oldMtime);
    const Checkpoint second = f.snap(u"second"_s);
    QCOMPARE(second.filesChanged, 1);
    auto diff = f.store->diff(first.id, second.id);
    QVERIFY(diff);
    QCOMPARE(diff->size(), size_t(1));
    QCOMPARE(diff->front().newPath, u"same-size.txt"_s);

    // The index is a git index: git itself can read it.
    QProcess lsFiles;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"GIT_INDEX_FILE"_s, f.store->path() + u"/reins-index"_s);
    lsFiles.setProcessEnvironment(environment);
    lsFiles.start(u"git"_s, {u"--git-dir="_s + f.store->path(), u"ls-files"_s, u"-s"_s});
    QVERIFY(lsFiles.waitForFinished());
    QCOMPARE(lsFiles.readAllStandardOutput(),
             "100644 " + git(f.ws, {u"hash-object"_s, u"plain.txt"_s}).out.trimmed() + " 0\tplain.txt\n100644 "
                 + git(f.ws, {u"hash-object"_s, u"same-size.txt"_s}).out.trimmed() + " 0\tsame-size.txt\n");
}

void TstCheckpointStore::manyNewFilesGoIntoAPack_data()
{
    QTest::addColumn<int>("files");
    QTest::addColumn<bool>("packed");
    // The writer keeps up to 64 new objects loose; past that (or past 4 MB) they go into one pack. Two of the files
    // share their bytes: `files` files make files - 1 objects.
    QTest::newRow("a few edits stay loose") << 10 << false;
    QTest::newRow("at the limit") << 65 << false;
    QTest::newRow("past the limit") << 66 << true;
    QTest::newRow("a first snapshot") << 700 << true;
}

void TstCheckpointStore::manyNewFilesGoIntoAPack()
{
    QFETCH(int, files);
    QFETCH(bool, packed);
    Fixture f;
    QVERIFY(f.init());
    // Text, binary bytes, an empty file and two files with the same bytes (one object, stored once).
    for (int i = 0; i < files - 3; ++i) {
        QByteArray bytes = "file " + QByteArray::number(i) + '\n';
        if (i % 7 == 0)
            for (int b = 0; b < 300; ++b)
                bytes.append(char((b * 31 + i) & 0xff));
        QVERIFY(writeFile(f.ws, u"d%1/f%2.bin"_s.arg(i % 13).arg(i), bytes));
    }
    QVERIFY(writeFile(f.ws, u"empty"_s, QByteArray()));
    QVERIFY(writeFile(f.ws, u"same-1"_s, "same bytes\n"));
    QVERIFY(writeFile(f.ws, u"same-2"_s, "same bytes\n"));
    const DiskState before = diskState(f.ws);
    const Checkpoint first = f.snap(u"first"_s);

    QDir packs(f.store->path() + u"/objects/pack"_s);
    QCOMPARE(packs.entryList({u"*.pack"_s}, QDir::Files).size(), packed ? 1 : 0);
    QCOMPARE(packs.entryList({u"*.idx"_s}, QDir::Files).size(), packed ? 1 : 0);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    // Every file's blob is the one git computes for it.
    const QByteArray listed = lsTree(f.store->path(), first.id);
    QCOMPARE(listed.count('\n'), qsizetype(files));
    for (const QByteArray &line : listed.split('\n')) {
        if (line.isEmpty())
            continue;
        const QString path = QString::fromUtf8(line.mid(line.indexOf('\t') + 1));
        const QByteArray id = line.split(' ').at(2).split('\t').at(0);
        QCOMPARE(id, git(f.ws, {u"hash-object"_s, path}).out.trimmed());
    }

    // The objects read back: everything deleted, then restored byte for byte.
    for (const QString &name : QDir(f.ws).entryList(QDir::AllEntries | QDir::NoDotAndDotDot))
        QVERIFY(removePath(f.ws, name));
    f.snap(u"emptied"_s);
    QVERIFY2(f.store->restore(first.id), "restore failed");
    QCOMPARE(diskState(f.ws), before);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::changedPathsMatchFullScan()
{
    // Two stores of the same workspace: one told what changed, one scanning everything. Their trees, empty folders
    // and nested repositories must agree after each step.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ws = dir.filePath(u"ws"_s);
    writeFile(ws, u".gitignore"_s, "*.o\n");
    writeFile(ws, u"a.txt"_s, "a\n");
    writeFile(ws, u"src/x.c"_s, "x\n");
    writeFile(ws, u"src/y.c"_s, "y\n");
    writeFile(ws, u"docs/readme"_s, "r\n");
    QCOMPARE(git(dir.path(), {u"init"_s, u"-q"_s, u"--bare"_s, dir.filePath(u"shadow"_s)}).exitCode, 0);
    auto toldStore = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    auto fullStore = CheckpointStore::open(ws, dir.filePath(u"full"_s));
    QVERIFY(toldStore && fullStore);
    CheckpointStore &told = **toldStore;
    CheckpointStore &full = **fullStore;
    QVERIFY(told.snapshot(options(u"start"_s)));

    struct Step
    {
        const char *name;
        Action change;
        QStringList paths;
    };
    const std::vector<Step> steps{
        {"modify", [](const QString &r) { writeFile(r, u"a.txt"_s, "A\n"); }, {u"a.txt"_s}},
        {"add in a new folder", [](const QString &r) { writeFile(r, u"new/deep/n.txt"_s, "n\n"); }, {u"new/deep/n.txt"_s}},
        {"delete, folder left empty", [](const QString &r) { removePath(r, u"docs/readme"_s); }, {u"docs/readme"_s}},
        {"fill the empty folder", [](const QString &r) { writeFile(r, u"docs/guide"_s, "g\n"); }, {u"./docs/guide"_s}},
        {"remove a folder", [](const QString &r) { removePath(r, u"src"_s); }, {u"src"_s}},
        {"ignored file", [](const QString &r) { writeFile(r, u"new/x.o"_s, "obj\n"); }, {u"new/x.o"_s}},
        {"empty folder made", [](const QString &r) { QDir().mkpath(r + u"/made/here"_s); }, {u"made/here"_s}},
        {"absolute path, chmod", [](const QString &r) { setExecutable(r, u"a.txt"_s, true); }, {ws + u"/a.txt"_s}},
        {"nested repository appears",
         [](const QString &r) {
             writeFile(r, u"sub/f"_s, "f\n");
             git(r + u"/sub"_s, {u"init"_s, u"-q"_s});
             git(r + u"/sub"_s, {u"add"_s, u"f"_s});
             git(r + u"/sub"_s, {u"commit"_s, u"-q"_s, u"-m"_s, u"c"_s});
         },
         {u"sub/f"_s, u"sub/.git/HEAD"_s}},
        {"commit inside it",
         [](const QString &r) {
             writeFile(r, u"sub/f"_s, "g\n");
             git(r + u"/sub"_s, {u"commit"_s, u"-q"_s, u"-am"_s, u"d"_s});
         },
         {u"sub/f"_s}},
        {"ignore rules change", [](const QString &r) { writeFile(r, u".gitignore"_s, "*.o\n*.txt\n"); }, {u".gitignore"_s}},
        {"a file replaces a folder",
         [](const QString &r) {
             removePath(r, u"new"_s);
             writeFile(r, u"new"_s, "file now\n");
         },
         {u"new"_s}},
    };
    for (const Step &step : steps) {
        step.change(ws);
        SnapshotOptions toldOptions = options(QString::fromLatin1(step.name));
        toldOptions.changedPaths = step.paths;
        auto byPaths = told.snapshot(toldOptions);
        auto byScan = full.snapshot(options(QString::fromLatin1(step.name)));
        QVERIFY2(byPaths && byScan, step.name);
        QVERIFY2(treeOf(told.path(), byPaths->id) == treeOf(full.path(), byScan->id), step.name);
        // And both are the tree git itself makes of the folder, from an empty index (git keeps tracked files that
        // become ignored; nothing is tracked for a checkpoint).
        const QStringList shadow{u"--git-dir="_s + dir.filePath(u"shadow"_s), u"--work-tree="_s + ws};
        QFile::remove(dir.filePath(u"shadow/index"_s));
        QCOMPARE(git(ws, shadow + QStringList{u"add"_s, u"-A"_s}).exitCode, 0);
        QVERIFY2(git(ws, shadow + QStringList{u"write-tree"_s}).out.trimmed() == treeOf(full.path(), byScan->id),
                 step.name);
        QVERIFY2(!treeOf(told.path(), byPaths->id).isEmpty(), step.name);
        QCOMPARE(trailers(told.path(), byPaths->id, u"Reins-Empty-Folder"_s),
                 trailers(full.path(), byScan->id, u"Reins-Empty-Folder"_s));
        QCOMPARE(byPaths->nestedRepositories, byScan->nestedRepositories);
        QCOMPARE(byPaths->partial, byScan->partial);
    }
    QCOMPARE(trailers(full.path(), full.list()->front().id, u"Reins-Empty-Folder"_s),
             QStringList{u"made/here"_s}); // docs holds only an ignored file now
    // A lost index (the state file beside it no longer matches it): the next snapshot scans everything.
    QVERIFY(QFile::remove(told.path() + u"/reins-index"_s));
    auto reopened = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(reopened);
    writeFile(ws, u"late.md"_s, "late\n");
    SnapshotOptions onlyOne = options(u"after losing the index"_s);
    onlyOne.changedPaths = QStringList{u"late.md"_s};
    auto afterLoss = (*reopened)->snapshot(onlyOne);
    auto scanned = full.snapshot(options(u"scan"_s));
    QVERIFY(afterLoss && scanned);
    QCOMPARE(treeOf(told.path(), afterLoss->id), treeOf(full.path(), scanned->id));

    // Snapshots told what changed leave the index file behind and list those paths instead; a store opened afresh
    // looks at them again. Here the index file still holds a file deleted since, and a file replacing a folder
    // makes the snapshot build its tree from the index.
    auto first = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(first);
    writeFile(ws, u"ghost.md"_s, "ghost\n");
    writeFile(ws, u"dir/inner.md"_s, "inner\n");
    QVERIFY((*first)->snapshot(options(u"full"_s)));
    removePath(ws, u"ghost.md"_s);
    SnapshotOptions ghostGone = options(u"ghost gone"_s);
    ghostGone.changedPaths = QStringList{u"ghost.md"_s};
    QVERIFY((*first)->snapshot(ghostGone));
    first->reset();
    auto second = CheckpointStore::open(ws, dir.filePath(u"told"_s));
    QVERIFY(second);
    removePath(ws, u"dir"_s);
    writeFile(ws, u"dir"_s, "a file now\n");
    SnapshotOptions dirReplaced = options(u"dir replaced"_s);
    dirReplaced.changedPaths = QStringList{u"dir"_s};
    auto afterRestart = (*second)->snapshot(dirReplaced);
    auto scannedAgain = full.snapshot(options(u"scan"_s));
    QVERIFY(afterRestart && scannedAgain);
    QCOMPARE(treeOf(told.path(), afterRestart->id), treeOf(full.path(), scannedAgain->id));

    // A path outside the workspace is refused.
    SnapshotOptions outside = options(u"outside"_s);
    outside.changedPaths = QStringList{u"../elsewhere"_s};
    QVERIFY(!told.snapshot(outside));
    QCOMPARE(fsckProblems(told.path()), QByteArray());
}

void TstCheckpointStore::partialOnTimeBudget()
{
    Fixture f;
    QVERIFY(f.init());
    for (int i = 0; i < 300; ++i)
        writeFile(f.ws, u"d%1/f%2.txt"_s.arg(i / 50).arg(i), QByteArray::number(i) + '\n');

    SnapshotOptions hurried = options(u"hurried"_s);
    hurried.timeBudgetMs = 0;
    auto none = f.store->snapshot(hurried);
    QVERIFY(none);
    QVERIFY(none->partial);
    QCOMPARE(none->skipped.size(), 21);
    QCOMPARE(none->skipped.first(), u"d0/f0.txt (not read within the 0 ms time budget: left out)"_s);
    QCOMPARE(none->skipped.last(), u"… and 280 more files not read within the 0 ms time budget"_s);
    QCOMPARE(lsTree(f.store->path(), none->id), QByteArray());

    const Checkpoint complete = f.snap(u"complete"_s);
    QVERIFY(!complete.partial);
    QCOMPARE(lsTree(f.store->path(), complete.id).count('\n'), 300);

    // Every file changes; with no time, the checkpoint keeps the contents it had and says so.
    for (int i = 0; i < 300; ++i)
        writeFile(f.ws, u"d%1/f%2.txt"_s.arg(i / 50).arg(i), "changed " + QByteArray::number(i) + '\n');
    auto stale = f.store->snapshot(hurried);
    QVERIFY(stale);
    QVERIFY(stale->partial);
    QCOMPARE(stale->skipped.first(), u"d0/f0.txt (not read within the 0 ms time budget: as in the previous checkpoint)"_s);
    QCOMPARE(treeOf(f.store->path(), stale->id), treeOf(f.store->path(), complete.id));
    QCOMPARE(stale->filesChanged, 0);

    // Restoring a partial checkpoint touches none of the files it did not capture.
    writeFile(f.ws, u"extra.txt"_s, "extra\n");
    auto plan = f.store->planRestore(stale->id);
    QVERIFY(plan);
    QCOMPARE(plan->write, QStringList());
    QCOMPARE(plan->leftAlone.size(), 300);
    QCOMPARE(plan->remove, QStringList{u"extra.txt"_s});
    QVERIFY(f.store->restore(stale->id));
    QCOMPARE(readFile(f.ws, u"d0/f0.txt"_s), "changed 0\n");
    QVERIFY(!QFileInfo::exists(f.ws + u"/extra.txt"_s));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
}

void TstCheckpointStore::diffValues()
{
    Fixture f;
    QVERIFY(f.init());
    const QByteArray lines = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
    writeFile(f.ws, u"old.txt"_s, lines);
    writeFile(f.ws, u"run.sh"_s, "#!/bin/sh\n");
    writeFile(f.ws, u"data.bin"_s, QByteArray("\0\1\2\3", 4));
    writeFile(f.ws, u"tail.txt"_s, "a\nb");
    const Checkpoint from = f.snap(u"from"_s);

    removePath(f.ws, u"old.txt"_s);
    writeFile(f.ws, u"new.txt"_s, QByteArray(lines).replace("five", "FIVE"));
    setExecutable(f.ws, u"run.sh"_s, true);
    writeFile(f.ws, u"data.bin"_s, QByteArray("\0\1\2\4", 4));
    writeFile(f.ws, u"added.txt"_s, "hello\r\n");
    writeFile(f.ws, u"tail.txt"_s, "a\nc");
    const Checkpoint to = f.snap(u"to"_s);

    auto diff = f.store->diff(from.id, to.id);
    QVERIFY2(diff, why(diff));

    FileDiff added;
    added.status = FileDiff::Status::Added;
    added.newPath = u"added.txt"_s;
    added.newMode = 0100644;
    added.additions = 1;
    added.hunks = {{0, 0, 1, 1, QString(), {{'+', u"hello"_s, -1, 1}}}};

    FileDiff binary;
    binary.status = FileDiff::Status::Modified;
    binary.oldPath = binary.newPath = u"data.bin"_s;
    binary.oldMode = binary.newMode = 0100644;
    binary.binary = true;

    FileDiff renamed;
    renamed.status = FileDiff::Status::Renamed;
    renamed.oldPath = u"old.txt"_s;
    renamed.newPath = u"new.txt"_s;
    renamed.oldMode = renamed.newMode = 0100644;
    renamed.similarity = 90;
    renamed.additions = 1;
    renamed.deletions = 1;
    renamed.hunks = {{2, 7, 2, 7, u"one"_s, // git's default: the nearest line before the hunk starting with a letter
                      {{' ', u"two"_s, 2, 2},
                       {' ', u"three"_s, 3, 3},
                       {' ', u"four"_s, 4, 4},
                       {'-', u"five"_s, 5, -1},
                       {'+', u"FIVE"_s, -1, 5},
                       {' ', u"six"_s, 6, 6},
                       {' ', u"seven"_s, 7, 7},
                       {' ', u"eight"_s, 8, 8}}}};

    FileDiff modeChange;
    modeChange.status = FileDiff::Status::Modified;
    modeChange.oldPath = modeChange.newPath = u"run.sh"_s;
    modeChange.oldMode = 0100644;
    modeChange.newMode = 0100755;

    FileDiff tail;
    tail.status = FileDiff::Status::Modified;
    tail.oldPath = tail.newPath = u"tail.txt"_s;
    tail.oldMode = tail.newMode = 0100644;
    tail.additions = 1;
    tail.deletions = 1;
    tail.hunks = {{1, 2, 1, 2, QString(),
                   {{' ', u"a"_s, 1, 1}, {'-', u"b"_s, 2, -1, true}, {'+', u"c"_s, -1, 2, true}}}};

    const std::vector<FileDiff> expected{added, binary, renamed, modeChange, tail};
    QCOMPARE(diff->size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE((*diff)[i], expected[i]);
    QVERIFY(modeChange.modeChanged());

    QVERIFY(!f.store->diff(u"nothex"_s));
    QVERIFY(!f.store->diff(QString(), to.id));
}

void TstCheckpointStore::diffToWorkingTree()
{
    Fixture f;
    QVERIFY(f.init());
    writeFile(f.ws, u"a.txt"_s, "a\n");
    const Checkpoint checkpoint = f.snap(u"c"_s);
    writeFile(f.ws, u"a.txt"_s, "b\n");
    writeFile(f.ws, u"new.txt"_s, "n\n");
    auto diff = f.store->diff(checkpoint.id);
    QVERIFY2(diff, why(diff));
    QCOMPARE(diff->size(), size_t(2));
    QCOMPARE((*diff)[0].newPath, u"a.txt"_s);
    QCOMPARE((*diff)[0].status, FileDiff::Status::Modified);
    QCOMPARE((*diff)[1].newPath, u"new.txt"_s);
    QCOMPARE((*diff)[1].status, FileDiff::Status::Added);
    // No checkpoint was taken, and the next one still sees both changes against its parent.
    QCOMPARE(f.store->list()->size(), size_t(1));
    QCOMPARE(f.snap(u"next"_s).filesChanged, 2);
}

void TstCheckpointStore::prune()
{
    Fixture f;
    QVERIFY(f.init());
    // A nested repository: its gitlink is in every tree, and packing must not look for its commit in the store.
    QVERIFY(QDir().mkpath(f.ws + u"/nested"_s));
    QCOMPARE(git(f.ws + u"/nested"_s, {u"init"_s, u"-q"_s}).exitCode, 0);
    QCOMPARE(git(f.ws + u"/nested"_s, {u"commit"_s, u"-q"_s, u"--allow-empty"_s, u"-m"_s, u"n"_s}).exitCode, 0);
    QMap<QString, std::vector<Checkpoint>> sessions;
    for (const QString &session : {u"old"_s, u"middle"_s, u"new"_s}) {
        for (int i = 0; i < 3; ++i) {
            // Incompressible content, so that dropping a session frees a measurable amount.
            QByteArray noise(64 * 1024, Qt::Uninitialized);
            QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
            writeFile(f.ws, u"file.txt"_s, (session + QString::number(i)).toUtf8().repeated(2000));
            writeFile(f.ws, u"work.bin"_s, noise); // the old versions are only in the old checkpoints
            sessions[session].push_back(f.snap(u"step %1"_s.arg(i), session));
        }
        QTest::qWait(5); // distinct times per session
    }
    const qint64 sizeBefore = f.store->sizeOnDisk();
    auto freed = f.store->prune(2);
    QVERIFY2(freed, why(freed));
    const qint64 sizeAfter = f.store->sizeOnDisk();
    QVERIFY(*freed > 0);
    QCOMPARE(*freed, sizeBefore - sizeAfter);
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    QCOMPARE(f.store->list(u"old"_s)->size(), size_t(0));
    QCOMPARE(f.store->list()->size(), size_t(6));
    QVERIFY(!f.store->find(sessions[u"old"_s].front().id));
    // One pack, no loose objects.
    QCOMPARE(QDir(f.store->path() + u"/objects/pack"_s).entryList({u"*.pack"_s}).size(), 1);
    QCOMPARE(QDir(f.store->path() + u"/objects"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             (QStringList{u"info"_s, u"pack"_s}));

    // The store keeps working: a restore of a kept checkpoint, a snapshot reusing the index's entries.
    auto before = f.store->restore(sessions[u"middle"_s][1].id, u"new"_s);
    QVERIFY2(before, why(before));
    QCOMPARE(readFile(f.ws, u"file.txt"_s), u"middle1"_s.toUtf8().repeated(2000));

    // Pruning everything: what the index refers to must survive, since the next snapshot reuses it unread. Files
    // are trusted by their stat data only once they are older than the racy window (100 ms here).
    QTest::qWait(300);
    QVERIFY(f.store->snapshot(options(u"settled"_s, u"new"_s)));
    QVERIFY(f.store->prune(0));
    QCOMPARE(f.store->list()->size(), size_t(0));
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    const Checkpoint after = f.snap(u"after pruning"_s);
    QVERIFY(!after.id.isEmpty());
    QCOMPARE(fsckProblems(f.store->path()), QByteArray());
    writeFile(f.ws, u"file.txt"_s, "x\n");
    QVERIFY(f.store->restore(after.id));
    QCOMPARE(readFile(f.ws, u"file.txt"_s), u"middle1"_s.toUtf8().repeated(2000));
    QVERIFY(!f.store->prune(-1));
}

QTEST_GUILESS_MAIN(TstCheckpointStore)
#include "tst_checkpointstore.moc"
