#pragma once

// The price table as the Prices page shows it: one row per model (provider, model, currency, and the rates per
// million tokens for a cache hit, a cache miss and output), the person's own entries marked. Edits stay in the
// model until save() writes them to the person's price file.

#include "error.h"
#include "provider/pricetable.h"

#include <QAbstractTableModel>
#include <QSet>

namespace reins::widgets {

class PriceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Provider, Model, Currency, CacheHit, CacheMiss, Output, Source, ColumnCount };

    /// Reads the shipped table and the person's `userFile`; loadError() says why the latter could not be used.
    explicit PriceModel(QString userFile, QObject *parent = nullptr);

    QString loadError() const { return m_loadError; }
    const provider::ModelPrice &price(int row) const { return m_rows.at(row).price; }
    bool isOverridden(int row) const { return m_rows.at(row).user; }
    bool isModified() const { return !m_changed.isEmpty() || !m_reverted.isEmpty(); }

    /// A row of the person's own for a model the table does not price yet, rates at zero until typed in; its row,
    /// or a sentence saying why not (no model named, or a row for it already).
    Result<int> add(const QString &provider, const QString &model);
    /// Drops the person's entry of `row`: back to the shipped price, or gone when Reins ships none.
    void revert(int row);
    /// Writes the changed rows to the person's file. Nothing to do is success.
    Result<void> save();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    /// An edit was refused; `why` is a sentence.
    void editRejected(const QString &why);

private:
    struct Row
    {
        provider::ModelPrice price;
        bool user = false;
    };
    using Key = QPair<QString, QString>; // provider, model

    static Key keyOf(const provider::ModelPrice &p) { return {p.provider, p.model}; }

    QString m_userFile;
    QString m_loadError;
    provider::PriceTable m_shipped;
    std::vector<Row> m_rows;
    QSet<Key> m_changed;
    QSet<Key> m_reverted;
};

} // namespace reins::widgets
