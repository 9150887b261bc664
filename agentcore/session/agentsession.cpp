#include "agentsession.h"
#include "../overloaded.h"

#include "../checkpoint/repositorycommit.h"
#include "../tools/applypatchtool.h"
#include "../tools/editfiletool.h"
#include "../tools/listfilestool.h"
#include "../tools/readfiletool.h"
#include "../tools/runcommandtool.h"
#include "../tools/searchtool.h"
#include "../tools/updateplantool.h"
#include "../tools/writefiletool.h"
#include "../workspace/workspace.h"
#include "promptcontext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace reins::session {

using namespace protocol;
using provider::ModelResponse;
using provider::ToolCall;


AgentSession::AgentSession(SessionConfig config, std::shared_ptr<workspace::Workspace> workspace)
    : m_config(std::move(config))
    , m_workspace(std::move(workspace))
    , m_network(std::make_unique<QNetworkAccessManager>())
{
    m_tools.push_back(std::make_unique<tools::ReadFileTool>());
    m_tools.push_back(std::make_unique<tools::ListFilesTool>());
    m_tools.push_back(std::make_unique<tools::SearchTool>());
    m_tools.push_back(std::make_unique<tools::EditFileTool>());
    m_tools.push_back(std::make_unique<tools::WriteFileTool>());
    m_tools.push_back(std::make_unique<tools::ApplyPatchTool>());
    m_tools.push_back(std::make_unique<tools::RunCommandTool>());
    m_tools.push_back(std::make_unique<tools::UpdatePlanTool>());
    m_context.workspace = m_workspace;
    m_context.files = &m_files;
    m_context.output = [this](OutputStream stream, const QString &text) {
        emitEvent(ToolOutput{m_runningCallId, stream, text});
    };
    m_context.planUpdated = [this](const std::vector<PlanItem> &items) { emitEvent(PlanUpdated{items}); };
    const QString root = m_workspace->root();
    m_systemPrompt = systemPrompt(root, projectInstructions(root, m_config.workingDirectory));
}

AgentSession::~AgentSession()
{
    if (m_runningTool)
        m_runningTool->cancel();
    if (m_journal)
        (void)m_journal->sync();
}

Result<std::unique_ptr<AgentSession>> AgentSession::create(SessionConfig config, const QString &workspaceRoot,
                                                           const QString &resumeSessionId)
{
    auto workspace = workspace::Workspace::open(workspaceRoot);
    if (!workspace)
        return std::unexpected(workspace.error());
    std::unique_ptr<AgentSession> session(new AgentSession(std::move(config), *workspace));

    const QString userPrices =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/reins/prices.json");
    QString priceWarning;
    if (auto prices = provider::PriceTable::load(userPrices)) {
        session->m_prices = *prices;
    } else {
        priceWarning = prices.error().message + QStringLiteral(" — using the built-in prices only.");
        if (auto shipped = provider::PriceTable::load())
            session->m_prices = *shipped;
    }

    QString rulesWarning;
    session->m_rulesFile = session->m_config.rulesFile.isEmpty() ? policy::RuleSet::defaultFile() : session->m_config.rulesFile;
    if (auto rules = policy::RuleSet::load(session->m_rulesFile, session->m_workspace->root()))
        session->m_rules = std::move(*rules);
    else
        rulesWarning = rules.error().message + QStringLiteral(" — no saved rules apply to this session.");
    session->m_policy = std::make_unique<policy::ApprovalPolicy>(&session->m_rules, session->m_workspace->root(),
                                                                 exec::sandboxStatus());

    QString checkpointWarning;
    if (session->m_config.checkpoints) {
        if (auto checkpoints = checkpoint::Checkpointer::open(session->m_workspace->root(), session->m_config.checkpointStore))
            session->m_checkpoints = std::move(*checkpoints);
        else
            checkpointWarning = QStringLiteral("Checkpoints are off for this session: ") + checkpoints.error().message;
    }

    JournalContents previous;
    session->m_sessionId = resumeSessionId.isEmpty() ? Journal::newSessionId() : resumeSessionId;
    if (!resumeSessionId.isEmpty()) {
        auto contents = Journal::read(Journal::pathFor(resumeSessionId));
        if (!contents)
            return fail(QStringLiteral("cannot resume session %1: %2").arg(resumeSessionId, contents.error().message));
        previous = std::move(*contents);
    }
    auto journal = Journal::open(session->m_sessionId, {session->m_config.provider.apiKey});
    if (!journal)
        return std::unexpected(journal.error());
    session->m_journal = std::move(*journal);

    // Replay: the same reducers as live, so state and conversation are exactly as they were.
    for (AgentEvent &e : previous.events) {
        session->m_seq = std::max(session->m_seq, e.seq);
        session->m_state.apply(e);
        session->m_conversation.apply(e);
        if (const auto *turn = std::get_if<TurnStarted>(&e.payload))
            ++session->m_turnCount, session->m_turnId = turn->turnId;
        session->m_events.push_back(std::move(e));
    }
    const provider::ProviderConfig &p = session->m_config.provider;
    session->emitEvent(SessionStarted{session->m_sessionId, session->m_workspace->root(), p.id, p.model,
                                      session->m_config.approvalMode});
    for (const QString &warning : std::as_const(previous.warnings))
        session->emitEvent(Warning{warning});
    if (!priceWarning.isEmpty())
        session->emitEvent(Warning{priceWarning});
    if (!rulesWarning.isEmpty())
        session->emitEvent(Warning{rulesWarning});
    if (!checkpointWarning.isEmpty())
        session->emitEvent(Warning{checkpointWarning});
    const exec::SandboxStatus sandbox = exec::sandboxStatus();
    if (!sandbox.available && (session->m_config.approvalMode == ApprovalMode::FullAuto || session->m_config.sandboxCommands))
        session->emitEvent(Warning{QStringLiteral("Commands cannot be sandboxed: %1. Every command will ask first.")
                                       .arg(sandbox.reason)});
    if (session->m_state.running) {
        // The process ended in the middle of a turn: close it so the conversation is whole again.
        session->emitEvent(TurnCompleted{session->m_state.currentTurnId, TurnEndReason::Interrupted,
                                         QStringLiteral("Reins stopped during this turn; it was closed on resume.")});
    }
    if (session->m_checkpoints) {
        // Disk hygiene: past 2 GB, only the 20 most recent sessions keep their checkpoints.
        AgentSession *raw = session.get();
        session->m_checkpoints->pruneIfLarger(2'000'000'000LL, 20, [raw](Result<qint64> freed) {
            if (!freed)
                raw->emitEvent(Warning{QStringLiteral("The checkpoint store could not be pruned: ") + freed.error().message});
            else if (*freed > 0)
                raw->emitEvent(Warning{QStringLiteral("Old checkpoints were pruned: %1 MB freed.").arg(*freed / 1'000'000)});
        });
    }
    (void)session->m_journal->sync();
    return session;
}

void AgentSession::emitEvent(EventPayload payload)
{
    AgentEvent e{++m_seq, QDateTime::currentMSecsSinceEpoch(), std::move(payload)};
    m_state.apply(e);
    m_conversation.apply(e);
    if (m_journal)
        m_journal->append(e);
    m_events.push_back(e);
    Q_EMIT event(e);
}

tools::Tool *AgentSession::tool(const QString &name) const
{
    for (const auto &t : m_tools)
        if (t->name() == name)
            return t.get();
    return nullptr;
}

void AgentSession::submit(const AgentOp &op)
{
    std::visit(Overloaded{
                   [&](const UserTurn &o) {
                       if (m_running)
                           m_queue.append(o.text); // typed during a turn: it starts the next one
                       else
                           startTurn(o.text);
                   },
                   [&](const Interrupt &) { interrupt(); },
                   [&](const ResolveApproval &o) { resolveApproval(o); },
                   [&](const RestoreCheckpoint &o) { restore(o); },
                   [&](const Compact &) {
                       if (m_running)
                           emitEvent(Warning{QStringLiteral("Compaction waits until the turn has ended.")});
                       else
                           compact(true);
                   },
                   [&](const SetApprovalMode &o) {
                       if (m_config.approvalMode == o.mode)
                           return;
                       m_config.approvalMode = o.mode;
                       emitEvent(ApprovalModeChanged{o.mode});
                   },
                   [&](const SetModel &o) {
                       const QString model = o.model.trimmed();
                       if (model.isEmpty() || model == m_config.provider.model)
                           return;
                       m_config.provider.model = model;
                       emitEvent(ModelChanged{model});
                   },
                   [&](const CommitChanges &o) {
                       if (m_running) {
                           emitEvent(Warning{QStringLiteral("A commit waits until the turn has ended.")});
                           return;
                       }
                       auto commit = checkpoint::commitWorkingTree(m_workspace->root(), o.message);
                       if (commit)
                           emitEvent(Committed{commit->id, commit->branch, o.message.trimmed(), commit->filesChanged});
                       else
                           emitEvent(ErrorEvent{QStringLiteral("Nothing was committed: ") + commit.error().message, false,
                                                QStringLiteral("commit_refused")});
                   },
                   [&](const Shutdown &) {
                       interrupt();
                       if (m_journal)
                           (void)m_journal->sync();
                   },
               },
               op);
}

void AgentSession::startTurn(const QString &text)
{
    m_running = true;
    m_interrupting = false;
    m_step = 0;
    m_turnId = QStringLiteral("t%1").arg(++m_turnCount);
    emitEvent(TurnStarted{m_turnId, text});
    checkpoint(reins::checkpoint::turnStartLabel(m_turnId), {}, std::nullopt);
    requestModel();
}

provider::ModelRequest AgentSession::buildRequest() const
{
    provider::ModelRequest request;
    request.model = m_config.provider.model;
    request.system = m_systemPrompt;
    for (const auto &t : m_tools)
        request.tools.push_back(t->schema());
    request.messages = m_conversation.messages();
    request.thinking = m_config.thinking;
    request.reasoningEffort = m_config.reasoningEffort;
    return request;
}

void AgentSession::requestModel()
{
    if (m_step >= m_config.maxSteps) {
        endTurn(TurnEndReason::StepBudget,
                QStringLiteral("The step budget of %1 model requests for one turn ran out; the turn was ended. Send "
                               "a message to continue.")
                    .arg(m_config.maxSteps));
        return;
    }
    if (m_lastInputTokens > qint64(double(m_config.contextWindowTokens) * m_config.compactAt)) {
        compact(false);
        return; // compaction continues the turn when it is done
    }
    ++m_step;
    m_call = std::make_unique<provider::ModelCall>(m_config.provider, buildRequest(), m_network.get());
    connect(m_call.get(), &provider::ModelCall::streamEvent, this, [this](const provider::StreamEvent &e) {
        if (const auto *text = std::get_if<provider::TextDelta>(&e))
            emitEvent(AssistantDelta{text->text});
        else if (const auto *reasoning = std::get_if<provider::ReasoningDelta>(&e))
            emitEvent(ReasoningDelta{reasoning->text});
    });
    connect(m_call.get(), &provider::ModelCall::retrying, this, [this](const protocol::Retry &r) { emitEvent(r); });
    connect(m_call.get(), &provider::ModelCall::finished, this, &AgentSession::onModelFinished);
    m_call->start();
}

void AgentSession::onModelFinished(const ModelResponse &response)
{
    m_call.release()->deleteLater(); // we are inside its signal
    emitEvent(AssistantMessageDone{response.finishReason, response.incomplete, response.reasoningSignature});
    if (response.usage) {
        const auto cost = m_prices.cost(m_config.provider.id, m_config.provider.model, *response.usage,
                                        QDateTime::currentDateTimeUtc());
        emitEvent(Usage{*response.usage, cost ? std::optional<double>(cost->amount) : std::nullopt,
                        cost ? cost->currency : QString()});
        m_lastInputTokens = response.usage->inputTokens;
    }
    if (m_interrupting) {
        endTurn(TurnEndReason::Interrupted, QStringLiteral("Interrupted by the user."));
        return;
    }
    if (response.error) {
        emitEvent(ErrorEvent{response.error->message, response.error->retryable, response.error->code});
        endTurn(TurnEndReason::Error, response.error->message);
        return;
    }
    if (response.toolCalls.empty()) {
        endTurn(TurnEndReason::Done);
        return;
    }
    // All the calls of the response are proposed at once; they then run one after another.
    for (const ToolCall &call : response.toolCalls) {
        const QJsonDocument doc = QJsonDocument::fromJson(call.arguments.toUtf8());
        emitEvent(ToolCallProposed{call.id, call.name, doc.object(), doc.isObject() ? QString() : call.arguments});
        m_pending.push_back(call);
    }
    QMetaObject::invokeMethod(this, &AgentSession::nextToolCall, Qt::QueuedConnection);
}

void AgentSession::nextToolCall()
{
    if (!m_running || m_interrupting || m_ending || m_awaiting || m_runningTool || m_call || m_compacting)
        return;
    // A step runs only once the checkpoint of the state before it is stored; its callback calls us again.
    if (m_checkpoints && m_checkpoints->pending() > 0)
        return;
    if (m_pending.empty()) {
        requestModel();
        return;
    }
    const ToolCall call = m_pending.front();
    m_pending.pop_front();
    tools::Tool *t = tool(call.name);
    if (!t) {
        QStringList names;
        for (const auto &known : m_tools)
            names.append(known->name());
        finishCall(call.id, ToolOutcome::Failed,
                   QStringLiteral("There is no tool named '%1'. The tools are: %2.").arg(call.name, names.join(QStringLiteral(", "))));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(call.arguments.toUtf8(), &parseError);
    if (!doc.isObject()) {
        finishCall(call.id, ToolOutcome::Failed,
                   QStringLiteral("The arguments are not a JSON object (%1). Send the arguments as one JSON object "
                                  "matching the tool's schema.")
                       .arg(parseError.error == QJsonParseError::NoError ? QStringLiteral("not an object")
                                                                         : parseError.errorString()));
        return;
    }
    const QJsonObject arguments = doc.object();

    // File tools: the planned change gives the paths for the rules and the diff for the person. An edit that
    // cannot work (stale file, no match) is told to the model instead of being put to the person.
    ApprovalRequested request;
    policy::PolicyInput input{call.name, arguments, t->mutates(), {}, m_config.approvalMode, m_config.sandboxCommands,
                              m_config.sandboxNetwork};
    if (t->mutates() && call.name != QLatin1String("run_command")) {
        auto changes = t->plan(arguments, m_context);
        if (!changes) {
            finishCall(call.id, ToolOutcome::Failed, changes.error().message);
            return;
        }
        for (const tools::FileChange &c : *changes) {
            input.paths.append(c.path);
            if (!c.newPath.isEmpty() && c.newPath != c.path)
                input.paths.append(c.newPath);
        }
        request.diff = tools::describeChanges(*changes);
        request.files = tools::proposedFiles(*changes);
    }
    const policy::PolicyDecision decision = m_policy->decide(input);
    switch (decision.verdict) {
    case policy::Verdict::Allow:
        execute(call, arguments, std::nullopt, decision);
        return;
    case policy::Verdict::Deny:
        finishCall(call.id, ToolOutcome::Denied, decision.reason);
        return;
    case policy::Verdict::Ask:
        break;
    }
    request.callId = call.id;
    request.tool = call.name;
    request.arguments = arguments;
    request.cwd = m_workspace->root();
    request.sandbox = decision.sandboxState;
    request.risks = decision.risks;
    if (!decision.reason.isEmpty())
        request.risks.prepend(decision.reason);
    QStringList proposals;
    for (const policy::Rule &r : decision.proposed)
        proposals.append(r.pattern);
    request.rule = decision.matchedRule.isEmpty()
                       ? (proposals.isEmpty() ? QString()
                                              : QStringLiteral("allow %1 `%2`").arg(call.name == QLatin1String("run_command") ? call.name : QStringLiteral("edit"),
                                                                                    proposals.join(QStringLiteral("`, `"))))
                       : decision.matchedRule;
    request.ruleMatched = !decision.matchedRule.isEmpty();
    if (call.name == QLatin1String("run_command")) {
        request.command = arguments.value(QLatin1String("command")).toString();
        request.subcommands = decision.subcommands;
    }
    if (!m_config.interactive) {
        emitEvent(request);
        const QString reason = QStringLiteral("%1 needs the user's approval (approval mode %2), and none can be given "
                                              "in this headless run.")
                                   .arg(call.name, enumName(m_config.approvalMode));
        emitEvent(ApprovalResolved{call.id, ApprovalDecision::Deny, reason, {}});
        finishCall(call.id, ToolOutcome::Denied, QStringLiteral("Denied: ") + reason);
        return;
    }
    m_awaiting = call;
    m_awaitingDecision = decision;
    emitEvent(request);
}

void AgentSession::resolveApproval(const ResolveApproval &op)
{
    if (!m_awaiting || m_awaiting->id != op.callId) {
        emitEvent(Warning{QStringLiteral("No approval is pending for call %1.").arg(op.callId)});
        return;
    }
    const ToolCall call = *m_awaiting;
    m_awaiting.reset();
    policy::PolicyDecision decision = m_awaitingDecision;
    QJsonObject arguments = QJsonDocument::fromJson(call.arguments.toUtf8()).object();
    QString savedRule;
    if (op.decision == ApprovalDecision::ApproveSession || op.decision == ApprovalDecision::ApproveAlways) {
        const auto scope = op.decision == ApprovalDecision::ApproveSession ? policy::RuleScope::Session
                                                                          : policy::RuleScope::Workspace;
        QStringList described;
        for (policy::Rule rule : decision.proposed) {
            rule.scope = scope;
            m_rules.add(rule);
            described.append(rule.describe());
        }
        savedRule = described.join(QStringLiteral("; "));
        if (scope == policy::RuleScope::Workspace && !decision.proposed.empty()) {
            if (auto saved = m_rules.save(m_rulesFile, m_workspace->root()); !saved)
                emitEvent(Warning{QStringLiteral("The rule could not be saved: ") + saved.error().message});
        }
    }
    emitEvent(ApprovalResolved{call.id, op.decision, op.message, savedRule});
    switch (op.decision) {
    case ApprovalDecision::ApproveOnce:
    case ApprovalDecision::ApproveSession:
    case ApprovalDecision::ApproveAlways:
        execute(call, arguments, std::nullopt, decision);
        return;
    case ApprovalDecision::ApproveEdited: {
        if (call.name == QLatin1String("run_command") && op.editedCommand) {
            // The person's command is what runs; it is still analysed for the sandbox and network.
            arguments.insert(QStringLiteral("command"), *op.editedCommand);
            policy::PolicyDecision edited = m_policy->decide(
                {call.name, arguments, true, {}, m_config.approvalMode, m_config.sandboxCommands});
            execute(call, arguments, std::nullopt, edited);
            return;
        }
        auto changes = tool(call.name)->plan(arguments, m_context);
        if (changes && !op.reviewedFiles.empty()) {
            // Reviewed file by file: each planned change is dropped, kept, or given the person's version.
            std::vector<tools::FileChange> kept;
            for (tools::FileChange &change : *changes) {
                const auto reviewed = std::ranges::find(op.reviewedFiles, change.path, &ReviewedFile::path);
                if (reviewed != op.reviewedFiles.end() && !reviewed->accepted)
                    continue;
                if (reviewed != op.reviewedFiles.end() && reviewed->content)
                    change.after = reviewed->content->toUtf8();
                kept.push_back(std::move(change));
            }
            const QString review = op.message.isEmpty() ? QStringLiteral("Applied the person's review.") : op.message;
            if (kept.empty()) {
                finishCall(call.id, ToolOutcome::Denied, QStringLiteral("Nothing was written. ") + review);
                return;
            }
            execute(call, arguments, std::move(kept), decision, review);
            return;
        }
        if (changes && changes->size() == 1 && op.editedContent && changes->front().after) {
            changes->front().after = op.editedContent->toUtf8();
            execute(call, arguments, *changes, decision);
            return;
        }
        finishCall(call.id, ToolOutcome::Failed,
                   changes ? QStringLiteral("The person's edited version could not be applied to this call.")
                           : QStringLiteral("The change could not be planned again after the review: ")
                                 + changes.error().message);
        return;
    }
    case ApprovalDecision::Deny:
        finishCall(call.id, ToolOutcome::Denied,
                   op.message.isEmpty() ? QStringLiteral("Denied by the user.")
                                        : QStringLiteral("Denied by the user: ") + op.message);
        return;
    case ApprovalDecision::Abort:
        finishCall(call.id, ToolOutcome::Denied, QStringLiteral("Denied by the user, who ended the turn."));
        endTurn(TurnEndReason::Aborted, QStringLiteral("The user ended the turn."));
        return;
    }
}

void AgentSession::execute(const ToolCall &call, const QJsonObject &arguments,
                           std::optional<std::vector<tools::FileChange>> changes, const policy::PolicyDecision &decision,
                           const QString &summary)
{
    tools::Tool *t = tool(call.name);
    m_context.sandbox.reset();
    if (decision.sandboxed) {
        exec::SandboxSpec spec{m_workspace->root(), {m_workspace->absolute(QStringLiteral(".git"))}, decision.network};
        m_context.sandbox = spec;
    }
    QString safeId = call.id;
    safeId.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]")), QStringLiteral("_"));
    m_context.outputPath = Journal::directory() + u'/' + m_sessionId + u'.' + safeId.left(64) + QStringLiteral(".out");
    // Durable before acting: after a crash the journal shows what was about to run.
    if (m_journal)
        (void)m_journal->sync();
    m_runningTool = t;
    m_runningCallId = call.id;
    m_toolClock.start();
    emitEvent(ToolStarted{call.id, call.name});
    auto done = [this, id = call.id, name = call.name, mutates = t->mutates()](tools::ToolResult result) {
        m_runningTool = nullptr;
        const qint64 duration = m_toolClock.elapsed();
        const ToolOutcome outcome = m_interrupting ? ToolOutcome::Interrupted
                                                   : (result.ok ? ToolOutcome::Ok : ToolOutcome::Failed);
        // After every step that may have changed files — a command's side effects too, even a failed one.
        if (mutates) {
            const bool command = name == QLatin1String("run_command");
            if (command || !result.changedPaths.isEmpty())
                checkpoint(QStringLiteral("after %1").arg(name), id,
                           command ? std::nullopt : std::optional<QStringList>(result.changedPaths));
        }
        finishCall(id, outcome, result.text, result.exitCode, duration);
    };
    if (changes)
        done(tools::applyChanges(*changes, m_context,
                                 summary.isEmpty() ? QStringLiteral("Applied the person's edited version.") : summary));
    else
        t->start(arguments, m_context, done);
}

void AgentSession::finishCall(const QString &callId, ToolOutcome outcome, const QString &result,
                              std::optional<int> exitCode, qint64 durationMs)
{
    emitEvent(ToolFinished{callId, outcome, result, exitCode, durationMs});
    if (m_interrupting) {
        endTurn(TurnEndReason::Interrupted, QStringLiteral("Interrupted by the user."));
        return;
    }
    if (m_running)
        QMetaObject::invokeMethod(this, &AgentSession::nextToolCall, Qt::QueuedConnection);
}

void AgentSession::interrupt()
{
    if (!m_running || m_interrupting || m_ending)
        return;
    m_interrupting = true;
    if (m_call && m_call->isRunning()) {
        m_call->cancel(); // → onModelFinished
        return;
    }
    if (m_runningTool) {
        m_runningTool->cancel(); // → done → finishCall → endTurn
        return;
    }
    if (m_awaiting) {
        const QString id = m_awaiting->id;
        m_awaiting.reset();
        finishCall(id, ToolOutcome::Interrupted, QStringLiteral("Interrupted by the user before a decision."));
        return;
    }
    endTurn(TurnEndReason::Interrupted, QStringLiteral("Interrupted by the user."));
}

void AgentSession::checkpoint(const QString &label, const QString &callId, std::optional<QStringList> changedPaths)
{
    if (!m_checkpoints)
        return;
    checkpoint::SnapshotOptions options;
    options.label = label;
    options.session = m_sessionId;
    options.changedPaths = std::move(changedPaths);
    m_checkpoints->snapshot(options, [this, callId](Result<checkpoint::Checkpoint> result) {
        if (result) {
            QString label = result->label;
            if (result->partial)
                label += QStringLiteral(" (partial: %1)").arg(result->skipped.join(QStringLiteral("; ")));
            emitEvent(CheckpointCreated{result->id, callId, label, result->filesChanged, result->partial});
        } else {
            emitEvent(Warning{QStringLiteral("No checkpoint could be taken: ") + result.error().message});
        }
        if (!m_running || m_checkpoints->pending() > 0)
            return;
        if (m_ending) {
            const auto [reason, message] = *std::exchange(m_ending, std::nullopt);
            completeTurn(reason, message);
        } else {
            nextToolCall();
        }
    });
}

void AgentSession::restore(const RestoreCheckpoint &op)
{
    if (m_running) {
        emitEvent(Warning{QStringLiteral("A restore waits until the turn has ended; interrupt it first.")});
        return;
    }
    if (op.scope == RestoreScope::Conversation) {
        emitEvent(CheckpointRestored{op.checkpointId, op.scope, QString(), 0});
        return;
    }
    if (!m_checkpoints) {
        emitEvent(ErrorEvent{QStringLiteral("Checkpoints are off for this session, so nothing can be restored."), false,
                             QStringLiteral("no_checkpoints")});
        return;
    }
    m_checkpoints->planRestore(op.checkpointId, [this, op](Result<checkpoint::RestorePlan> plan) {
        if (!plan) {
            emitEvent(ErrorEvent{plan.error().message, false, QStringLiteral("restore_failed")});
            return;
        }
        if (op.dryRun) {
            emitEvent(RestorePlanned{plan->target, plan->write, plan->create, plan->remove, plan->editedSince});
            return;
        }
        const int files = int(plan->write.size() + plan->create.size() + plan->remove.size());
        m_checkpoints->restore(plan->target, m_sessionId, [this, op, files, target = plan->target](Result<checkpoint::Checkpoint> undo) {
            if (!undo) {
                emitEvent(ErrorEvent{QStringLiteral("The restore failed: ") + undo.error().message, false,
                                     QStringLiteral("restore_failed")});
                return;
            }
            emitEvent(CheckpointCreated{undo->id, {}, undo->label, undo->filesChanged, undo->partial});
            emitEvent(CheckpointRestored{target, op.scope, undo->id, files});
            m_files = tools::FileTracker(); // what the agent saw is no longer what is on disk
        });
    });
}

void AgentSession::endTurn(TurnEndReason reason, const QString &message)
{
    if (!m_running || m_ending)
        return;
    m_pending.clear();
    m_awaiting.reset();
    // A turn's checkpoints belong to it: the one taken as it started may still be storing when a short answer is
    // already done. The turn ends once they are stored, so that its end is the last thing it records and a restore
    // never races the store.
    if (m_checkpoints && m_checkpoints->pending() > 0) {
        m_ending.emplace(reason, message);
        return;
    }
    completeTurn(reason, message);
}

void AgentSession::completeTurn(TurnEndReason reason, const QString &message)
{
    m_running = false;
    m_interrupting = false;
    emitEvent(TurnCompleted{m_turnId, reason, message});
    if (m_journal)
        (void)m_journal->sync();
    if (!m_queue.isEmpty()) {
        const QString next = m_queue.takeFirst();
        QMetaObject::invokeMethod(this, [this, next] { startTurn(next); }, Qt::QueuedConnection);
        return;
    }
    Q_EMIT idle();
}

void AgentSession::compact(bool requested)
{
    if (m_compacting)
        return;
    const auto history = m_conversation.messages();
    if (history.size() < 2) {
        if (requested)
            emitEvent(Warning{QStringLiteral("There is nothing to compact yet.")});
        else
            m_lastInputTokens = 0, requestModel();
        return;
    }
    m_compacting = true;
    provider::ModelRequest request;
    request.model = m_config.provider.model;
    request.system = QStringLiteral("You summarise a coding session so that it can continue from the summary alone.");
    request.messages = history;
    request.messages.push_back(provider::ChatMessage{
        provider::ChatMessage::Role::User,
        QStringLiteral("Summarise the conversation so far for yourself: the task, decisions, what was changed (files "
                       "and how), what was verified, and what remains. Be complete but brief; no tool calls."),
        {}, {}, {}, {}, false});
    auto *call = new provider::ModelCall(m_config.provider, request, m_network.get(), this);
    connect(call, &provider::ModelCall::finished, this, [this, call, requested, history](const ModelResponse &r) {
        call->deleteLater();
        m_compacting = false;
        if (r.usage) {
            const auto cost = m_prices.cost(m_config.provider.id, m_config.provider.model, *r.usage,
                                            QDateTime::currentDateTimeUtc());
            emitEvent(Usage{*r.usage, cost ? std::optional<double>(cost->amount) : std::nullopt,
                            cost ? cost->currency : QString()});
        }
        if (r.error || r.text.trimmed().isEmpty()) {
            emitEvent(Warning{QStringLiteral("The conversation could not be compacted: %1")
                                  .arg(r.error ? r.error->message : QStringLiteral("the model gave no summary"))});
        } else {
            emitEvent(Compacted{r.text.trimmed(), int(history.size())});
        }
        m_lastInputTokens = 0;
        if (!requested && m_running)
            requestModel();
    });
    call->start();
}

} // namespace reins::session
