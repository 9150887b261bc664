#include "replayslider.h"

#include "themestyle.h"

#include <QPainter>
#include <QStyleOptionSlider>

#include <algorithm>

namespace reins::widgets {

ReplaySlider::ReplaySlider(QWidget *parent) : QSlider(Qt::Horizontal, parent)
{
}

void ReplaySlider::paintEvent(QPaintEvent *)
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    // Where the style puts the handle is where it takes clicks and drags: drawn there, and the track through it.
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
    const QPalette &colours = palette();
    // Shades between the window and its text: as visible on a dark palette as on a light one.
    const QColor window = colours.color(QPalette::Window), text = colours.color(QPalette::WindowText);
    const int y = groove.center().y();
    const QRect track(groove.left() + 2, y - 2, groove.width() - 4, 4);
    QPainter painter(this);
    painter.fillRect(track, ThemeStyle::blend(window, text, 22));
    if (isEnabled())
        painter.fillRect(QRect(track.topLeft(), QPoint(handle.center().x(), track.bottom())),
                         colours.color(QPalette::Highlight));
    const int diameter = std::min(handle.height(), 14);
    const QRectF knob(handle.center().x() - diameter / 2.0, y - diameter / 2.0 + 0.5, diameter, diameter);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(hasFocus() ? colours.color(QPalette::Highlight) : ThemeStyle::blend(window, text, 45), 1));
    painter.setBrush(isSliderDown() ? ThemeStyle::blend(window, text, 15) : colours.color(QPalette::Button));
    painter.drawEllipse(knob.adjusted(0.5, 0.5, -0.5, -0.5));
}

} // namespace reins::widgets
