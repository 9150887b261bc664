#include "userprices.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace reins::widgets {

namespace {

QJsonObject ratesToJson(const provider::Rates &r)
{
    QJsonObject o{{QStringLiteral("cacheHit"), r.cacheHit},
                  {QStringLiteral("cacheMiss"), r.cacheMiss},
                  {QStringLiteral("output"), r.output}};
    if (r.cacheWrite)
        o.insert(QStringLiteral("cacheWrite"), *r.cacheWrite);
    return o;
}

QString clock(int minutes)
{
    return QStringLiteral("%1:%2").arg(minutes / 60, 2, 10, QChar(u'0')).arg(minutes % 60, 2, 10, QChar(u'0'));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("UserPrices", text);
}

// The file's JSON object: empty when the file does not exist, an error when it exists but is not a JSON object.
Result<QJsonObject> readObject(const QString &file)
{
    QFile f(file);
    if (!f.exists())
        return QJsonObject{};
    if (!f.open(QIODevice::ReadOnly))
        return fail(tr("Reins cannot read your price table %1: %2.").arg(file, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return fail(tr("Your price table %1 is not valid JSON (%2). Fix or delete it, then try again.")
                        .arg(file, error.errorString()));
    return doc.object();
}

} // namespace

QJsonObject priceToJson(const provider::ModelPrice &p)
{
    QJsonObject o{{QStringLiteral("provider"), p.provider},
                  {QStringLiteral("model"), p.model},
                  {QStringLiteral("currency"), p.currency},
                  {QStringLiteral("prices"), ratesToJson(p.rates)}};
    if (!p.aliases.isEmpty())
        o.insert(QStringLiteral("aliases"), QJsonArray::fromStringList(p.aliases));
    if (p.peakRates) {
        QJsonArray windows;
        for (const auto &[start, end] : p.peakWindowsUtc)
            windows.append(QString(clock(start) + u'-' + clock(end)));
        o.insert(QStringLiteral("peak"), QJsonObject{{QStringLiteral("windowsUtc"), windows},
                                                     {QStringLiteral("prices"), ratesToJson(*p.peakRates)}});
    }
    return o;
}

Result<provider::PriceTable> loadUserPrices(const QString &file)
{
    const Result<QJsonObject> object = readObject(file);
    if (!object)
        return std::unexpected(object.error());
    if (object->isEmpty())
        return provider::PriceTable{};
    auto table = provider::PriceTable::fromJson(*object);
    if (!table)
        return fail(file + QStringLiteral(": ") + table.error().message);
    return table;
}

Result<void> saveUserPrices(const QString &file, const std::vector<provider::ModelPrice> &changed,
                            const QList<QPair<QString, QString>> &removed)
{
    Result<QJsonObject> root = readObject(file);
    if (!root)
        return std::unexpected(root.error());
    const auto same = [](const QJsonObject &entry, const QString &provider, const QString &model) {
        return entry.value(QLatin1String("provider")).toString() == provider
               && entry.value(QLatin1String("model")).toString() == model;
    };
    QJsonArray models;
    for (const QJsonValue &v : root->value(QLatin1String("models")).toArray()) {
        const QJsonObject entry = v.toObject();
        const bool dropped = std::ranges::any_of(removed, [&](const auto &r) { return same(entry, r.first, r.second); })
                             || std::ranges::any_of(changed, [&](const auto &p) { return same(entry, p.provider, p.model); });
        if (!dropped)
            models.append(entry);
    }
    for (const provider::ModelPrice &p : changed)
        models.append(priceToJson(p));
    root->insert(QStringLiteral("version"), root->value(QLatin1String("version")).toInt(1));
    root->insert(QStringLiteral("models"), models);

    if (!QDir().mkpath(QFileInfo(file).path()))
        return fail(tr("Reins cannot create the folder %1 for your price table.").arg(QFileInfo(file).path()));
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(*root).toJson(QJsonDocument::Indented)) < 0
        || !out.commit())
        return fail(tr("Reins cannot write your price table %1: %2.").arg(file, out.errorString()));
    return {};
}

} // namespace reins::widgets
