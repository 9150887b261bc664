#pragma once

#include "diffview.h"
#include "error.h"
#include "session/agentsession.h"
#include "session/journal.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QSplitter;

namespace reins::checkpoint {
class CheckpointStore;
}
namespace reins::demo {
class Demo;
}

namespace reins::widgets {

class AppSettings;
class ChatView;
class KeyStore;
class Pane;
class PlanView;
class ReplayBar;
class ReplayController;
class SessionController;
class TimelineModel;
class TimelineView;

/// The workbench window: chat on the left, the diff review in the middle, the task timeline on the right.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Pane *chatPane() const { return m_chat; }
    Pane *diffPane() const { return m_diff; }
    Pane *timelinePane() const { return m_timeline; }
    QString workspace() const { return m_workspace; }

    /// Opens `folder` as the workspace; false (with a message in the status bar) if it is not a readable folder.
    bool openFolder(const QString &folder);
    /// The diff review view of the Changes pane, made when first needed (its editors and highlighting cost a
    /// window's start time otherwise).
    DiffView *diffView();
    /// Side by side or inline, for the diff view now or when it is made.
    void setDiffLayout(DiffView::Layout layout);
    /// Shows the workspace's uncommitted changes (working tree against HEAD) in the Changes pane; false when there
    /// is no repository or nothing changed (the pane keeps its empty state; with `explain`, the status bar says why).
    bool showWorkingTreeChanges(bool explain = true);

    ChatView *chatView() const { return m_chatView; }
    TimelineView *timelineView() const { return m_timelineView; }
    PlanView *planView() const { return m_planView; }
    TimelineModel *timelineModel() const { return m_timelineModel; }
    SessionController *controller() const { return m_controller; }

    /// The provider new sessions use (from the command line or the environment). Without one, the chat offers
    /// the demo.
    void setProvider(const session::SessionConfig &config);
    bool hasProvider() const { return m_provider.has_value(); }
    /// Copies the sample project to a temporary folder, starts the scripted model server and a session against
    /// it, and sends the demo's first message.
    Result<void> startDemo();
    /// Starts a session on the open folder.
    Result<void> startSession(session::SessionConfig config);
    /// Asks the person to confirm (a restore); a message box by default, tests answer instead.
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    /// A recorded session of the open folder, newest first.
    struct SessionSummary
    {
        QString id;
        QString firstMessage;
        qint64 timeMs = 0;
    };
    std::vector<SessionSummary> sessionsOfWorkspace() const;
    /// Continues a recorded session of the open folder with the configured provider.
    Result<void> resumeSession(const QString &sessionId);

    /// The diff review's scopes besides the proposal and the uncommitted changes: what the last turn changed, what
    /// the whole session changed (each file attributed to the agent or to you where the checkpoints tell), and what
    /// changed since a checkpoint. False, with the reason in the status bar, when there is no such checkpoint.
    enum class ChangeScope { LastTurn, WholeSession, SinceCheckpoint };
    bool showChanges(ChangeScope scope, const QString &checkpointId = {});

    /// Opens a session journal for replay: stepped or played into the chat and the timeline, nothing executed.
    Result<void> openReplay(const QString &journalPath,
                            session::JournalReadAhead readAhead = {});
    ReplayController *replay() const { return m_replay.get(); }

    /// Cycles the approval mode: read-only → ask → auto-edit → full-auto → read-only (Shift+Tab).
    void cycleApprovalMode();

    /// /undo and Session → Undo Last Turn: previews putting the files back as they were when the last turn began
    /// (right after a restore: undoing that restore), then asks. False, with the reason in the status bar, when there
    /// is nothing to undo.
    bool undoLastTurn();
    /// Session → Commit…: commits every change in the working tree to the current branch, with a message asked for.
    /// False when there is no session, the turn is still running or no message was given.
    bool commitChanges();
    /// File → Settings…: providers and keys, prices, approvals and rules, sandbox, theme. Saving reloads the provider.
    void openSettings();
    /// The provider from the settings (its key from the keychain or its environment variable), for new sessions;
    /// when a folder is open with no session yet, one starts. Without a provider chosen, nothing changes (the demo
    /// stays on offer); a missing key is said in the status bar with where to put it.
    void loadProviderFromSettings();
    /// The settings and the keychain the window uses (replaceable by tests before first use).
    AppSettings *settings();
    KeyStore *keyStore();
    void setSettings(std::unique_ptr<AppSettings> settings, KeyStore *keys);

    /// Asks for a line of text (a commit message); a dialog by default, tests answer instead.
    using AskText = std::function<std::optional<QString>(const QString &title, const QString &label)>;
    void setAskText(AskText ask) { m_askText = std::move(ask); }

    /// The text of Help → About: what Reins is and the versions of the libraries linked.
    static QString aboutText();

Q_SIGNALS:
    void workspaceChanged(const QString &folder);

private:
    void buildMenus();
    void rebuildRecentMenu();
    void chooseFolder();
    void showAbout();
    void onEvent(const protocol::AgentEvent &event);
    void updateStatus();
    void showStep(qint64 seq, const QString &callId, const QString &checkpointId);
public:
    /// Asks the session for a dry run of restoring `checkpointId`; the answer opens the preview.
    void previewRestore(const QString &checkpointId);

private:
    checkpoint::CheckpointStore *store();

    Pane *m_chat;
    Pane *m_diff;
    Pane *m_timeline;
    DiffView *m_diffView = nullptr;
    QAction *m_sideAction = nullptr;
    QAction *m_inlineAction = nullptr;
    DiffView::Layout m_diffLayout = DiffView::Layout::SideBySide;
    ChatView *m_chatView;
    TimelineModel *m_timelineModel;
    TimelineView *m_timelineView;
    PlanView *m_planView;
    QWidget *m_timelineContent; ///< the plan above the timeline
    SessionController *m_controller;
    std::optional<session::SessionConfig> m_provider;
    std::unique_ptr<demo::Demo> m_demo;
    std::unique_ptr<checkpoint::CheckpointStore> m_store;
    std::unique_ptr<ReplayController> m_replay;
    ReplayBar *m_replayBar = nullptr;
    std::unique_ptr<AppSettings> m_settings;
    KeyStore *m_keys = nullptr;
    Confirm m_confirm;
    AskText m_askText;
    QString m_pendingRestore; ///< the checkpoint whose dry run is being shown
    QSplitter *m_splitter;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_workspaceLabel;
    QLabel *m_modelLabel;
    QLabel *m_modeLabel;
    QLabel *m_usageLabel;
    QString m_workspace;
};

} // namespace reins::widgets
