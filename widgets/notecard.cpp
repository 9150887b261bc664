#include "notecard.h"

#include "wrappedlabel.h"

#include <QVBoxLayout>

namespace reins::widgets {

using Kind = ThreadEntry::Kind;

NoteCard::NoteCard(const ThreadEntry &entry, QWidget *parent) : QFrame(parent), m_label(new WrappedLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 4, 10, 4);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_label);
    update(entry);
}

QString NoteCard::text() const
{
    return m_label->text();
}

void NoteCard::update(const ThreadEntry &entry)
{
    const QString text = entry.text.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"));
    QString html;
    QString objectName = QStringLiteral("noteCard");
    switch (entry.kind) {
    case Kind::User:
        html = tr("<b>You</b><br>%1").arg(text);
        objectName = QStringLiteral("userCard");
        break;
    case Kind::Checkpoint:
        html = tr("⟲ Checkpoint — %1 (%2 files changed)").arg(text).arg(entry.filesChanged);
        break;
    case Kind::Restore: html = tr("↺ Restored checkpoint %1").arg(entry.checkpointId.left(10)); break;
    case Kind::Commit: html = tr("✔ Committed %1").arg(entry.checkpointId.left(10)); break;
    case Kind::Plan: {
        html = tr("<b>Plan</b>");
        for (const protocol::PlanItem &item : entry.plan) {
            const QString mark = item.status == protocol::PlanStatus::Done         ? QStringLiteral("☑")
                                 : item.status == protocol::PlanStatus::InProgress ? QStringLiteral("▶")
                                                                                   : QStringLiteral("☐");
            html += QStringLiteral("<br>%1 %2").arg(mark, item.text.toHtmlEscaped());
        }
        break;
    }
    case Kind::Retry: html = tr("↻ %1").arg(text); break;
    case Kind::Compaction: html = tr("≡ The conversation was summarised to fit the model's context. %1").arg(text); break;
    case Kind::TurnEnd:
        html = entry.endReason == protocol::TurnEndReason::Done ? QString() : tr("■ %1").arg(text);
        break;
    case Kind::Error:
        html = tr("<b>Error</b> — %1").arg(text);
        objectName = QStringLiteral("errorCard");
        break;
    case Kind::Warning: html = tr("⚠ %1").arg(text); break;
    case Kind::Assistant:
    case Kind::ToolCall: html = text; break;
    }
    setObjectName(objectName);
    m_label->setText(html);
    // Shown with its parent unless hidden: an explicit show() of a card not yet on screen would lay it out now, at a
    // width it will not have (rich text shaped twice), and make the chat's first page slower to open.
    if (html.isEmpty())
        hide();
    else if (isHidden() && testAttribute(Qt::WA_WState_ExplicitShowHide))
        show(); // hidden before, for an empty note

}

} // namespace reins::widgets
