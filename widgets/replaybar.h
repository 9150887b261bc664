#pragma once

// The replay controls: back to the start, a step back, play / pause, a step forward, the speed, and a slider to
// jump to any step.

#include <QToolBar>

class QComboBox;
class QLabel;
class QAction;

namespace reins::widgets {

class ReplayController;
class ReplaySlider;

class ReplayBar : public QToolBar
{
    Q_OBJECT
public:
    ReplayBar(ReplayController *replay, QWidget *parent = nullptr);

private:
    void showPosition(int position, int count);

    ReplayController *m_replay;
    QAction *m_play;
    QComboBox *m_speed;
    ReplaySlider *m_slider;
    QLabel *m_label;
};

} // namespace reins::widgets
