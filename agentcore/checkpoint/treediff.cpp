#include "treediff.h"

#include "githandle.h"
#include "patchvalues.h"


namespace reins::checkpoint {

namespace {

Result<TreeHandle> lookupTree(git_repository *repository, const git_oid *id)
{
    git_tree *tree = nullptr;
    if (id && git_tree_lookup(&tree, repository, id) != 0)
        return gitFailure(QStringLiteral("cannot read the tree %1 from the checkpoint store").arg(oidText(*id)));
    return TreeHandle(tree);
}

bool isTree(const git_tree_entry *entry)
{
    return entry && git_tree_entry_type(entry) == GIT_OBJECT_TREE;
}

Result<TreeHandle> subtree(git_repository *repository, const git_tree_entry *entry)
{
    if (!isTree(entry))
        return TreeHandle();
    return lookupTree(repository, git_tree_entry_id(entry));
}

} // namespace

Result<int> countChangedFiles(git_repository *repository, const git_tree *oldTree, const git_tree *newTree)
{
    if (oldTree && newTree && git_oid_equal(git_tree_id(oldTree), git_tree_id(newTree)))
        return 0;
    int changed = 0;
    const auto compare = [&](const git_tree_entry *a, const git_tree_entry *b) -> Result<void> {
        if (a && b && git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b))
            && git_tree_entry_filemode(a) == git_tree_entry_filemode(b))
            return {};
        auto subA = subtree(repository, a);
        auto subB = subtree(repository, b);
        if (!subA || !subB)
            return std::unexpected(!subA ? subA.error() : subB.error());
        if (*subA || *subB) {
            auto below = countChangedFiles(repository, subA->get(), subB->get());
            if (!below)
                return std::unexpected(below.error());
            changed += *below;
        }
        if ((a && !isTree(a)) || (b && !isTree(b)))
            ++changed; // the file itself: changed, added, removed, or replaced by a folder
        return {};
    };
    // Both trees are in git's order (a folder sorts as if its name ended in '/'): one merge pass. A file and a
    // folder of the same name sort apart, and count as a removal and an addition, as git's own diff has them.
    const size_t oldCount = oldTree ? git_tree_entrycount(oldTree) : 0;
    const size_t newCount = newTree ? git_tree_entrycount(newTree) : 0;
    size_t i = 0, j = 0;
    while (i < oldCount || j < newCount) {
        const git_tree_entry *a = i < oldCount ? git_tree_entry_byindex(oldTree, i) : nullptr;
        const git_tree_entry *b = j < newCount ? git_tree_entry_byindex(newTree, j) : nullptr;
        const int order = !a ? 1 : !b ? -1 : git_tree_entry_cmp(a, b);
        Result<void> counted = order < 0 ? compare(a, nullptr) : order > 0 ? compare(nullptr, b) : compare(a, b);
        if (!counted)
            return std::unexpected(counted.error());
        i += order <= 0 ? 1 : 0;
        j += order >= 0 ? 1 : 0;
    }
    return changed;
}

Result<std::vector<FileDiff>> diffTrees(git_repository *repository, const git_oid *oldTree, const git_oid &newTree)
{
    auto oldHandle = lookupTree(repository, oldTree);
    if (!oldHandle)
        return std::unexpected(oldHandle.error());
    auto newHandle = lookupTree(repository, &newTree);
    if (!newHandle)
        return std::unexpected(newHandle.error());

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
    options.context_lines = 3;
    git_diff *rawDiff = nullptr;
    if (git_diff_tree_to_tree(&rawDiff, repository, oldHandle->get(), newHandle->get(), &options) != 0)
        return gitFailure(QStringLiteral("cannot compare the two snapshots"));
    const DiffHandle diff(rawDiff);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff.get(), &find) != 0)
        return gitFailure(QStringLiteral("cannot look for renamed files"));

    std::vector<FileDiff> files;
    for (size_t i = 0, count = git_diff_num_deltas(diff.get()); i < count; ++i) {
        git_patch *rawPatch = nullptr;
        if (git_patch_from_diff(&rawPatch, diff.get(), i) != 0)
            return gitFailure(QStringLiteral("cannot compute the changes of a file"));
        const PatchHandle patch(rawPatch);
        // The delta as the patch has it: binary detection happens when the patch loads the content.
        const git_diff_delta *delta = patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(diff.get(), i);
        if (!delta || delta->status == GIT_DELTA_UNMODIFIED)
            continue;
        FileDiff file;
        file.status = statusOf(delta->status);
        if (delta->status != GIT_DELTA_ADDED) {
            file.oldPath = QString::fromUtf8(delta->old_file.path);
            file.oldMode = delta->old_file.mode;
        }
        if (delta->status != GIT_DELTA_DELETED) {
            file.newPath = QString::fromUtf8(delta->new_file.path);
            file.newMode = delta->new_file.mode;
        }
        file.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
        if (delta->status == GIT_DELTA_RENAMED || delta->status == GIT_DELTA_COPIED)
            file.similarity = delta->similarity;
        if (patch && !file.binary) {
            size_t additions = 0, deletions = 0;
            git_patch_line_stats(nullptr, &additions, &deletions, patch.get());
            file.additions = int(additions);
            file.deletions = int(deletions);
            if (auto filled = fillPatch(patch.get(), file); !filled)
                return std::unexpected(filled.error());
        }
        files.push_back(std::move(file));
    }
    return files;
}

} // namespace reins::checkpoint
