#include "planview.h"

#include "wrappedlabel.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace reins::widgets {

using protocol::PlanStatus;

PlanView::PlanView(QWidget *parent)
    : QFrame(parent), m_title(new QLabel(this)), m_bar(new QProgressBar(this)), m_items(new WrappedLabel(this))
{
    setObjectName(QStringLiteral("planView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_bar->setTextVisible(false);
    m_bar->setMaximumHeight(6);
    m_items->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    layout->addWidget(m_bar);
    layout->addWidget(m_items);
    hide();
}

void PlanView::setPlan(const std::vector<protocol::PlanItem> &plan)
{
    setVisible(!plan.empty());
    const int done = int(std::ranges::count(plan, PlanStatus::Done, &protocol::PlanItem::status));
    m_title->setText(tr("Plan — %1 of %2 done").arg(done).arg(plan.size()));
    m_bar->setRange(0, std::max<int>(1, int(plan.size())));
    m_bar->setValue(done);
    QString html;
    for (const protocol::PlanItem &item : plan) {
        const QString text = item.text.toHtmlEscaped();
        switch (item.status) {
        case PlanStatus::Done: html += QStringLiteral("<div>☑ <s>%1</s></div>").arg(text); break;
        case PlanStatus::InProgress: html += QStringLiteral("<div>▶ <b>%1</b></div>").arg(text); break;
        case PlanStatus::Pending: html += QStringLiteral("<div>☐ %1</div>").arg(text); break;
        }
    }
    m_items->setText(html);
}

QString PlanView::summary() const
{
    return m_title->text();
}

int PlanView::progress() const
{
    return m_bar->value();
}

} // namespace reins::widgets
