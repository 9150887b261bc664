#pragma once

// Stores a snapshot's new blobs. A handful go in as loose objects, like git's own; past that they are deflated into
// one pack streamed to libgit2's indexer. A first snapshot of 100,000 files otherwise creates, writes and renames
// 100,000 little files under objects/, and that, not hashing or compression, is where the time goes.

#include "../error.h"

#include <git2.h>

#include <QByteArray>
#include <QSet>

#include <vector>

namespace reins::checkpoint {

class BlobWriter
{
public:
    explicit BlobWriter(git_odb *odb);

    /// The blob's id. The object may exist only in memory until flush(): nothing may read it before then.
    Result<git_oid> add(QByteArray content);
    /// Writes what add() holds back. Until it returns successfully, no new object is in the store.
    Result<void> flush();

    /// Objects written since the writer was made, and how many went into packs.
    qsizetype written() const { return m_written; }
    qsizetype packed() const { return m_packed; }

private:
    struct Pending
    {
        git_oid id;
        QByteArray content;
    };
    Result<void> startPack();
    void deflateIntoPack(const QByteArray &content);
    Result<void> writeLoose();
    Result<void> writePack();

    git_odb *m_odb;
    std::vector<Pending> m_loose; ///< before the pack starts: written loose if the pass stays small
    qsizetype m_looseBytes = 0;
    bool m_packing = false;
    QByteArray m_pack; ///< pack entries (no header or trailer yet)
    qsizetype m_packCount = 0;
    QSet<QByteArray> m_ids; ///< raw ids held back, so one content is stored once
    qsizetype m_written = 0;
    qsizetype m_packed = 0;
};

} // namespace reins::checkpoint
