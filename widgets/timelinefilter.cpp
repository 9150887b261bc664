#include "timelinefilter.h"
#include "timelinemodel.h"

namespace reins::widgets {

TimelineFilter::TimelineFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void TimelineFilter::setCategories(Categories categories)
{
    if (categories == m_categories)
        return;
    m_categories = categories;
    invalidateRowsFilter();
}

TimelineFilter::Categories TimelineFilter::categories() const
{
    return m_categories;
}

bool TimelineFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_categories)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return m_categories.testAnyFlags(Categories::fromInt(index.data(TimelineModel::CategoriesRole).toInt()));
}

} // namespace reins::widgets
