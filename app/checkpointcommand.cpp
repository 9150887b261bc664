#include "checkpointcommand.h"

#include "checkpoint/checkpointstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace reins::checkpoint;

namespace {

const char kUsage[] =
    "Usage: reins checkpoint list --workspace DIR [--json]\n"
    "       reins checkpoint create --workspace DIR [--label TEXT] [--json]\n"
    "       reins checkpoint diff A [B] --workspace DIR [--json]     (without B: A against the working tree)\n"
    "       reins checkpoint restore ID --workspace DIR [--dry-run] [--json]\n";

int usageError(const QString &message)
{
    std::fprintf(stderr, "reins checkpoint: %s\n\n%s", qPrintable(message), kUsage);
    return 2;
}

int failure(const QString &message)
{
    std::fprintf(stderr, "reins checkpoint: %s\n", qPrintable(message));
    return 1;
}

void print(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
}

QJsonObject toJson(const Checkpoint &c)
{
    return QJsonObject{{QStringLiteral("id"), c.id},
                       {QStringLiteral("parent"), c.parentId},
                       {QStringLiteral("session"), c.session},
                       {QStringLiteral("label"), c.label},
                       {QStringLiteral("time"), c.timeMs},
                       {QStringLiteral("filesChanged"), c.filesChanged},
                       {QStringLiteral("partial"), c.partial},
                       {QStringLiteral("skipped"), QJsonArray::fromStringList(c.skipped)},
                       {QStringLiteral("nestedRepositories"), QJsonArray::fromStringList(c.nestedRepositories)}};
}

QString statusName(FileDiff::Status s)
{
    switch (s) {
    case FileDiff::Status::Added: return QStringLiteral("added");
    case FileDiff::Status::Modified: return QStringLiteral("modified");
    case FileDiff::Status::Deleted: return QStringLiteral("deleted");
    case FileDiff::Status::Renamed: return QStringLiteral("renamed");
    case FileDiff::Status::Copied: return QStringLiteral("copied");
    case FileDiff::Status::TypeChange: return QStringLiteral("type changed");
    }
    return {};
}

QJsonObject toJson(const FileDiff &f)
{
    QJsonArray hunks;
    for (const DiffHunk &h : f.hunks) {
        QJsonArray lines;
        for (const DiffLine &l : h.lines)
            lines.append(QJsonObject{{QStringLiteral("origin"), QString(QLatin1Char(l.origin))},
                                     {QStringLiteral("text"), l.text},
                                     {QStringLiteral("oldLine"), l.oldLine},
                                     {QStringLiteral("newLine"), l.newLine}});
        hunks.append(QJsonObject{{QStringLiteral("oldStart"), h.oldStart}, {QStringLiteral("oldLines"), h.oldLines},
                                 {QStringLiteral("newStart"), h.newStart}, {QStringLiteral("newLines"), h.newLines},
                                 {QStringLiteral("header"), h.header}, {QStringLiteral("lines"), lines}});
    }
    return QJsonObject{{QStringLiteral("status"), statusName(f.status)},
                       {QStringLiteral("oldPath"), f.oldPath},
                       {QStringLiteral("newPath"), f.newPath},
                       {QStringLiteral("oldMode"), QString::number(f.oldMode, 8)},
                       {QStringLiteral("newMode"), QString::number(f.newMode, 8)},
                       {QStringLiteral("binary"), f.binary},
                       {QStringLiteral("similarity"), f.similarity},
                       {QStringLiteral("additions"), f.additions},
                       {QStringLiteral("deletions"), f.deletions},
                       {QStringLiteral("hunks"), hunks}};
}

QString describe(const Checkpoint &c)
{
    QString line = QStringLiteral("%1  %2  %3  %4")
                       .arg(c.id.left(12), QDateTime::fromMSecsSinceEpoch(c.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                            c.session.isEmpty() ? QStringLiteral("manual") : c.session, c.label);
    if (c.filesChanged)
        line += QStringLiteral("  (%1 files changed)").arg(c.filesChanged);
    if (c.partial)
        line += QStringLiteral("  [partial: %1]").arg(c.skipped.join(QStringLiteral("; ")));
    return line + u'\n';
}

QString unified(const FileDiff &f)
{
    QString out = QStringLiteral("%1 %2").arg(statusName(f.status), f.newPath.isEmpty() ? f.oldPath : f.newPath);
    if (f.status == FileDiff::Status::Renamed)
        out += QStringLiteral(" (from %1, %2% similar)").arg(f.oldPath).arg(f.similarity);
    if (f.modeChanged())
        out += QStringLiteral(" (mode %1 → %2)").arg(QString::number(f.oldMode, 8), QString::number(f.newMode, 8));
    out += QStringLiteral("  +%1 −%2\n").arg(f.additions).arg(f.deletions);
    if (f.binary)
        return out + QStringLiteral("  (binary)\n");
    out += QStringLiteral("--- a/%1\n+++ b/%2\n").arg(f.oldPath.isEmpty() ? f.newPath : f.oldPath, f.newPath.isEmpty() ? f.oldPath : f.newPath);
    for (const DiffHunk &h : f.hunks) {
        out += QStringLiteral("@@ -%1,%2 +%3,%4 @@ %5\n").arg(h.oldStart).arg(h.oldLines).arg(h.newStart).arg(h.newLines).arg(h.header);
        for (const DiffLine &l : h.lines) {
            out += QLatin1Char(l.origin) + l.text + u'\n';
            if (l.noNewlineAtEnd)
                out += QStringLiteral("\\ No newline at end of file\n");
        }
    }
    return out;
}

} // namespace

int runCheckpoint(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("reins"));
    QCoreApplication::setApplicationName(QStringLiteral("reins"));
    QCommandLineParser parser;
    const QCommandLineOption workspace(QStringLiteral("workspace"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"));
    const QCommandLineOption label(QStringLiteral("label"), QString(), QStringLiteral("TEXT"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    parser.addOptions({workspace, json, dryRun, label, help});
    QStringList args = app.arguments();
    args.removeAt(1); // "checkpoint"
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const QStringList words = parser.positionalArguments();
    if (words.isEmpty())
        return usageError(QStringLiteral("say what to do: list, create, diff or restore"));
    if (!parser.isSet(workspace))
        return usageError(QStringLiteral("--workspace is required"));
    const QString verb = words.first();
    const QStringList rest = words.mid(1);
    const bool asJson = parser.isSet(json);
    if (!QStringList{QStringLiteral("list"), QStringLiteral("create"), QStringLiteral("diff"), QStringLiteral("restore")}.contains(verb))
        return usageError(QStringLiteral("unknown action '%1'").arg(verb));

    auto opened = CheckpointStore::open(QDir(parser.value(workspace)).absolutePath());
    if (!opened)
        return failure(opened.error().message);
    CheckpointStore &store = **opened;

    if (verb == QLatin1String("list")) {
        if (!rest.isEmpty())
            return usageError(QStringLiteral("list takes no arguments"));
        auto all = store.list();
        if (!all)
            return failure(all.error().message);
        if (asJson) {
            QJsonArray array;
            for (const Checkpoint &c : *all)
                array.append(toJson(c));
            printJson(array);
        } else if (all->empty()) {
            print(QStringLiteral("No checkpoints yet for this workspace.\n"));
        } else {
            for (const Checkpoint &c : *all)
                print(describe(c));
        }
        if (!asJson)
            print(QStringLiteral("Store: %1 MB in %2\n").arg(double(store.sizeOnDisk()) / 1e6, 0, 'f', 1).arg(store.path()));
        return 0;
    }
    if (verb == QLatin1String("create")) {
        if (!rest.isEmpty())
            return usageError(QStringLiteral("create takes no arguments (use --label)"));
        SnapshotOptions options;
        options.label = parser.isSet(label) ? parser.value(label) : QStringLiteral("created by hand");
        auto created = store.snapshot(options);
        if (!created)
            return failure(created.error().message);
        if (asJson)
            printJson(toJson(*created));
        else
            print(describe(*created));
        return 0;
    }
    if (verb == QLatin1String("diff")) {
        if (rest.isEmpty() || rest.size() > 2)
            return usageError(QStringLiteral("diff takes one or two checkpoints"));
        auto files = store.diff(rest[0], rest.value(1));
        if (!files)
            return failure(files.error().message);
        if (asJson) {
            QJsonArray array;
            for (const FileDiff &f : *files)
                array.append(toJson(f));
            printJson(array);
        } else {
            for (const FileDiff &f : *files)
                print(unified(f));
            if (files->empty())
                print(QStringLiteral("No differences.\n"));
        }
        return 0;
    }
    if (verb == QLatin1String("restore")) {
        if (rest.size() != 1)
            return usageError(QStringLiteral("restore takes one checkpoint id"));
        auto plan = store.planRestore(rest[0]);
        if (!plan)
            return failure(plan.error().message);
        if (parser.isSet(dryRun)) {
            if (asJson) {
                printJson(QJsonObject{{QStringLiteral("target"), plan->target},
                                      {QStringLiteral("write"), QJsonArray::fromStringList(plan->write)},
                                      {QStringLiteral("create"), QJsonArray::fromStringList(plan->create)},
                                      {QStringLiteral("remove"), QJsonArray::fromStringList(plan->remove)},
                                      {QStringLiteral("editedSince"), QJsonArray::fromStringList(plan->editedSince)}});
            } else {
                QString text = QStringLiteral("Restoring %1 would:\n").arg(plan->target.left(12));
                for (const QString &p : plan->write)
                    text += QStringLiteral("  change  %1%2\n").arg(p, plan->editedSince.contains(p) ? QStringLiteral("   (edited since the last checkpoint!)") : QString());
                for (const QString &p : plan->create)
                    text += QStringLiteral("  create  %1\n").arg(p);
                for (const QString &p : plan->remove)
                    text += QStringLiteral("  delete  %1%2\n").arg(p, plan->editedSince.contains(p) ? QStringLiteral("   (edited since the last checkpoint!)") : QString());
                if (plan->isEmpty())
                    text += QStringLiteral("  nothing: the working tree already matches.\n");
                print(text);
            }
            return 0;
        }
        auto undo = store.restore(rest[0]);
        if (!undo)
            return failure(undo.error().message);
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("restored"), plan->target}, {QStringLiteral("undo"), undo->id}});
        else
            print(QStringLiteral("Restored %1 (%2 files written, %3 created, %4 deleted). Undo with:\n  reins checkpoint restore %5 --workspace %6\n")
                      .arg(plan->target.left(12))
                      .arg(plan->write.size())
                      .arg(plan->create.size())
                      .arg(plan->remove.size())
                      .arg(undo->id.left(12), parser.value(workspace)));
        return 0;
    }
    return usageError(QStringLiteral("unknown action '%1'").arg(verb));
}
