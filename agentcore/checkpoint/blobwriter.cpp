#include "blobwriter.h"

#include "githandle.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace reins::checkpoint {

namespace {

// Up to this many new objects (or bytes), a pass writes loose objects: a pack and its index for a few edits would
// leave a pack per step behind.
constexpr qsizetype looseObjectLimit = 64;
constexpr qsizetype looseByteLimit = 4 << 20;
// A pack is written once its deflated entries reach this size, so a huge first snapshot never holds more in memory.
constexpr qsizetype packByteLimit = 64 << 20;
// Speed over size: the store is repacked (with deltas) when it is pruned.
constexpr int deflateLevel = 1;
constexpr int blobType = 3; // OBJ_BLOB in the pack format

struct WritepackDeleter
{
    void operator()(git_odb_writepack *pack) const { pack->free(pack); }
};

QByteArray rawId(const git_oid &id)
{
    return QByteArray(reinterpret_cast<const char *>(id.id), GIT_OID_SHA1_SIZE);
}

} // namespace

BlobWriter::BlobWriter(git_odb *odb) : m_odb(odb) {}

Result<git_oid> BlobWriter::add(QByteArray content)
{
    git_oid id{};
    if (git_odb_hash(&id, content.constData(), size_t(content.size()), GIT_OBJECT_BLOB) != 0)
        return gitFailure(QStringLiteral("cannot hash a file for the checkpoint store"));
    const QByteArray key = rawId(id);
    // Already stored (an earlier snapshot, or another file with the same bytes in this one). No refresh on a miss:
    // nothing else writes packs into the store while a snapshot runs.
    if (m_ids.contains(key) || git_odb_exists_ext(m_odb, &id, GIT_ODB_LOOKUP_NO_REFRESH) == 1)
        return id;
    m_ids.insert(key);
    if (m_packing) {
        deflateIntoPack(content);
    } else {
        m_looseBytes += content.size();
        m_loose.push_back({id, std::move(content)});
        if (qsizetype(m_loose.size()) > looseObjectLimit || m_looseBytes > looseByteLimit) {
            if (auto started = startPack(); !started)
                return std::unexpected(started.error());
        }
    }
    if (m_packing && m_pack.size() >= packByteLimit) {
        if (auto written = writePack(); !written)
            return std::unexpected(written.error());
    }
    return id;
}

Result<void> BlobWriter::flush()
{
    if (auto loose = writeLoose(); !loose)
        return loose;
    if (m_packCount > 0)
        return writePack();
    return {};
}

Result<void> BlobWriter::startPack()
{
    m_packing = true;
    for (const Pending &pending : m_loose)
        deflateIntoPack(pending.content);
    m_loose.clear();
    m_looseBytes = 0;
    return {};
}

void BlobWriter::deflateIntoPack(const QByteArray &content)
{
    // The entry header: type and size, seven bits at a time, least significant first (4 bits in the first byte).
    quint64 size = quint64(content.size());
    char header[16];
    int length = 0;
    quint8 byte = quint8((blobType << 4) | (size & 0x0f));
    size >>= 4;
    while (size) {
        header[length++] = char(byte | 0x80);
        byte = quint8(size & 0x7f);
        size >>= 7;
    }
    header[length++] = char(byte);
    m_pack.append(header, length);
    // qCompress gives a zlib stream behind four bytes of length: the stream is what a pack entry holds. For empty
    // input it gives the four bytes alone, so the empty stream is spelled out: header, one empty final block,
    // Adler-32 of nothing.
    if (content.isEmpty()) {
        static constexpr char emptyStream[] = {0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
        m_pack.append(emptyStream, sizeof emptyStream);
    } else {
        const QByteArray deflated = qCompress(content, deflateLevel);
        m_pack.append(QByteArrayView(deflated).sliced(4));
    }
    ++m_packCount;
}

Result<void> BlobWriter::writeLoose()
{
    for (const Pending &pending : m_loose) {
        git_oid id{};
        if (git_odb_write(&id, m_odb, pending.content.constData(), size_t(pending.content.size()), GIT_OBJECT_BLOB)
            != 0)
            return gitFailure(QStringLiteral("cannot store a file in the checkpoint store"));
        ++m_written;
    }
    m_loose.clear();
    m_looseBytes = 0;
    return {};
}

Result<void> BlobWriter::writePack()
{
    char header[12] = {'P', 'A', 'C', 'K'};
    qToBigEndian<quint32>(2, header + 4);
    qToBigEndian<quint32>(quint32(m_packCount), header + 8);
    QCryptographicHash checksum(QCryptographicHash::Sha1);
    checksum.addData(QByteArrayView(header, sizeof header));
    checksum.addData(m_pack);
    const QByteArray trailer = checksum.result();

    git_odb_writepack *raw = nullptr;
    if (git_odb_write_pack(&raw, m_odb, nullptr, nullptr) != 0)
        return gitFailure(QStringLiteral("cannot start a pack in the checkpoint store"));
    const std::unique_ptr<git_odb_writepack, WritepackDeleter> pack(raw);
    git_indexer_progress progress{};
    if (pack->append(pack.get(), header, sizeof header, &progress) != 0
        || pack->append(pack.get(), m_pack.constData(), size_t(m_pack.size()), &progress) != 0
        || pack->append(pack.get(), trailer.constData(), size_t(trailer.size()), &progress) != 0
        || pack->commit(pack.get(), &progress) != 0)
        return gitFailure(QStringLiteral("cannot write a pack into the checkpoint store"));
    // The new pack must be visible to lookups made through this database from now on.
    if (git_odb_refresh(m_odb) != 0)
        return gitFailure(QStringLiteral("cannot read the checkpoint store's packs again"));
    m_written += m_packCount;
    m_packed += m_packCount;
    m_pack.clear();
    m_packCount = 0;
    return {};
}

} // namespace reins::checkpoint
