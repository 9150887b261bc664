#include "restoreplanner.h"

#include "githandle.h"
#include "relativepath.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace reins::checkpoint {

namespace {

// Paths that must not be touched, with everything under them; a write that would have to replace one of them or a
// folder holding one (a file where a folder with uncaptured files is) counts as touching it.
class Fence
{
public:
    void add(const QStringList &paths)
    {
        for (const QString &path : paths)
            m_paths.append(path);
    }
    void seal()
    {
        m_paths.sort();
        m_paths.removeDuplicates();
        m_set = QSet<QString>(m_paths.cbegin(), m_paths.cend());
    }
    /// `path` is fenced, lies inside a fenced path, or holds one.
    bool touches(const QString &path) const
    {
        for (QString up = path; !up.isEmpty(); up = up.left(std::max<qsizetype>(up.lastIndexOf(u'/'), 0)))
            if (m_set.contains(up))
                return true;
        const auto below = std::lower_bound(m_paths.cbegin(), m_paths.cend(), path + u'/');
        return below != m_paths.cend() && below->startsWith(path + u'/');
    }

private:
    QStringList m_paths;
    QSet<QString> m_set;
};

Result<TreeHandle> lookupTree(git_repository *repository, const git_oid &id)
{
    git_tree *tree = nullptr;
    if (git_tree_lookup(&tree, repository, &id) != 0)
        return gitFailure(QStringLiteral("cannot read the tree %1 from the checkpoint store").arg(oidText(id)));
    return TreeHandle(tree);
}

bool hasEntry(git_tree *tree, const QString &path)
{
    git_tree_entry *entry = nullptr;
    if (git_tree_entry_bypath(&entry, tree, path.toUtf8().constData()) != 0)
        return false;
    git_tree_entry_free(entry);
    return true;
}

// Whether two trees hold the same thing at `path` (both nothing counts as the same).
bool sameEntry(git_tree *a, git_tree *b, const QString &path)
{
    const QByteArray utf8 = path.toUtf8();
    git_tree_entry *rawA = nullptr;
    git_tree_entry *rawB = nullptr;
    const bool inA = git_tree_entry_bypath(&rawA, a, utf8.constData()) == 0;
    const bool inB = git_tree_entry_bypath(&rawB, b, utf8.constData()) == 0;
    const TreeEntryHandle entryA(rawA);
    const TreeEntryHandle entryB(rawB);
    if (inA != inB)
        return false;
    return !inA
           || (git_oid_equal(git_tree_entry_id(rawA), git_tree_entry_id(rawB))
               && git_tree_entry_filemode(rawA) == git_tree_entry_filemode(rawB));
}

} // namespace

Result<RestorePlan> planRestore(git_repository *repository, const QString &workspace, const RestoreTarget &target,
                                const SnapshotTree &current, const std::optional<git_oid> &latestTree)
{
    auto currentTree = lookupTree(repository, current.tree);
    if (!currentTree)
        return std::unexpected(currentTree.error());
    auto targetTree = lookupTree(repository, target.tree);
    if (!targetTree)
        return std::unexpected(targetTree.error());

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
    git_diff *rawDiff = nullptr;
    if (git_diff_tree_to_tree(&rawDiff, repository, currentTree->get(), targetTree->get(), &options) != 0)
        return gitFailure(QStringLiteral("cannot compare the checkpoint with the working tree"));
    const DiffHandle diff(rawDiff);

    // Nested repositories, then and now: never written into, never deleted from.
    Fence nested;
    nested.add(current.nestedRepositories);
    nested.add(target.message.nestedRepositories);
    nested.seal();
    // What exists now but is not captured (restoring over it could not be undone), and what the checkpoint did
    // not capture (it does not know that content, so it neither writes nor deletes it).
    Fence uncaptured;
    uncaptured.add(current.notCapturedPaths());
    uncaptured.add(target.message.notCaptured);
    uncaptured.seal();

    RestorePlan plan;
    plan.target = target.id;
    for (size_t i = 0, count = git_diff_num_deltas(diff.get()); i < count; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        const bool added = delta->status == GIT_DELTA_ADDED;
        const QString path = QString::fromUtf8(added ? delta->new_file.path : delta->old_file.path);
        const bool gitlink = delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT;
        if (gitlink || nested.touches(path) || uncaptured.touches(path)) {
            plan.leftAlone.append(path);
            continue;
        }
        switch (delta->status) {
        case GIT_DELTA_ADDED: plan.create.append(path); break;
        case GIT_DELTA_DELETED: plan.remove.append(path); break;
        default: plan.write.append(path); break;
        }
    }

    const QSet<QString> currentEmpty(current.emptyFolders.cbegin(), current.emptyFolders.cend());
    const QSet<QString> targetEmpty(target.message.emptyFolders.cbegin(), target.message.emptyFolders.cend());
    for (const QString &folder : target.message.emptyFolders) {
        if (currentEmpty.contains(folder) || QFileInfo(workspace + u'/' + folder).isDir())
            continue;
        if (nested.touches(folder) || uncaptured.touches(folder))
            plan.leftAlone.append(folder + u'/');
        else
            plan.create.append(folder + u'/');
    }
    for (const QString &folder : current.emptyFolders) {
        if (targetEmpty.contains(folder) || hasEntry(targetTree->get(), folder)
            || std::any_of(targetEmpty.cbegin(), targetEmpty.cend(),
                           [&](const QString &kept) { return isAtOrUnder(kept, folder); }))
            continue;
        if (!nested.touches(folder))
            plan.remove.append(folder + u'/');
    }

    if (latestTree) {
        auto latest = lookupTree(repository, *latestTree);
        if (!latest)
            return std::unexpected(latest.error());
        for (const QStringList *list : {&plan.write, &plan.remove})
            for (const QString &path : *list)
                if (!path.endsWith(u'/') && !sameEntry(currentTree->get(), latest->get(), path))
                    plan.editedSince.append(path);
    }
    for (QStringList *list : {&plan.write, &plan.create, &plan.remove, &plan.editedSince, &plan.leftAlone})
        list->sort();
    return plan;
}

} // namespace reins::checkpoint
