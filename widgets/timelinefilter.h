#pragma once

#include <QSortFilterProxyModel>

namespace reins::widgets {

/// Filters the timeline by category: edits, commands, approvals, errors (any combination; none checked = all).
/// A row shows when it belongs to any checked category; rows re-filter as they change (a call that fails joins
/// the errors).
class TimelineFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum Category { Edits = 1, Commands = 2, Approvals = 4, Errors = 8 };
    Q_DECLARE_FLAGS(Categories, Category)
    Q_FLAG(Categories)

    explicit TimelineFilter(QObject *parent = nullptr);

    void setCategories(Categories categories);
    Categories categories() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Categories m_categories;
};

} // namespace reins::widgets

Q_DECLARE_OPERATORS_FOR_FLAGS(reins::widgets::TimelineFilter::Categories)
