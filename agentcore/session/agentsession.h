#pragma once

#include "../protocol/agentevent.h"
#include "../protocol/agentop.h"
#include "../provider/modelcall.h"
#include "../provider/pricetable.h"
#include "../provider/providerconfig.h"
#include "../checkpoint/checkpointer.h"
#include "../policy/approvalpolicy.h"
#include "../policy/rules.h"
#include "../threadstate.h"
#include "../tools/tool.h"
#include "conversation.h"
#include "journal.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <deque>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace reins::session {

/// How a session runs.
struct SessionConfig
{
    provider::ProviderConfig provider; ///< includes the model and the key
    protocol::ApprovalMode approvalMode = protocol::ApprovalMode::Ask;
    int maxSteps = 50;              ///< model requests per turn
    bool interactive = false;       ///< false (headless): an action needing approval is denied
    QString workingDirectory;       ///< where AGENTS.md files are looked for down to; default the root
    std::optional<bool> thinking;
    QString reasoningEffort;
    qint64 contextWindowTokens = 128'000;
    double compactAt = 0.8;         ///< compact when a request's input passes this share of the window
    bool sandboxCommands = false;   ///< run commands in the sandbox outside full-auto too
    bool sandboxNetwork = true;     ///< a sandboxed command that uses the network may have it (asked for as ever)
    QString rulesFile;              ///< the person's rules; empty: the default in the configuration folder
    bool checkpoints = true;        ///< snapshot the workspace at each turn's start and after every change
    QString checkpointStore;        ///< where the stores live; empty: the default in the data folder
};

/// One agent session: operations in (submit), events out (event). The loop: a user turn → a model request →
/// tool calls, each through the approval gate → results back → again, until the model ends its turn or the step
/// budget runs out. Every event is journaled; the journal is made durable before each tool runs and at the end of
/// each turn. The conversation sent to the model is built from the events alone (see Conversation), so a session
/// resumed from its journal continues exactly where it was.
class AgentSession : public QObject
{
    Q_OBJECT
public:
    /// Starts a new session (sessionId empty) or resumes one from its journal.
    static Result<std::unique_ptr<AgentSession>> create(SessionConfig config, const QString &workspaceRoot,
                                                        const QString &resumeSessionId = {});
    ~AgentSession() override;

    void submit(const protocol::AgentOp &op);

    QString sessionId() const { return m_sessionId; }
    QString journalPath() const { return m_journal ? m_journal->path() : QString(); }
    const ThreadState &state() const { return m_state; }
    const SessionConfig &config() const { return m_config; }
    bool isRunning() const { return m_running; }
    /// The events so far, this run's and (when resumed) those replayed from the journal.
    const std::vector<protocol::AgentEvent> &events() const { return m_events; }

Q_SIGNALS:
    void event(const reins::protocol::AgentEvent &event);
    /// The turn ended and nothing is queued: the session waits for the person.
    void idle();

private:
    AgentSession(SessionConfig config, std::shared_ptr<workspace::Workspace> workspace);
    void emitEvent(protocol::EventPayload payload);
    void startTurn(const QString &text);
    void requestModel();
    void onModelFinished(const provider::ModelResponse &response);
    void nextToolCall();
    void execute(const provider::ToolCall &call, const QJsonObject &arguments,
                 std::optional<std::vector<tools::FileChange>> changes, const policy::PolicyDecision &decision,
                 const QString &summary = QString());
    void finishCall(const QString &callId, protocol::ToolOutcome outcome, const QString &result,
                    std::optional<int> exitCode = {}, qint64 durationMs = 0);
    void resolveApproval(const protocol::ResolveApproval &op);
    void interrupt();
    void endTurn(protocol::TurnEndReason reason, const QString &message = {});
    void completeTurn(protocol::TurnEndReason reason, const QString &message);
    void compact(bool requested);
    void checkpoint(const QString &label, const QString &callId, std::optional<QStringList> changedPaths);
    void restore(const protocol::RestoreCheckpoint &op);
    tools::Tool *tool(const QString &name) const;
    provider::ModelRequest buildRequest() const;

    SessionConfig m_config;
    std::shared_ptr<workspace::Workspace> m_workspace;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::vector<std::unique_ptr<tools::Tool>> m_tools;
    tools::FileTracker m_files;
    tools::ToolContext m_context;
    policy::RuleSet m_rules;
    QString m_rulesFile;
    std::unique_ptr<policy::ApprovalPolicy> m_policy;
    std::unique_ptr<checkpoint::Checkpointer> m_checkpoints;
    provider::PriceTable m_prices;
    std::optional<Journal> m_journal;
    QString m_sessionId;
    QString m_systemPrompt;

    ThreadState m_state;
    Conversation m_conversation;
    std::vector<protocol::AgentEvent> m_events;
    qint64 m_seq = 0;

    bool m_running = false;
    bool m_interrupting = false;
    bool m_compacting = false;
    /// The end of the turn, held back while a checkpoint of it is still being stored.
    std::optional<std::pair<protocol::TurnEndReason, QString>> m_ending;
    QString m_turnId;
    int m_turnCount = 0;
    int m_step = 0;
    qint64 m_lastInputTokens = 0;
    QStringList m_queue;
    std::unique_ptr<provider::ModelCall> m_call;
    std::deque<provider::ToolCall> m_pending;
    std::optional<provider::ToolCall> m_awaiting; ///< the call waiting for the person's decision
    policy::PolicyDecision m_awaitingDecision;
    tools::Tool *m_runningTool = nullptr;
    QString m_runningCallId;
    QElapsedTimer m_toolClock;
};

} // namespace reins::session
