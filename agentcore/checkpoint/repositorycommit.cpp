#include "repositorycommit.h"

#include "../gitlibrary.h"
#include "githandle.h"

#include <QFile>

namespace reins::checkpoint {

Result<RepositoryCommit> commitWorkingTree(const QString &workspace, const QString &message)
{
    static GitLibrary git;
    if (message.trimmed().isEmpty())
        return fail(QStringLiteral("a commit needs a message"));
    git_repository *rawRepo = nullptr;
    if (git_repository_open_ext(&rawRepo, QFile::encodeName(workspace).constData(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
        return fail(QStringLiteral("%1 is not the top folder of a git repository; there is nothing to commit to").arg(workspace));
    const RepositoryHandle repo(rawRepo);
    if (git_repository_is_bare(repo.get()))
        return fail(QStringLiteral("the repository is bare"));
    if (git_repository_state(repo.get()) != GIT_REPOSITORY_STATE_NONE)
        return fail(QStringLiteral("a merge, rebase, cherry-pick or similar operation is in progress in the repository; "
                                   "finish or abort it first"));
    if (git_repository_head_detached(repo.get()) == 1)
        return fail(QStringLiteral("HEAD is detached (no branch is checked out); check out a branch first"));

    git_index *rawIndex = nullptr;
    if (git_repository_index(&rawIndex, repo.get()) != 0)
        return gitFailure(QStringLiteral("cannot read the repository's index"));
    const IndexHandle index(rawIndex);
    if (git_index_has_conflicts(index.get()))
        return fail(QStringLiteral("the index has unresolved conflicts; resolve them first"));

    // Stage what git would stage with `git add -A`: new and changed files (ignored ones skipped), and deletions.
    char star[] = "*";
    char *patterns[] = {star};
    const git_strarray all{patterns, 1};
    if (git_index_add_all(index.get(), &all, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr) != 0
        || git_index_update_all(index.get(), &all, nullptr, nullptr) != 0)
        return gitFailure(QStringLiteral("cannot stage the changes"));
    git_oid treeId;
    if (git_index_write_tree(&treeId, index.get()) != 0)
        return gitFailure(QStringLiteral("cannot write the tree"));

    // The parent, if there is one; an unborn branch gets the first commit.
    CommitHandle parent;
    QString branch;
    const bool unborn = git_repository_head_unborn(repo.get()) == 1;
    git_reference *rawHead = nullptr;
    if (unborn) {
        if (git_reference_lookup(&rawHead, repo.get(), "HEAD") == 0) {
            const ReferenceHandle head(rawHead);
            branch = QString::fromUtf8(git_reference_symbolic_target(head.get())).section(u'/', 2);
        }
    } else {
        if (git_repository_head(&rawHead, repo.get()) != 0)
            return gitFailure(QStringLiteral("cannot read HEAD"));
        const ReferenceHandle head(rawHead);
        branch = QString::fromUtf8(git_reference_shorthand(head.get()));
        git_commit *rawParent = nullptr;
        if (git_commit_lookup(&rawParent, repo.get(), git_reference_target(head.get())) != 0)
            return gitFailure(QStringLiteral("cannot read the current commit"));
        parent.reset(rawParent);
    }
    const git_oid emptyTreeId = [] {
        git_oid id;
        git_oid_fromstr(&id, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
        return id;
    }();
    git_tree *rawParentTree = nullptr;
    const git_oid *parentTreeId = parent ? git_commit_tree_id(parent.get()) : &emptyTreeId;
    if (git_oid_equal(parentTreeId, &treeId))
        return fail(QStringLiteral("there are no changes to commit"));
    if (parent && git_commit_tree(&rawParentTree, parent.get()) != 0)
        return gitFailure(QStringLiteral("cannot read the current commit's files"));
    const TreeHandle parentTree(rawParentTree);

    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, repo.get(), &treeId) != 0)
        return gitFailure(QStringLiteral("cannot read the new tree"));
    const TreeHandle tree(rawTree);
    git_diff *rawDiff = nullptr;
    int filesChanged = 0;
    if (git_diff_tree_to_tree(&rawDiff, repo.get(), parentTree.get(), tree.get(), nullptr) == 0) {
        const DiffHandle diff(rawDiff);
        filesChanged = int(git_diff_num_deltas(diff.get()));
    }

    git_signature *rawSignature = nullptr;
    if (git_signature_default(&rawSignature, repo.get()) != 0)
        return fail(QStringLiteral("git does not know who you are: set user.name and user.email (git config --global "
                                   "user.name \"Your Name\"; git config --global user.email you@example.com)"));
    const SignatureHandle signature(rawSignature);
    if (git_index_write(index.get()) != 0)
        return gitFailure(QStringLiteral("cannot write the repository's index"));
    const git_commit *parents[] = {parent.get()};
    git_oid commitId;
    const QByteArray text = message.trimmed().toUtf8() + '\n';
    if (git_commit_create(&commitId, repo.get(), "HEAD", signature.get(), signature.get(), nullptr, text.constData(),
                          tree.get(), parent ? 1 : 0, parent ? parents : nullptr)
        != 0)
        return gitFailure(QStringLiteral("cannot create the commit"));
    return RepositoryCommit{oidText(commitId), branch, filesChanged};
}

} // namespace reins::checkpoint
