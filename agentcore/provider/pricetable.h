#pragma once

#include "../error.h"
#include "../protocol/types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace reins::provider {

/// Rates per million tokens.
struct Rates
{
    double cacheHit = 0;
    double cacheMiss = 0;
    std::optional<double> cacheWrite; ///< where writing the cache costs more than a miss (Anthropic); else cacheMiss
    double output = 0;

    bool operator==(const Rates &) const = default;
};

/// What one request cost.
struct Cost
{
    double amount = 0;
    QString currency;

    bool operator==(const Cost &) const = default;
};

/// One model's prices: base rates, and optional peak rates inside UTC windows (DeepSeek bills double in its peak
/// hours).
struct ModelPrice
{
    QString provider;
    QString model;        ///< "*" matches any model of the provider
    QStringList aliases;
    QString currency;
    Rates rates;
    std::optional<Rates> peakRates;
    std::vector<std::pair<int, int>> peakWindowsUtc; ///< [start, end) in minutes after midnight UTC

    bool operator==(const ModelPrice &) const = default;
};

/// The price table: the one shipped with Reins, optionally overridden entry by entry by the user's own.
class PriceTable
{
public:
    /// Parses a table (the format of resources/prices.json); an error names the entry and field at fault.
    static Result<PriceTable> fromJson(const QJsonObject &json);
    /// The shipped table, overridden by `userFile` when it exists (a broken user file is an error, not ignored).
    static Result<PriceTable> load(const QString &userFile = {});

    /// Adds or replaces (same provider and model) entries from `other`.
    void merge(const PriceTable &other);

    /// The price entry for a model: exact name, then aliases, then the provider's "*".
    const ModelPrice *find(const QString &provider, const QString &model) const;
    /// The cost of one request made at `when`; nullopt when the model has no price — never a guessed figure.
    std::optional<Cost> cost(const QString &provider, const QString &model, const protocol::TokenUsage &usage,
                             const QDateTime &when) const;

    const std::vector<ModelPrice> &entries() const { return m_entries; }

private:
    std::vector<ModelPrice> m_entries;
};

} // namespace reins::provider
