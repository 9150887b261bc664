#include "reviewsources.h"

#include "../checkpoint/githandle.h"
#include "../checkpoint/patchvalues.h"
#include "../gitlibrary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <memory>

#include <algorithm>

namespace reins::review {

using checkpoint::Checkpoint;
using checkpoint::FileDiff;

namespace {

// Reads a file's two versions from the store when the view first shows it.
ChangeReview::ContentLoader checkpointLoader(checkpoint::CheckpointStore &store, const QString &from, const QString &to)
{
    return [&store, from, to](const FileDiff &diff) {
        std::pair<std::optional<QByteArray>, std::optional<QByteArray>> content;
        if (diff.status != FileDiff::Status::Added)
            content.first = store.fileContent(from, diff.oldPath).value_or(std::nullopt);
        if (diff.status != FileDiff::Status::Deleted)
            content.second = store.fileContent(to, diff.newPath).value_or(std::nullopt);
        return content;
    };
}

} // namespace

Result<ChangeReview> reviewCheckpoints(checkpoint::CheckpointStore &store, const QString &from, const QString &to)
{
    auto diffs = store.diff(from, to);
    if (!diffs)
        return std::unexpected(diffs.error());
    std::vector<ReviewFile> files;
    files.reserve(diffs->size());
    for (FileDiff &diff : *diffs) {
        ReviewFile file;
        file.contentAvailable = !diff.binary;
        file.diff = std::move(diff);
        files.push_back(std::move(file));
    }
    return ChangeReview::fromDiffs(std::move(files), checkpointLoader(store, from, to));
}

Result<ChangeReview> reviewSession(checkpoint::CheckpointStore &store, const QString &session, const QString &from,
                                   const QString &to)
{
    auto review = reviewCheckpoints(store, from, to);
    if (!review)
        return review;
    auto listed = store.list(session);
    if (!listed)
        return std::unexpected(listed.error());
    auto first = store.find(from);
    auto last = store.find(to);
    if (!first || !last)
        return std::unexpected(!first ? first.error() : last.error());
    // The session's chain, oldest first, from `from` to `to`.
    std::vector<Checkpoint> chain(listed->rbegin(), listed->rend());
    const auto begin = std::ranges::find(chain, first->id, &Checkpoint::id);
    const auto end = std::ranges::find(chain, last->id, &Checkpoint::id);
    if (begin == chain.end() || end == chain.end() || end < begin)
        return review; // not one session's chain: no attribution, the diff still stands
    QSet<QString> byAgent, byPerson;
    for (auto it = begin; it != end; ++it) {
        const Checkpoint &next = *(it + 1);
        auto step = store.diff(it->id, next.id);
        if (!step)
            return std::unexpected(step.error());
        // Checkpoints taken after a tool ran hold the agent's work; any other one (a turn's start, before a restore)
        // holds what happened outside the agent's steps.
        QSet<QString> &into = next.label.startsWith(QLatin1String("after ")) ? byAgent : byPerson;
        // An added file has no old path and a deleted one no new path: only real paths count.
        for (const FileDiff &diff : *step) {
            if (!diff.oldPath.isEmpty())
                into.insert(diff.oldPath);
            if (!diff.newPath.isEmpty())
                into.insert(diff.newPath);
        }
    }
    std::vector<ReviewFile> files = review->files();
    for (ReviewFile &file : files) {
        const auto touched = [&file](const QSet<QString> &paths) {
            return (!file.diff.newPath.isEmpty() && paths.contains(file.diff.newPath))
                   || (!file.diff.oldPath.isEmpty() && paths.contains(file.diff.oldPath));
        };
        const bool agent = touched(byAgent);
        const bool person = touched(byPerson);
        file.author = agent && !person ? Author::Agent : person && !agent ? Author::Person : Author::Unknown;
    }
    return ChangeReview::fromDiffs(std::move(files), checkpointLoader(store, from, to));
}

namespace {

// What the working-tree review's loader reads after reviewWorkingTree has returned. Members go in reverse order:
// the tree, then the repository, then libgit2 itself.
struct HeadState
{
    GitLibrary git;
    checkpoint::RepositoryHandle repository;
    checkpoint::TreeHandle head; ///< null before the first commit
    QString workdir;
};

} // namespace

Result<ChangeReview> reviewWorkingTree(const QString &folder)
{
    using namespace checkpoint;
    auto state = std::make_shared<HeadState>();
    git_repository *rawRepository = nullptr;
    if (const int error = git_repository_open_ext(&rawRepository, QFile::encodeName(folder).constData(), 0, nullptr)) {
        if (error == GIT_ENOTFOUND)
            return fail(QStringLiteral("%1 is not inside a git repository, so there is no HEAD to compare with.").arg(folder));
        return gitFailure(QStringLiteral("cannot open the git repository of %1").arg(folder));
    }
    state->repository.reset(rawRepository);
    git_repository *repository = rawRepository;
    if (git_repository_is_bare(repository))
        return fail(QStringLiteral("%1 is a bare repository: it has no working tree.").arg(folder));
    state->workdir = QDir::cleanPath(QFile::decodeName(git_repository_workdir(repository)));
    git_object *headObject = nullptr;
    if (git_revparse_single(&headObject, repository, "HEAD^{tree}") == 0)
        state->head.reset(reinterpret_cast<git_tree *>(headObject)); // no commit yet: everything is added
    git_tree *head = state->head.get();
    const QString workdir = state->workdir;

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    // No GIT_DIFF_UPDATE_INDEX: the user's index is read, never written.
    options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT
                    | GIT_DIFF_INCLUDE_TYPECHANGE;
    git_diff *rawDiff = nullptr;
    if (git_diff_tree_to_workdir_with_index(&rawDiff, repository, head, &options) != 0)
        return gitFailure(QStringLiteral("cannot compare the working tree of %1 with HEAD").arg(workdir));
    const DiffHandle diff(rawDiff);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
    if (git_diff_find_similar(diff.get(), &find) != 0)
        return gitFailure(QStringLiteral("cannot look for renamed files"));

    std::vector<ReviewFile> files;
    for (size_t i = 0, count = git_diff_num_deltas(diff.get()); i < count; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        if (!delta || delta->status == GIT_DELTA_UNMODIFIED || delta->status == GIT_DELTA_IGNORED)
            continue;
        ReviewFile file;
        file.diff.status = statusOf(delta->status);
        if (delta->status == GIT_DELTA_UNTRACKED)
            file.diff.status = FileDiff::Status::Added;
        if (file.diff.status != FileDiff::Status::Added)
            file.diff.oldPath = QString::fromUtf8(delta->old_file.path);
        if (file.diff.status != FileDiff::Status::Deleted)
            file.diff.newPath = QString::fromUtf8(delta->new_file.path);
        file.diff.oldMode = delta->old_file.mode;
        file.diff.newMode = delta->new_file.mode;
        file.diff.similarity = int(delta->similarity);
        file.diff.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
        git_patch *rawPatch = nullptr;
        if (git_patch_from_diff(&rawPatch, diff.get(), i) != 0)
            return gitFailure(QStringLiteral("cannot read the change to %1").arg(QString::fromUtf8(delta->new_file.path)));
        const PatchHandle patch(rawPatch);
        if (patch) {
            file.diff.binary = file.diff.binary || (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY);
            if (auto filled = fillPatch(patch.get(), file.diff); !filled)
                return std::unexpected(filled.error());
        }
        file.contentAvailable = !file.diff.binary;
        file.author = Author::Unknown;
        files.push_back(std::move(file));
    }
    auto loader = [state](const FileDiff &diff) {
        std::pair<std::optional<QByteArray>, std::optional<QByteArray>> content;
        if (!diff.oldPath.isEmpty() && state->head) {
            git_tree_entry *rawEntry = nullptr;
            if (git_tree_entry_bypath(&rawEntry, state->head.get(), diff.oldPath.toUtf8().constData()) == 0) {
                const TreeEntryHandle entry(rawEntry);
                git_blob *rawBlob = nullptr;
                if (git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB
                    && git_blob_lookup(&rawBlob, state->repository.get(), git_tree_entry_id(entry.get())) == 0) {
                    const BlobHandle blob(rawBlob);
                    content.first = QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                               qsizetype(git_blob_rawsize(blob.get())));
                }
            }
        }
        if (!diff.newPath.isEmpty()) {
            const QFileInfo info(state->workdir + u'/' + diff.newPath);
            QFile file(info.filePath());
            if (!info.isSymLink() && info.isFile() && file.open(QIODevice::ReadOnly))
                content.second = file.readAll();
        }
        return content;
    };
    return ChangeReview::fromDiffs(std::move(files), loader);
}

} // namespace reins::review
