#include "toolcard.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace reins::widgets {

using protocol::ApprovalDecision;

namespace {

QString shortArguments(const ThreadEntry &entry)
{
    const QJsonObject &a = entry.arguments;
    const auto text = [&](const char *key) { return a.value(QLatin1StringView(key)).toString(); };
    if (entry.tool == u"run_command")
        return QStringLiteral("`%1`").arg(text("command").section(u'\n', 0, 0).left(120));
    if (!text("path").isEmpty())
        return text("path");
    if (!text("pattern").isEmpty())
        return QStringLiteral("“%1”").arg(text("pattern").left(80));
    return {};
}

QString verb(const QString &tool)
{
    if (tool == u"read_file")
        return QObject::tr("Read");
    if (tool == u"list_files")
        return QObject::tr("Listed");
    if (tool == u"search")
        return QObject::tr("Searched");
    if (tool == u"edit_file" || tool == u"write_file" || tool == u"apply_patch")
        return QObject::tr("Edit");
    if (tool == u"run_command")
        return QObject::tr("Run");
    if (tool == u"update_plan")
        return QObject::tr("Plan");
    return tool;
}

QString formatDuration(qint64 ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

ToolCard::ToolCard(const ThreadEntry &entry, QWidget *parent)
    : QFrame(parent),
      m_callId(entry.callId),
      m_tool(entry.tool),
      m_layout(new QVBoxLayout(this)),
      m_toggle(new QToolButton(this)),
      m_title(new QLabel(this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("toolCard"));
    setFrameShape(QFrame::StyledPanel);
    m_layout->setContentsMargins(8, 4, 8, 4);
    m_layout->setSpacing(4);
    auto *header = new QHBoxLayout;
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setAutoRaise(true);
    m_toggle->setCheckable(true);
    header->addWidget(m_toggle);
    m_title->setTextFormat(Qt::PlainText);
    // The chat is narrow: long titles are cut, never widen the card past the pane.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(40);
    header->addWidget(m_title, 1);
    header->addWidget(m_status);
    m_layout->addLayout(header);
    // The details (arguments, output, result) and the approval part are made when first shown: a session opens
    // with most cards collapsed and decided, and each part is a dozen widgets its first page would otherwise make.
    connect(m_toggle, &QToolButton::toggled, this, &ToolCard::setExpanded);
    update(entry);
}

void ToolCard::makeDetails()
{
    if (m_details)
        return;
    m_details = new QWidget(this);
    m_arguments = new QLabel(m_details);
    m_output = new QPlainTextEdit(m_details);
    m_result = new QLabel(m_details);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(22, 0, 0, 0);
    m_arguments->setFont(mono);
    m_arguments->setTextFormat(Qt::PlainText);
    m_arguments->setWordWrap(true);
    m_arguments->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_arguments->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_output->setMaximumHeight(180);
    m_output->hide();
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details->addWidget(m_arguments);
    details->addWidget(m_output);
    details->addWidget(m_result);
    m_details->hide();
    m_layout->insertWidget(1, m_details); // under the header, above the approval part
    showDetails();
}

void ToolCard::showDetails()
{
    if (!m_details)
        return;
    m_arguments->setText(QString::fromUtf8(QJsonDocument(m_argumentsJson).toJson(QJsonDocument::Indented)).trimmed());
    if (!m_outputText.isEmpty()) {
        if (m_output->toPlainText() != m_outputText)
            m_output->setPlainText(m_outputText);
        m_output->show();
    }
    m_result->setText(m_resultText);
    m_result->setVisible(!m_resultText.isEmpty());
}

void ToolCard::makeApproval()
{
    if (m_approval)
        return;
    m_approval = new QWidget(this);
    m_approvalText = new QLabel(m_approval);
    m_review = new QPushButton(tr("Review changes"), m_approval);
    m_approve = new QPushButton(tr("&Yes"), m_approval);
    m_session = new QPushButton(tr("&Session"), m_approval);
    m_always = new QPushButton(tr("&Always"), m_approval);
    m_edit = new QPushButton(tr("&Edit…"), m_approval);
    m_deny = new QPushButton(tr("&No…"), m_approval);
    auto *approval = new QVBoxLayout(m_approval);
    approval->setContentsMargins(22, 2, 0, 2);
    m_approvalText->setTextFormat(Qt::RichText);
    m_approvalText->setWordWrap(true);
    m_approvalText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    approval->addWidget(m_approvalText);
    // Three buttons a row at most: the chat pane is narrow, and a card never grows wider than the pane. The rows
    // are filled in update(), with the buttons that apply to this call.
    m_buttons = new QGridLayout;
    m_buttons->setHorizontalSpacing(6);
    m_buttons->setVerticalSpacing(4);
    approval->addLayout(m_buttons);
    m_review->setToolTip(tr("Open the proposed change in the Changes pane"));
    m_approve->setToolTip(tr("Yes, this once (Alt+Y)"));
    m_session->setToolTip(tr("Yes, and the same for the rest of this session (Alt+S)"));
    m_always->setToolTip(tr("Yes, and save a rule for this folder (Alt+A)"));
    m_edit->setToolTip(tr("Change the command, then run it (Alt+E)"));
    m_deny->setToolTip(tr("No, and tell the agent why (Alt+N)"));
    m_approval->hide();
    m_layout->addWidget(m_approval);
    connect(m_review, &QPushButton::clicked, this, [this] { Q_EMIT reviewRequested(m_callId); });
    connect(m_approve, &QPushButton::clicked, this, [this] { decide(ApprovalDecision::ApproveOnce); });
    connect(m_session, &QPushButton::clicked, this, [this] { decide(ApprovalDecision::ApproveSession); });
    connect(m_always, &QPushButton::clicked, this, [this] { decide(ApprovalDecision::ApproveAlways); });
    connect(m_edit, &QPushButton::clicked, this, &ToolCard::editAndApprove);
    connect(m_deny, &QPushButton::clicked, this, &ToolCard::deny);
}

QPushButton *ToolCard::approvalButton(QPushButton *ToolCard::*which) const
{
    const_cast<ToolCard *>(this)->makeApproval(); // made on first need, by whoever needs it first
    return this->*which;
}

QString ToolCard::title() const
{
    return m_title->text();
}

QString ToolCard::approvalText() const
{
    return m_approvalText ? m_approvalText->text() : QString();
}

QString ToolCard::statusText() const
{
    return m_status->text();
}

bool ToolCard::isExpanded() const
{
    return m_details && m_details->isVisible();
}

bool ToolCard::isAwaitingApproval() const
{
    return m_awaiting;
}

void ToolCard::setExpanded(bool expanded)
{
    const QSignalBlocker blocker(m_toggle);
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (expanded)
        makeDetails();
    if (m_details)
        m_details->setVisible(expanded);
}

void ToolCard::update(const ThreadEntry &entry)
{
    m_command = entry.arguments.value(QLatin1String("command")).toString();
    const QString what = shortArguments(entry);
    m_title->setText(what.isEmpty() ? verb(entry.tool) : verb(entry.tool) + u' ' + what);
    m_title->setToolTip(entry.tool);
    QString status;
    switch (entry.status) {
    case ToolStatus::Proposed: status = tr("proposed"); break;
    case ToolStatus::AwaitingApproval: status = tr("waiting for you"); break;
    case ToolStatus::Approved: status = tr("approved"); break;
    case ToolStatus::Running: status = tr("running…"); break;
    case ToolStatus::Succeeded: status = tr("✓ done"); break;
    case ToolStatus::Failed: status = tr("✗ failed"); break;
    case ToolStatus::Denied: status = tr("✗ denied"); break;
    case ToolStatus::Interrupted: status = tr("■ interrupted"); break;
    }
    if (entry.exitCode)
        status += tr(" · exit %1").arg(*entry.exitCode);
    if (entry.durationMs > 0)
        status += u" · " + formatDuration(entry.durationMs);
    m_status->setText(status);

    m_argumentsJson = entry.arguments;
    m_outputText = entry.output;
    m_resultText = entry.result;

    m_awaiting = entry.status == ToolStatus::AwaitingApproval && entry.approval.has_value();
    if (m_awaiting) {
        makeApproval();
        const protocol::ApprovalRequested &a = *entry.approval;
        const bool command = entry.tool == u"run_command";
        QString html;
        if (command) {
            html += tr("<b>The agent wants to run:</b><pre>%1</pre>").arg(a.command.toHtmlEscaped());
            if (a.subcommands.size() > 1) {
                html += tr("<b>That is %1 commands:</b><ul>").arg(a.subcommands.size());
                for (const QString &sub : a.subcommands)
                    html += QStringLiteral("<li><code>%1</code></li>").arg(sub.toHtmlEscaped());
                html += QStringLiteral("</ul>");
            }
        } else {
            html += tr("<b>The agent proposes to change %1.</b> Review it in the Changes pane, change by change — "
                       "nothing is written until you decide.")
                        .arg(a.files.size() == 1 ? a.files.front().path.toHtmlEscaped()
                                                 : tr("%1 files").arg(a.files.size()));
        }
        for (const QString &risk : a.risks)
            html += QStringLiteral("<div>⚠ %1</div>").arg(risk.toHtmlEscaped());
        if (!a.sandbox.isEmpty())
            html += tr("<div>Sandbox: %1</div>").arg(a.sandbox.toHtmlEscaped());
        // A rule of the person's that asks is already named among the reasons; one that "Always" would save is said
        // as such, so that the button's effect is read before it is pressed.
        const bool offerRule = !a.rule.isEmpty() && !a.ruleMatched;
        if (offerRule)
            html += tr("<div><b>Always</b> saves the rule: %1</div>").arg(a.rule.toHtmlEscaped());
        m_approvalText->setText(html);
        QList<QPushButton *> shown;
        if (!command)
            shown << m_review;
        shown << m_approve;
        if (offerRule) // never offered against a rule of the person's own that says to ask
            shown << m_session << m_always;
        if (command)
            shown << m_edit;
        shown << m_deny;
        for (QPushButton *button : {m_review, m_approve, m_session, m_always, m_edit, m_deny}) {
            m_buttons->removeWidget(button);
            button->setVisible(shown.contains(button));
        }
        for (qsizetype i = 0; i < shown.size(); ++i)
            m_buttons->addWidget(shown[i], int(i / 3), int(i % 3));
        m_approve->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Y));
        m_deny->setShortcut(QKeySequence(Qt::ALT | Qt::Key_N));
        m_session->setShortcut(QKeySequence(Qt::ALT | Qt::Key_S));
        m_always->setShortcut(QKeySequence(Qt::ALT | Qt::Key_A));
        m_edit->setShortcut(QKeySequence(Qt::ALT | Qt::Key_E));
    } else if (m_approval) {
        for (QPushButton *button : {m_approve, m_deny, m_session, m_always, m_edit})
            button->setShortcut({});
    }
    if (m_approval)
        m_approval->setVisible(m_awaiting);
    if (entry.decision && !m_awaiting && !entry.decisionMessage.isEmpty())
        m_resultText = entry.result.isEmpty() ? entry.decisionMessage : entry.result;
    showDetails();
}

void ToolCard::decide(ApprovalDecision decision)
{
    if (!m_awaiting)
        return;
    m_awaiting = false;
    Q_EMIT resolved({m_callId, decision, std::nullopt, std::nullopt, QString()});
}

void ToolCard::deny()
{
    if (!m_awaiting)
        return;
    std::optional<QString> reason;
    const QString title = tr("Why not? The agent reads your answer (optional).");
    if (m_prompt) {
        reason = m_prompt(title, QString());
    } else {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Deny"), title, QString(), &ok);
        if (ok)
            reason = text;
    }
    if (!reason)
        return;
    m_awaiting = false;
    Q_EMIT resolved({m_callId, ApprovalDecision::Deny, std::nullopt, std::nullopt, reason->trimmed()});
}

void ToolCard::editAndApprove()
{
    if (!m_awaiting || m_tool != u"run_command")
        return;
    std::optional<QString> edited;
    const QString title = tr("Edit the command, then run it");
    if (m_prompt) {
        edited = m_prompt(title, m_command);
    } else {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Edit command"), title, m_command, &ok);
        if (ok)
            edited = text;
    }
    if (!edited || edited->trimmed().isEmpty())
        return;
    m_awaiting = false;
    Q_EMIT resolved({m_callId, ApprovalDecision::ApproveEdited, std::nullopt, edited->trimmed(), QString()});
}

} // namespace reins::widgets
