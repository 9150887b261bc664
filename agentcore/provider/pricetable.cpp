#include "pricetable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace reins::provider {

namespace {

Result<Rates> parseRates(const QJsonObject &json, const QString &where)
{
    Rates r;
    for (auto [key, target] : {std::pair{"cacheHit", &r.cacheHit}, std::pair{"cacheMiss", &r.cacheMiss},
                               std::pair{"output", &r.output}}) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (!v.isDouble() || v.toDouble() < 0)
            return fail(QStringLiteral("%1: '%2' must be a price per million tokens (a number ≥ 0)")
                            .arg(where, QLatin1String(key)));
        *target = v.toDouble();
    }
    const QJsonValue write = json.value(QLatin1String("cacheWrite"));
    if (!write.isUndefined()) {
        if (!write.isDouble() || write.toDouble() < 0)
            return fail(QStringLiteral("%1: 'cacheWrite' must be a number ≥ 0").arg(where));
        r.cacheWrite = write.toDouble();
    }
    return r;
}

Result<std::pair<int, int>> parseWindow(const QString &text, const QString &where)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d\\d):(\\d\\d)-(\\d\\d):(\\d\\d)$"));
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return fail(QStringLiteral("%1: window '%2' must look like \"01:00-04:00\"").arg(where, text));
    const int start = m.captured(1).toInt() * 60 + m.captured(2).toInt();
    const int end = m.captured(3).toInt() * 60 + m.captured(4).toInt();
    if (start >= 24 * 60 || end > 24 * 60)
        return fail(QStringLiteral("%1: window '%2' is not within a day").arg(where, text));
    return std::pair{start, end};
}

bool inWindow(int minute, std::pair<int, int> window)
{
    const auto [start, end] = window;
    return start <= end ? (minute >= start && minute < end) : (minute >= start || minute < end); // wraps midnight
}

double priced(const protocol::TokenUsage &u, const Rates &r)
{
    const qint64 write = std::min(u.cacheWriteTokens, u.cacheMissTokens);
    return (double(u.cacheHitTokens) * r.cacheHit + double(u.cacheMissTokens - write) * r.cacheMiss
            + double(write) * r.cacheWrite.value_or(r.cacheMiss) + double(u.outputTokens) * r.output)
           / 1e6;
}

} // namespace

Result<PriceTable> PriceTable::fromJson(const QJsonObject &json)
{
    const QJsonValue models = json.value(QLatin1String("models"));
    if (!models.isArray())
        return fail(QStringLiteral("price table: 'models' must be an array"));
    PriceTable table;
    int index = 0;
    for (const QJsonValue &value : models.toArray()) {
        const QJsonObject o = value.toObject();
        const QString where = QStringLiteral("price table entry %1").arg(index++);
        ModelPrice p;
        p.provider = o.value(QLatin1String("provider")).toString();
        p.model = o.value(QLatin1String("model")).toString();
        p.currency = o.value(QLatin1String("currency")).toString();
        if (p.provider.isEmpty() || p.model.isEmpty() || p.currency.isEmpty())
            return fail(where + QStringLiteral(": 'provider', 'model' and 'currency' are required"));
        for (const QJsonValue &alias : o.value(QLatin1String("aliases")).toArray())
            p.aliases.append(alias.toString());
        auto rates = parseRates(o.value(QLatin1String("prices")).toObject(), where + QStringLiteral(" prices"));
        if (!rates)
            return std::unexpected(rates.error());
        p.rates = *rates;
        if (o.contains(QLatin1String("peak"))) {
            const QJsonObject peak = o.value(QLatin1String("peak")).toObject();
            auto peakRates = parseRates(peak.value(QLatin1String("prices")).toObject(), where + QStringLiteral(" peak prices"));
            if (!peakRates)
                return std::unexpected(peakRates.error());
            p.peakRates = *peakRates;
            for (const QJsonValue &w : peak.value(QLatin1String("windowsUtc")).toArray()) {
                auto window = parseWindow(w.toString(), where);
                if (!window)
                    return std::unexpected(window.error());
                p.peakWindowsUtc.push_back(*window);
            }
        }
        table.m_entries.push_back(std::move(p));
    }
    return table;
}

Result<PriceTable> PriceTable::load(const QString &userFile)
{
    QFile shipped(QStringLiteral(":/reins/prices.json"));
    if (!shipped.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("the built-in price table is missing from this build"));
    auto table = fromJson(QJsonDocument::fromJson(shipped.readAll()).object());
    if (!table)
        return table;
    if (userFile.isEmpty() || !QFile::exists(userFile))
        return table;
    QFile file(userFile);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the price table %1: %2").arg(userFile, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return fail(QStringLiteral("the price table %1 is not valid JSON: %2").arg(userFile, error.errorString()));
    auto user = fromJson(doc.object());
    if (!user)
        return fail(userFile + QStringLiteral(": ") + user.error().message);
    table->merge(*user);
    return table;
}

void PriceTable::merge(const PriceTable &other)
{
    for (const ModelPrice &p : other.m_entries) {
        auto it = std::find_if(m_entries.begin(), m_entries.end(), [&p](const ModelPrice &e) {
            return e.provider == p.provider && e.model == p.model;
        });
        if (it != m_entries.end())
            *it = p;
        else
            m_entries.push_back(p);
    }
}

const ModelPrice *PriceTable::find(const QString &provider, const QString &model) const
{
    const ModelPrice *wildcard = nullptr;
    const ModelPrice *alias = nullptr;
    for (const ModelPrice &p : m_entries) {
        if (p.provider != provider)
            continue;
        if (p.model == model)
            return &p;
        if (!alias && p.aliases.contains(model))
            alias = &p;
        if (!wildcard && p.model == QLatin1String("*"))
            wildcard = &p;
    }
    return alias ? alias : wildcard;
}

std::optional<Cost> PriceTable::cost(const QString &provider, const QString &model, const protocol::TokenUsage &usage,
                                     const QDateTime &when) const
{
    const ModelPrice *p = find(provider, model);
    if (!p)
        return std::nullopt;
    const QTime utc = when.toUTC().time();
    const int minute = utc.hour() * 60 + utc.minute();
    const bool peak = p->peakRates && std::any_of(p->peakWindowsUtc.begin(), p->peakWindowsUtc.end(),
                                                   [minute](auto w) { return inWindow(minute, w); });
    return Cost{priced(usage, peak ? *p->peakRates : p->rates), p->currency};
}

} // namespace reins::provider
