// Where reviews come from besides a proposal: two checkpoints, a session's chain with authorship, and a git
// working tree against its HEAD, on real stores and real repositories, cross-checked with the git CLI.

#include "checkpointtesting.h"

#include "review/reviewsources.h"

using namespace reins::review;

using Bytes = std::optional<QByteArray>;

Q_DECLARE_METATYPE(Bytes)
Q_DECLARE_METATYPE(reins::checkpoint::FileDiff::Status)

namespace reins::review {

inline const char *authorName(Author author)
{
    switch (author) {
    case Author::Agent:
        return "Agent";
    case Author::Person:
        return "Person";
    case Author::Unknown:
        break;
    }
    return "Unknown";
}

// Lets QCOMPARE print authors that differ.
inline char *toString(Author author)
{
    return qstrdup(authorName(author));
}

} // namespace reins::review

namespace {

QByteArray shown(const Bytes &bytes)
{
    return bytes ? "bytes:" + *bytes : QByteArray("<nullopt>");
}

QByteArray numbered(int count, const QByteArray &text)
{
    QByteArray all;
    for (int i = 1; i <= count; ++i)
        all += "line " + QByteArray::number(i) + ' ' + text + '\n';
    return all;
}

/// Bytes git and libgit2 both call binary: NULs throughout.
QByteArray binaryBytes(int size, char seed)
{
    QByteArray bytes(size, '\0');
    for (int i = 0; i < size; ++i)
        bytes[i] = (i % 3 == 0) ? '\0' : char(seed + i % 97);
    return bytes;
}

char statusLetter(FileDiff::Status status)
{
    switch (status) {
    case FileDiff::Status::Added:
        return 'A';
    case FileDiff::Status::Modified:
        return 'M';
    case FileDiff::Status::Deleted:
        return 'D';
    case FileDiff::Status::Renamed:
        return 'R';
    case FileDiff::Status::Copied:
        return 'C';
    case FileDiff::Status::TypeChange:
        return 'T';
    }
    return '?';
}

QString keyOf(const FileDiff &diff)
{
    return diff.newPath.isEmpty() ? diff.oldPath : diff.newPath;
}

/// The review's files as `git diff --name-status` prints them: "M keep.txt", "R old -> new", sorted.
QStringList nameStatus(const ChangeReview &review)
{
    QStringList lines;
    for (const ReviewFile &file : review.files()) {
        const FileDiff &diff = file.diff;
        const QChar letter = QChar::fromLatin1(statusLetter(diff.status));
        lines.append(diff.status == FileDiff::Status::Renamed || diff.status == FileDiff::Status::Copied
                         ? u"%1 %2 -> %3"_s.arg(letter, diff.oldPath, diff.newPath)
                         : u"%1 %2"_s.arg(letter, keyOf(diff)));
    }
    lines.sort();
    return lines;
}

/// The review's line counts as `git diff --numstat` has them: "keep.txt +2 -1", "image.bin binary", sorted.
QStringList numstat(const ChangeReview &review)
{
    QStringList lines;
    for (const ReviewFile &file : review.files())
        lines.append(file.diff.binary ? keyOf(file.diff) + u" binary"_s
                                      : u"%1 +%2 -%3"_s.arg(keyOf(file.diff)).arg(file.diff.additions).arg(file.diff.deletions));
    lines.sort();
    return lines;
}

/// `git diff -z --name-status` output in nameStatus()'s form.
QStringList cliNameStatus(const QByteArray &output)
{
    QStringList lines;
    const QList<QByteArray> fields = output.split('\0');
    for (qsizetype i = 0; i + 1 < fields.size();) {
        const QByteArray status = fields[i];
        if (status.isEmpty())
            break;
        if (status.startsWith('R') || status.startsWith('C')) {
            lines.append(u"%1 %2 -> %3"_s.arg(QChar::fromLatin1(status[0]), QString::fromUtf8(fields[i + 1]),
                                              QString::fromUtf8(fields[i + 2])));
            i += 3;
        } else {
            lines.append(u"%1 %2"_s.arg(QChar::fromLatin1(status[0]), QString::fromUtf8(fields[i + 1])));
            i += 2;
        }
    }
    lines.sort();
    return lines;
}

/// `git diff -z --numstat` output in numstat()'s form.
QStringList cliNumstat(const QByteArray &output)
{
    QStringList lines;
    const QList<QByteArray> fields = output.split('\0');
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (fields[i].isEmpty())
            continue;
        const QList<QByteArray> counts = fields[i].split('\t');
        if (counts.size() < 3)
            continue;
        QString path = QString::fromUtf8(counts[2]);
        if (counts[2].isEmpty() && i + 2 < fields.size()) { // a rename: "a\td\t\0old\0new"
            path = QString::fromUtf8(fields[i + 2]);
            i += 2;
        }
        lines.append(counts[0] == "-" ? path + u" binary"_s
                                      : u"%1 +%2 -%3"_s.arg(path, QString::fromLatin1(counts[0]), QString::fromLatin1(counts[1])));
    }
    lines.sort();
    return lines;
}

const ReviewFile *fileAt(const ChangeReview &review, const QString &path, int *index = nullptr)
{
    for (size_t i = 0; i < review.files().size(); ++i) {
        if (keyOf(review.files()[i].diff) == path) {
            if (index)
                *index = int(i);
            return &review.files()[i];
        }
    }
    return nullptr;
}

QByteArray gitCommit(const QString &repository)
{
    const GitResult added = git(repository, {u"add"_s, u"-A"_s});
    const GitResult committed = git(repository, {u"-c"_s, u"user.name=Test"_s, u"-c"_s, u"user.email=test@example.com"_s,
                                                 u"commit"_s, u"-q"_s, u"-m"_s, u"initial"_s});
    return added.exitCode == 0 && committed.exitCode == 0 ? QByteArray() : added.err + committed.err;
}

bool copyFolder(const QString &from, const QString &to)
{
    QProcess process;
    process.start(u"cp"_s, {u"-a"_s, from, to});
    return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// The checkpoint workspace's two versions.
const QByteArray keepBefore = "line 1\nline 2\nline 3\n";
const QByteArray keepAfter = "line 1\nline two\nline 3\nline 4"; // no newline at the end
const QByteArray goneBytes = "soon gone\n";
const QByteArray freshBytes = "fresh\r\nbytes\r\n";
const QByteArray movedBefore = numbered(20, "of a document that moves");
QByteArray movedAfter()
{
    QByteArray text = movedBefore;
    return text.replace("line 5 of", "line five of");
}
const QByteArray imageBefore = binaryBytes(300, 'a');
const QByteArray imageAfter = binaryBytes(420, 'k');

} // namespace

class TstReviewSources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void checkpointsMatchStoreDiff();
    void checkpointContent_data();
    void checkpointContent();
    void checkpointsToWorkingTree();
    void checkpointsUnknownId();
    void sessionAuthors_data();
    void sessionAuthors();
    void sessionOutsideTheChain();
    void workingTree_data();
    void workingTree();
    void workingTreeBeforeFirstCommit_data();
    void workingTreeBeforeFirstCommit();
    void workingTreeOutsideRepository();

private:
    QTemporaryDir m_home;
    Fixture m_cp; ///< a workspace with two checkpoints: modified, added, deleted, renamed and binary files
    Checkpoint m_first, m_second;
};

void TstReviewSources::initTestCase()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git command is needed to cross-check the reviews");
    QVERIFY(m_home.isValid());
    isolateGit(m_home.path());

    QVERIFY(m_cp.init());
    const QString ws = m_cp.ws;
    QVERIFY(writeFile(ws, u"keep.txt"_s, keepBefore));
    QVERIFY(writeFile(ws, u"gone.txt"_s, goneBytes));
    QVERIFY(writeFile(ws, u"docs/old-name.md"_s, movedBefore));
    QVERIFY(writeFile(ws, u"image.bin"_s, imageBefore));
    QVERIFY(writeFile(ws, u"same.txt"_s, "never changes\n"));
    m_first = m_cp.snap(u"first"_s);
    QVERIFY(!m_first.id.isEmpty());
    QVERIFY(writeFile(ws, u"keep.txt"_s, keepAfter));
    QVERIFY(removePath(ws, u"gone.txt"_s));
    QVERIFY(removePath(ws, u"docs/old-name.md"_s));
    QVERIFY(writeFile(ws, u"docs/new-name.md"_s, movedAfter()));
    QVERIFY(writeFile(ws, u"image.bin"_s, imageAfter));
    QVERIFY(writeFile(ws, u"new.txt"_s, freshBytes));
    m_second = m_cp.snap(u"second"_s);
    QVERIFY(!m_second.id.isEmpty());
}

void TstReviewSources::checkpointsMatchStoreDiff()
{
    auto review = reviewCheckpoints(*m_cp.store, m_first.id, m_second.id);
    QVERIFY2(review, why(review));
    auto diffs = m_cp.store->diff(m_first.id, m_second.id);
    QVERIFY2(diffs, why(diffs));
    QVERIFY(!review->isProposal());

    // One to one, in the store's order, whole values; nothing read yet.
    QCOMPARE(review->files().size(), diffs->size());
    for (size_t i = 0; i < diffs->size(); ++i) {
        const ReviewFile &file = review->files()[i];
        QCOMPARE(file.diff, (*diffs)[i]);
        QVERIFY(!file.loaded);
        QVERIFY(!file.before);
        QVERIFY(!file.after);
        QCOMPARE(file.author, Author::Unknown);
        QCOMPARE(file.contentAvailable, !file.diff.binary);
        QCOMPARE(file.decisionCount(), std::max(1, int(file.diff.hunks.size())));
    }

    // The git CLI on the store sees the same files and the same line counts.
    const QString store = m_cp.store->path();
    const GitResult names = git(store, {u"--git-dir="_s + store, u"diff"_s, u"-z"_s, u"-M"_s, u"--name-status"_s,
                                        m_first.id, m_second.id});
    QCOMPARE(names.exitCode, 0);
    QCOMPARE(nameStatus(*review), cliNameStatus(names.out));
    QCOMPARE(nameStatus(*review), (QStringList{u"A new.txt"_s, u"D gone.txt"_s, u"M image.bin"_s, u"M keep.txt"_s,
                                               u"R docs/old-name.md -> docs/new-name.md"_s}));
    const GitResult counts = git(store, {u"--git-dir="_s + store, u"diff"_s, u"-z"_s, u"-M"_s, u"--numstat"_s,
                                         m_first.id, m_second.id});
    QCOMPARE(counts.exitCode, 0);
    QCOMPARE(numstat(*review), cliNumstat(counts.out));
}

void TstReviewSources::checkpointContent_data()
{
    QTest::addColumn<QString>("path"); // the new path, or the old one for a deleted file
    QTest::addColumn<FileDiff::Status>("status");
    QTest::addColumn<QString>("oldPath");
    QTest::addColumn<Bytes>("before");
    QTest::addColumn<Bytes>("after");
    QTest::addColumn<bool>("contentAvailable");

    QTest::newRow("modified, no newline at the end") << u"keep.txt"_s << FileDiff::Status::Modified << u"keep.txt"_s
                                                     << Bytes(keepBefore) << Bytes(keepAfter) << true;
    QTest::newRow("added, CRLF") << u"new.txt"_s << FileDiff::Status::Added << QString() << Bytes() << Bytes(freshBytes)
                                 << true;
    QTest::newRow("deleted") << u"gone.txt"_s << FileDiff::Status::Deleted << u"gone.txt"_s << Bytes(goneBytes)
                             << Bytes() << true;
    QTest::newRow("renamed and edited") << u"docs/new-name.md"_s << FileDiff::Status::Renamed << u"docs/old-name.md"_s
                                        << Bytes(movedBefore) << Bytes(movedAfter()) << true;
    // Binary files are taken or left whole: nothing is loaded for them.
    QTest::newRow("binary") << u"image.bin"_s << FileDiff::Status::Modified << u"image.bin"_s << Bytes() << Bytes()
                            << false;
}

void TstReviewSources::checkpointContent()
{
    QFETCH(QString, path);
    QFETCH(FileDiff::Status, status);
    QFETCH(QString, oldPath);
    QFETCH(Bytes, before);
    QFETCH(Bytes, after);
    QFETCH(bool, contentAvailable);

    auto review = reviewCheckpoints(*m_cp.store, m_first.id, m_second.id);
    QVERIFY2(review, why(review));
    int index = -1;
    const ReviewFile *file = fileAt(*review, path, &index);
    QVERIFY2(file, qPrintable(path));
    QCOMPARE(file->diff.status, status);
    QCOMPARE(file->diff.oldPath, oldPath);
    QCOMPARE(file->contentAvailable, contentAvailable);
    QCOMPARE(file->diff.binary, !contentAvailable);
    QVERIFY(!file->loaded);

    review->ensureContent(index);
    file = &review->files()[size_t(index)];
    QVERIFY(file->loaded);
    QCOMPARE(shown(file->before), shown(before));
    QCOMPARE(shown(file->after), shown(after));
    // Only the file asked for was read.
    for (size_t i = 0; i < review->files().size(); ++i)
        if (int(i) != index)
            QVERIFY(!review->files()[i].loaded);

    // The store's own reading agrees where there is text.
    if (contentAvailable) {
        if (!oldPath.isEmpty())
            QCOMPARE(shown(m_cp.store->fileContent(m_first.id, oldPath).value_or(std::nullopt)), shown(before));
        if (status != FileDiff::Status::Deleted)
            QCOMPARE(shown(m_cp.store->fileContent(m_second.id, path).value_or(std::nullopt)), shown(after));
    }
}

void TstReviewSources::checkpointsToWorkingTree()
{
    Fixture f;
    QVERIFY(f.init());
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a\n"));
    QVERIFY(writeFile(f.ws, u"b.txt"_s, "b\n"));
    QVERIFY(writeFile(f.ws, u"c.txt"_s, "c\n"));
    const Checkpoint first = f.snap(u"first"_s);
    QVERIFY(!first.id.isEmpty());
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, checkpointed\n"));
    QVERIFY(f.snap(u"second"_s).filesChanged == 1);
    // After the last checkpoint: work only the disk holds.
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, on disk only\n"));
    QVERIFY(writeFile(f.ws, u"d.txt"_s, "d, new on disk\n"));
    QVERIFY(removePath(f.ws, u"c.txt"_s));
    const DiskState disk = diskState(f.ws);

    auto review = reviewCheckpoints(*f.store, first.id);
    QVERIFY2(review, why(review));
    auto diffs = f.store->diff(first.id);
    QVERIFY2(diffs, why(diffs));
    QCOMPARE(review->files().size(), diffs->size());
    for (size_t i = 0; i < diffs->size(); ++i)
        QCOMPARE(review->files()[i].diff, (*diffs)[i]);
    QCOMPARE(nameStatus(*review), (QStringList{u"A d.txt"_s, u"D c.txt"_s, u"M a.txt"_s}));

    // Contents are read when shown: a change made after the review was built is what the person sees.
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, edited while the review was open\n"));
    int a = -1, c = -1, d = -1;
    QVERIFY(fileAt(*review, u"a.txt"_s, &a));
    QVERIFY(fileAt(*review, u"c.txt"_s, &c));
    QVERIFY(fileAt(*review, u"d.txt"_s, &d));
    for (int i = 0; i < int(review->files().size()); ++i)
        review->ensureContent(i);
    QCOMPARE(shown(review->files()[size_t(a)].before), shown("a\n"));
    QCOMPARE(shown(review->files()[size_t(a)].after), shown("a, edited while the review was open\n"));
    QCOMPARE(shown(review->files()[size_t(c)].before), shown("c\n"));
    QCOMPARE(shown(review->files()[size_t(c)].after), shown(std::nullopt));
    QCOMPARE(shown(review->files()[size_t(d)].before), shown(std::nullopt));
    QCOMPARE(shown(review->files()[size_t(d)].after), shown("d, new on disk\n"));

    // Loaded once: a later change is not read again.
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, later still\n"));
    review->ensureContent(a);
    QCOMPARE(shown(review->files()[size_t(a)].after), shown("a, edited while the review was open\n"));
    // The review wrote nothing in the workspace.
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, on disk only\n"));
    QCOMPARE(diskState(f.ws), disk);
}

void TstReviewSources::checkpointsUnknownId()
{
    auto review = reviewCheckpoints(*m_cp.store, u"0123456789abcdef0123456789abcdef01234567"_s, m_second.id);
    QVERIFY(!review);
    QVERIFY(!review.error().message.isEmpty());
    auto session = reviewSession(*m_cp.store, u"s"_s, m_first.id, u"deadbeef"_s);
    QVERIFY(!session);
    QVERIFY(!session.error().message.isEmpty());
}

void TstReviewSources::sessionAuthors_data()
{
    // A chain like the agent's: "turn t1 started", the agent's step, "after edit_file", the person's work,
    // "turn t2 started", the agent's second step, "after run_command". The workspace starts with a.txt … d.txt.
    QTest::addColumn<Action>("agentStep");
    QTest::addColumn<Action>("personStep");
    QTest::addColumn<Action>("agentSecondStep");
    QTest::addColumn<QStringList>("authors"); // "path=Author", sorted, for every file of the review

    const Action nothing = [](const QString &) {};
    auto append = [](const QString &path, const QByteArray &text) {
        return Action([path, text](const QString &ws) { QVERIFY(writeFile(ws, path, readFile(ws, path) + text)); });
    };
    auto create = [](const QString &path, const QByteArray &text) {
        return Action([path, text](const QString &ws) { QVERIFY(writeFile(ws, path, text)); });
    };
    auto remove = [](const QString &path) {
        return Action([path](const QString &ws) { QVERIFY(removePath(ws, path)); });
    };
    auto both = [](const Action &one, const Action &two) {
        return Action([one, two](const QString &ws) {
            one(ws);
            two(ws);
        });
    };

    QTest::newRow("agent, person, and both on one file")
        << both(append(u"a.txt"_s, "by the agent\n"), append(u"c.txt"_s, "by the agent\n"))
        << both(append(u"b.txt"_s, "by the person\n"), append(u"c.txt"_s, "by the person\n")) << nothing
        << QStringList{u"a.txt=Agent"_s, u"b.txt=Person"_s, u"c.txt=Unknown"_s};
    QTest::newRow("the second turn's agent") << nothing << append(u"a.txt"_s, "by the person\n")
                                             << append(u"b.txt"_s, "by the agent\n")
                                             << QStringList{u"a.txt=Person"_s, u"b.txt=Agent"_s};
    QTest::newRow("the agent in both turns") << append(u"a.txt"_s, "first\n") << nothing << append(u"a.txt"_s, "second\n")
                                             << QStringList{u"a.txt=Agent"_s};
    QTest::newRow("the person undoes the agent")
        << append(u"a.txt"_s, "by the agent\n")
        << Action([](const QString &ws) { QVERIFY(writeFile(ws, u"a.txt"_s, numbered(8, "of a.txt"))); }) << nothing
        << QStringList{};
    QTest::newRow("the agent renames")
        << Action([](const QString &ws) {
               QVERIFY(writeFile(ws, u"moved/c.txt"_s, readFile(ws, u"c.txt"_s)));
               QVERIFY(removePath(ws, u"c.txt"_s));
           })
        << append(u"b.txt"_s, "by the person\n") << nothing << QStringList{u"b.txt=Person"_s, u"moved/c.txt=Agent"_s};
    QTest::newRow("the agent adds, the person edits") << create(u"x.txt"_s, "by the agent\n")
                                                      << append(u"b.txt"_s, "by the person\n") << nothing
                                                      << QStringList{u"b.txt=Person"_s, u"x.txt=Agent"_s};
    QTest::newRow("the agent deletes, the person edits") << remove(u"a.txt"_s) << append(u"b.txt"_s, "by the person\n")
                                                         << nothing << QStringList{u"a.txt=Agent"_s, u"b.txt=Person"_s};
    // Additions and deletions on both sides: the empty path of an added file's old side (a deleted file's new side)
    // must not tie the two authors together.
    QTest::newRow("both add") << create(u"x.txt"_s, "by the agent\n") << create(u"y.txt"_s, "by the person\n") << nothing
                              << QStringList{u"x.txt=Agent"_s, u"y.txt=Person"_s};
    QTest::newRow("both delete") << remove(u"a.txt"_s) << remove(u"b.txt"_s) << nothing
                                 << QStringList{u"a.txt=Agent"_s, u"b.txt=Person"_s};
    QTest::newRow("the agent deletes, the person adds") << remove(u"a.txt"_s) << create(u"y.txt"_s, "by the person\n")
                                                        << nothing << QStringList{u"a.txt=Agent"_s, u"y.txt=Person"_s};
}

void TstReviewSources::sessionAuthors()
{
    QFETCH(Action, agentStep);
    QFETCH(Action, personStep);
    QFETCH(Action, agentSecondStep);
    QFETCH(QStringList, authors);

    Fixture f;
    QVERIFY(f.init());
    for (const char *name : {"a", "b", "c", "d"})
        QVERIFY(writeFile(f.ws, QString::fromLatin1(name) + u".txt"_s, numbered(8, "of " + QByteArray(name) + ".txt")));
    const QString session = u"s1"_s;
    const Checkpoint start = f.snap(u"turn t1 started"_s, session);
    QVERIFY(!start.id.isEmpty());
    agentStep(f.ws);
    QVERIFY(!f.snap(u"after edit_file"_s, session).id.isEmpty());
    personStep(f.ws);
    // Another session's "after" checkpoint in between belongs to no step of this one.
    QVERIFY(!f.snap(u"after edit_file"_s, u"other"_s).id.isEmpty());
    QVERIFY(!f.snap(u"turn t2 started"_s, session).id.isEmpty());
    agentSecondStep(f.ws);
    const Checkpoint end = f.snap(u"after run_command"_s, session);
    QVERIFY(!end.id.isEmpty());

    auto review = reviewSession(*f.store, session, start.id, end.id);
    QVERIFY2(review, why(review));
    auto plain = reviewCheckpoints(*f.store, start.id, end.id);
    QVERIFY2(plain, why(plain));
    // The same files as the plain review, unloaded, attributed.
    QCOMPARE(review->files().size(), plain->files().size());
    QStringList found;
    for (size_t i = 0; i < review->files().size(); ++i) {
        const ReviewFile &file = review->files()[i];
        QCOMPARE(file.diff, plain->files()[i].diff);
        QVERIFY(!file.loaded);
        found.append(keyOf(file.diff) + u'=' + QString::fromLatin1(authorName(file.author)));
    }
    found.sort();
    QCOMPARE(found, authors);

    // Attributed files still load their contents.
    for (int i = 0; i < int(review->files().size()); ++i) {
        review->ensureContent(i);
        const ReviewFile &file = review->files()[size_t(i)];
        QCOMPARE(shown(file.before), file.diff.oldPath.isEmpty()
                                         ? shown(std::nullopt)
                                         : shown(f.store->fileContent(start.id, file.diff.oldPath).value_or(std::nullopt)));
        QCOMPARE(shown(file.after), file.diff.newPath.isEmpty()
                                        ? shown(std::nullopt)
                                        : shown(f.store->fileContent(end.id, file.diff.newPath).value_or(std::nullopt)));
    }
}

void TstReviewSources::sessionOutsideTheChain()
{
    Fixture f;
    QVERIFY(f.init());
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a\n"));
    const Checkpoint manual = f.snap(u"by hand"_s);
    const Checkpoint start = f.snap(u"turn t1 started"_s, u"s1"_s);
    QVERIFY(writeFile(f.ws, u"a.txt"_s, "a, by the agent\n"));
    const Checkpoint after = f.snap(u"after edit_file"_s, u"s1"_s);
    QVERIFY(!manual.id.isEmpty() && !start.id.isEmpty() && !after.id.isEmpty());

    // Within the chain: the agent.
    auto inside = reviewSession(*f.store, u"s1"_s, start.id, after.id);
    QVERIFY2(inside, why(inside));
    QCOMPARE(inside->files().size(), size_t(1));
    QCOMPARE(inside->files()[0].author, Author::Agent);

    // A start outside the session, a chain read backwards, another session's name: the diff stands, unattributed.
    const QList<std::array<QString, 3>> cases = {{u"s1"_s, manual.id, after.id},
                                                 {u"s1"_s, after.id, start.id},
                                                 {u"s2"_s, start.id, after.id}};
    for (const auto &[session, from, to] : cases) {
        auto review = reviewSession(*f.store, session, from, to);
        QVERIFY2(review, why(review));
        auto plain = reviewCheckpoints(*f.store, from, to);
        QVERIFY2(plain, why(plain));
        QCOMPARE(review->files().size(), plain->files().size());
        QCOMPARE(review->files().size(), size_t(1));
        QCOMPARE(review->files()[0].diff, plain->files()[0].diff);
        QCOMPARE(review->files()[0].author, Author::Unknown);
    }
}

void TstReviewSources::workingTree_data()
{
    QTest::addColumn<QString>("folder"); // where the review is asked for, relative to the repository
    QTest::newRow("the repository") << QString();
    QTest::newRow("a subfolder") << u"sub/deep"_s;
    QTest::newRow("a subfolder, trailing slash") << u"sub/"_s;
}

void TstReviewSources::workingTree()
{
    QFETCH(QString, folder);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString repo = dir.filePath(u"repo"_s);
    QVERIFY(QDir().mkpath(repo));
    QCOMPARE(git(repo, {u"init"_s, u"-q"_s}).exitCode, 0);
    const QByteArray keepOld = "one\r\ntwo\r\nthree\r\n";
    const QByteArray keepNew = "one\r\n2\r\nthree\r\nfour"; // no newline at the end
    const QByteArray staged = numbered(20, "of a file git mv moves");
    const QByteArray plain = numbered(20, "of a file a plain mv moves");
    const QByteArray imageOld = binaryBytes(256, 'a');
    const QByteArray imageNew = binaryBytes(512, 'q');
    const QByteArray blob = binaryBytes(64, 'z');
    const QByteArray fresh = "added\nby hand\n";
    QVERIFY(writeFile(repo, u".gitignore"_s, "*.log\n"));
    QVERIFY(writeFile(repo, u"keep.txt"_s, keepOld));
    QVERIFY(writeFile(repo, u"gone.txt"_s, "to be deleted\n"));
    QVERIFY(writeFile(repo, u"old-name.txt"_s, staged));
    QVERIFY(writeFile(repo, u"plain-move.txt"_s, plain));
    QVERIFY(writeFile(repo, u"image.bin"_s, imageOld));
    QVERIFY(writeFile(repo, u"sub/deep/file.txt"_s, "deep\n"));
    QCOMPARE(gitCommit(repo), QByteArray());

    QVERIFY(writeFile(repo, u"keep.txt"_s, keepNew));
    QVERIFY(removePath(repo, u"gone.txt"_s));
    QVERIFY(QDir().mkpath(repo + u"/renamed"_s));
    QCOMPARE(git(repo, {u"mv"_s, u"old-name.txt"_s, u"renamed/new-name.txt"_s}).exitCode, 0);
    QVERIFY(QDir().mkpath(repo + u"/moved"_s));
    QVERIFY(QFile::rename(repo + u"/plain-move.txt"_s, repo + u"/moved/plain.txt"_s));
    QVERIFY(writeFile(repo, u"image.bin"_s, imageNew));
    QVERIFY(writeFile(repo, u"naïve new.txt"_s, fresh));
    QVERIFY(writeFile(repo, u"sub/blob.dat"_s, blob));
    QVERIFY(writeFile(repo, u"build.log"_s, "ignored\n"));

    const DiskState gitBefore = gitDirState(repo);
    const QByteArray statusBefore = status(repo);
    const DiskState diskBefore = diskState(repo);

    auto review = reviewWorkingTree(folder.isEmpty() ? repo : repo + u'/' + folder);
    QVERIFY2(review, why(review));
    QVERIFY(!review->isProposal());

    // What `git add -A; git diff --cached HEAD` says in a copy (the user's index is never touched).
    const QString copy = dir.filePath(u"copy"_s);
    QVERIFY(copyFolder(repo, copy));
    QCOMPARE(git(copy, {u"add"_s, u"-A"_s}).exitCode, 0);
    const GitResult names = git(copy, {u"diff"_s, u"--cached"_s, u"-z"_s, u"-M"_s, u"--name-status"_s, u"HEAD"_s});
    QCOMPARE(names.exitCode, 0);
    const QStringList expected{u"A naïve new.txt"_s,
                               u"A sub/blob.dat"_s,
                               u"D gone.txt"_s,
                               u"M image.bin"_s,
                               u"M keep.txt"_s,
                               u"R old-name.txt -> renamed/new-name.txt"_s,
                               u"R plain-move.txt -> moved/plain.txt"_s};
    QCOMPARE(cliNameStatus(names.out), expected);
    QCOMPARE(nameStatus(*review), expected);
    const GitResult counts = git(copy, {u"diff"_s, u"--cached"_s, u"-z"_s, u"-M"_s, u"--numstat"_s, u"HEAD"_s});
    QCOMPARE(counts.exitCode, 0);
    QCOMPARE(numstat(*review), cliNumstat(counts.out));

    struct Expected
    {
        QString path;
        QString oldPath;
        Bytes before, after;
        bool binary = false;
        int similarity = 0;
    };
    const std::vector<Expected> table{
        {u"keep.txt"_s, u"keep.txt"_s, keepOld, keepNew},
        {u"gone.txt"_s, u"gone.txt"_s, QByteArray("to be deleted\n"), std::nullopt},
        {u"renamed/new-name.txt"_s, u"old-name.txt"_s, staged, staged, false, 100},
        {u"moved/plain.txt"_s, u"plain-move.txt"_s, plain, plain, false, 100},
        {u"image.bin"_s, u"image.bin"_s, std::nullopt, std::nullopt, true},
        {u"naïve new.txt"_s, QString(), std::nullopt, fresh},
        {u"sub/blob.dat"_s, QString(), std::nullopt, std::nullopt, true},
    };
    for (const ReviewFile &file : review->files())
        QVERIFY2(!file.loaded && !file.before && !file.after, qPrintable(keyOf(file.diff)));
    for (const Expected &want : table) {
        int index = -1;
        QVERIFY2(fileAt(*review, want.path, &index), qPrintable(want.path));
        review->ensureContent(index);
        const ReviewFile &file = review->files()[size_t(index)];
        const QByteArray where = want.path.toUtf8();
        QVERIFY2(file.loaded, where.constData());
        QCOMPARE(file.diff.oldPath, want.oldPath);
        QCOMPARE(file.diff.binary, want.binary);
        QCOMPARE(file.contentAvailable, !want.binary);
        QCOMPARE(file.author, Author::Unknown);
        if (want.similarity)
            QCOMPARE(file.diff.similarity, want.similarity);
        QCOMPARE(shown(file.before), shown(want.before));
        QCOMPARE(shown(file.after), shown(want.after));
        if (!want.binary)
            QVERIFY2(!file.diff.hunks.empty() || file.diff.status == FileDiff::Status::Renamed, where.constData());
    }
    // The text change's hunk as git has it: one line changed, one added without a newline at the end.
    const ReviewFile *keep = fileAt(*review, u"keep.txt"_s);
    QVERIFY(keep);
    QCOMPARE(keep->diff.hunks.size(), size_t(1));
    QVERIFY(keep->diff.hunks[0].lines.back().noNewlineAtEnd);
    QCOMPARE(keep->diff.hunks[0].lines.back().text, u"four"_s);

    // Read only: not the index, not a lock, not the working tree.
    QCOMPARE(gitDirState(repo), gitBefore);
    QCOMPARE(status(repo), statusBefore);
    QCOMPARE(diskState(repo), diskBefore);
}

void TstReviewSources::workingTreeBeforeFirstCommit_data()
{
    QTest::addColumn<QStringList>("toStage"); // paths `git add`ed before the review
    QTest::newRow("nothing staged") << QStringList{};
    QTest::newRow("one file staged") << QStringList{u"a.txt"_s};
    QTest::newRow("everything staged") << QStringList{u"."_s};
}

void TstReviewSources::workingTreeBeforeFirstCommit()
{
    QFETCH(QStringList, toStage);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString repo = dir.filePath(u"repo"_s);
    QVERIFY(QDir().mkpath(repo));
    QCOMPARE(git(repo, {u"init"_s, u"-q"_s}).exitCode, 0);
    const QMap<QString, QByteArray> files{{u"a.txt"_s, "alpha\n"},
                                          {u"sub/b.txt"_s, "beta\r\n"},
                                          {u"sub/deeper/c.md"_s, "# gamma"},
                                          {u"empty.txt"_s, ""}};
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        QVERIFY(writeFile(repo, it.key(), it.value()));
    if (!toStage.isEmpty())
        QCOMPARE(git(repo, QStringList{u"add"_s, u"--"_s} + toStage).exitCode, 0);

    const DiskState gitBefore = gitDirState(repo);
    const QByteArray statusBefore = status(repo);

    auto review = reviewWorkingTree(repo + u"/sub"_s);
    QVERIFY2(review, why(review));
    QStringList expected;
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        expected.append(u"A "_s + it.key());
    expected.sort();
    QCOMPARE(nameStatus(*review), expected);
    // git agrees: every file untracked or staged as new.
    QStringList cli;
    for (const QByteArray &line : statusBefore.split('\n'))
        if (!line.isEmpty()) {
            QVERIFY2(line.startsWith("?? ") || line.startsWith("A  "), line.constData());
            cli.append(u"A "_s + QString::fromUtf8(line.mid(3)));
        }
    cli.sort();
    QCOMPARE(cli, expected);

    for (int i = 0; i < int(review->files().size()); ++i) {
        review->ensureContent(i);
        const ReviewFile &file = review->files()[size_t(i)];
        QCOMPARE(file.diff.status, FileDiff::Status::Added);
        QVERIFY(file.diff.oldPath.isEmpty());
        QCOMPARE(shown(file.before), shown(std::nullopt));
        QCOMPARE(shown(file.after), shown(files.value(file.diff.newPath)));
    }
    QCOMPARE(gitDirState(repo), gitBefore);
    QCOMPARE(status(repo), statusBefore);
}

void TstReviewSources::workingTreeOutsideRepository()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(u"plain folder"_s);
    QVERIFY(writeFile(folder, u"a.txt"_s, "a\n"));
    if (git(folder, {u"rev-parse"_s, u"--git-dir"_s}).exitCode == 0)
        QSKIP("the temporary folder is itself inside a git repository");
    const DiskState before = diskState(dir.path());

    auto review = reviewWorkingTree(folder);
    QVERIFY(!review);
    QVERIFY2(review.error().message.contains(u"not inside a git repository"_s), qPrintable(review.error().message));
    QVERIFY2(review.error().message.contains(folder), qPrintable(review.error().message));
    QVERIFY(!review.error().retryable);
    // Nothing was created on the way (no .git, no lock).
    QCOMPARE(diskState(dir.path()), before);
}

QTEST_GUILESS_MAIN(TstReviewSources)
#include "tst_reviewsources.moc"
