#include "snapshotstate.h"

#include "githandle.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace reins::checkpoint {

namespace {

constexpr int stateVersion = 2;

QString reasonName(Uncaptured::Reason reason)
{
    switch (reason) {
    case Uncaptured::Reason::TooLarge: return QStringLiteral("too-large");
    case Uncaptured::Reason::TimeBudgetKept: return QStringLiteral("time-budget-kept");
    case Uncaptured::Reason::TimeBudgetLeftOut: return QStringLiteral("time-budget-left-out");
    case Uncaptured::Reason::Unreadable: return QStringLiteral("unreadable");
    case Uncaptured::Reason::BadName: return QStringLiteral("bad-name");
    }
    return {};
}

Uncaptured::Reason reasonFromName(const QString &name)
{
    for (const auto reason : {Uncaptured::Reason::TooLarge, Uncaptured::Reason::TimeBudgetKept,
                              Uncaptured::Reason::TimeBudgetLeftOut, Uncaptured::Reason::BadName})
        if (reasonName(reason) == name)
            return reason;
    return Uncaptured::Reason::Unreadable;
}

QStringList fromJson(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

} // namespace

QByteArray indexFileChecksum(const QString &indexPath)
{
    QFile file(indexPath);
    if (!file.open(QIODevice::ReadOnly) || file.size() < GIT_OID_SHA1_SIZE)
        return {};
    file.seek(file.size() - GIT_OID_SHA1_SIZE);
    return file.read(GIT_OID_SHA1_SIZE).toHex();
}

std::optional<SnapshotState> SnapshotState::load(const QString &statePath, const QString &indexPath)
{
    QFile file(statePath);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    if (object.value(QLatin1String("version")).toInt() != stateVersion)
        return std::nullopt;
    SnapshotState state;
    state.indexChecksum = object.value(QLatin1String("indexChecksum")).toString().toLatin1();
    if (state.indexChecksum.isEmpty() || state.indexChecksum != indexFileChecksum(indexPath))
        return std::nullopt;
    if (git_oid_fromstr(&state.last.tree, object.value(QLatin1String("tree")).toString().toLatin1().constData()) != 0)
        return std::nullopt;
    state.dirtyPaths = fromJson(object.value(QLatin1String("dirtyPaths")));
    state.last.emptyFolders = fromJson(object.value(QLatin1String("emptyFolders")));
    state.last.nestedRepositories = fromJson(object.value(QLatin1String("nestedRepositories")));
    for (const QJsonValue &value : object.value(QLatin1String("uncaptured")).toArray()) {
        const QJsonObject u = value.toObject();
        state.last.uncaptured.push_back({u.value(QLatin1String("path")).toString(),
                                         reasonFromName(u.value(QLatin1String("reason")).toString()),
                                         qint64(u.value(QLatin1String("size")).toDouble()),
                                         qint64(u.value(QLatin1String("limit")).toDouble()),
                                         u.value(QLatin1String("detail")).toString()});
    }
    return state;
}

Result<void> SnapshotState::save(const QString &statePath) const
{
    QJsonArray uncaptured;
    for (const Uncaptured &u : last.uncaptured)
        uncaptured.append(QJsonObject{{QLatin1String("path"), u.path},
                                      {QLatin1String("reason"), reasonName(u.reason)},
                                      {QLatin1String("size"), double(u.size)},
                                      {QLatin1String("limit"), double(u.limit)},
                                      {QLatin1String("detail"), u.detail}});
    const QJsonObject object{{QLatin1String("version"), stateVersion},
                             {QLatin1String("indexChecksum"), QString::fromLatin1(indexChecksum)},
                             {QLatin1String("tree"), oidText(last.tree)},
                             {QLatin1String("dirtyPaths"), QJsonArray::fromStringList(dirtyPaths)},
                             {QLatin1String("emptyFolders"), QJsonArray::fromStringList(last.emptyFolders)},
                             {QLatin1String("nestedRepositories"), QJsonArray::fromStringList(last.nestedRepositories)},
                             {QLatin1String("uncaptured"), uncaptured}};
    QSaveFile file(statePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(object).toJson(QJsonDocument::Compact)) < 0
        || !file.commit()) {
        QFile::remove(statePath);
        return fail(QStringLiteral("cannot write %1: %2").arg(statePath, file.errorString()));
    }
    return {};
}

} // namespace reins::checkpoint
