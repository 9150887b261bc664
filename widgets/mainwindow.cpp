#include "mainwindow.h"

#include "diffview.h"
#include "emptystate.h"
#include "pane.h"
#include "recentfolders.h"
#include "versioninfo.h"

#include "review/reviewsources.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>

#include <algorithm>

namespace reins::widgets {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_chat(new Pane(tr("Chat"),
                      new EmptyState(tr("Start a task"),
                                     tr("Describe what you want done. The agent's answers, the files it reads, "
                                        "the commands it wants to run and its requests for your approval "
                                        "appear here as it works."),
                                     tr("Open a folder with File → Open Folder… (Ctrl+O) to begin."))))
    , m_diff(new Pane(tr("Changes"),
                      new EmptyState(tr("No changes to review"),
                                     tr("When the agent proposes an edit, the diff appears here before anything "
                                        "is written: side by side or inline, with every hunk to accept, reject "
                                        "or edit."),
                                     tr("Nothing reaches your files until you say so."))))
    , m_timeline(new Pane(tr("Timeline"),
                          new EmptyState(tr("No steps yet"),
                                         tr("Every step of a task is listed here: reads, edits, commands, "
                                            "approvals and checkpoints, with their time, tokens and cost."),
                                         tr("Each checkpoint can be restored, and every restore undone."))))
    , m_diffView(new DiffView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_workspaceLabel(new QLabel(tr("No folder open"), this))
    , m_modelLabel(new QLabel(tr("No model configured"), this))
{
    setWindowTitle(QStringLiteral("Reins"));
    m_diffView->hide(); // until there is something to review: the pane shows its empty state
    m_splitter->addWidget(m_chat);
    m_splitter->addWidget(m_diff);
    m_splitter->addWidget(m_timeline);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({520, 650, 390});
    setCentralWidget(m_splitter);

    statusBar()->addWidget(m_workspaceLabel, 1);
    statusBar()->addPermanentWidget(m_modelLabel);

    buildMenus();
    resize(1560, 940);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Folder…"), this, &MainWindow::chooseFolder);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *layouts = new QActionGroup(this);
    QAction *side = view->addAction(tr("&Side by Side Diff"), this,
                                    [this] { m_diffView->setLayoutMode(DiffView::Layout::SideBySide); });
    QAction *inlineDiff = view->addAction(tr("&Inline Diff"), this,
                                          [this] { m_diffView->setLayoutMode(DiffView::Layout::Inline); });
    for (QAction *action : {side, inlineDiff}) {
        action->setCheckable(true);
        layouts->addAction(action);
    }
    side->setChecked(true);
    view->addSeparator();
    QAction *refresh = view->addAction(tr("&Refresh Changes"), this, &MainWindow::showWorkingTreeChanges);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Reins"), this, &MainWindow::showAbout);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList folders = RecentFolders().folders();
    for (const QString &folder : folders)
        m_recentMenu->addAction(QDir::toNativeSeparators(folder), this, [this, folder] { openFolder(folder); });
    if (folders.isEmpty()) {
        m_recentMenu->addAction(tr("No recent folders"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [this] {
        RecentFolders().clear();
        rebuildRecentMenu();
    });
}

void MainWindow::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder"), m_workspace);
    if (!folder.isEmpty())
        openFolder(folder);
}

bool MainWindow::openFolder(const QString &folder)
{
    const QFileInfo info(folder);
    if (!info.isDir() || !info.isReadable()) {
        statusBar()->showMessage(tr("Cannot open %1: not a readable folder").arg(QDir::toNativeSeparators(folder)),
                                 8000);
        return false;
    }
    m_workspace = info.canonicalFilePath();
    RecentFolders().add(m_workspace);
    rebuildRecentMenu();
    setWindowTitle(QStringLiteral("%1 — Reins").arg(info.fileName().isEmpty() ? m_workspace : info.fileName()));
    m_workspaceLabel->setText(QDir::toNativeSeparators(m_workspace));
    Q_EMIT workspaceChanged(m_workspace);
    showWorkingTreeChanges();
    return true;
}

bool MainWindow::showWorkingTreeChanges()
{
    if (m_workspace.isEmpty())
        return false;
    auto review = review::reviewWorkingTree(m_workspace);
    if (!review) {
        statusBar()->showMessage(review.error().message, 8000);
        return false;
    }
    if (review->files().empty()) {
        statusBar()->showMessage(tr("No uncommitted changes in %1").arg(QDir::toNativeSeparators(m_workspace)), 8000);
        return false;
    }
    m_diffView->setReview(std::move(*review), tr("Uncommitted changes"));
    if (m_diff->isEmpty()) {
        m_diff->setContent(m_diffView);
        // A review needs the width: the Changes pane takes more of the window than its empty state did.
        const int width = std::max(m_splitter->width(), this->width()); // not laid out yet before the first show
        m_splitter->setSizes({width * 26 / 100, width * 52 / 100, width * 22 / 100});
    }
    return true;
}

QString MainWindow::aboutText()
{
    QString text = tr("<h3>Reins %1</h3><p>A workbench for coding agents: watch, steer, review and undo what the "
                      "agent does.</p><p>Built on:</p><ul>")
                       .arg(QStringLiteral(REINS_VERSION));
    for (const ComponentVersion &c : linkedVersions())
        text += QStringLiteral("<li>%1 %2</li>").arg(c.name.toHtmlEscaped(), c.version.toHtmlEscaped());
    return text + QStringLiteral("</ul>");
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Reins"), aboutText());
}

} // namespace reins::widgets
