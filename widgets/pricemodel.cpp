#include "pricemodel.h"

#include "userprices.h"

#include "provider/providerconfig.h"

#include <QLocale>

namespace reins::widgets {

namespace {

double *rate(provider::ModelPrice &p, int column)
{
    switch (column) {
    case PriceModel::CacheHit: return &p.rates.cacheHit;
    case PriceModel::CacheMiss: return &p.rates.cacheMiss;
    case PriceModel::Output: return &p.rates.output;
    default: return nullptr;
    }
}

const double *rate(const provider::ModelPrice &p, int column)
{
    return rate(const_cast<provider::ModelPrice &>(p), column); // the same member, read only
}

QString figure(double value)
{
    return QLocale().toString(value, 'g', 8);
}

QString peakNote(const provider::ModelPrice &p)
{
    if (!p.peakRates)
        return {};
    QStringList windows;
    for (const auto &[start, end] : p.peakWindowsUtc)
        windows.append(QStringLiteral("%1:%2–%3:%4")
                           .arg(start / 60, 2, 10, QChar(u'0'))
                           .arg(start % 60, 2, 10, QChar(u'0'))
                           .arg(end / 60, 2, 10, QChar(u'0'))
                           .arg(end % 60, 2, 10, QChar(u'0')));
    return PriceModel::tr("In the peak hours (%1 UTC) the rates are %2 / %3 / %4. Editing here changes the other "
                          "hours' rates only.")
        .arg(windows.join(QStringLiteral(", ")), figure(p.peakRates->cacheHit), figure(p.peakRates->cacheMiss),
             figure(p.peakRates->output));
}

} // namespace

PriceModel::PriceModel(QString userFile, QObject *parent) : QAbstractTableModel(parent), m_userFile(std::move(userFile))
{
    if (auto shipped = provider::PriceTable::load())
        m_shipped = *shipped;
    for (const provider::ModelPrice &p : m_shipped.entries())
        m_rows.push_back({p, false});
    auto user = loadUserPrices(m_userFile);
    if (!user) {
        m_loadError = user.error().message;
        return;
    }
    for (const provider::ModelPrice &p : user->entries()) {
        auto it = std::ranges::find_if(m_rows, [&](const Row &r) { return keyOf(r.price) == keyOf(p); });
        if (it != m_rows.end())
            *it = {p, true};
        else
            m_rows.push_back({p, true});
    }
}

int PriceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PriceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PriceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const provider::ModelPrice &p = row.price;
    const int column = index.column();
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Provider: return p.provider;
        case Model: return p.model == u"*" ? tr("any model") : p.model;
        case Currency: return p.currency;
        case Source: return row.user ? tr("yours") : tr("built in");
        default: return figure(*rate(p, column));
        }
    }
    if (role == Qt::TextAlignmentRole && rate(p, column))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return peakNote(p).isEmpty() ? QVariant() : QVariant(peakNote(p));
    return {};
}

QVariant PriceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Provider: return tr("Provider");
    case Model: return tr("Model");
    case Currency: return tr("Currency");
    case CacheHit: return tr("Input, cache hit");
    case CacheMiss: return tr("Input, cache miss");
    case Output: return tr("Output");
    case Source: return tr("Source");
    default: return {};
    }
}

Qt::ItemFlags PriceModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Currency || rate(m_rows[size_t(index.row())].price, index.column())))
        f |= Qt::ItemIsEditable;
    return f;
}

bool PriceModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &row = m_rows[size_t(index.row())];
    provider::ModelPrice edited = row.price;
    if (index.column() == Currency) {
        const QString currency = value.toString().trimmed().toUpper();
        if (currency.isEmpty()) {
            Q_EMIT editRejected(tr("A price needs a currency, such as USD."));
            return false;
        }
        edited.currency = currency;
    } else if (double *target = rate(edited, index.column())) {
        // A figure typed the person's way ("0,27") or the C way ("0.27").
        bool ok = false;
        const QString text = value.toString().trimmed();
        double number = QLocale().toDouble(text, &ok);
        if (!ok)
            number = QLocale::c().toDouble(text, &ok);
        if (!ok || number < 0) {
            Q_EMIT editRejected(tr("“%1” is not a price. Type the price per million tokens, such as 0.27.").arg(text));
            return false;
        }
        *target = number;
    } else {
        return false;
    }
    if (edited == row.price)
        return true;
    row.price = edited;
    row.user = true;
    m_changed.insert(keyOf(edited));
    m_reverted.remove(keyOf(edited));
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

Result<int> PriceModel::add(const QString &provider, const QString &model)
{
    provider::ModelPrice price;
    price.provider = provider;
    price.model = model.trimmed();
    if (price.model.isEmpty())
        return fail(tr("Name the model as %1 spells it in requests, for example %2.")
                        .arg(provider, provider::providerDefaults(provider).transform([](const auto &c) {
                                           return c.model;
                                       }).value_or(QStringLiteral("its-model-name"))));
    const auto same = std::ranges::find_if(m_rows, [&](const Row &r) { return keyOf(r.price) == keyOf(price); });
    if (same != m_rows.end())
        return fail(tr("%1 has a row for %2 already: correct the figures there.").arg(provider, price.model));
    // The provider's own currency where the table has one; rates at zero say "not priced yet" until typed in.
    const auto sibling = std::ranges::find_if(m_rows, [&](const Row &r) { return r.price.provider == provider; });
    price.currency = sibling != m_rows.end() ? sibling->price.currency : QStringLiteral("USD");
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back({price, true});
    endInsertRows();
    m_changed.insert(keyOf(price));
    m_reverted.remove(keyOf(price));
    return row;
}

void PriceModel::revert(int row)
{
    if (row < 0 || row >= int(m_rows.size()) || !m_rows[size_t(row)].user)
        return;
    const Key key = keyOf(m_rows[size_t(row)].price);
    m_changed.remove(key);
    m_reverted.insert(key);
    const auto shipped = std::ranges::find_if(m_shipped.entries(), [&](const provider::ModelPrice &p) {
        return keyOf(p) == key;
    });
    if (shipped != m_shipped.entries().end()) {
        m_rows[size_t(row)] = {*shipped, false};
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

Result<void> PriceModel::save()
{
    if (!isModified())
        return {};
    std::vector<provider::ModelPrice> changed;
    for (const Row &row : m_rows)
        if (m_changed.contains(keyOf(row.price)))
            changed.push_back(row.price);
    if (auto saved = saveUserPrices(m_userFile, changed, m_reverted.values()); !saved)
        return saved;
    m_changed.clear();
    m_reverted.clear();
    return {};
}

} // namespace reins::widgets
