#include "tool.h"

#include "../diff/unifieddiff.h"
#include "../workspace/workspace.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QStringDecoder>

namespace reins::tools {

namespace {
QByteArray hashOf(QByteArrayView bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}
} // namespace

void FileTracker::remember(const QString &path, QByteArrayView bytes)
{
    m_hashes.insert(path, hashOf(bytes));
}

void FileTracker::forget(const QString &path)
{
    m_hashes.remove(path);
}

Result<void> FileTracker::checkFresh(const QString &path, QByteArrayView currentBytes) const
{
    const auto it = m_hashes.constFind(path);
    if (it != m_hashes.constEnd() && *it != hashOf(currentBytes))
        return fail(QStringLiteral("%1 changed on disk since you last read it (someone else edited it). Read it again "
                                   "with read_file, then make your edit against the current content.")
                        .arg(path));
    return {};
}

Result<QByteArray> readForEdit(const QString &path, ToolContext &context)
{
    auto bytes = context.workspace->readFile(path);
    if (!bytes)
        return bytes;
    if (auto fresh = context.files->checkFresh(path, *bytes); !fresh)
        return std::unexpected(fresh.error());
    return bytes;
}

QJsonObject jsonObject(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

Result<QString> stringArgument(const QJsonObject &arguments, const char *key, bool allowEmpty)
{
    const QJsonValue value = arguments.value(QLatin1String(key));
    if (!value.isString())
        return fail(QStringLiteral("the argument '%1' is required and must be a string").arg(QLatin1String(key)));
    if (!allowEmpty && value.toString().isEmpty())
        return fail(QStringLiteral("the argument '%1' must not be empty").arg(QLatin1String(key)));
    return value.toString();
}

QString describeChanges(const std::vector<FileChange> &changes)
{
    QString text;
    for (const FileChange &c : changes)
        text += diff::unifiedDiff(c.path, c.before, c.newPath.isEmpty() ? c.path : c.newPath, c.after);
    return text;
}

std::vector<protocol::ProposedFile> proposedFiles(const std::vector<FileChange> &changes, qsizetype maxBytes)
{
    std::vector<protocol::ProposedFile> files;
    for (const FileChange &c : changes) {
        protocol::ProposedFile file;
        file.path = c.path;
        file.newPath = c.newPath.isEmpty() ? c.path : c.newPath;
        const auto text = [&](const std::optional<QByteArray> &bytes) -> std::optional<QString> {
            if (!bytes)
                return std::nullopt;
            if (bytes->size() > maxBytes) {
                file.tooLarge = true;
                return std::nullopt;
            }
            // NUL in the first 8000 bytes is git's test for binary; invalid UTF-8 cannot travel as text either.
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            QString decoded = decoder.decode(*bytes);
            if (bytes->first(std::min<qsizetype>(bytes->size(), 8000)).contains('\0') || decoder.hasError()) {
                file.binary = true;
                return std::nullopt;
            }
            return decoded;
        };
        file.before = text(c.before);
        file.after = text(c.after);
        if (file.binary || file.tooLarge)
            file.before = file.after = std::nullopt;
        files.push_back(std::move(file));
    }
    return files;
}

ToolResult applyChanges(const std::vector<FileChange> &changes, ToolContext &context, const QString &summary)
{
    const workspace::Workspace &ws = *context.workspace;
    // Check every target first, so that a refusal comes before anything is written.
    for (const FileChange &c : changes) {
        for (const QString &p : {c.path, c.newPath}) {
            if (p.isEmpty())
                continue;
            if (ws.isProtected(p))
                return ToolResult::failure(
                    QStringLiteral("%1 is inside .git or Reins's configuration; tools never write there — no file "
                                   "was changed.")
                        .arg(p));
        }
    }
    std::vector<const FileChange *> done;
    QString error;
    for (const FileChange &c : changes) {
        const QString target = c.newPath.isEmpty() ? c.path : c.newPath;
        Result<void> step;
        if (c.after)
            step = ws.writeFile(target, *c.after);
        if (step && (!c.after || target != c.path) && c.before) {
            step = ws.removeFile(c.path);
            // A move whose new file is written but whose old one stays: the new one goes too, since this change
            // is not in `done` and the rollback below would leave it behind.
            if (!step && c.after)
                (void)ws.removeFile(target);
        }
        if (!step) {
            error = step.error().message;
            break;
        }
        done.push_back(&c);
    }
    if (!error.isEmpty()) {
        // All or nothing: put back what was already changed, newest first.
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
            const FileChange &c = **it;
            const QString target = c.newPath.isEmpty() ? c.path : c.newPath;
            if (c.before)
                (void)ws.writeFile(c.path, *c.before);
            if (target != c.path || !c.before)
                (void)ws.removeFile(target);
        }
        return ToolResult::failure(error + QStringLiteral(" — no file was changed."));
    }
    ToolResult result;
    result.text = summary;
    for (const FileChange &c : changes) {
        const QString target = c.newPath.isEmpty() ? c.path : c.newPath;
        if (c.after)
            context.files->remember(target, *c.after);
        if (target != c.path || !c.after)
            context.files->forget(c.path);
        result.changedPaths.append(c.path);
        if (target != c.path)
            result.changedPaths.append(target);
    }
    return result;
}

} // namespace reins::tools
