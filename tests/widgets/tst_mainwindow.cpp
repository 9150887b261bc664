#include "diffpane.h"
#include "diffview.h"
#include "emptystate.h"
#include "mainwindow.h"
#include "pane.h"
#include "recentfolders.h"
#include "versioninfo.h"

#include <QDirIterator>
#include <QLabel>
#include <QProcess>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::widgets;

class TstMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("reins-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        RecentFolders().clear();
    }
    void threePanesWithEmptyStates_data();
    void threePanesWithEmptyStates();
    void panesAreSideBySide();
    void menus();
    void openFolder();
    void openFolderShowsUncommittedChanges();
    void openFolderRejectsAFile();
    void paneShowsContent();
    void aboutNamesTheLinkedVersions();
};

void TstMainWindow::threePanesWithEmptyStates_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("title");

    QTest::newRow("chat") << 0 << QStringLiteral("Chat") << QStringLiteral("Start a task");
    QTest::newRow("diff") << 1 << QStringLiteral("Changes") << QStringLiteral("No changes to review");
    QTest::newRow("timeline") << 2 << QStringLiteral("Timeline") << QStringLiteral("No steps yet");
}

void TstMainWindow::threePanesWithEmptyStates()
{
    QFETCH(int, index);
    QFETCH(QString, name);
    QFETCH(QString, title);

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    Pane *panes[] = {window.chatPane(), window.diffPane(), window.timelinePane()};
    Pane *pane = panes[index];
    QCOMPARE(pane->name(), name);
    QVERIFY(pane->isEmpty());
    QVERIFY(pane->emptyState()->isVisible());
    QCOMPARE(pane->emptyState()->title(), title);
    QVERIFY(pane->emptyState()->body().size() > 40); // says what will appear here
    QVERIFY(!pane->emptyState()->hint().isEmpty());  // and how to start
    // Readable: each pane gets a real share of a normal window.
    QVERIFY2(pane->width() >= 300, qPrintable(QString::number(pane->width())));
}

void TstMainWindow::panesAreSideBySide()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int chatX = window.chatPane()->mapTo(&window, QPoint()).x();
    const int diffX = window.diffPane()->mapTo(&window, QPoint()).x();
    const int timelineX = window.timelinePane()->mapTo(&window, QPoint()).x();
    QVERIFY(chatX < diffX);
    QVERIFY(diffX < timelineX);
}

void TstMainWindow::menus()
{
    MainWindow window;
    QStringList titles;
    for (QAction *action : window.menuBar()->actions())
        titles.append(action->text());
    QCOMPARE(titles, (QStringList{QStringLiteral("&File"), QStringLiteral("&Session"), QStringLiteral("&View"),
                                  QStringLiteral("&Help")}));
    QStringList fileItems;
    for (QAction *action : window.menuBar()->actions().first()->menu()->actions())
        if (!action->isSeparator())
            fileItems.append(action->text());
    QCOMPARE(fileItems, (QStringList{QStringLiteral("&Open Folder…"), QStringLiteral("Open &Recent"),
                                     QStringLiteral("Res&ume a Session…"), QStringLiteral("Re&play a Session…"),
                                     QStringLiteral("&Settings…"), QStringLiteral("&Quit")}));
    QStringList sessionItems;
    for (QAction *action : window.menuBar()->actions().at(1)->menu()->actions())
        if (!action->isSeparator())
            sessionItems.append(action->text());
    QCOMPARE(sessionItems, (QStringList{QStringLiteral("&Undo Last Turn…"), QStringLiteral("&Commit Changes…"),
                                        QStringLiteral("&Export…")}));
}

void TstMainWindow::openFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow window;
    QSignalSpy changed(&window, &MainWindow::workspaceChanged);
    QVERIFY(window.openFolder(dir.path()));
    const QString canonical = QFileInfo(dir.path()).canonicalFilePath();
    QCOMPARE(window.workspace(), canonical);
    QCOMPARE(changed.size(), 1);
    QVERIFY(window.windowTitle().startsWith(QFileInfo(canonical).fileName()));
    QCOMPARE(RecentFolders().folders().value(0), canonical);

    // The recent menu of a new window lists it.
    MainWindow second;
    QMenu *recent = second.menuBar()->actions().first()->menu()->actions().at(1)->menu();
    QCOMPARE(recent->actions().first()->text(), canonical);
}

namespace {

QByteArray run(const QString &cwd, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(cwd);
    process.start(QStringLiteral("git"), args);
    process.waitForFinished(30000);
    return process.readAllStandardOutput() + process.readAllStandardError();
}

// Every file under a folder with its bytes: the user's .git must come out as it went in.
QMap<QString, QByteArray> filesUnder(const QString &folder)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        files.insert(it.filePath(), file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>"));
    }
    return files;
}

} // namespace

void TstMainWindow::openFolderShowsUncommittedChanges()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile file(dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    };
    QVERIFY(write(QStringLiteral("a.txt"), "one\ntwo\n"));
    run(dir.path(), {QStringLiteral("init"), QStringLiteral("-q")});
    run(dir.path(), {QStringLiteral("add"), QStringLiteral("-A")});
    run(dir.path(), {QStringLiteral("-c"), QStringLiteral("user.name=t"), QStringLiteral("-c"),
                     QStringLiteral("user.email=t@example.invalid"), QStringLiteral("commit"), QStringLiteral("-qm"),
                     QStringLiteral("first")});
    QVERIFY(write(QStringLiteral("a.txt"), "one\nTWO\n"));
    QVERIFY(write(QStringLiteral("new.txt"), "new\n"));
    const QMap<QString, QByteArray> gitBefore = filesUnder(dir.filePath(QStringLiteral(".git")));
    const QByteArray statusBefore = run(dir.path(), {QStringLiteral("--no-optional-locks"), QStringLiteral("status"),
                                                     QStringLiteral("--porcelain")});

    MainWindow window;
    QVERIFY(window.diffPane()->isEmpty());
    QVERIFY(window.openFolder(dir.path()));
    QVERIFY(!window.diffPane()->isEmpty());
    const auto &files = window.diffView()->review().files();
    QCOMPARE(files.size(), size_t(2));
    QCOMPARE(files[0].diff.newPath, QStringLiteral("a.txt"));
    QCOMPARE(files[1].diff.newPath, QStringLiteral("new.txt"));
    QCOMPARE(files[1].diff.status, reins::checkpoint::FileDiff::Status::Added);
    QVERIFY(window.diffView()->newPane()->text().contains(QStringLiteral("TWO")));
    QVERIFY(window.diffView()->oldPane()->text().contains(QStringLiteral("two")));
    // Reading the changes wrote nothing in the user's repository.
    QCOMPARE(filesUnder(dir.filePath(QStringLiteral(".git"))), gitBefore);
    QCOMPARE(run(dir.path(), {QStringLiteral("--no-optional-locks"), QStringLiteral("status"), QStringLiteral("--porcelain")}),
             statusBefore);

    // A folder that is no repository keeps the empty state and says why.
    QTemporaryDir plain;
    MainWindow other;
    QVERIFY(other.openFolder(plain.path()));
    QVERIFY(other.diffPane()->isEmpty());
    QVERIFY(!other.showWorkingTreeChanges()); // asked for (View → Refresh Changes): it says why
    QVERIFY(other.statusBar()->currentMessage().contains(QStringLiteral("not inside a git repository")));
}

void TstMainWindow::openFolderRejectsAFile()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("plain.txt"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    MainWindow window;
    QSignalSpy changed(&window, &MainWindow::workspaceChanged);
    QVERIFY(!window.openFolder(file));
    QVERIFY(!window.openFolder(dir.filePath(QStringLiteral("missing"))));
    QCOMPARE(changed.size(), 0);
    QVERIFY(window.workspace().isEmpty());
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("not a readable folder")));
}

void TstMainWindow::paneShowsContent()
{
    MainWindow window;
    auto *content = new QLabel(QStringLiteral("content"));
    window.diffPane()->setContent(content);
    QVERIFY(!window.diffPane()->isEmpty());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(content->isVisible());
    QVERIFY(!window.diffPane()->emptyState()->isVisible());
}

void TstMainWindow::aboutNamesTheLinkedVersions()
{
    const QList<ComponentVersion> versions = linkedVersions();
    QStringList names;
    for (const ComponentVersion &c : versions) {
        names.append(c.name);
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+(\\.\\d+)?$")).match(c.version).hasMatch(),
                 qPrintable(c.name + u' ' + c.version));
        QVERIFY(MainWindow::aboutText().contains(c.name + u' ' + c.version));
    }
    QCOMPARE(names, (QStringList{QStringLiteral("Qt"), QStringLiteral("KF6 SyntaxHighlighting"),
                                 QStringLiteral("QScintilla"), QStringLiteral("libgit2")}));
    QCOMPARE(versions.first().version, QString::fromLatin1(qVersion()));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
