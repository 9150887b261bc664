#include "themestyle.h"

#include <QPainter>
#include <QPainterPath>
#include <QStyleFactory>
#include <QStyleOption>

namespace reins::widgets {

ThemeStyle::ThemeStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
{
}

QColor ThemeStyle::blend(const QColor &from, const QColor &to, int percent)
{
    const auto mix = [percent](int a, int b) { return a + (b - a) * percent / 100; };
    return QColor(mix(from.red(), to.red()), mix(from.green(), to.green()), mix(from.blue(), to.blue()));
}

QColor ThemeStyle::indicatorOutline(const QPalette &palette)
{
    // 45% of the way from base to text: as visible as Fusion's outline on a light palette, quieter than the text.
    return blend(palette.color(QPalette::Base), palette.color(QPalette::Text), 45);
}

void ThemeStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                               const QWidget *widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    const bool indicator = element == PE_IndicatorCheckBox || element == PE_IndicatorRadioButton;
    const bool frame = element == PE_Frame || element == PE_FrameLineEdit;
    // Only where Fusion's own outline fails: a dark base. The keyboard-focus outline Fusion draws is kept.
    if (!(indicator || frame) || option->palette.color(QPalette::Base).lightness() >= 128
        || (option->state & State_HasFocus && (option->state & State_KeyboardFocusChange || frame)))
        return;
    if (frame) {
        // Panels (tool cards, text boxes) and line edits: Fusion's rectangle, and its rounded one for line edits.
        const QColor outline = indicatorOutline(option->palette);
        painter->save();
        painter->setBrush(Qt::NoBrush);
        if (element == PE_FrameLineEdit) {
            painter->setRenderHint(QPainter::Antialiasing, true);
            painter->setPen(QPen(outline, 1));
            painter->drawRoundedRect(QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        } else {
            painter->setPen(QPen(outline, 0));
            painter->drawRect(option->rect.adjusted(0, 0, -1, -1));
        }
        painter->restore();
        return;
    }
    // The option's palette is in the widget's colour group: a disabled indicator blends the dimmer disabled text.
    const QColor outline = indicatorOutline(option->palette);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(outline, 1));
    const QRect rect = option->rect;
    if (element == PE_IndicatorCheckBox) {
        // Fusion's box: the option's rectangle less one pixel, on half-pixel coordinates.
        painter->translate(0.5, 0.5);
        painter->drawRect(rect.adjusted(0, 0, -1, -1));
    } else {
        // Fusion's circle, the same centre and radius.
        const QPointF centre = rect.center() + QPoint(1, 1);
        const qreal radius = (rect.width() + (rect.width() + 1) % 2) / 2.0 - 1;
        painter->drawEllipse(centre, radius, radius);
    }
    painter->restore();
}

} // namespace reins::widgets
