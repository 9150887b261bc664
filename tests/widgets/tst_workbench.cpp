// The whole window, offscreen: the embedded demo plays to its end through the chat, the diff review and an
// approval card; the timeline holds its checkpoints; a restore is previewed, done, and undone.

#include "appsettings.h"
#include "assistantcard.h"
#include "chatinput.h"
#include "chatview.h"
#include "demoautopilot.h"
#include "diffview.h"
#include "keystore.h"
#include "mainwindow.h"
#include "memorykeybackend.h"
#include "pane.h"
#include "planview.h"
#include "providerspage.h"
#include "replaycontroller.h"
#include "demo/scriptedmodelserver.h"
#include "session/journal.h"
#include "sessioncontroller.h"
#include "settingsdialog.h"
#include "timelinemodel.h"
#include "timelineview.h"
#include "toolcard.h"

#include <QComboBox>
#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QRadioButton>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::widgets;
using namespace Qt::StringLiterals;

namespace {

QByteArray read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

bool ended(const MainWindow &window)
{
    const session::AgentSession *session = window.controller()->session();
    return session && !session->isRunning() && !session->state().entries.empty()
           && session->state().entries.back().kind == ThreadEntry::Kind::TurnEnd;
}

} // namespace

class TstWorkbench : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        qputenv("XDG_STATE_HOME", m_home.filePath(u"state"_s).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(u"config"_s).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(u"data"_s).toUtf8());
    }
    void demoPlaysToItsEnd();
    void demoPlaysItself();
    void firstTaskWithoutATerminal();

private:
    QTemporaryDir m_home;
};

void TstWorkbench::demoPlaysToItsEnd()
{
    MainWindow window;
    window.resize(1500, 900);
    window.show();
    QVERIFY(!window.hasProvider());
    QVERIFY(window.chatPane()->isEmpty()); // the first screen: the demo offered
    auto started = window.startDemo();
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    QVERIFY(!window.chatPane()->isEmpty());
    QVERIFY(!window.timelinePane()->isEmpty());
    const QString price = window.workspace() + u"/price.py"_s;
    const QByteArray buggy = read(price);
    QVERIFY(buggy.contains("// 100 + 1"));

    // The edit waits in the diff review: nothing written yet.
    QTRY_VERIFY_WITH_TIMEOUT(window.diffView()->review().isProposal() && window.diffView()->isVisible(), 20'000);
    QCOMPARE(read(price), buggy);
    QCOMPARE(window.diffView()->review().hunkCount(), 1);
    window.diffView()->acceptAll();
    window.diffView()->submit();
    QTRY_VERIFY_WITH_TIMEOUT(window.diffView()->isSettled(), 10'000); // decided: kept to read, no longer to decide
    QCOMPARE(window.diffView()->scope(), u"Applied as reviewed"_s);

    // Then the approval card for running the tests.
    ToolCard *card = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((card = window.chatView()->toolCard(u"call_test_1"_s)) && card->isAwaitingApproval(), 20'000);
    QVERIFY(card->approveButton()->isVisible());
    QTest::mouseClick(card->approveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(ended(window), 30'000);
    QVERIFY(!read(price).contains("// 100 + 1"));
    const ThreadState &state = window.controller()->session()->state();
    QVERIFY(state.totalCost > 0);
    QCOMPARE(state.plan.size(), size_t(3));
    QVERIFY(window.planView()->isVisible());
    QCOMPARE(window.planView()->summary(), u"Plan — 3 of 3 done"_s);
    QCOMPARE(window.planView()->progress(), 3);

    // The timeline: every step, checkpoints among them.
    TimelineModel *model = window.timelineModel();
    QCOMPARE(model->rowCount(), int(state.entries.size()));
    QString beforeEdit;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(TimelineModel::KindRole).toInt() == int(ThreadEntry::Kind::Checkpoint) && beforeEdit.isEmpty())
            beforeEdit = index.data(TimelineModel::CheckpointIdRole).toString(); // the turn's start
    }
    QVERIFY(!beforeEdit.isEmpty());

    // The scopes of the diff review: the last turn and the whole session changed price.py, and the agent did it.
    QVERIFY(window.showChanges(MainWindow::ChangeScope::LastTurn));
    QCOMPARE(window.diffView()->scope(), u"The last turn"_s);
    QCOMPARE(window.diffView()->review().files().size(), size_t(1));
    QCOMPARE(window.diffView()->review().files().front().diff.newPath, u"price.py"_s);
    QCOMPARE(window.diffView()->review().files().front().author, review::Author::Agent);
    QVERIFY(window.showChanges(MainWindow::ChangeScope::WholeSession));
    QVERIFY(window.showChanges(MainWindow::ChangeScope::SinceCheckpoint, beforeEdit));
    QCOMPARE(window.diffView()->review().files().front().diff.newPath, u"price.py"_s);
    QVERIFY(!window.showChanges(MainWindow::ChangeScope::SinceCheckpoint)); // nothing selected: it says so

    // Restore with preview: the bug comes back; the restore is undone: the fix comes back.
    QString preview;
    window.setConfirm([&](const QString &, const QString &text) {
        preview = text;
        return true;
    });
    const QByteArray fixed = read(price);
    window.previewRestore(beforeEdit);
    QTRY_VERIFY_WITH_TIMEOUT(read(price) == buggy, 10'000);
    QVERIFY2(preview.contains(u"price.py"_s), qPrintable(preview));
    QString undo;
    QTRY_VERIFY_WITH_TIMEOUT(!(undo = window.controller()->session()->state().entries.back().undoCheckpointId).isEmpty(),
                             10'000);
    window.previewRestore(undo);
    QTRY_VERIFY_WITH_TIMEOUT(read(price) == fixed, 10'000);

    // /undo from the input box: the last thing done was a restore, so /undo takes it back — and again.
    const auto command = [&](const QString &text) {
        window.chatView()->input()->setPlainText(text);
        QTest::keyClick(window.chatView()->input(), Qt::Key_Return);
    };
    command(u"/undo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(read(price) == buggy, 10'000);
    command(u"/undo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(read(price) == fixed, 10'000);

    // Commit from the window, into a real repository, checked with git itself.
    const auto git = [&](const QStringList &arguments) {
        QProcess process;
        process.setWorkingDirectory(window.workspace());
        process.start(u"git"_s, arguments);
        process.waitForFinished();
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    };
    git({u"init"_s, u"-q"_s});
    git({u"config"_s, u"user.name"_s, u"Reins Test"_s});
    git({u"config"_s, u"user.email"_s, u"test@example.org"_s});
    window.setAskText([](const QString &, const QString &) { return std::optional<QString>(); });
    QVERIFY(!window.commitChanges()); // no message, no commit
    window.setAskText([](const QString &, const QString &label) {
        return label.contains(u"committed"_s) ? std::optional<QString>(u"Fix the discount"_s) : std::nullopt;
    });
    QVERIFY(window.commitChanges());
    QTRY_COMPARE_WITH_TIMEOUT(git({u"log"_s, u"-1"_s, u"--format=%s"_s}), u"Fix the discount"_s, 10'000);
    QCOMPARE(git({u"status"_s, u"--porcelain"_s}), QString());
    QCOMPARE(git({u"show"_s, u"HEAD:price.py"_s}).toUtf8(), fixed.trimmed());
    QCOMPARE(window.controller()->session()->state().entries.back().kind, ThreadEntry::Kind::Commit);

    // /model NAME: the next request goes to that model, and the status bar says so.
    command(u"/model deepseek-reasoner"_s);
    QCOMPARE(window.controller()->session()->config().provider.model, u"deepseek-reasoner"_s);
    QCOMPARE(window.controller()->session()->state().model, u"deepseek-reasoner"_s);

    // Shift+Tab cycles the approval mode, from the input box too.
    QCOMPARE(window.controller()->session()->state().approvalMode, protocol::ApprovalMode::Ask);
    window.activateWindow();
    window.chatView()->input()->setFocus();
    QTest::keyClick(window.chatView()->input(), Qt::Key_Backtab, Qt::ShiftModifier);
    QTRY_COMPARE(window.controller()->session()->state().approvalMode, protocol::ApprovalMode::AutoEdit);

    // The folder's sessions are listed, with how they began.
    const auto sessions = window.sessionsOfWorkspace();
    QCOMPARE(sessions.size(), size_t(1));
    QCOMPARE(sessions.front().id, window.controller()->session()->state().sessionId);
    QVERIFY(sessions.front().firstMessage.startsWith(u"The discount test fails"_s));
    QVERIFY(!window.resumeSession(sessions.front().id)); // no provider: it says how to get one

    // The session's journal replays in a window of its own, nothing executed.
    MainWindow trainer;
    const QString journal = session::Journal::pathFor(window.controller()->session()->state().sessionId);
    auto opened = trainer.openReplay(journal);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    QVERIFY(!trainer.chatPane()->isEmpty());
    trainer.replay()->jumpTo(trainer.replay()->stepCount());
    QCOMPARE(trainer.timelineModel()->rowCount(), int(window.controller()->session()->state().entries.size()));
    QCOMPARE(read(price), fixed);
}

// --demo-play: the demo answers its own approvals up to the stop asked for — at "command" the edit is written and the
// command card waits; at "restore" the demo ran to its end and the turn was undone from its first checkpoint.
void TstWorkbench::demoPlaysItself()
{
    {
        MainWindow window;
        window.show();
        new DemoAutopilot(&window, DemoAutopilot::Stop::Command, 10);
        QVERIFY(window.startDemo());
        const QString price = window.workspace() + u"/price.py"_s;
        ToolCard *card = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((card = window.chatView()->toolCard(u"call_test_1"_s)) && card->isAwaitingApproval(), 20'000);
        QVERIFY(!read(price).contains("// 100 + 1")); // the edit was accepted in the diff review
        QTest::qWait(100);
        QVERIFY(card->isAwaitingApproval()); // and the command waits for the person
    }
    MainWindow window;
    window.show();
    new DemoAutopilot(&window, DemoAutopilot::Stop::Restore, 10);
    QVERIFY(window.startDemo());
    const QString price = window.workspace() + u"/price.py"_s;
    const QByteArray buggy = read(price);
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->session()->state().entries.empty()
                                 && window.controller()->session()->state().entries.back().kind == ThreadEntry::Kind::Restore,
                             30'000);
    QTRY_COMPARE_WITH_TIMEOUT(read(price), buggy, 10'000);
    QVERIFY(window.controller()->session()->state().totalCost > 0);
    QVERIFY(!window.controller()->session()->state().entries.back().undoCheckpointId.isEmpty());
}

// The whole loop of a person who never opens a terminal: open a folder, add a provider and its key in Settings (the
// model picked from the server's own list), and the task runs against that server with that key.
void TstWorkbench::firstTaskWithoutATerminal()
{
    const QString key = u"sk-from-settings-42"_s;
    const QJsonObject auth{{u"authorization"_s, QString(u"Bearer "_s + key)}};
    const QJsonObject models{
        {u"expect"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"path"_s, u"/models"_s}, {u"headers"_s, auth}}},
        {u"body"_s, QJsonObject{{u"data"_s, QJsonArray{QJsonObject{{u"id"_s, u"deepseek-chat"_s}},
                                                      QJsonObject{{u"id"_s, u"deepseek-reasoner"_s}}}}}}};
    const QJsonObject answer{
        {u"expect"_s, QJsonObject{{u"path"_s, u"/chat/completions"_s},
                                  {u"headers"_s, auth},
                                  {u"json"_s, QJsonObject{{u"model"_s, u"deepseek-reasoner"_s}}}}},
        {u"events"_s, QJsonArray{QJsonObject{{u"data"_s, QJsonObject{{u"choices"_s, QJsonArray{QJsonObject{
                                     {u"delta"_s, QJsonObject{{u"content"_s, u"Hello from the server."_s}}},
                                     {u"finish_reason"_s, u"stop"_s}}}}}}},
                                 QJsonObject{{u"data"_s, u"[DONE]"_s}}}}};
    demo::ScriptedModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario({{u"exchanges"_s, QJsonArray{models, answer}}}));
    QTemporaryDir folder;
    QFile readme(folder.filePath(u"README.md"_s));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("# A project\n");
    readme.close();

    MainWindow window;
    window.resize(1400, 900);
    window.show();
    auto *keys = new KeyStore(std::make_unique<MemoryKeyBackend>(true), &window);
    window.setSettings(std::make_unique<AppSettings>(m_home.filePath(u"first-task.conf"_s)), keys);
    QVERIFY(window.openFolder(folder.path()));
    QVERIFY(!window.controller()->session()); // no provider yet: the demo is offered instead

    window.openSettings();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SettingsDialog *>()) && dialog->isVisible());
    ProvidersPage *page = dialog->providersPage();
    page->providerBox()->setCurrentIndex(page->providerBox()->findData(u"deepseek"_s));
    const auto type = [](QLineEdit *edit, const QString &text) { // as a person does: select all, type
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    };
    type(page->baseUrlEdit(), server.baseUrl());
    QTest::mouseClick(page->keychainOption(), Qt::LeftButton, {}, QPoint(4, 4));
    type(page->keyEdit(), key);
    QTest::mouseClick(page->fetchButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page->modelBox()->count(), 2, 10'000);
    page->modelBox()->setCurrentIndex(page->modelBox()->findText(u"deepseek-reasoner"_s));
    page->useBox()->setChecked(true);
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    // Saved: a session starts on the open folder with that provider, and the first task runs.
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->session(), 10'000);
    QCOMPARE(window.controller()->session()->config().provider.model, u"deepseek-reasoner"_s);
    window.chatView()->input()->setPlainText(u"Say hello"_s);
    QTest::keyClick(window.chatView()->input(), Qt::Key_Return);
    const auto story = [&] { // what happened, for a failure
        QStringList lines = server.failures();
        lines << u"requests: %1"_s.arg(server.requests().size());
        for (const ThreadEntry &entry : window.controller()->session()->state().entries)
            lines << u"entry %1: %2"_s.arg(int(entry.kind)).arg(entry.text.left(80));
        return lines.join(u'\n');
    };
    QTRY_VERIFY2_WITH_TIMEOUT(ended(window), qPrintable(story()), 30'000);
    QVERIFY2(server.finishedCleanly(), qPrintable(story()));
    bool shown = false;
    for (int i = 0; i < window.chatView()->cardCount(); ++i)
        if (AssistantCard *card = window.chatView()->assistantCard(window.chatView()->earlierCount() + i))
            shown = shown || card->renderedText().contains(u"Hello from the server."_s);
    QVERIFY(shown);
    QVERIFY(!read(window.settings()->fileName()).contains(key.toUtf8())); // the key is in the keychain only
}

QTEST_MAIN(TstWorkbench)
#include "tst_workbench.moc"
