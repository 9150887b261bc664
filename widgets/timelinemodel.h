#pragma once

#include "threadstate.h"

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>
#include <QList>

namespace reins::widgets {

/// The timeline: one row per ThreadEntry of a ThreadState, the model's own copy, kept current by applying the same
/// events the state is built from. Rows are only ever appended; an event changes at most a few known rows.
class TimelineModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< int(ThreadEntry::Kind)
        CategoryRole,    ///< "edit", "command", "approval", "error", "checkpoint", "message", "other"
        SeqRole,         ///< qint64: the event that created the entry (the chat scrolls to it)
        CallIdRole,      ///< QString: tool calls, and checkpoints (the step they follow); invalid otherwise
        CheckpointIdRole, ///< QString: checkpoints, and restores (the checkpoint brought back); invalid otherwise
        TimeRole,        ///< QDateTime: when the entry was created
        DurationRole,    ///< qint64 ms: tool calls (0 until finished); invalid otherwise
        TokensRole,      ///< qint64: assistant messages, input plus output of the requests that produced them
        CostRole,        ///< double, or invalid when no price is known
        StatusRole,      ///< int(ToolStatus): tool calls; invalid otherwise
        SummaryRole,     ///< QString: one line, as Qt::DisplayRole
        CategoriesRole,  ///< int: every TimelineFilter::Category the row belongs to (a failed edit is both)
    };
    Q_ENUM(Role)

    explicit TimelineModel(QObject *parent = nullptr);

    /// Applies one event to the model's own ThreadState and tells views precisely: rows inserted, or the changed
    /// rows (the open assistant message, a tool call by callId). O(1) amortised per event.
    void apply(const protocol::AgentEvent &event);
    /// Replaces everything (a session opened or resumed): one reset, not one signal per event.
    void reset(const ThreadState &state);
    void reset(ThreadState &&state);
    const ThreadState &state() const;
    int rowForSeq(qint64 seq) const; ///< -1 if none

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The category of an entry as CategoryRole names it, and every filter category it belongs to.
    static QString category(const ThreadEntry &entry);
    static int categories(const ThreadEntry &entry);
    static QString summary(const ThreadEntry &entry);
    static QString toolTip(const ThreadEntry &entry);

private:
    void rebuildIndex();
    void track(int row);
    void trackCall(int row);
    int openAssistantRow() const;
    QIcon icon(const QString &category) const;

    ThreadState m_state;
    int m_rowCount = 0; ///< the rows views know of: behind m_state.entries.size() while rows are being inserted
    QHash<QString, int> m_rowByCallId;
    QHash<qint64, int> m_rowBySeq;
    int m_lastAssistantRow = -1; ///< since the last user message: where Usage lands
    QList<int> m_unfinishedCalls; ///< tool calls not ended yet: TurnCompleted marks them interrupted
    mutable QHash<QString, QIcon> m_icons;
};

} // namespace reins::widgets
