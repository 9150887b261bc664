#pragma once

#include <QMainWindow>

class QLabel;
class QMenu;
class QSplitter;

namespace reins::widgets {

class DiffView;
class Pane;

/// The workbench window: chat on the left, the diff review in the middle, the task timeline on the right.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    Pane *chatPane() const { return m_chat; }
    Pane *diffPane() const { return m_diff; }
    Pane *timelinePane() const { return m_timeline; }
    QString workspace() const { return m_workspace; }

    /// Opens `folder` as the workspace; false (with a message in the status bar) if it is not a readable folder.
    bool openFolder(const QString &folder);
    /// The diff review view of the Changes pane.
    DiffView *diffView() const { return m_diffView; }
    /// Shows the workspace's uncommitted changes (working tree against HEAD) in the Changes pane; false when there
    /// is no repository or nothing changed (the pane keeps its empty state, the status bar says why).
    bool showWorkingTreeChanges();

    /// The text of Help → About: what Reins is and the versions of the libraries linked.
    static QString aboutText();

Q_SIGNALS:
    void workspaceChanged(const QString &folder);

private:
    void buildMenus();
    void rebuildRecentMenu();
    void chooseFolder();
    void showAbout();

    Pane *m_chat;
    Pane *m_diff;
    Pane *m_timeline;
    DiffView *m_diffView;
    QSplitter *m_splitter;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_workspaceLabel;
    QLabel *m_modelLabel;
    QString m_workspace;
};

} // namespace reins::widgets
