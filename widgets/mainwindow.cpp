#include "mainwindow.h"

#include "appsettings.h"
#include "apptheme.h"
#include "chatinput.h"
#include "chatview.h"
#include "diffview.h"
#include "emptystate.h"
#include "keystore.h"
#include "sessioncontroller.h"
#include "settingsdialog.h"
#include "timelinemodel.h"
#include "timelineview.h"
#include "pane.h"
#include "planview.h"
#include "replaybar.h"
#include "replaycontroller.h"
#include "recentfolders.h"
#include "versioninfo.h"

#include "checkpoint/checkpointstore.h"
#include "demo/demo.h"
#include "review/reviewsources.h"
#include "protocol/json.h"
#include "session/journal.h"
#include "workspace/filewalker.h"

#include <QAction>
#include <QActionGroup>
#include <QInputDialog>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QDateTime>
#include <QFileInfo>
#include <QInputDialog>
#include <QListView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

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
    , m_chatView(new ChatView(this))
    , m_timelineModel(new TimelineModel(this))
    , m_timelineView(new TimelineView(m_timelineModel, this))
    , m_planView(new PlanView(this))
    , m_timelineContent(new QWidget(this))
    , m_controller(new SessionController(m_chatView, nullptr, this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_workspaceLabel(new QLabel(tr("No folder open"), this))
    , m_modelLabel(new QLabel(tr("No model configured"), this))
    , m_modeLabel(new QLabel(this))
    , m_usageLabel(new QLabel(this))
{
    setWindowTitle(QStringLiteral("Reins"));
    m_controller->setDiffViewProvider([this] { return diffView(); });
    m_chatView->hide();
    auto *timelineLayout = new QVBoxLayout(m_timelineContent);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(0);
    timelineLayout->addWidget(m_planView);
    timelineLayout->addWidget(m_timelineView, 1);
    m_timelineContent->hide();
    QPushButton *demo = m_chat->emptyState()->addAction(tr("Try the demo"));
    demo->setToolTip(tr("A sample project and a recorded session, played through Reins with no key and no network"));
    connect(demo, &QPushButton::clicked, this, [this] {
        if (auto started = startDemo(); !started)
            statusBar()->showMessage(started.error().message, 10000);
    });
    connect(m_controller, &SessionController::eventApplied, this, &MainWindow::onEvent);
    connect(m_controller, &SessionController::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_timelineView, &TimelineView::stepSelected, this, &MainWindow::showStep);
    connect(m_controller, &SessionController::undoRequested, this, &MainWindow::undoLastTurn);
    connect(m_chatView->input(), &ChatInput::modeCycleRequested, this, &MainWindow::cycleApprovalMode);
    connect(m_timelineView, &TimelineView::restoreRequested, this, &MainWindow::previewRestore);
    auto *cycle = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Backtab), this);
    cycle->setContext(Qt::ApplicationShortcut);
    connect(cycle, &QShortcut::activated, this, &MainWindow::cycleApprovalMode);
    auto *cycleTab = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Tab), this);
    cycleTab->setContext(Qt::ApplicationShortcut);
    connect(cycleTab, &QShortcut::activated, this, &MainWindow::cycleApprovalMode);
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
    statusBar()->addPermanentWidget(m_usageLabel);
    statusBar()->addPermanentWidget(m_modeLabel);
    statusBar()->addPermanentWidget(m_modelLabel);
    m_modeLabel->setToolTip(tr("The approval mode: Shift+Tab changes it"));

    buildMenus();
    resize(1560, 940);
}

MainWindow::~MainWindow() = default;

DiffView *MainWindow::diffView()
{
    if (!m_diffView) {
        m_diffView = new DiffView(this);
        m_diffView->hide(); // until there is something to review: the pane shows its empty state
        m_diffView->setLayoutMode(m_diffLayout);
        m_controller->setDiffView(m_diffView);
    }
    return m_diffView;
}

void MainWindow::setDiffLayout(DiffView::Layout layout)
{
    m_diffLayout = layout;
    if (m_diffView)
        m_diffView->setLayoutMode(layout);
    if (m_sideAction)
        (layout == DiffView::Layout::Inline ? m_inlineAction : m_sideAction)->setChecked(true);
}

std::vector<MainWindow::SessionSummary> MainWindow::sessionsOfWorkspace() const
{
    std::vector<SessionSummary> sessions;
    if (m_workspace.isEmpty())
        return sessions;
    const QDir folder(session::Journal::directory());
    for (const QFileInfo &info : folder.entryInfoList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Time)) {
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        // The first lines say whose session it is and how it began: no need to read the whole journal.
        auto started = protocol::agentEventFromJsonLine(file.readLine());
        if (!started)
            continue;
        const auto *head = std::get_if<protocol::SessionStarted>(&started->payload);
        if (!head || head->workspace != m_workspace)
            continue;
        SessionSummary summary{head->sessionId, QString(), started->timeMs};
        for (int line = 0; line < 8 && !file.atEnd() && summary.firstMessage.isEmpty(); ++line)
            if (auto event = protocol::agentEventFromJsonLine(file.readLine()))
                if (const auto *turn = std::get_if<protocol::TurnStarted>(&event->payload))
                    summary.firstMessage = turn->text.simplified();
        sessions.push_back(summary);
    }
    return sessions;
}

Result<void> MainWindow::resumeSession(const QString &sessionId)
{
    if (!m_provider)
        return fail(tr("Choose a provider to continue a session (reins FOLDER --provider NAME); to watch it instead, use "
                       "File → Replay a Session…"));
    if (auto started = m_controller->start(*m_provider, m_workspace, sessionId); !started)
        return started;
    m_timelineModel->reset(m_controller->session()->state());
    m_planView->setPlan(m_controller->session()->state().plan);
    if (m_chat->isEmpty())
        m_chat->setContent(m_chatView);
    if (m_timeline->isEmpty())
        m_timeline->setContent(m_timelineContent);
    updateStatus();
    return {};
}

Result<void> MainWindow::openReplay(const QString &journalPath,
                                   session::JournalReadAhead readAhead)
{
    auto replay = std::make_unique<ReplayController>(m_chatView, m_timelineModel);
    if (auto opened = replay->open(journalPath, std::move(readAhead)); !opened)
        return opened;
    delete m_replayBar;
    m_replay = std::move(replay);
    m_replayBar = new ReplayBar(m_replay.get(), this);
    connect(m_replay.get(), &ReplayController::positionChanged, this,
            [this] { m_planView->setPlan(m_replay->state().plan); });
    addToolBar(Qt::TopToolBarArea, m_replayBar);
    if (m_chat->isEmpty())
        m_chat->setContent(m_chatView);
    if (m_timeline->isEmpty())
        m_timeline->setContent(m_timelineContent);
    m_chatView->input()->setEnabled(false); // a replay is watched, not steered
    m_chatView->input()->setPlaceholderText(tr("Replaying a recorded session: nothing is executed."));
    m_modelLabel->setText(tr("Replay of %1").arg(QFileInfo(journalPath).completeBaseName()));
    return {};
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Folder…"), this, &MainWindow::chooseFolder);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Res&ume a Session…"), this, [this] {
        const auto sessions = sessionsOfWorkspace();
        if (sessions.empty()) {
            statusBar()->showMessage(tr("No recorded session for this folder yet."), 8000);
            return;
        }
        QStringList items;
        for (const SessionSummary &s : sessions)
            items << QStringLiteral("%1 — %2").arg(QDateTime::fromMSecsSinceEpoch(s.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                                   s.firstMessage.left(80));
        bool ok = false;
        const QString chosen = QInputDialog::getItem(this, tr("Resume a session"), tr("Sessions of this folder:"), items, 0,
                                                     false, &ok);
        if (!ok)
            return;
        if (auto resumed = resumeSession(sessions[size_t(items.indexOf(chosen))].id); !resumed)
            statusBar()->showMessage(resumed.error().message, 10000);
    });
    file->addAction(tr("Re&play a Session…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Replay a session"), session::Journal::directory(),
                                                          tr("Session journals (*.jsonl)"));
        if (path.isEmpty())
            return;
        if (auto opened = openReplay(path); !opened)
            statusBar()->showMessage(opened.error().message, 10000);
    });
    file->addSeparator();
    QAction *settingsAction = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settingsAction->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *sessionMenu = menuBar()->addMenu(tr("&Session"));
    QAction *undo = sessionMenu->addAction(tr("&Undo Last Turn…"), this, &MainWindow::undoLastTurn);
    undo->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Z));
    undo->setToolTip(tr("Put the files back as they were when the last turn began (/undo)"));
    QAction *commit = sessionMenu->addAction(tr("&Commit Changes…"), this, &MainWindow::commitChanges);
    commit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    sessionMenu->addSeparator();
    sessionMenu->addAction(tr("&Export…"), this, [this] { m_controller->runCommand(QStringLiteral("export"), {}); });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *layouts = new QActionGroup(this);
    QAction *side = view->addAction(tr("&Side by Side Diff"), this,
                                    [this] { setDiffLayout(DiffView::Layout::SideBySide); });
    QAction *inlineDiff = view->addAction(tr("&Inline Diff"), this,
                                          [this] { setDiffLayout(DiffView::Layout::Inline); });
    for (QAction *action : {side, inlineDiff}) {
        action->setCheckable(true);
        layouts->addAction(action);
    }
    side->setChecked(true);
    m_sideAction = side;
    m_inlineAction = inlineDiff;
    view->addSeparator();
    QAction *refresh = view->addAction(tr("&Uncommitted Changes"), this, [this] { showWorkingTreeChanges(true); });
    view->addAction(tr("Changes of the &Last Turn"), this, [this] { showChanges(ChangeScope::LastTurn); });
    view->addAction(tr("Changes of the &Whole Session"), this, [this] { showChanges(ChangeScope::WholeSession); });
    view->addAction(tr("Changes &Since the Selected Checkpoint"), this, [this] {
        const QString id = m_timelineView->list()->currentIndex().data(TimelineModel::CheckpointIdRole).toString();
        showChanges(ChangeScope::SinceCheckpoint, id);
    });
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
    m_store.reset();
    showWorkingTreeChanges(false);
    if (m_provider && !m_demo) {
        if (auto started = startSession(*m_provider); !started)
            statusBar()->showMessage(started.error().message, 10000);
    }
    return true;
}

void MainWindow::setProvider(const session::SessionConfig &config)
{
    m_provider = config;
    m_modelLabel->setText(QStringLiteral("%1 · %2").arg(config.provider.id, config.provider.model));
}

Result<void> MainWindow::startDemo()
{
    auto demo = demo::Demo::start();
    if (!demo)
        return std::unexpected(demo.error());
    m_demo = std::move(*demo);
    if (!openFolder(m_demo->workspace()))
        return fail(tr("The demo's folder %1 could not be opened.").arg(m_demo->workspace()));
    session::SessionConfig config = m_demo->config();
    if (auto started = startSession(config); !started)
        return started;
    m_modelLabel->setText(tr("Demo · %1 (scripted, no network)").arg(config.provider.model));
    m_controller->send(m_demo->prompt());
    return {};
}

Result<void> MainWindow::startSession(session::SessionConfig config)
{
    if (m_workspace.isEmpty())
        return fail(tr("Open a folder first (File → Open Folder…)."));
    if (auto started = m_controller->start(std::move(config), m_workspace); !started)
        return started;
    m_timelineModel->reset(m_controller->session()->state());
    // '@' in the input box offers the workspace's files as git would list them (.gitignore respected).
    m_chatView->input()->setFileSource([root = m_workspace] {
        QStringList files;
        workspace::WalkOptions options;
        options.stopAtNestedRepositories = true;
        workspace::walk(root, options, [&files](const workspace::WalkEntry &entry) {
            if (!entry.isDir)
                files.append(entry.path);
            return files.size() < 50'000; // a huge tree: the first 50,000 are plenty to pick from
        });
        return files;
    });
    if (m_chat->isEmpty())
        m_chat->setContent(m_chatView);
    if (m_timeline->isEmpty())
        m_timeline->setContent(m_timelineContent);
    m_chatView->input()->setFocus();
    updateStatus();
    return {};
}

void MainWindow::cycleApprovalMode()
{
    session::AgentSession *session = m_controller->session();
    if (!session)
        return;
    using protocol::ApprovalMode;
    const ApprovalMode order[] = {ApprovalMode::ReadOnly, ApprovalMode::Ask, ApprovalMode::AutoEdit, ApprovalMode::FullAuto};
    const ApprovalMode current = session->state().approvalMode;
    const auto at = std::ranges::find(order, current);
    const ApprovalMode next = at == std::end(order) || at + 1 == std::end(order) ? order[0] : *(at + 1);
    session->submit(protocol::SetApprovalMode{next});
    updateStatus();
}

void MainWindow::onEvent(const protocol::AgentEvent &event)
{
    m_timelineModel->apply(event);
    if (std::holds_alternative<protocol::PlanUpdated>(event.payload))
        m_planView->setPlan(m_controller->session()->state().plan);
    // A proposed edit opened in the diff review (the controller did that): the Changes pane shows it.
    if (const auto *request = std::get_if<protocol::ApprovalRequested>(&event.payload);
        request && !request->files.empty() && m_diff->isEmpty())
        m_diff->setContent(diffView());
    if (std::holds_alternative<protocol::ModelChanged>(event.payload))
        m_modelLabel->setText(QStringLiteral("%1 · %2").arg(m_controller->session()->config().provider.id,
                                                             m_controller->session()->config().provider.model));
    if (const auto *committed = std::get_if<protocol::Committed>(&event.payload))
        statusBar()->showMessage(tr("Committed %1 on %2: %3").arg(committed->commitId.left(10), committed->branch,
                                                                 committed->message), 10000);
    if (const auto *planned = std::get_if<protocol::RestorePlanned>(&event.payload);
        planned && planned->checkpointId == m_pendingRestore) {
        m_pendingRestore.clear();
        QString text = tr("Restoring checkpoint %1 would:").arg(planned->checkpointId.left(10));
        const auto list = [&](const QString &what, const QStringList &files) {
            if (!files.isEmpty())
                text += QStringLiteral("\n\n%1 (%2):\n  %3").arg(what).arg(files.size()).arg(files.mid(0, 12).join(QStringLiteral("\n  ")));
        };
        list(tr("overwrite"), planned->write);
        list(tr("bring back"), planned->create);
        list(tr("remove"), planned->remove);
        list(tr("⚠ lose your edits made since the last checkpoint in"), planned->editedSince);
        if (planned->write.isEmpty() && planned->create.isEmpty() && planned->remove.isEmpty())
            text += tr("\n\nchange nothing: the files are already as they were.");
        text += tr("\n\nThe restore is itself checkpointed: it can be undone from the timeline.");
        const bool confirmed = m_confirm ? m_confirm(tr("Restore checkpoint"), text)
                                         : QMessageBox::question(this, tr("Restore checkpoint"), text,
                                                                 QMessageBox::Ok | QMessageBox::Cancel)
                                               == QMessageBox::Ok;
        if (confirmed)
            m_controller->session()->submit(protocol::RestoreCheckpoint{planned->checkpointId, protocol::RestoreScope::Files, false});
    }
    updateStatus();
}

void MainWindow::updateStatus()
{
    session::AgentSession *session = m_controller->session();
    if (!session)
        return;
    const ThreadState &state = session->state();
    m_modeLabel->setText(tr("mode: %1").arg(protocol::enumName(state.approvalMode)));
    const protocol::TokenUsage &total = state.totalUsage;
    qint64 lastInput = 0;
    for (auto it = state.entries.rbegin(); it != state.entries.rend(); ++it)
        if (it->kind == ThreadEntry::Kind::Assistant && it->usage.inputTokens > 0) {
            lastInput = it->usage.inputTokens;
            break;
        }
    QStringList parts;
    if (lastInput > 0)
        parts << tr("context %1k").arg(double(lastInput) / 1000.0, 0, 'f', 1);
    if (total.inputTokens > 0) {
        parts << (state.requestsWithoutCost > 0 && state.totalCost == 0
                      ? tr("cost unknown")
                      : QStringLiteral("%1%2").arg(state.currency == u"CNY" ? QStringLiteral("¥") : QStringLiteral("$"))
                            .arg(state.totalCost, 0, 'f', 4));
        parts << tr("cache hits %1 %").arg(qRound(100.0 * double(total.cacheHitTokens) / double(total.inputTokens)));
    }
    m_usageLabel->setText(parts.join(QStringLiteral(" · ")));
}

checkpoint::CheckpointStore *MainWindow::store()
{
    if (!m_store && !m_workspace.isEmpty()) {
        auto opened = checkpoint::CheckpointStore::open(m_workspace);
        if (opened)
            m_store = std::move(*opened);
    }
    return m_store.get();
}

void MainWindow::showStep(qint64 seq, const QString &callId, const QString &checkpointId)
{
    Q_UNUSED(callId);
    m_chatView->scrollToSeq(seq);
    if (checkpointId.isEmpty())
        return;
    checkpoint::CheckpointStore *checkpoints = store();
    if (!checkpoints)
        return;
    auto found = checkpoints->find(checkpointId);
    if (!found || found->parentId.isEmpty())
        return;
    // What this step changed: its checkpoint against the one before.
    auto review = review::reviewCheckpoints(*checkpoints, found->parentId, found->id);
    if (!review)
        return;
    diffView()->setReview(std::move(*review), tr("Step: %1").arg(found->label));
    if (m_diff->isEmpty())
        m_diff->setContent(diffView());
}

bool MainWindow::showChanges(ChangeScope scope, const QString &checkpointId)
{
    const auto refuse = [this](const QString &why) {
        statusBar()->showMessage(why, 8000);
        return false;
    };
    checkpoint::CheckpointStore *checkpoints = store();
    if (!checkpoints)
        return refuse(tr("Open a folder first."));
    Result<review::ChangeReview> changes = fail(QString());
    QString title;
    if (scope == ChangeScope::SinceCheckpoint) {
        if (checkpointId.isEmpty())
            return refuse(tr("Select a checkpoint in the timeline first."));
        changes = review::reviewCheckpoints(*checkpoints, checkpointId);
        title = tr("Since checkpoint %1").arg(checkpointId.left(10));
    } else {
        if (!m_controller->session())
            return refuse(tr("No session yet: its changes appear once the agent has worked."));
        const QString sessionId = m_controller->session()->state().sessionId;
        auto listed = checkpoints->list(sessionId); // newest first
        if (!listed || listed->empty())
            return refuse(tr("This session has no checkpoints yet."));
        const checkpoint::Checkpoint &newest = listed->front();
        QString from = listed->back().id;
        if (scope == ChangeScope::LastTurn) {
            const auto start = std::ranges::find_if(*listed, [](const checkpoint::Checkpoint &c) {
                return checkpoint::isTurnStartLabel(c.label);
            });
            if (start == listed->end())
                return refuse(tr("No turn has started in this session yet."));
            from = start->id;
        }
        if (from == newest.id)
            return refuse(tr("Nothing has changed since then."));
        changes = review::reviewSession(*checkpoints, sessionId, from, newest.id);
        title = scope == ChangeScope::LastTurn ? tr("The last turn") : tr("The whole session");
    }
    if (!changes)
        return refuse(changes.error().message);
    if (changes->files().empty())
        return refuse(tr("Nothing changed in that span."));
    diffView()->setReview(std::move(*changes), title);
    if (m_diff->isEmpty())
        m_diff->setContent(diffView());
    return true;
}

AppSettings *MainWindow::settings()
{
    if (!m_settings)
        m_settings = std::make_unique<AppSettings>();
    return m_settings.get();
}

KeyStore *MainWindow::keyStore()
{
    if (!m_keys)
        m_keys = new KeyStore(this);
    return m_keys;
}

void MainWindow::setSettings(std::unique_ptr<AppSettings> settings, KeyStore *keys)
{
    m_settings = std::move(settings);
    m_keys = keys;
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(settings(), keyStore(), m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::themeChanged, this, [](const QString &theme) { applyThemeName(*qApp, theme); });
    connect(dialog, &SettingsDialog::applied, this, &MainWindow::loadProviderFromSettings);
    dialog->open();
}

void MainWindow::loadProviderFromSettings()
{
    if (settings()->activeProvider().isEmpty())
        return; // no provider chosen: the demo stays on offer
    settings()->loadSessionConfig(keyStore(), this, [this](const Result<session::SessionConfig> &config) {
        if (!config) {
            statusBar()->showMessage(config.error().message, 15000);
            return;
        }
        setProvider(*config);
        if (!m_workspace.isEmpty() && !m_demo && !m_replay
            && (!m_controller->session() || !m_controller->session()->isRunning())) {
            if (auto started = startSession(*config); !started)
                statusBar()->showMessage(started.error().message, 10000);
        }
    });
}

bool MainWindow::undoLastTurn()
{
    const auto refuse = [this](const QString &why) {
        statusBar()->showMessage(why, 8000);
        return false;
    };
    session::AgentSession *session = m_controller->session();
    if (!session)
        return refuse(tr("Nothing to undo: no session yet."));
    const std::vector<ThreadEntry> &entries = session->state().entries;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->kind == ThreadEntry::Kind::Restore && !it->undoCheckpointId.isEmpty()) {
            previewRestore(it->undoCheckpointId); // the last thing done was a restore: undo it
            return true;
        }
        if (it->kind == ThreadEntry::Kind::Checkpoint && checkpoint::isTurnStartLabel(it->text)) {
            previewRestore(it->checkpointId);
            return true;
        }
    }
    return refuse(tr("Nothing to undo: no turn has taken a checkpoint yet."));
}

bool MainWindow::commitChanges()
{
    session::AgentSession *session = m_controller->session();
    if (!session) {
        statusBar()->showMessage(tr("Open a folder and start a task first: a commit records the session's work."), 8000);
        return false;
    }
    if (session->isRunning()) {
        statusBar()->showMessage(tr("A commit waits until the turn has ended: press Esc to interrupt it first."), 8000);
        return false;
    }
    const QString title = tr("Commit the changes");
    const QString label = tr("Every change in %1 is committed to the current branch. The message:")
                              .arg(QDir::toNativeSeparators(m_workspace));
    std::optional<QString> message;
    if (m_askText) {
        message = m_askText(title, label);
    } else {
        bool ok = false;
        const QString typed = QInputDialog::getMultiLineText(this, title, label, QString(), &ok);
        if (ok)
            message = typed;
    }
    if (!message || message->trimmed().isEmpty()) {
        statusBar()->showMessage(tr("Nothing was committed: a commit needs a message."), 8000);
        return false;
    }
    session->submit(protocol::CommitChanges{*message});
    return true;
}

void MainWindow::previewRestore(const QString &checkpointId)
{
    if (!m_controller->session())
        return;
    if (m_controller->session()->isRunning()) {
        statusBar()->showMessage(tr("A restore waits until the turn has ended: press Esc to interrupt it first."), 8000);
        return;
    }
    m_pendingRestore = checkpointId;
    m_controller->session()->submit(protocol::RestoreCheckpoint{checkpointId, protocol::RestoreScope::Files, true});
}

bool MainWindow::showWorkingTreeChanges(bool explain)
{
    if (m_workspace.isEmpty())
        return false;
    auto review = review::reviewWorkingTree(m_workspace);
    if (!review) {
        if (explain)
            statusBar()->showMessage(review.error().message, 8000);
        return false;
    }
    if (review->files().empty()) {
        if (explain)
            statusBar()->showMessage(tr("No uncommitted changes in %1").arg(QDir::toNativeSeparators(m_workspace)), 8000);
        return false;
    }
    diffView()->setReview(std::move(*review), tr("Uncommitted changes"));
    if (m_diff->isEmpty()) {
        m_diff->setContent(diffView());
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
