#include "wrappedlabel.h"

#include <QFontMetrics>

namespace reins::widgets {

WrappedLabel::WrappedLabel(QWidget *parent) : WrappedLabel(QString(), parent) {}

WrappedLabel::WrappedLabel(const QString &text, QWidget *parent) : QLabel(text, parent)
{
    setWordWrap(true);
}

int WrappedLabel::horizontalMargins() const
{
    const QMargins m = contentsMargins();
    return m.left() + m.right() + 2 * margin();
}

int WrappedLabel::verticalMargins() const
{
    const QMargins m = contentsMargins();
    return m.top() + m.bottom() + 2 * margin();
}

QSize WrappedLabel::minimumSizeHint() const
{
    if (text().isEmpty())
        return QLabel::minimumSizeHint(); // nothing to lay out either way
    const QFontMetrics metrics(font());
    return {8 * metrics.averageCharWidth() + horizontalMargins(), metrics.lineSpacing() + verticalMargins()};
}

QSize WrappedLabel::sizeHint() const
{
    if (text().isEmpty())
        return QLabel::sizeHint();
    const int preferred = 60 * QFontMetrics(font()).averageCharWidth() + horizontalMargins();
    // The width it was given, when it has one: that height is the one a layout asks for next, and is kept.
    const int given = width();
    return {preferred, heightForWidth(given > minimumSizeHint().width() ? given : preferred)};
}

int WrappedLabel::heightForWidth(int width) const
{
    if (m_text != text() || m_font != font() || m_margins != contentsMargins() || m_margin != margin()) {
        m_text = text();
        m_font = font();
        m_margins = contentsMargins();
        m_margin = margin();
        m_heights.fill({0, 0});
    }
    for (const auto &[w, h] : m_heights)
        if (w == width && w != 0)
            return h;
    const int height = QLabel::heightForWidth(width);
    m_heights[m_next] = {width, height};
    m_next = (m_next + 1) % m_heights.size();
    return height;
}

} // namespace reins::widgets
