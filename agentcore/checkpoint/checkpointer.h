#pragma once

#include "../error.h"
#include "checkpointstore.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace reins::checkpoint {

/// Runs a CheckpointStore on a thread of its own, so that snapshots and restores never block the session's
/// thread (the window's, in the app). Requests are queued in order; each answer comes back on the caller's
/// thread through the callback given with the request.
class Checkpointer : public QObject
{
    Q_OBJECT
public:
    /// Opens the store on the worker thread; an error if it cannot be opened.
    static Result<std::unique_ptr<Checkpointer>> open(const QString &workspace, const QString &storeRoot = {});
    ~Checkpointer() override;

    void snapshot(const SnapshotOptions &options, std::function<void(Result<Checkpoint>)> done);
    void planRestore(const QString &id, std::function<void(Result<RestorePlan>)> done);
    void restore(const QString &id, const QString &session, std::function<void(Result<Checkpoint>)> done);
    void diff(const QString &from, const QString &to, std::function<void(Result<std::vector<FileDiff>>)> done);
    /// Keeps the store small: when it has grown past `maxBytes`, drops all but the `keepSessions` most recent
    /// sessions' checkpoints and packs the rest. Answers the bytes freed (0 when nothing was needed).
    void pruneIfLarger(qint64 maxBytes, int keepSessions, std::function<void(Result<qint64>)> done);
    /// Requests still queued or running.
    int pending() const { return m_pending; }

private:
    Checkpointer() = default;
    template<typename T>
    void run(std::function<Result<T>(CheckpointStore &)> work, std::function<void(Result<T>)> done);

    QThread m_thread;
    QObject *m_worker = nullptr; ///< lives on m_thread; owns the store
    CheckpointStore *m_store = nullptr;
    int m_pending = 0;
};

} // namespace reins::checkpoint
