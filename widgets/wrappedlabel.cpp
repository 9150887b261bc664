#include "wrappedlabel.h"

#include <QFontMetrics>

#include <algorithm>

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

// What was kept is for one text, font and margins: any change empties it.
void WrappedLabel::forgetIfChanged() const
{
    if (m_text == text() && m_font == font() && m_margins == contentsMargins() && m_margin == margin())
        return;
    m_text = text();
    m_font = font();
    m_margins = contentsMargins();
    m_margin = margin();
    m_heights.fill({0, 0});
    m_charWidth = 0;
    m_lineSpacing = 0;
}

// Asked for by every size hint, many times in one layout: looked up once per font.
int WrappedLabel::charWidth() const
{
    forgetIfChanged();
    if (m_charWidth == 0)
        m_charWidth = QFontMetrics(font()).averageCharWidth();
    return m_charWidth;
}

int WrappedLabel::lineSpacing() const
{
    forgetIfChanged();
    if (m_lineSpacing == 0)
        m_lineSpacing = QFontMetrics(font()).lineSpacing();
    return m_lineSpacing;
}

QSize WrappedLabel::minimumSizeHint() const
{
    if (text().isEmpty())
        return QLabel::minimumSizeHint(); // nothing to lay out either way
    return {8 * charWidth() + horizontalMargins(), lineSpacing() + verticalMargins()};
}

QSize WrappedLabel::sizeHint() const
{
    if (text().isEmpty())
        return QLabel::sizeHint();
    const int preferred = 60 * charWidth() + horizontalMargins();
    // The width a layout gave it: that height is the one the layout asks for next, and is kept.
    if (testAttribute(Qt::WA_Resized) && width() > minimumSizeHint().width())
        return {preferred, heightForWidth(width())};
    // Not laid out yet: the height at the preferred width, estimated from the text's length. Laying the text out
    // at a width it will not have is what made a card cost twice; its layout asks heightForWidth at the real one.
    const qsizetype characters = std::max<qsizetype>(1, text().size());
    const qsizetype lines = std::clamp<qsizetype>((characters + 59) / 60 + text().count(u'\n'), 1, 1000);
    return {preferred, int(lines) * lineSpacing() + verticalMargins()};
}

int WrappedLabel::heightForWidth(int width) const
{
    forgetIfChanged();
    for (const auto &[w, h] : m_heights)
        if (w == width && w != 0)
            return h;
    const int height = QLabel::heightForWidth(width);
    m_heights[m_next] = {width, height};
    m_next = (m_next + 1) % m_heights.size();
    return height;
}

} // namespace reins::widgets
