#pragma once

// The demo playing itself, for a room watching or a screenshot: it answers the demo's approvals as a person would
// (the edit accepted in the diff review, the command approved once), each after a pause long enough to see, up to
// the step asked for; "restore" then restores the turn's first checkpoint, to show a restore and its undo point.

#include <QObject>
#include <QString>

#include <optional>

namespace reins::protocol {
struct AgentEvent;
}

namespace reins::widgets {

class MainWindow;

class DemoAutopilot : public QObject
{
    Q_OBJECT
public:
    /// Where the demo stops for the person: at the edit (nothing answered), at the command, at the end, or after a
    /// restore at the end.
    enum class Stop { Edit, Command, End, Restore };
    static std::optional<Stop> stopFromName(const QString &name); ///< edit, command, end, restore

    DemoAutopilot(MainWindow *window, Stop stop, int pauseMs = 800);

private:
    void onEvent(const protocol::AgentEvent &event);

    MainWindow *m_window;
    Stop m_stop;
    int m_pauseMs;
    bool m_restored = false;
};

} // namespace reins::widgets
