#include "replaycontroller.h"

#include "chatview.h"
#include "timelinemodel.h"

#include "session/journal.h"

#include <algorithm>

namespace reins::widgets {

ReplayController::ReplayController(ChatView *chat, TimelineModel *timeline, QObject *parent)
    : QObject(parent), m_chat(chat), m_timeline(timeline)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        showNext();
        if (m_position < stepCount())
            scheduleNext();
        else
            Q_EMIT finished();
    });
}

Result<void> ReplayController::open(const QString &journalPath,
                                    session::JournalReadAhead readAhead)
{
    auto contents = readAhead.valid() ? readAhead.get() : session::Journal::read(journalPath);
    if (!contents)
        return std::unexpected(contents.error());
    load(std::move(contents->events));
    return {};
}

void ReplayController::load(std::vector<protocol::AgentEvent> events)
{
    pause();
    m_events = std::move(events);
    jumpTo(0);
}

void ReplayController::showNext()
{
    if (m_position >= stepCount())
        return;
    const protocol::AgentEvent &event = m_events[size_t(m_position++)];
    m_state.apply(event);
    if (m_chat)
        m_chat->apply(event, m_state);
    if (m_timeline)
        m_timeline->apply(event);
    Q_EMIT positionChanged(m_position, stepCount());
}

void ReplayController::stepForward()
{
    pause();
    showNext();
}

void ReplayController::stepBack()
{
    jumpTo(m_position - 1);
}

void ReplayController::jumpTo(int position)
{
    pause();
    position = std::clamp(position, 0, stepCount());
    // State is a reducer over events: the state at any step is the events up to it, applied afresh.
    m_state = ThreadState{};
    for (int i = 0; i < position; ++i)
        m_state.apply(m_events[size_t(i)]);
    m_position = position;
    if (m_chat)
        m_chat->reset(m_state);
    if (m_timeline)
        m_timeline->reset(m_state);
    Q_EMIT positionChanged(m_position, stepCount());
}

void ReplayController::play(double speed)
{
    m_speed = std::max(0.1, speed);
    if (m_position >= stepCount())
        return;
    scheduleNext();
}

void ReplayController::pause()
{
    m_timer.stop();
}

void ReplayController::scheduleNext()
{
    qint64 gap = 0;
    if (m_position > 0 && m_position < stepCount())
        gap = m_events[size_t(m_position)].timeMs - m_events[size_t(m_position - 1)].timeMs;
    const qint64 wait = std::clamp<qint64>(qint64(double(gap) / m_speed), 0, 2000);
    m_timer.start(int(wait));
}

} // namespace reins::widgets
