#include "checkpointer.h"

#include <QMetaObject>

namespace reins::checkpoint {

namespace {
// Owns the store on the worker thread, so that it is destroyed there too.
class Worker : public QObject
{
public:
    std::unique_ptr<CheckpointStore> store;
};
} // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::open(const QString &workspace, const QString &storeRoot)
{
    auto store = CheckpointStore::open(workspace, storeRoot);
    if (!store)
        return std::unexpected(store.error());
    std::unique_ptr<Checkpointer> c(new Checkpointer());
    auto *worker = new Worker();
    c->m_store = store->get();
    worker->store = std::move(*store);
    worker->moveToThread(&c->m_thread);
    QObject::connect(&c->m_thread, &QThread::finished, worker, &QObject::deleteLater);
    c->m_worker = worker;
    c->m_thread.setObjectName(QStringLiteral("checkpoints"));
    c->m_thread.start();
    return c;
}

Checkpointer::~Checkpointer()
{
    m_thread.quit();
    m_thread.wait();
}

template<typename T>
void Checkpointer::run(std::function<Result<T>(CheckpointStore &)> work, std::function<void(Result<T>)> done)
{
    ++m_pending;
    // The destructor waits for the worker thread before this object goes, so posting back to it is safe.
    Checkpointer *owner = this;
    CheckpointStore *store = m_store;
    QMetaObject::invokeMethod(m_worker, [owner, store, work = std::move(work), done = std::move(done)] {
        Result<T> result = work(*store);
        QMetaObject::invokeMethod(owner, [owner, result = std::move(result), done] {
            --owner->m_pending;
            done(result);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void Checkpointer::snapshot(const SnapshotOptions &options, std::function<void(Result<Checkpoint>)> done)
{
    run<Checkpoint>([options](CheckpointStore &s) { return s.snapshot(options); }, std::move(done));
}

void Checkpointer::planRestore(const QString &id, std::function<void(Result<RestorePlan>)> done)
{
    run<RestorePlan>([id](CheckpointStore &s) { return s.planRestore(id); }, std::move(done));
}

void Checkpointer::restore(const QString &id, const QString &session, std::function<void(Result<Checkpoint>)> done)
{
    run<Checkpoint>([id, session](CheckpointStore &s) { return s.restore(id, session); }, std::move(done));
}

void Checkpointer::diff(const QString &from, const QString &to, std::function<void(Result<std::vector<FileDiff>>)> done)
{
    run<std::vector<FileDiff>>([from, to](CheckpointStore &s) { return s.diff(from, to); }, std::move(done));
}

} // namespace reins::checkpoint

namespace reins::checkpoint {

void Checkpointer::pruneIfLarger(qint64 maxBytes, int keepSessions, std::function<void(Result<qint64>)> done)
{
    run<qint64>([maxBytes, keepSessions](CheckpointStore &s) -> Result<qint64> {
        if (s.sizeOnDisk() <= maxBytes)
            return qint64(0);
        return s.prune(keepSessions);
    }, std::move(done));
}

} // namespace reins::checkpoint
