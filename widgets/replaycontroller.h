#pragma once

// Replay for training: a session journal opened and stepped or played through — at a chosen speed, or jumping to
// any step — into the chat and the timeline, without executing anything: no model is called, no tool runs, no file
// is touched. The views see exactly the events the live session produced.

#include "error.h"
#include "session/journal.h"
#include "threadstate.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace reins::widgets {

class ChatView;
class TimelineModel;

class ReplayController : public QObject
{
    Q_OBJECT
public:
    ReplayController(ChatView *chat, TimelineModel *timeline, QObject *parent = nullptr);

    /// Reads the journal (or takes it from `readAhead`, Journal::readInBackground begun earlier on the same path);
    /// the views start empty, at step 0.
    Result<void> open(const QString &journalPath, session::JournalReadAhead readAhead = {});
    /// Events already read (tests, or a journal opened elsewhere).
    void load(std::vector<protocol::AgentEvent> events);

    int stepCount() const { return int(m_events.size()); }
    int position() const { return m_position; } ///< events shown so far
    const ThreadState &state() const { return m_state; }
    bool isPlaying() const { return m_timer.isActive(); }
    double speed() const { return m_speed; }

    void stepForward();
    void stepBack();
    void jumpTo(int position);
    /// Plays from the current step, the recorded pauses divided by `speed` (and never longer than two seconds).
    void play(double speed = 1.0);
    void pause();

Q_SIGNALS:
    void positionChanged(int position, int count);
    void finished();

private:
    void showNext();
    void scheduleNext();

    ChatView *m_chat;
    TimelineModel *m_timeline;
    std::vector<protocol::AgentEvent> m_events;
    ThreadState m_state;
    int m_position = 0;
    double m_speed = 1.0;
    QTimer m_timer;
};

} // namespace reins::widgets
