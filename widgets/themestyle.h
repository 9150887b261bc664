#pragma once

// Fusion as Reins' themes use it. Fusion outlines check boxes and radio buttons with a shade of the window colour
// (darker in light palettes, lighter only when the platform reports a dark colour scheme), so on a dark palette
// under a desktop that reports none — Xvfb, most X11 window managers — the outline all but vanishes into the base
// colour; so do frames (panels such as the chat's tool cards, text boxes, line edits). This style redraws those
// outlines in a colour taken from the palette's text, which every palette keeps readable against its base.

#include <QProxyStyle>

namespace reins::widgets {

class ThemeStyle : public QProxyStyle
{
    Q_OBJECT
public:
    /// Wraps Qt's Fusion style.
    ThemeStyle();

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;

    /// The outline colour of indicators on `palette`: text blended into base, far enough from base to be seen.
    static QColor indicatorOutline(const QPalette &palette);
    /// `percent` of the way from `from` to `to`: shades between a background and its text, which stay visible on a
    /// dark palette as on a light one.
    static QColor blend(const QColor &from, const QColor &to, int percent);
};

} // namespace reins::widgets
