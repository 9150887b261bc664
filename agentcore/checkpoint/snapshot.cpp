#include "snapshot.h"

#include "githandle.h"
#include "relativepath.h"
#include "snapshotpass.h"
#include "snapshotstate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

#include <sys/stat.h>

namespace reins::checkpoint {

using workspace::WalkEntry;
using workspace::WalkOptions;

namespace {

// Files not read for lack of time are listed one by one up to this many, then summed up.
constexpr int listedBudgetMisses = 20;
// Past this many paths examined since the index file was written, the next snapshot writes it.
constexpr qsizetype maxDirtyPaths = 1000;

void sortUnique(QStringList &list)
{
    list.sort();
    list.removeDuplicates();
}

// The previous snapshot's tree with the paths the index dropped and gained; false if that cannot be done.
bool updateTree(git_repository *repository, const git_oid &previous, const QList<QByteArray> &removed,
                const std::vector<SnapshotPass::Added> &added, git_oid *tree)
{
    if (removed.isEmpty() && added.empty()) {
        *tree = previous;
        return true;
    }
    git_tree *rawBase = nullptr;
    if (git_tree_lookup(&rawBase, repository, &previous) != 0)
        return false;
    const TreeHandle base(rawBase);
    std::vector<git_tree_update> updates;
    updates.reserve(size_t(removed.size()) + added.size());
    for (const QByteArray &path : removed)
        updates.push_back({GIT_TREE_UPDATE_REMOVE, {}, GIT_FILEMODE_UNREADABLE, path.constData()});
    for (const SnapshotPass::Added &entry : added)
        updates.push_back({GIT_TREE_UPDATE_UPSERT, entry.id, git_filemode_t(entry.mode), entry.path.constData()});
    return git_tree_create_updated(tree, repository, base.get(), updates.size(), updates.data()) == 0;
}

} // namespace

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    const char *units[] = {"KB", "MB", "GB", "TB"};
    qint64 unit = 1024;
    int index = 0;
    while (index < 3 && bytes >= unit * 1024) {
        unit *= 1024;
        ++index;
    }
    const QString number = bytes % unit == 0 ? QString::number(bytes / unit)
                                             : QString::number(double(bytes) / double(unit), 'f', 1);
    return number + u' ' + QLatin1StringView(units[index]);
}

QStringList SnapshotTree::skippedLines() const
{
    QStringList lines;
    int budgetMisses = 0;
    qint64 budget = 0;
    for (const Uncaptured &u : uncaptured) {
        switch (u.reason) {
        case Uncaptured::Reason::TooLarge:
            lines.append(QStringLiteral("%1 (%2, over the %3 cap)").arg(u.path, formatSize(u.size), formatSize(u.limit)));
            break;
        case Uncaptured::Reason::Unreadable:
            lines.append(QStringLiteral("%1 (not readable: %2)").arg(u.path, u.detail));
            break;
        case Uncaptured::Reason::BadName:
            lines.append(QStringLiteral("%1 (the name is not valid UTF-8)").arg(u.path));
            break;
        case Uncaptured::Reason::TimeBudgetKept:
        case Uncaptured::Reason::TimeBudgetLeftOut:
            budget = u.limit;
            if (++budgetMisses <= listedBudgetMisses)
                lines.append(QStringLiteral("%1 (not read within the %2 ms time budget: %3)")
                                 .arg(u.path)
                                 .arg(u.limit)
                                 .arg(u.reason == Uncaptured::Reason::TimeBudgetKept
                                          ? QStringLiteral("as in the previous checkpoint")
                                          : QStringLiteral("left out")));
            break;
        }
    }
    if (budgetMisses > listedBudgetMisses)
        lines.append(QStringLiteral("… and %1 more files not read within the %2 ms time budget")
                         .arg(budgetMisses - listedBudgetMisses)
                         .arg(budget));
    return lines;
}

QStringList SnapshotTree::notCapturedPaths() const
{
    QStringList paths;
    paths.reserve(qsizetype(uncaptured.size()));
    for (const Uncaptured &u : uncaptured)
        paths.append(u.path);
    return paths;
}

Snapshotter::Snapshotter(git_repository *repository, git_index *index, QString workspace, QString statePath)
    : m_repository(repository), m_index(index), m_root(std::move(workspace)), m_statePath(std::move(statePath))
{
}

// Workspace-relative, clean paths: "" stands for the whole workspace. A path inside a repository's own .git, or
// inside a nested repository, becomes that nested repository; a changed .gitignore, its folder (what the walk
// lists there may have changed).
Result<QStringList> Snapshotter::normalise(const QStringList &paths) const
{
    QSet<QString> set;
    for (const QString &given : paths) {
        if (given.contains(QChar(0)))
            return fail(QStringLiteral("a changed path contains a NUL character"));
        QString path = QDir::cleanPath(given);
        if (QDir::isAbsolutePath(path) && path != m_root && !path.startsWith(m_root + u'/')) {
            // The caller may spell the workspace through a symbolic link; the root is canonical.
            const QFileInfo info(path);
            const QString folder = QFileInfo(info.path()).canonicalFilePath();
            if (!folder.isEmpty())
                path = folder + u'/' + info.fileName();
        }
        if (QDir::isAbsolutePath(path)) {
            if (path == m_root)
                path = QStringLiteral(".");
            else if (path.startsWith(m_root + u'/'))
                path = path.mid(m_root.size() + 1);
            else
                return fail(QStringLiteral("the changed path %1 is outside the workspace %2").arg(given, m_root));
        }
        if (path == QLatin1String(".") || path.isEmpty()) {
            set.insert(QString());
            continue;
        }
        if (path == QLatin1String("..") || path.startsWith(QLatin1String("../")))
            return fail(QStringLiteral("the changed path %1 leads outside the workspace %2").arg(given, m_root));
        QStringList parts = path.split(u'/');
        const qsizetype dotGit = parts.indexOf(QLatin1String(".git"));
        if (dotGit == 0)
            continue; // the workspace's own repository: not part of any snapshot
        if (dotGit > 0)
            parts = parts.first(dotGit);
        for (qsizetype i = 1; i < parts.size(); ++i) {
            struct stat st{};
            const QString ancestor = parts.first(i).join(u'/');
            if (::lstat(QFile::encodeName(m_root + u'/' + ancestor + QLatin1String("/.git")).constData(), &st) == 0) {
                parts = parts.first(i);
                break;
            }
        }
        path = parts.join(u'/');
        if (nameOf(path) == QLatin1String(".gitignore"))
            path = parentOf(path);
        set.insert(path);
    }
    if (set.contains(QString()))
        return QStringList{QString()};
    QStringList result;
    for (const QString &path : std::as_const(set)) {
        bool covered = false;
        for (QString up = parentOf(path); !up.isEmpty() && !covered; up = parentOf(up))
            covered = set.contains(up);
        if (!covered)
            result.append(path);
    }
    result.sort();
    return result;
}

Result<SnapshotTree> Snapshotter::take(const std::optional<QStringList> &changedPaths, const SnapshotLimits &limits)
{
    // Another process may have written the index since; an index that cannot be read is started afresh.
    if (git_index_read(m_index, 0) != 0) {
        git_index_clear(m_index);
        m_indexSource.clear();
    }
    const QString indexPath = QFile::decodeName(git_index_path(m_index));
    const QByteArray onDisk = indexFileChecksum(indexPath);
    // An index just read from its file lacks what earlier snapshots only listed as dirty paths: look at them again.
    const bool indexFromFile = m_indexSource.isEmpty() || m_indexSource != onDisk;
    git_odb *rawOdb = nullptr;
    if (git_repository_odb(&rawOdb, m_repository) != 0)
        return gitFailure(QStringLiteral("cannot open the checkpoint store's object database"));
    const OdbHandle odb(rawOdb);

    const std::optional<SnapshotState> state = SnapshotState::load(m_statePath, indexPath);
    QStringList targets;
    if (changedPaths && state) {
        QStringList wanted = *changedPaths;
        if (indexFromFile)
            wanted += state->dirtyPaths;
        auto normalised = normalise(wanted);
        if (!normalised)
            return std::unexpected(normalised.error());
        targets = *normalised;
    }
    const bool fullScan = !changedPaths || !state || targets.contains(QString());
    // The tree the index held before this pass, when the state knows it: the pass's changes applied to it give the
    // new tree. An index just read from its file, behind by the dirty paths, gives a full scan no such tree.
    const git_oid *baseTree = nullptr;
    if (state && (!fullScan || !indexFromFile || state->dirtyPaths.isEmpty()))
        baseTree = &state->last.tree;

    SnapshotPass pass(m_index, odb.get(), m_root, limits);
    QList<QByteArray> stale;
    SnapshotTree result;
    WalkOptions options;
    options.stopAtNestedRepositories = true;
    options.withStat = true;
    const auto visit = [&pass](const WalkEntry &entry) {
        pass.visit(entry);
        return !pass.error();
    };

    if (fullScan) {
        workspace::walk(m_root, options, visit);
        pass.closeFolders();
        pass.collectStale(QString(), stale);
    } else {
        result = state->last;
        examine(targets, options, pass, stale, result);
    }
    if (pass.error())
        return std::unexpected(*pass.error());
    const StrictObjectCreationOff trusted; // every object named below was just written, or is kept on purpose
    const auto abandon = [this](const std::unexpected<Error> &failure) {
        git_index_read(m_index, 1); // back to the file: drop what was half applied
        m_indexSource.clear();
        return failure;
    };
    if (auto applied = pass.apply(stale); !applied)
        return abandon(std::unexpected(applied.error()));
    const bool indexChanged = !stale.isEmpty() || !pass.added().empty();
    // Told what changed: the previous tree with those paths updated reads only the trees on their way, where the
    // index would rewrite and re-read every folder it no longer has a cached tree for. A file that replaced a folder
    // (or the other way round) is beyond git_tree_create_updated: the index does it then.
    if (!baseTree || !updateTree(m_repository, *baseTree, stale, pass.added(), &result.tree)) {
        if (git_index_write_tree_to(&result.tree, m_index, m_repository) != 0)
            return abandon(gitFailure(QStringLiteral("cannot write the snapshot's tree")));
    }

    SnapshotState next;
    next.indexChecksum = onDisk;
    bool writeIndex = false;
    if (fullScan) {
        // A full scan leaves no dirty path: the index file is written, unless it already holds all of it.
        const bool aheadOfFile = indexChanged || !state || (!indexFromFile && !state->dirtyPaths.isEmpty());
        writeIndex = aheadOfFile;
    } else {
        next.dirtyPaths = state->dirtyPaths;
        if (indexChanged)
            next.dirtyPaths += targets;
        sortUnique(next.dirtyPaths);
        writeIndex = next.dirtyPaths.size() > maxDirtyPaths;
    }
    if (writeIndex) {
        if (git_index_write(m_index) != 0)
            return abandon(gitFailure(QStringLiteral("cannot save the checkpoint index")));
        next.dirtyPaths.clear();
        next.indexChecksum = indexFileChecksum(indexPath);
    }
    m_indexSource = next.indexChecksum;

    result.emptyFolders += pass.emptyFolders();
    result.nestedRepositories += pass.nestedRepositories();
    result.uncaptured.insert(result.uncaptured.end(), pass.uncaptured().begin(), pass.uncaptured().end());
    sortUnique(result.emptyFolders);
    sortUnique(result.nestedRepositories);
    std::sort(result.uncaptured.begin(), result.uncaptured.end(),
              [](const Uncaptured &a, const Uncaptured &b) { return a.path < b.path; });
    next.last = result;
    if (auto saved = next.save(m_statePath); !saved)
        return std::unexpected(saved.error());
    return result;
}

std::optional<git_oid> Snapshotter::lastTree() const
{
    const auto state = SnapshotState::load(m_statePath, QFile::decodeName(git_index_path(m_index)));
    return state ? std::optional<git_oid>(state->last.tree) : std::nullopt;
}

void Snapshotter::examine(const QStringList &targets, const WalkOptions &options, SnapshotPass &pass,
                          QList<QByteArray> &stale, SnapshotTree &result) const
{
    const auto visit = [&pass](const WalkEntry &entry) {
        pass.visit(entry);
        return !pass.error();
    };
    const auto dropUnder = [&result](const QString &target) {
        const auto under = [&target](const QString &path) { return isAtOrUnder(path, target); };
        result.emptyFolders.removeIf(under);
        result.nestedRepositories.removeIf(under);
        std::erase_if(result.uncaptured, [&](const Uncaptured &u) { return under(u.path); });
    };
    std::map<QString, QStringList> byFolder;
    QSet<QString> ancestors;
    for (const QString &target : targets) {
        dropUnder(target);
        byFolder[parentOf(target)].append(nameOf(target));
        for (QString up = parentOf(target); !up.isEmpty(); up = parentOf(up))
            ancestors.insert(up);
    }
    for (const auto &[folder, names] : byFolder) {
        QHash<QString, WalkEntry> listed;
        WalkOptions one = options;
        one.start = folder;
        one.maxDepth = 1;
        workspace::walk(m_root, one, [&listed](const WalkEntry &entry) {
            listed.insert(entry.path, entry);
            return true;
        });
        for (const QString &name : names) {
            const QString target = joined(folder, name);
            const auto found = listed.constFind(target);
            if (found != listed.cend()) {
                pass.visit(*found);
                if (found->isDir && !found->isNestedRepository) {
                    WalkOptions below = options;
                    below.start = target;
                    workspace::walk(m_root, below, visit);
                }
            }
            pass.closeFolders();
            pass.collectStale(target, stale);
        }
    }
    // A folder on the way to a changed path may have become empty, or stopped being so.
    for (const QString &folder : std::as_const(ancestors)) {
        result.emptyFolders.removeAll(folder);
        if (!folderIsEmpty(m_root + u'/' + folder))
            continue;
        bool listed = false; // not ignored, not a nested repository
        WalkOptions one = options;
        one.start = parentOf(folder);
        one.maxDepth = 1;
        workspace::walk(m_root, one, [&](const WalkEntry &entry) {
            listed = listed || (entry.path == folder && entry.isDir && !entry.isNestedRepository);
            return !listed;
        });
        if (listed)
            result.emptyFolders.append(folder);
    }
}

} // namespace reins::checkpoint
