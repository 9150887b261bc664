#pragma once

// Owning handles for the libgit2 objects the checkpoint store uses, and the one way it turns a failed libgit2 call
// into an Error: git_error_last() read at once, before any other libgit2 call can replace it.

#include "../error.h"

#include <git2.h>

#include <QString>

#include <memory>

namespace reins::checkpoint {

template<typename T, void (*Free)(T *)>
struct GitDeleter
{
    void operator()(T *object) const { Free(object); }
};

template<typename T, void (*Free)(T *)>
using GitHandle = std::unique_ptr<T, GitDeleter<T, Free>>;

using RepositoryHandle = GitHandle<git_repository, git_repository_free>;
using IndexHandle = GitHandle<git_index, git_index_free>;
using TreeHandle = GitHandle<git_tree, git_tree_free>;
using TreeEntryHandle = GitHandle<git_tree_entry, git_tree_entry_free>;
using CommitHandle = GitHandle<git_commit, git_commit_free>;
using BlobHandle = GitHandle<git_blob, git_blob_free>;
using ReferenceHandle = GitHandle<git_reference, git_reference_free>;
using ReferenceIteratorHandle = GitHandle<git_reference_iterator, git_reference_iterator_free>;
using SignatureHandle = GitHandle<git_signature, git_signature_free>;
using DiffHandle = GitHandle<git_diff, git_diff_free>;
using PatchHandle = GitHandle<git_patch, git_patch_free>;
using OdbHandle = GitHandle<git_odb, git_odb_free>;
using RevwalkHandle = GitHandle<git_revwalk, git_revwalk_free>;
using PackbuilderHandle = GitHandle<git_packbuilder, git_packbuilder_free>;
using ConfigHandle = GitHandle<git_config, git_config_free>;

/// The message of the last libgit2 error ("what: libgit2's words"). Call it right after the failing call.
inline QString gitErrorText(const QString &what)
{
    const git_error *error = git_error_last();
    const QString detail = error && error->message ? QString::fromUtf8(error->message) : QStringLiteral("unknown error");
    // A lock file left by a crash blocks every later write until someone removes it: say so.
    if (detail.contains(QLatin1String("locked file")))
        return what + QStringLiteral(": ") + detail
               + QStringLiteral(" (if no other Reins is using this checkpoint store, delete that .lock file)");
    return what + QStringLiteral(": ") + detail;
}

/// A failed libgit2 call as an Error; `what` says what was being done, in words a person can act on.
inline std::unexpected<Error> gitFailure(const QString &what)
{
    return fail(gitErrorText(what));
}

/// Turns libgit2's strict object creation off while it lives. That check reads the header of every object an index
/// entry or a tree entry names, from disk, to prove it exists: it doubles the cost of a snapshot. The store names
/// only objects it has just written or keeps on purpose (prune packs what the index refers to), so the check adds
/// nothing there. The option is process-wide (nothing else in Reins creates git objects); it is turned back on,
/// libgit2's default, when the guard goes.
class StrictObjectCreationOff
{
public:
    StrictObjectCreationOff() { git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0); }
    ~StrictObjectCreationOff() { git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1); }
    StrictObjectCreationOff(const StrictObjectCreationOff &) = delete;
    StrictObjectCreationOff &operator=(const StrictObjectCreationOff &) = delete;
};

inline QString oidText(const git_oid &oid)
{
    char text[GIT_OID_MAX_HEXSIZE + 1] = {};
    git_oid_tostr(text, sizeof text, &oid);
    return QString::fromLatin1(text);
}

} // namespace reins::checkpoint
