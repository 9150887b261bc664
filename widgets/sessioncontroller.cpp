#include "sessioncontroller.h"

#include "chatview.h"
#include "diffview.h"
#include "sessionexport.h"

#include "provider/modellist.h"
#include "review/changereview.h"

#include <QDir>
#include <QFileDialog>
#include <QSaveFile>

namespace reins::widgets {

using namespace protocol;

SessionController::SessionController(ChatView *chat, DiffView *diff, QObject *parent)
    : QObject(parent), m_chat(chat)
{
    connect(m_chat, &ChatView::sendRequested, this, &SessionController::send);
    connect(m_chat, &ChatView::interruptRequested, this, &SessionController::interrupt);
    connect(m_chat, &ChatView::resolved, this, &SessionController::resolve);
    connect(m_chat, &ChatView::reviewRequested, this, &SessionController::openReview);
    connect(m_chat, &ChatView::commandRequested, this, [this](const QString &name, const QString &argument) {
        if (!runCommand(name, argument))
            Q_EMIT message(tr("Unknown command /%1. The commands: /model [NAME], /mode ask|auto-edit|full-auto|read-only, "
                              "/undo, /compact, /export [PATH], /clear.")
                               .arg(name));
    });
    setDiffView(diff);
}

SessionController::~SessionController() = default;

void SessionController::setDiffView(DiffView *diff)
{
    if (m_diff == diff)
        return;
    if (m_diff)
        disconnect(m_diff, nullptr, this, nullptr);
    m_diff = diff;
    if (m_diff)
        connect(m_diff, &DiffView::resolved, this, &SessionController::resolve);
}

Result<void> SessionController::start(session::SessionConfig config, const QString &workspace,
                                      const QString &resumeSessionId)
{
    config.interactive = true;
    auto created = session::AgentSession::create(std::move(config), workspace, resumeSessionId);
    if (!created)
        return std::unexpected(created.error());
    m_session = std::move(*created);
    connect(m_session.get(), &session::AgentSession::event, this, &SessionController::onEvent);
    m_chat->reset(m_session->state());
    return {};
}

void SessionController::send(const QString &text)
{
    if (m_session)
        m_session->submit(UserTurn{text});
}

void SessionController::interrupt()
{
    if (m_session)
        m_session->submit(Interrupt{});
}

void SessionController::resolve(const ResolveApproval &op)
{
    if (m_session)
        m_session->submit(op);
}

bool SessionController::runCommand(const QString &name, const QString &argument)
{
    if (!m_session)
        return false;
    if (name == u"compact") {
        m_session->submit(Compact{});
        return true;
    }
    if (name == u"mode") {
        const auto mode = enumFromName<ApprovalMode>(argument.trimmed());
        if (!mode) {
            Q_EMIT message(tr("/mode takes read-only, ask, auto-edit or full-auto."));
            return true;
        }
        m_session->submit(SetApprovalMode{*mode});
        return true;
    }
    if (name == u"model") {
        const QString model = argument.trimmed();
        if (!model.isEmpty()) {
            m_session->submit(SetModel{model});
            return true;
        }
        listModels();
        return true;
    }
    if (name == u"undo") {
        Q_EMIT undoRequested();
        return true;
    }
    if (name == u"export") {
        // /export PATH: .html gives one self-contained page, anything else Markdown. Secrets are redacted.
        QString path = argument.trimmed();
        if (path.isEmpty())
            path = QFileDialog::getSaveFileName(m_chat, tr("Export the session"),
                                                QDir::homePath() + u'/' + m_session->state().sessionId + u".md",
                                                tr("Markdown (*.md);;HTML (*.html)"));
        if (path.isEmpty())
            return true;
        const QStringList secrets{m_session->config().provider.apiKey};
        const QString text = path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive)
                                 ? exportHtml(m_session->state(), secrets)
                                 : exportMarkdown(m_session->state(), secrets);
        QSaveFile file(path);
        const QByteArray bytes = text.toUtf8();
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            Q_EMIT message(tr("The session could not be exported to %1: %2").arg(path, file.errorString()));
        else
            Q_EMIT message(tr("Session exported to %1").arg(path));
        return true;
    }
    if (name == u"clear") {
        m_chat->reset(ThreadState{});
        return true;
    }
    return false;
}

void SessionController::listModels()
{
    // The server's own list, so the person picks a name it knows.
    const provider::ProviderConfig config = m_session->config().provider;
    auto *list = new provider::ModelList(config, &m_network, this);
    connect(list, &provider::ModelList::finished, this, [this, list, config](const Result<QStringList> &models) {
        list->deleteLater();
        if (!models) {
            Q_EMIT message(tr("The model is %1. %2 did not list its models (%3); /model NAME switches to any name it "
                              "knows.")
                               .arg(config.model, config.displayName, models.error().message));
            return;
        }
        Q_EMIT message(tr("The model is %1. %2 offers: %3. /model NAME switches.")
                           .arg(config.model, config.displayName, models->join(QStringLiteral(", "))));
    });
    list->start();
}

void SessionController::onEvent(const AgentEvent &event)
{
    m_chat->apply(event, m_session->state());
    if (const auto *resolved = std::get_if<ApprovalResolved>(&event.payload);
        resolved && m_diff && m_diff->review().callId() == resolved->callId) {
        const bool approved = resolved->decision != ApprovalDecision::Deny && resolved->decision != ApprovalDecision::Abort;
        m_diff->settle(approved ? tr("Applied as reviewed") : tr("Denied"));
    }
    if (const auto *request = std::get_if<ApprovalRequested>(&event.payload); request && !request->files.empty())
        openReview(request->callId);
    Q_EMIT eventApplied(event);
}

void SessionController::openReview(const QString &callId)
{
    if (!m_diff && m_diffProvider)
        setDiffView(m_diffProvider());
    if (!m_diff || !m_session)
        return;
    for (const ThreadEntry &entry : m_session->state().entries) {
        if (entry.callId != callId || !entry.approval || entry.status != ToolStatus::AwaitingApproval)
            continue;
        auto review = review::ChangeReview::fromProposal(*entry.approval);
        if (!review) {
            Q_EMIT message(review.error().message);
            return;
        }
        m_diff->setReview(std::move(*review), tr("Proposed change"));
        m_diff->show();
        return;
    }
}

} // namespace reins::widgets
