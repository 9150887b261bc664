#pragma once

// The replay bar's position slider: a QSlider (keys, wheel, clicks and drags as any slider) drawn plainly, a thin
// track filled up to the handle and a round handle, in the palette's colours. The styles draw a slider as wide as
// the window with antialiased gradients and rounded outlines, which took 1.5 ms of the first frame here.

#include <QSlider>

namespace reins::widgets {

class ReplaySlider : public QSlider
{
    Q_OBJECT
public:
    explicit ReplaySlider(QWidget *parent = nullptr);

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace reins::widgets
