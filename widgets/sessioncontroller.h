#pragma once

// Wires one agent session to the window: the session's events go to the chat (and to whoever listens), the
// person's messages, commands, interruptions and decisions go back as operations. A proposed edit opens in the diff
// review view; its review comes back as the call's decision.

#include "error.h"
#include "session/agentsession.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <memory>

namespace reins::widgets {

class ChatView;
class DiffView;

class SessionController : public QObject
{
    Q_OBJECT
public:
    SessionController(ChatView *chat, DiffView *diff, QObject *parent = nullptr);
    ~SessionController() override;

    /// The diff view proposals open in; with a provider, it is asked for when the first proposal comes.
    void setDiffView(DiffView *diff);
    void setDiffViewProvider(std::function<DiffView *()> provider) { m_diffProvider = std::move(provider); }

    /// Starts a session on `workspace` (or resumes `resumeSessionId`).
    Result<void> start(session::SessionConfig config, const QString &workspace, const QString &resumeSessionId = {});
    session::AgentSession *session() const { return m_session.get(); }

    void send(const QString &text);
    void interrupt();
    void resolve(const protocol::ResolveApproval &op);
    /// Slash commands from the input box: /model [NAME], /mode NAME, /undo, /compact, /export [PATH], /clear (the chat
    /// only). False for an unknown one.
    bool runCommand(const QString &name, const QString &argument);

Q_SIGNALS:
    void eventApplied(const reins::protocol::AgentEvent &event);
    /// A sentence for the status bar (an unknown command, a review that could not be built).
    void message(const QString &text);
    /// /undo: put the files back as they were before the last turn (the window previews and asks first).
    void undoRequested();

private:
    void onEvent(const protocol::AgentEvent &event);
    void openReview(const QString &callId);
    void listModels();

    ChatView *m_chat;
    DiffView *m_diff = nullptr;
    std::function<DiffView *()> m_diffProvider;
    std::unique_ptr<session::AgentSession> m_session;
    QNetworkAccessManager m_network;
};

} // namespace reins::widgets
