#include "storepacker.h"

#include "githandle.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace reins::checkpoint {

Result<void> repackStore(git_repository *repository, git_index *index, const std::vector<git_oid> &keep,
                         const std::vector<git_oid> &keepTrees, const QString &storePath)
{
    git_packbuilder *rawBuilder = nullptr;
    if (git_packbuilder_new(&rawBuilder, repository) != 0)
        return gitFailure(QStringLiteral("cannot start packing the checkpoint store"));
    const PackbuilderHandle builder(rawBuilder);
    if (!keep.empty()) {
        git_revwalk *rawWalk = nullptr;
        if (git_revwalk_new(&rawWalk, repository) != 0)
            return gitFailure(QStringLiteral("cannot walk the checkpoints"));
        const RevwalkHandle walk(rawWalk);
        for (const git_oid &id : keep)
            if (git_revwalk_push(walk.get(), &id) != 0)
                return gitFailure(QStringLiteral("cannot walk the checkpoint %1").arg(oidText(id)));
        // The commits, and all the trees and blobs they reach (gitlinks are not followed).
        if (git_packbuilder_insert_walk(builder.get(), walk.get()) != 0)
            return gitFailure(QStringLiteral("cannot pack the checkpoints"));
    }
    if (git_index_read(index, 0) != 0)
        return gitFailure(QStringLiteral("cannot read the checkpoint index"));
    if (git_index_entrycount(index) > 0) {
        // Writing the tree also makes every cached subtree the index will hand out again exist as an object.
        git_oid indexTree{};
        if (git_index_write_tree_to(&indexTree, index, repository) != 0
            || git_packbuilder_insert_tree(builder.get(), &indexTree) != 0)
            return gitFailure(QStringLiteral("cannot pack the objects of the checkpoint index"));
    }
    for (const git_oid &tree : keepTrees)
        if (git_packbuilder_insert_tree(builder.get(), &tree) != 0)
            return gitFailure(QStringLiteral("cannot pack the tree %1").arg(oidText(tree)));
    const QString packFolder = storePath + QStringLiteral("/objects/pack");
    QString packName;
    if (git_packbuilder_object_count(builder.get()) > 0) {
        if (git_packbuilder_write(builder.get(), QFile::encodeName(packFolder).constData(), 0, nullptr, nullptr) != 0)
            return gitFailure(QStringLiteral("cannot write the pack file in %1").arg(packFolder));
        packName = QStringLiteral("pack-") + QString::fromLatin1(git_packbuilder_name(builder.get()));
    }

    // Now the pack holds everything that is needed: loose objects and older packs go.
    static const QRegularExpression fanout(QStringLiteral("^[0-9a-f]{2}$"));
    QDir objects(storePath + QStringLiteral("/objects"));
    for (const QString &name : objects.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (fanout.match(name).hasMatch())
            QDir(objects.filePath(name)).removeRecursively();
    QDir pack(packFolder);
    for (const QString &name : pack.entryList(QDir::Files))
        if (name.startsWith(QLatin1String("pack-")) && (packName.isEmpty() || !name.startsWith(packName + u'.')))
            pack.remove(name);
    return {};
}

} // namespace reins::checkpoint
