#pragma once

// The person's own price table (prices.json in the configuration folder), written in the format
// PriceTable::fromJson reads: their entries override the shipped ones with the same provider and model.

#include "error.h"
#include "provider/pricetable.h"

#include <QJsonObject>
#include <QList>
#include <QPair>

namespace reins::widgets {

/// One entry's JSON, as in resources/prices.json.
QJsonObject priceToJson(const provider::ModelPrice &price);

/// The entries of the person's own file alone (empty when it does not exist); an error when it is unreadable.
Result<provider::PriceTable> loadUserPrices(const QString &file);

/// Adds or replaces `changed` in `file` and drops the entries named in `removed` (provider, model), keeping every
/// other entry and key. A file that is not valid JSON is left alone: the error says so.
Result<void> saveUserPrices(const QString &file, const std::vector<provider::ModelPrice> &changed,
                            const QList<QPair<QString, QString>> &removed);

} // namespace reins::widgets
