#pragma once

// One tool call in the chat: a compact line (what, status, exit code, duration) that expands to the arguments, the
// output and what the model was told; while the call waits at the approval gate, the approval itself — the
// analysed command or a pointer to the diff, the decision buttons and their shortcuts.

#include "protocol/agentop.h"
#include "threadstate.h"

#include <QFrame>
#include <QJsonObject>

#include <functional>
#include <optional>

class QGridLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;
class QWidget;

namespace reins::widgets {

class ToolCard : public QFrame
{
    Q_OBJECT
public:
    /// Asks the person for text (a reason to deny, an edited command); nullopt when they cancel.
    using Prompt = std::function<std::optional<QString>(const QString &title, const QString &initial)>;

    explicit ToolCard(const ThreadEntry &entry, QWidget *parent = nullptr);

    /// Shows the entry as it is now (status, output, approval).
    void update(const ThreadEntry &entry);
    void setPrompt(Prompt prompt) { m_prompt = std::move(prompt); }
    void setExpanded(bool expanded);
    bool isExpanded() const;
    bool isAwaitingApproval() const;

    QString callId() const { return m_callId; }
    QString title() const;
    QString statusText() const;
    QPushButton *approveButton() const { return approvalButton(&ToolCard::m_approve); }
    QPushButton *denyButton() const { return approvalButton(&ToolCard::m_deny); }
    QPushButton *editButton() const { return approvalButton(&ToolCard::m_edit); }
    QPushButton *sessionButton() const { return approvalButton(&ToolCard::m_session); }
    QPushButton *alwaysButton() const { return approvalButton(&ToolCard::m_always); }
    QString approvalText() const;

Q_SIGNALS:
    void resolved(const reins::protocol::ResolveApproval &op);
    /// The person wants to see a proposed edit in the diff review view.
    void reviewRequested(const QString &callId);

private:
    void makeDetails();
    void showDetails();
    void makeApproval();
    QPushButton *approvalButton(QPushButton *ToolCard::*which) const;
    void decide(protocol::ApprovalDecision decision);
    void deny();
    void editAndApprove();

    QString m_callId;
    QString m_tool;
    QString m_command;
    Prompt m_prompt;
    QVBoxLayout *m_layout;
    QToolButton *m_toggle;
    QLabel *m_title;
    QLabel *m_status;
    // Made on first need (makeDetails, makeApproval): null until then.
    QWidget *m_details = nullptr;
    QLabel *m_arguments = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QLabel *m_result = nullptr;
    QJsonObject m_argumentsJson; ///< shown, indented, once the details are
    QString m_outputText;
    QString m_resultText;
    QWidget *m_approval = nullptr;
    QGridLayout *m_buttons = nullptr;
    QLabel *m_approvalText = nullptr;
    QPushButton *m_review = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_session = nullptr;
    QPushButton *m_always = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_deny = nullptr;
    bool m_awaiting = false;
};

} // namespace reins::widgets
