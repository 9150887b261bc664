#include "filewalker.h"

#include "fd.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reins::workspace {

namespace {

// Git skips pattern files larger than this (dir.c, PATTERN_MAX_FILE_SIZE); so do we, rather than read a runaway file.
constexpr qint64 maxPatternFileSize = 100 * 1024 * 1024;

struct DirCloser
{
    void operator()(DIR *dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

// Reads a whole regular file. O_NONBLOCK keeps a FIFO planted under a pattern file's name from hanging the walk;
// the size check then rejects it.
QByteArray readRegularFile(int fd)
{
    struct stat st{};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > maxPatternFileSize)
        return {};
    QByteArray content;
    content.reserve(qsizetype(st.st_size));
    char buffer[16384];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        content.append(buffer, qsizetype(n));
    }
    return content;
}

// A .gitignore inside the work tree: git does not follow it when it is a symbolic link, hence O_NOFOLLOW.
QByteArray readIgnoreFileAt(int dirFd, const char *name)
{
    const Fd fd(::openat(dirFd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    return readRegularFile(fd.get());
}

// Files outside the work tree (the global excludes, a worktree's git dir) may well be symbolic links, e.g. into a
// dotfiles repository.
QByteArray readFile(const QString &path)
{
    const Fd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    return readRegularFile(fd.get());
}

QString globalExcludesFile()
{
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (!config.isEmpty())
        return config + u"/git/ignore";
    const QString home = qEnvironmentVariable("HOME");
    return home.isEmpty() ? QString() : home + u"/.config/git/ignore";
}

QString resolved(const QString &from, const QString &path)
{
    return path.startsWith(u'/') ? path : from + u'/' + path;
}

// The folder that holds info/exclude: "<root>/.git", or, when .git is a file (a linked worktree or a submodule),
// the folder its "gitdir:" line names, and for a worktree the common folder named by that folder's "commondir".
QString commonGitDir(const QString &root)
{
    const QString dotGit = root + u"/.git";
    struct stat st{};
    if (::stat(QFile::encodeName(dotGit).constData(), &st) != 0)
        return {};
    if (S_ISDIR(st.st_mode))
        return dotGit;
    const QByteArray link = readFile(dotGit);
    if (!link.startsWith("gitdir:"))
        return {};
    const QString gitDir = resolved(root, QString::fromUtf8(link.sliced(7).trimmed()));
    const QByteArray common = readFile(gitDir + u"/commondir").trimmed();
    return common.isEmpty() ? gitDir : resolved(gitDir, QString::fromUtf8(common));
}

// Whether the folder `name` in `dirFd` holds a ".git" of any kind: a folder, a "gitdir:" file, even a link.
bool hasGitEntry(int dirFd, const QByteArray &name)
{
    struct stat st{};
    return ::fstatat(dirFd, QByteArray(name + "/.git").constData(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

enum class Kind { File, Dir, Symlink, Other };

Kind kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return Kind::Dir;
    if (S_ISLNK(mode))
        return Kind::Symlink;
    if (S_ISREG(mode))
        return Kind::File;
    return Kind::Other;
}

struct Child
{
    QByteArray name;
    unsigned char type; ///< d_type, DT_UNKNOWN on filesystems that do not fill it in
    bool statted = false; ///< `st` holds the child's lstat, taken before the visit
    struct stat st{};
};

// From this many children on, a folder's entries are stat'ed on two threads. A full scan's wall time is mostly
// these system calls, and git spreads the same work over threads (core.preloadIndex); below this, starting a
// thread costs more than it saves.
constexpr size_t parallelStatMinimum = 128;

void statChildren(int dirFd, std::vector<Child> &children, size_t from, size_t to)
{
    for (size_t i = from; i < to; ++i) {
        Child &child = children[i];
        if (child.type != DT_DIR)
            child.statted = ::fstatat(dirFd, child.name.constData(), &child.st, AT_SYMLINK_NOFOLLOW) == 0;
    }
}

// Stats a large folder's children ahead of the visit, half of them on a second thread. A child that vanishes
// meanwhile is simply not statted, and the visit stats it again (and skips it).
void prestat(int dirFd, std::vector<Child> &children)
{
    if (children.size() < parallelStatMinimum)
        return;
    const size_t middle = children.size() / 2;
    std::thread helper;
    try {
        helper = std::thread(statChildren, dirFd, std::ref(children), middle, children.size());
    } catch (const std::system_error &) {
        statChildren(dirFd, children, middle, children.size()); // no thread to be had: do it here
    }
    statChildren(dirFd, children, 0, middle);
    if (helper.joinable())
        helper.join();
}

class Walker
{
public:
    Walker(const WalkOptions &options, const std::function<bool(const WalkEntry &)> &visit)
        : m_options(options), m_visit(visit)
    {
    }

    // Lists the folder `dir` (relative path `relative`), whose entries sit at `depth`, then each child folder right
    // after the folder's own entry.
    void walkFolder(DirHandle dir, const QString &relative, int depth, bool hidden, const IgnoreRules &inherited)
    {
        if (m_options.maxDepth >= 0 && depth > m_options.maxDepth)
            return;
        const int fd = ::dirfd(dir.get());

        std::vector<Child> children;
        bool hasIgnoreFile = false;
        while (const dirent *entry = ::readdir(dir.get())) {
            const char *name = entry->d_name;
            if (qstrcmp(name, ".") == 0 || qstrcmp(name, "..") == 0 || qstrcmp(name, ".git") == 0)
                continue; // ".git" is the repository, or a file pointing to one: never part of the listing
            hasIgnoreFile = hasIgnoreFile || qstrcmp(name, ".gitignore") == 0;
            children.push_back({QByteArray(name), entry->d_type});
        }
        // QByteArray compares bytes, which for UTF-8 names is code point order.
        std::sort(children.begin(), children.end(),
                  [](const Child &a, const Child &b) { return a.name < b.name; });
        if (m_options.withStat)
            prestat(fd, children);

        // Only a folder with its own .gitignore needs its own copy of the rules; its siblings must not see them.
        std::optional<IgnoreRules> own;
        if (hasIgnoreFile && !m_options.includeIgnored) {
            const QByteArray content = readIgnoreFileAt(fd, ".gitignore");
            if (!content.isEmpty()) {
                own = inherited;
                own->addPatterns(relative, content);
            }
        }
        const IgnoreRules &rules = own ? *own : inherited;
        const QString prefix = relative.isEmpty() ? QString() : relative + u'/';

        for (const Child &child : children) {
            Kind kind = Kind::Other;
            struct stat st = child.st;
            bool haveStat = child.statted;
            if (haveStat) {
                kind = kindOf(st.st_mode);
            } else {
                switch (child.type) {
                case DT_DIR: kind = Kind::Dir; break;
                case DT_REG: kind = Kind::File; break;
                case DT_LNK: kind = Kind::Symlink; break;
                case DT_UNKNOWN:
                    if (::fstatat(fd, child.name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
                        continue; // vanished meanwhile
                    haveStat = true;
                    kind = kindOf(st.st_mode);
                    break;
                default: break;
                }
            }
            // Git lists neither sockets, FIFOs nor devices.
            if (kind == Kind::Other)
                continue;

            WalkEntry entry;
            entry.path = prefix + QFile::decodeName(child.name);
            entry.isDir = kind == Kind::Dir;
            if (!m_options.includeIgnored && rules.isIgnored(entry.path, entry.isDir))
                continue;
            // Only files and links need the stat call, for their size: that keeps folders free of it.
            if (!entry.isDir && !haveStat) {
                if (::fstatat(fd, child.name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
                    continue;
                if (kindOf(st.st_mode) != kind)
                    continue; // replaced by something else since readdir; skip rather than report a stale type
            }
            entry.isSymlink = kind == Kind::Symlink;
            entry.hidden = hidden || child.name.startsWith('.');
            entry.size = entry.isDir ? 0 : qint64(st.st_size);
            entry.depth = depth;
            if (m_options.withStat && !entry.isDir) {
                entry.mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
                entry.ctimeNs = qint64(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
                entry.device = quint64(st.st_dev);
                entry.inode = quint64(st.st_ino);
                entry.mode = quint32(st.st_mode);
            }
            if (entry.isDir && m_options.stopAtNestedRepositories)
                entry.isNestedRepository = hasGitEntry(fd, child.name);
            if (!m_visit(entry)) {
                m_stopped = true;
                return;
            }
            if (!entry.isDir || entry.isNestedRepository
                || (m_options.maxDepth >= 0 && depth >= m_options.maxDepth))
                continue;
            // O_NOFOLLOW: if the folder was swapped for a link since readdir, we still do not follow it.
            Fd childFd(::openat(fd, child.name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!childFd.valid())
                continue; // unreadable folder: listed, not entered
            DirHandle childDir(::fdopendir(childFd.get()));
            if (!childDir)
                continue;
            childFd.release(); // now owned by childDir
            walkFolder(std::move(childDir), entry.path, depth + 1, entry.hidden, rules);
            if (m_stopped)
                return;
        }
    }

private:
    const WalkOptions &m_options;
    const std::function<bool(const WalkEntry &)> &m_visit;
    bool m_stopped = false;
};

} // namespace

IgnoreRules rootRules(const QString &root)
{
    IgnoreRules rules;
    // Lowest precedence first: the global file, then the repository's own exclude file.
    const QString global = globalExcludesFile();
    if (!global.isEmpty())
        rules.addPatterns(QString(), readFile(global));
    const QString gitDir = commonGitDir(root);
    if (!gitDir.isEmpty())
        rules.addPatterns(QString(), readFile(gitDir + u"/info/exclude"));
    return rules;
}

void walk(const QString &root, const WalkOptions &options, const std::function<bool(const WalkEntry &)> &visit)
{
    if (options.maxDepth == 0)
        return;
    Fd fd(::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return;
    IgnoreRules rules = options.includeIgnored ? IgnoreRules() : rootRules(root);

    // Go down to the start folder one component at a time, reading each folder's .gitignore on the way, as the
    // folders above `start` still contribute rules. A start folder inside an ignored one is ignored as a whole.
    QString relative;
    bool hidden = false;
    const QStringList components = options.start.split(u'/', Qt::SkipEmptyParts);
    for (const QString &component : components) {
        if (component == u".")
            continue;
        if (component == u".." || component == u".git")
            return; // outside the root, or inside the repository: nothing of the workspace
        if (!options.includeIgnored)
            rules.addPatterns(relative, readIgnoreFileAt(fd.get(), ".gitignore"));
        relative = relative.isEmpty() ? component : relative + u'/' + component;
        if (!options.includeIgnored && rules.isIgnored(relative, true))
            return;
        // O_NOFOLLOW: the walk never follows links, not even on the way to its start.
        Fd next(::openat(fd.get(), QFile::encodeName(component).constData(),
                               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid())
            return;
        // The start lies in another repository: none of its files belong to this workspace.
        if (options.stopAtNestedRepositories && hasGitEntry(next.get(), "."))
            return;
        fd = std::move(next);
        hidden = hidden || component.startsWith(u'.');
    }

    DirHandle dir(::fdopendir(fd.get()));
    if (!dir)
        return;
    fd.release();
    Walker(options, visit).walkFolder(std::move(dir), relative, 1, hidden, rules);
}

} // namespace reins::workspace
