#pragma once

// The timeline pane: every step of the session with its icon, time, duration, tokens and cost; filters for edits,
// commands, approvals and errors; a checkpoint offers "Restore…". Selecting a step asks the chat to scroll to it.

#include <QWidget>

class QListView;
class QPushButton;
class QToolButton;

namespace reins::widgets {

class TimelineFilter;
class TimelineModel;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    TimelineView(TimelineModel *model, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    TimelineFilter *filter() const { return m_filter; }
    QPushButton *restoreButton() const { return m_restore; }

Q_SIGNALS:
    /// A step was selected: the event that created it.
    void stepSelected(qint64 seq, const QString &callId, const QString &checkpointId);
    void restoreRequested(const QString &checkpointId);

private:
    void updateFilter();
    void onCurrentChanged();

    TimelineModel *m_model;
    TimelineFilter *m_filter;
    QListView *m_list;
    QToolButton *m_edits;
    QToolButton *m_commands;
    QToolButton *m_approvals;
    QToolButton *m_errors;
    QPushButton *m_restore;
    bool m_followEnd = true; ///< the list shows its end and keeps showing it as steps come
};

} // namespace reins::widgets
