#include "pane.h"

#include "emptystate.h"

#include <QFrame>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace reins::widgets {

Pane::Pane(const QString &name, EmptyState *emptyState, QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(name, this))
    , m_stack(new QStackedWidget(this))
    , m_emptyState(emptyState)
{
    setObjectName(name);
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    m_header->setContentsMargins(10, 6, 10, 6);
    m_header->setAutoFillBackground(true);
    m_header->setBackgroundRole(QPalette::Button);

    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);

    // Content areas on the base colour, chrome (header, splitter) on the window colour, as editors do.
    m_stack->setAutoFillBackground(true);
    m_stack->setBackgroundRole(QPalette::Base);
    m_stack->addWidget(m_emptyState);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(rule);
    layout->addWidget(m_stack, 1);
}

QString Pane::name() const
{
    return m_header->text();
}

void Pane::setContent(QWidget *content)
{
    m_stack->addWidget(content);
    m_stack->setCurrentWidget(content);
}

bool Pane::isEmpty() const
{
    return m_stack->currentWidget() == m_emptyState;
}

} // namespace reins::widgets
