#include "replaybar.h"

#include "replaycontroller.h"
#include "replayslider.h"

#include <QComboBox>
#include <QLabel>

namespace reins::widgets {

ReplayBar::ReplayBar(ReplayController *replay, QWidget *parent)
    : QToolBar(tr("Replay"), parent),
      m_replay(replay),
      m_speed(new QComboBox(this)),
      m_slider(new ReplaySlider(this)),
      m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("replayBar"));
    addWidget(new QLabel(tr("  Replay — nothing is executed  "), this));
    addAction(tr("⇤ Start"), this, [this] { m_replay->jumpTo(0); });
    addAction(tr("◀ Step"), this, [this] { m_replay->stepBack(); })->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Left));
    m_play = addAction(tr("▶ Play"), this, [this] {
        if (m_replay->isPlaying())
            m_replay->pause();
        else
            m_replay->play(m_speed->currentData().toDouble());
        m_play->setText(m_replay->isPlaying() ? tr("❚❚ Pause") : tr("▶ Play"));
    });
    m_play->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
    addAction(tr("Step ▶"), this, [this] { m_replay->stepForward(); })->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    for (double speed : {0.5, 1.0, 2.0, 4.0, 10.0})
        m_speed->addItem(QStringLiteral("%1×").arg(speed), speed);
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Speed: the recorded pauses divided by this"));
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        if (m_replay->isPlaying())
            m_replay->play(m_speed->currentData().toDouble());
    });
    addWidget(m_speed);
    m_slider->setMinimumWidth(160);
    connect(m_slider, &QSlider::sliderMoved, this, [this](int value) { m_replay->jumpTo(value); });
    addWidget(m_slider);
    addWidget(m_label);
    connect(m_replay, &ReplayController::positionChanged, this, &ReplayBar::showPosition);
    connect(m_replay, &ReplayController::finished, this, [this] { m_play->setText(tr("▶ Play")); });
    showPosition(m_replay->position(), m_replay->stepCount());
}

void ReplayBar::showPosition(int position, int count)
{
    const QSignalBlocker blocker(m_slider);
    m_slider->setRange(0, count);
    m_slider->setValue(position);
    m_label->setText(tr("  step %1 of %2").arg(position).arg(count));
}

} // namespace reins::widgets
