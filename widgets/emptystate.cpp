#include "emptystate.h"

#include "wrappedlabel.h"

#include <QPushButton>
#include <QVBoxLayout>

namespace reins::widgets {

namespace {
QLabel *centredLabel(const QString &text, QWidget *parent)
{
    auto *label = new WrappedLabel(text, parent);
    label->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    label->setTextFormat(Qt::PlainText);
    return label;
}
} // namespace

EmptyState::EmptyState(const QString &title, const QString &body, const QString &hint, QWidget *parent)
    : QWidget(parent)
    , m_title(centredLabel(title, this))
    , m_body(centredLabel(body, this))
    , m_hint(centredLabel(hint, this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    // The body reads as secondary text; the hint (the next step) in the accent colour.
    // Both roles: on a Base background a label paints with Text, elsewhere with WindowText.
    const auto tint = [](QLabel *label, const QColor &colour) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, colour);
        p.setColor(QPalette::Text, colour);
        label->setPalette(p);
    };
    tint(m_body, palette().color(QPalette::PlaceholderText));
    tint(m_hint, palette().color(QPalette::Link));
    m_hint->setVisible(!hint.isEmpty());

    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(24, 24, 24, 24);
    m_layout->setSpacing(10);
    m_layout->addStretch(2);
    m_layout->addWidget(m_title);
    m_layout->addWidget(m_body);
    m_layout->addSpacing(6);
    m_layout->addWidget(m_hint);
    m_layout->addStretch(3);
}

QString EmptyState::title() const
{
    return m_title->text();
}

QString EmptyState::body() const
{
    return m_body->text();
}

QString EmptyState::hint() const
{
    return m_hint->text();
}

QPushButton *EmptyState::addAction(const QString &text)
{
    auto *button = new QPushButton(text, this);
    button->setDefault(true);
    button->setStyleSheet(QStringLiteral("QPushButton { padding: 8px 22px; font-weight: bold; }"));
    // Before the last stretch: right under the hint, centred.
    m_layout->insertWidget(m_layout->count() - 1, button, 0, Qt::AlignHCenter);
    return button;
}

} // namespace reins::widgets
