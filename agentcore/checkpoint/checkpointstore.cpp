#include "checkpointstore.h"

#include "checkpointmessage.h"
#include "diskwriter.h"
#include "githandle.h"
#include "relativepath.h"
#include "restoreplanner.h"
#include "snapshot.h"
#include "storepacker.h"
#include "treediff.h"

#include <git2/sys/repository.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>

// The store deliberately keeps every object itself. Borrowing the user's object database as an alternate would
// save space, but a `git gc` in the user's repository could then delete objects our checkpoints still need.

namespace reins::checkpoint {

namespace {

const QString workspaceFileName = QStringLiteral("reins-workspace");
const QString indexFileName = QStringLiteral("reins-index");
const QString stateFileName = QStringLiteral("reins-index-state");
constexpr QByteArrayView sessionRefPrefix = "refs/reins/sessions/";
constexpr QByteArrayView sessionRefSuffix = "/latest";

// A session's name as one ref component. Plain names stay readable; anything else is hex-encoded behind "x-" so
// no session name can make an invalid ref or collide with another.
QByteArray sessionComponent(const QString &session)
{
    if (session.isEmpty())
        return "manual";
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]*$"));
    if (plain.match(session).hasMatch() && session != QLatin1String("manual") && !session.startsWith(QLatin1String("x-"))
        && !session.contains(QLatin1String("..")) && !session.endsWith(u'.') && !session.endsWith(QLatin1String(".lock")))
        return session.toUtf8();
    return "x-" + session.toUtf8().toHex();
}

QByteArray sessionRef(const QString &session)
{
    return sessionRefPrefix.toByteArray() + sessionComponent(session) + sessionRefSuffix.toByteArray();
}

QString shortId(const QString &id)
{
    return id.left(7);
}

Checkpoint checkpointOf(const QString &id, const QString &parentId, const CheckpointMessage &message)
{
    Checkpoint checkpoint;
    checkpoint.id = id;
    checkpoint.parentId = parentId;
    checkpoint.session = message.session;
    checkpoint.label = message.label;
    checkpoint.timeMs = message.timeMs;
    checkpoint.filesChanged = message.filesChanged;
    checkpoint.partial = message.partial;
    checkpoint.skipped = message.skipped;
    checkpoint.nestedRepositories = message.nestedRepositories;
    return checkpoint;
}

// The canonical form of a path that may not exist yet: its deepest existing ancestor, made canonical, and the rest.
QString canonicalOf(const QString &path)
{
    QString existing = QDir::cleanPath(QDir(path).absolutePath());
    QStringList rest;
    while (!QFileInfo::exists(existing) && existing != QLatin1String("/")) {
        rest.prepend(QFileInfo(existing).fileName());
        existing = QFileInfo(existing).path();
    }
    QString canonical = QFileInfo(existing).canonicalFilePath();
    for (const QString &part : std::as_const(rest))
        canonical += u'/' + part;
    return canonical;
}

} // namespace

struct CheckpointStore::Private
{
    GitLibrary git; // first, so libgit2 outlives every handle below
    QString workspace;
    QString path;
    RepositoryHandle repository;
    IndexHandle index;
    std::optional<Snapshotter> snapshotter; ///< lives as long as the store: it knows what its index holds
    qint64 maxFileBytes = SnapshotOptions{}.maxFileBytes; ///< the last snapshot's cap, for restores and diffs

    /// One stored checkpoint, with what list() does not show.
    struct Stored
    {
        Checkpoint checkpoint;
        git_oid tree{};
        CheckpointMessage message;
        int generation = 0; ///< position in its session's chain: orders checkpoints made in the same millisecond
    };

    Result<void> openRepository();
    Result<SnapshotTree> takeSnapshot(const std::optional<QStringList> &changedPaths, const SnapshotLimits &limits);
    Result<Checkpoint> commit(const SnapshotTree &snapshot, const QString &label, const QString &session);
    Result<std::vector<Stored>> all() const;
    Result<Stored> resolve(const QString &id) const;
    Result<void> apply(const RestorePlan &plan, const Stored &target, QStringList *touched, QStringList *errors);
};

Result<void> CheckpointStore::Private::openRepository()
{
    git_repository *rawRepository = nullptr;
    if (git_repository_open_bare(&rawRepository, QFile::encodeName(path).constData()) != 0)
        return gitFailure(QStringLiteral("cannot open the checkpoint store %1").arg(path));
    repository.reset(rawRepository);
    if (!index) {
        git_index *rawIndex = nullptr;
        if (git_index_open(&rawIndex, QFile::encodeName(path + u'/' + indexFileName).constData()) != 0)
            return gitFailure(QStringLiteral("cannot open the checkpoint index in %1").arg(path));
        index.reset(rawIndex);
    }
    // Owned by the store's repository, the index takes its path checks from the store's config (set at creation).
    git_repository_set_index(repository.get(), index.get());
    if (snapshotter)
        snapshotter->setRepository(repository.get());
    else
        snapshotter.emplace(repository.get(), index.get(), workspace, path + u'/' + stateFileName);
    return {};
}

Result<SnapshotTree> CheckpointStore::Private::takeSnapshot(const std::optional<QStringList> &changedPaths,
                                                            const SnapshotLimits &limits)
{
    return snapshotter->take(changedPaths, limits);
}

Result<Checkpoint> CheckpointStore::Private::commit(const SnapshotTree &snapshot, const QString &label,
                                                    const QString &session)
{
    const QByteArray ref = sessionRef(session);
    git_oid parentId{};
    const bool hasParent = git_reference_name_to_id(&parentId, repository.get(), ref.constData()) == 0;
    git_commit *rawParent = nullptr;
    if (hasParent && git_commit_lookup(&rawParent, repository.get(), &parentId) != 0)
        return gitFailure(QStringLiteral("cannot read the session's previous checkpoint %1").arg(oidText(parentId)));
    const CommitHandle parent(rawParent);
    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, repository.get(), &snapshot.tree) != 0)
        return gitFailure(QStringLiteral("cannot read the snapshot's tree"));
    const TreeHandle tree(rawTree);
    git_tree *rawParentTree = nullptr;
    if (parent && git_commit_tree(&rawParentTree, parent.get()) != 0)
        return gitFailure(QStringLiteral("cannot read the previous checkpoint's tree"));
    const TreeHandle parentTree(rawParentTree);
    const auto changed = countChangedFiles(repository.get(), parentTree.get(), tree.get());
    if (!changed)
        return std::unexpected(changed.error());

    const QDateTime now = QDateTime::currentDateTime();
    CheckpointMessage message;
    message.label = label;
    message.session = session;
    message.timeMs = now.toMSecsSinceEpoch();
    message.filesChanged = *changed;
    message.partial = snapshot.partial();
    message.skipped = snapshot.skippedLines();
    message.nestedRepositories = snapshot.nestedRepositories;
    message.emptyFolders = snapshot.emptyFolders;
    message.notCaptured = snapshot.notCapturedPaths();

    git_signature *rawSignature = nullptr;
    if (git_signature_new(&rawSignature, "Reins", "reins@localhost", git_time_t(message.timeMs / 1000),
                          now.offsetFromUtc() / 60)
        != 0)
        return gitFailure(QStringLiteral("cannot make the checkpoint's signature"));
    const SignatureHandle signature(rawSignature);
    const git_commit *parents[] = {parent.get()};
    git_oid id{};
    if (git_commit_create(&id, repository.get(), nullptr, signature.get(), signature.get(), nullptr,
                          message.toText().constData(), tree.get(), parent ? 1 : 0, parents)
        != 0)
        return gitFailure(QStringLiteral("cannot write the checkpoint"));

    // Compare-and-swap: two processes checkpointing one session must not lose each other's checkpoints.
    git_reference *rawRef = nullptr;
    const QByteArray log = "checkpoint: " + label.toUtf8();
    const int rc = hasParent ? git_reference_create_matching(&rawRef, repository.get(), ref.constData(), &id, 1,
                                                             &parentId, log.constData())
                             : git_reference_create(&rawRef, repository.get(), ref.constData(), &id, 0, log.constData());
    const ReferenceHandle updated(rawRef);
    if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
        return fail(QStringLiteral("another process recorded a checkpoint of this session at the same moment; "
                                   "take the snapshot again"), true);
    if (rc != 0)
        return gitFailure(QStringLiteral("cannot record the checkpoint in %1").arg(QString::fromUtf8(ref)));
    return checkpointOf(oidText(id), hasParent ? oidText(parentId) : QString(), message);
}

Result<std::vector<CheckpointStore::Private::Stored>> CheckpointStore::Private::all() const
{
    git_reference_iterator *rawIterator = nullptr;
    if (git_reference_iterator_glob_new(&rawIterator, repository.get(), "refs/reins/sessions/*") != 0)
        return gitFailure(QStringLiteral("cannot list the checkpoint store's sessions"));
    const ReferenceIteratorHandle iterator(rawIterator);
    std::vector<Stored> stored;
    QSet<QString> seen;
    while (true) {
        git_reference *rawRef = nullptr;
        const int rc = git_reference_next(&rawRef, iterator.get());
        if (rc == GIT_ITEROVER)
            break;
        if (rc != 0)
            return gitFailure(QStringLiteral("cannot list the checkpoint store's sessions"));
        const ReferenceHandle ref(rawRef);
        const QByteArrayView name(git_reference_name(ref.get()));
        const git_oid *target = git_reference_target(ref.get());
        if (!name.endsWith(sessionRefSuffix) || !target)
            continue;
        // The session's chain, newest first.
        std::vector<Stored> chain;
        git_oid id = *target;
        while (true) {
            const QString text = oidText(id);
            if (seen.contains(text))
                break;
            seen.insert(text);
            git_commit *rawCommit = nullptr;
            if (git_commit_lookup(&rawCommit, repository.get(), &id) != 0)
                return gitFailure(QStringLiteral("cannot read the checkpoint %1").arg(text));
            const CommitHandle commit(rawCommit);
            Stored entry;
            entry.tree = *git_commit_tree_id(commit.get());
            entry.message = CheckpointMessage::parse(QByteArray(git_commit_message_raw(commit.get())));
            if (entry.message.timeMs == 0)
                entry.message.timeMs = qint64(git_commit_time(commit.get())) * 1000;
            const bool hasParent = git_commit_parentcount(commit.get()) > 0;
            const git_oid parent = hasParent ? *git_commit_parent_id(commit.get(), 0) : git_oid{};
            entry.checkpoint = checkpointOf(text, hasParent ? oidText(parent) : QString(), entry.message);
            chain.push_back(std::move(entry));
            if (!hasParent)
                break;
            id = parent;
        }
        for (size_t i = 0; i < chain.size(); ++i) {
            chain[i].generation = int(chain.size() - i);
            stored.push_back(std::move(chain[i]));
        }
    }
    std::sort(stored.begin(), stored.end(), [](const Stored &a, const Stored &b) {
        if (a.checkpoint.timeMs != b.checkpoint.timeMs)
            return a.checkpoint.timeMs > b.checkpoint.timeMs;
        if (a.generation != b.generation)
            return a.generation > b.generation;
        return a.checkpoint.id < b.checkpoint.id;
    });
    return stored;
}

Result<CheckpointStore::Private::Stored> CheckpointStore::Private::resolve(const QString &given) const
{
    const QString id = given.trimmed().toLower();
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{4,40}$"));
    if (!hex.match(id).hasMatch())
        return fail(QStringLiteral("\"%1\" is not a checkpoint id: give 4 to 40 hexadecimal digits").arg(given));
    auto stored = all();
    if (!stored)
        return std::unexpected(stored.error());
    std::vector<Stored> matches;
    for (Stored &entry : *stored)
        if (entry.checkpoint.id.startsWith(id))
            matches.push_back(std::move(entry));
    if (matches.empty())
        return fail(QStringLiteral("no checkpoint %1 in the store of %2 (it may have been pruned)").arg(given, workspace));
    if (matches.size() > 1) {
        QStringList ids;
        for (const Stored &entry : matches)
            ids.append(entry.checkpoint.id.left(std::max<qsizetype>(id.size() + 2, 7)));
        return fail(QStringLiteral("the checkpoint id %1 is ambiguous: %2 checkpoints start with it (%3); give more "
                                   "digits")
                        .arg(given)
                        .arg(matches.size())
                        .arg(ids.join(QLatin1String(", "))));
    }
    return std::move(matches.front());
}

Result<void> CheckpointStore::Private::apply(const RestorePlan &plan, const Stored &target, QStringList *touched,
                                             QStringList *errors)
{
    auto writer = DiskWriter::open(workspace);
    if (!writer)
        return std::unexpected(writer.error());
    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, repository.get(), &target.tree) != 0)
        return gitFailure(QStringLiteral("cannot read the checkpoint's tree"));
    const TreeHandle tree(rawTree);
    const auto note = [&](const QString &path, const Result<void> &done) {
        if (done)
            touched->append(path);
        else
            errors->append(done.error().message);
    };

    // Removals first: a file may stand where the checkpoint has a folder, or the other way round.
    QStringList removedFiles; // and removed empty folders
    for (const QString &path : plan.remove) {
        if (path.endsWith(u'/'))
            continue;
        const auto done = writer->removeFile(path);
        note(path, done);
        if (done)
            removedFiles.append(path);
    }
    for (const QString &path : plan.remove) {
        if (path.endsWith(u'/') && writer->removeEmptyFolder(path.chopped(1))) {
            touched->append(path.chopped(1));
            removedFiles.append(path.chopped(1)); // its parent may be empty now
        }
    }
    // Folders the removals emptied go too (before the writes: a file may take such a folder's place), unless the
    // checkpoint has them as empty folders. rmdir only: a folder that still holds anything (an ignored file) stays.
    const QSet<QString> keep(target.message.emptyFolders.cbegin(), target.message.emptyFolders.cend());
    std::sort(removedFiles.begin(), removedFiles.end(), std::greater<>());
    for (const QString &path : std::as_const(removedFiles)) {
        for (QString folder = parentOf(path); !folder.isEmpty() && !keep.contains(folder); folder = parentOf(folder)) {
            if (!writer->removeEmptyFolder(folder))
                break;
            touched->append(folder);
        }
    }

    for (const QStringList *list : {&plan.write, &plan.create}) {
        for (const QString &path : *list) {
            if (path.endsWith(u'/'))
                continue;
            git_tree_entry *rawEntry = nullptr;
            if (git_tree_entry_bypath(&rawEntry, tree.get(), path.toUtf8().constData()) != 0) {
                errors->append(gitErrorText(QStringLiteral("cannot find %1 in the checkpoint").arg(path)));
                continue;
            }
            const TreeEntryHandle entry(rawEntry);
            git_blob *rawBlob = nullptr;
            if (git_blob_lookup(&rawBlob, repository.get(), git_tree_entry_id(entry.get())) != 0) {
                errors->append(gitErrorText(QStringLiteral("cannot read %1 from the checkpoint store").arg(path)));
                continue;
            }
            const BlobHandle blob(rawBlob);
            const QByteArray bytes(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                   qsizetype(git_blob_rawsize(blob.get())));
            const git_filemode_t mode = git_tree_entry_filemode(entry.get());
            note(path, mode == GIT_FILEMODE_LINK
                           ? writer->writeSymlink(path, bytes)
                           : writer->writeFile(path, bytes, mode == GIT_FILEMODE_BLOB_EXECUTABLE));
        }
    }
    for (const QString &path : plan.create)
        if (path.endsWith(u'/'))
            note(path.chopped(1), writer->makeFolder(path.chopped(1)));

    return {};
}

CheckpointStore::CheckpointStore() : d(std::make_unique<Private>()) {}

CheckpointStore::~CheckpointStore() = default;

Result<std::unique_ptr<CheckpointStore>> CheckpointStore::open(const QString &workspace, const QString &storeRoot)
{
    const QFileInfo info(workspace);
    if (!info.isDir())
        return fail(QStringLiteral("the workspace %1 is not a folder").arg(workspace));
    const QString canonical = info.canonicalFilePath();
    const QString root = storeRoot.isEmpty()
                             ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                                   + QStringLiteral("/reins/checkpoints")
                             : storeRoot;
    if (root.isEmpty())
        return fail(QStringLiteral("there is no data folder for the checkpoints; set XDG_DATA_HOME"));
    // Checked before creating anything: the store must not create so much as a folder inside the workspace.
    const QString intended = canonicalOf(root);
    if (intended == canonical || intended.startsWith(canonical + u'/'))
        return fail(QStringLiteral("the checkpoint folder %1 is inside the workspace %2; checkpoints must be kept "
                                   "outside it")
                        .arg(intended, canonical));
    if (!QDir().mkpath(root))
        return fail(QStringLiteral("cannot create the checkpoint folder %1; check that it is writable").arg(root));
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();

    const QByteArray digest = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex();
    std::unique_ptr<CheckpointStore> store(new CheckpointStore);
    Private &d = *store->d;
    d.workspace = canonical;
    d.path = canonicalRoot + u'/' + QString::fromLatin1(digest.left(16)) + QStringLiteral(".git");

    QFile marker(d.path + u'/' + workspaceFileName);
    if (marker.open(QIODevice::ReadOnly)) {
        const QString owner = QString::fromUtf8(marker.readAll()).trimmed();
        if (owner != canonical)
            return fail(QStringLiteral("the checkpoint store %1 belongs to the workspace %2, not %3; move it aside")
                            .arg(d.path, owner, canonical));
        if (auto opened = d.openRepository(); !opened)
            return std::unexpected(opened.error());
        return store;
    }

    git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    options.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
    git_repository *raw = nullptr;
    if (git_repository_init_ext(&raw, QFile::encodeName(d.path).constData(), &options) != 0)
        return gitFailure(QStringLiteral("cannot create the checkpoint store %1").arg(d.path));
    const RepositoryHandle created(raw);
    git_config *rawConfig = nullptr;
    if (git_repository_config(&rawConfig, created.get()) != 0)
        return gitFailure(QStringLiteral("cannot configure the checkpoint store %1").arg(d.path));
    const ConfigHandle config(rawConfig);
    // File names are stored as the workspace has them: the NTFS/HFS lookalike checks would refuse legitimate
    // Linux names. gc.auto off: a git command run by hand in the store must not repack it behind our back.
    if (git_config_set_bool(config.get(), "core.protectNTFS", 0) != 0
        || git_config_set_bool(config.get(), "core.protectHFS", 0) != 0
        || git_config_set_int32(config.get(), "gc.auto", 0) != 0)
        return gitFailure(QStringLiteral("cannot configure the checkpoint store %1").arg(d.path));
    QSaveFile out(marker.fileName());
    if (!out.open(QIODevice::WriteOnly) || out.write(canonical.toUtf8() + '\n') < 0 || !out.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(marker.fileName(), out.errorString()));
    if (auto opened = d.openRepository(); !opened)
        return std::unexpected(opened.error());
    return store;
}

QString CheckpointStore::workspace() const
{
    return d->workspace;
}

QString CheckpointStore::path() const
{
    return d->path;
}

Result<Checkpoint> CheckpointStore::snapshot(const SnapshotOptions &options)
{
    d->maxFileBytes = options.maxFileBytes;
    auto tree = d->takeSnapshot(options.changedPaths, {options.maxFileBytes, options.timeBudgetMs});
    if (!tree)
        return std::unexpected(tree.error());
    return d->commit(*tree, options.label, options.session);
}

Result<std::vector<Checkpoint>> CheckpointStore::list(const QString &session) const
{
    auto stored = d->all();
    if (!stored)
        return std::unexpected(stored.error());
    std::vector<Checkpoint> checkpoints;
    for (const Private::Stored &entry : *stored)
        if (session.isEmpty() || entry.checkpoint.session == session)
            checkpoints.push_back(entry.checkpoint);
    return checkpoints;
}

Result<Checkpoint> CheckpointStore::find(const QString &id) const
{
    auto stored = d->resolve(id);
    if (!stored)
        return std::unexpected(stored.error());
    return stored->checkpoint;
}

Result<std::vector<FileDiff>> CheckpointStore::diff(const QString &from, const QString &to)
{
    if (from.isEmpty())
        return fail(QStringLiteral("say which checkpoint to compare from"));
    auto older = d->resolve(from);
    if (!older)
        return std::unexpected(older.error());
    git_oid newer{};
    if (to.isEmpty()) {
        // The working tree: a snapshot without a commit; the index only learns fresher stat data. No time budget:
        // a diff that showed stale content for the files it had no time to read would mislead.
        auto tree = d->takeSnapshot(std::nullopt, {d->maxFileBytes, -1});
        if (!tree)
            return std::unexpected(tree.error());
        newer = tree->tree;
    } else {
        auto stored = d->resolve(to);
        if (!stored)
            return std::unexpected(stored.error());
        newer = stored->tree;
    }
    return diffTrees(d->repository.get(), &older->tree, newer);
}

Result<std::optional<QByteArray>> CheckpointStore::fileContent(const QString &id, const QString &path) const
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || path.split(u'/').contains(QStringLiteral("..")))
        return fail(QStringLiteral("%1 is not a path inside the workspace").arg(path));
    if (id.isEmpty()) {
        // The working tree, read without following a link anywhere on the way.
        const QString full = d->workspace + u'/' + path;
        if (QFileInfo(full).isSymLink() || !QFileInfo(full).isFile() || QFileInfo(QFileInfo(full).path()).canonicalFilePath()
                != QFileInfo(full).absolutePath())
            return std::optional<QByteArray>();
        QFile file(full);
        if (!file.open(QIODevice::ReadOnly))
            return std::optional<QByteArray>();
        return std::optional<QByteArray>(file.readAll());
    }
    auto stored = d->resolve(id);
    if (!stored)
        return std::unexpected(stored.error());
    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, d->repository.get(), &stored->tree) != 0)
        return gitFailure(QStringLiteral("cannot read the tree of checkpoint %1").arg(id));
    const TreeHandle tree(rawTree);
    git_tree_entry *rawEntry = nullptr;
    if (git_tree_entry_bypath(&rawEntry, tree.get(), path.toUtf8().constData()) != 0)
        return std::optional<QByteArray>();
    const TreeEntryHandle entry(rawEntry);
    const git_filemode_t mode = git_tree_entry_filemode(entry.get());
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        return std::optional<QByteArray>();
    git_blob *rawBlob = nullptr;
    if (git_blob_lookup(&rawBlob, d->repository.get(), git_tree_entry_id(entry.get())) != 0)
        return gitFailure(QStringLiteral("cannot read %1 in checkpoint %2").arg(path, id));
    const BlobHandle blob(rawBlob);
    return std::optional<QByteArray>(QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                                qsizetype(git_blob_rawsize(blob.get()))));
}

Result<RestorePlan> CheckpointStore::planRestore(const QString &id)
{
    auto target = d->resolve(id);
    if (!target)
        return std::unexpected(target.error());
    auto stored = d->all();
    if (!stored)
        return std::unexpected(stored.error());
    const git_oid latest = stored->front().tree; // the target exists, so the list is not empty
    // No time budget: a plan must see every file as it is.
    auto current = d->takeSnapshot(std::nullopt, {d->maxFileBytes, -1});
    if (!current)
        return std::unexpected(current.error());
    return checkpoint::planRestore(d->repository.get(), d->workspace,
                                   {target->checkpoint.id, target->tree, target->message}, *current, latest);
}

Result<Checkpoint> CheckpointStore::restore(const QString &id, const QString &session)
{
    auto target = d->resolve(id);
    if (!target)
        return std::unexpected(target.error());
    const QString shortTarget = shortId(target->checkpoint.id);

    // The state before the restore, complete (no time budget): restoring it is the undo.
    auto current = d->takeSnapshot(std::nullopt, {d->maxFileBytes, -1});
    if (!current)
        return std::unexpected(current.error());
    auto before = d->commit(*current, QStringLiteral("before restoring %1").arg(shortTarget), session);
    if (!before)
        return std::unexpected(before.error());
    auto plan = checkpoint::planRestore(d->repository.get(), d->workspace,
                                        {target->checkpoint.id, target->tree, target->message}, *current, std::nullopt);
    if (!plan)
        return std::unexpected(plan.error());

    QStringList touched;
    QStringList errors;
    if (auto applied = d->apply(*plan, *target, &touched, &errors); !applied)
        errors.append(applied.error().message);

    // So that the store's latest checkpoint matches the disk; only the touched paths need a look.
    auto after = d->takeSnapshot(touched, {d->maxFileBytes, -1});
    if (after) {
        if (auto restored = d->commit(*after, QStringLiteral("restored %1").arg(shortTarget), session); !restored)
            errors.append(restored.error().message);
    } else {
        errors.append(after.error().message);
    }
    if (!errors.isEmpty())
        return fail(QStringLiteral("the restore of %1 is incomplete: %2. Checkpoint %3 holds the files as they were "
                                   "before; restore it to go back")
                        .arg(shortTarget, errors.join(QLatin1String("; ")), shortId(before->id)));
    return before;
}

qint64 CheckpointStore::sizeOnDisk() const
{
    qint64 total = 0;
    QDirIterator it(d->path, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

Result<qint64> CheckpointStore::prune(int keepSessions)
{
    if (keepSessions < 0)
        return fail(QStringLiteral("the number of sessions to keep cannot be negative"));
    const qint64 sizeBefore = sizeOnDisk();

    // Each session's newest checkpoint; the sessions beyond the newest N lose their ref.
    auto stored = d->all();
    if (!stored)
        return std::unexpected(stored.error());
    QStringList sessionsByAge; // newest first, as all() sorts
    for (const Private::Stored &entry : *stored)
        if (!sessionsByAge.contains(entry.checkpoint.session))
            sessionsByAge.append(entry.checkpoint.session);
    std::vector<git_oid> kept;
    for (qsizetype i = 0; i < sessionsByAge.size(); ++i) {
        const QByteArray ref = sessionRef(sessionsByAge[i]);
        if (i < keepSessions) {
            git_oid id{};
            if (git_reference_name_to_id(&id, d->repository.get(), ref.constData()) == 0)
                kept.push_back(id);
        } else if (git_reference_remove(d->repository.get(), ref.constData()) != 0) {
            return gitFailure(QStringLiteral("cannot drop the session %1").arg(sessionsByAge[i]));
        }
    }

    // The last snapshot's tree too: a snapshot told which paths changed starts from it.
    std::vector<git_oid> trees;
    if (const auto last = d->snapshotter->lastTree())
        trees.push_back(*last);
    if (auto packed = repackStore(d->repository.get(), d->index.get(), kept, trees, d->path); !packed)
        return std::unexpected(packed.error());
    // The open repository still maps the packs just deleted: open it afresh.
    if (auto reopened = d->openRepository(); !reopened)
        return std::unexpected(reopened.error());
    return sizeBefore - sizeOnDisk();
}

} // namespace reins::checkpoint
