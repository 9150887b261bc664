#include "timelineview.h"

#include "timelinefilter.h"
#include "timelinemodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QListView>
#include <QApplication>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace reins::widgets {

namespace {

// Two lines per step: the summary, then time · duration · tokens · cost in a smaller, dimmer font.
class StepDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QString details(const QModelIndex &index)
    {
        QStringList parts;
        const QDateTime time = index.data(TimelineModel::TimeRole).toDateTime();
        if (time.isValid())
            parts << time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        const QVariant duration = index.data(TimelineModel::DurationRole);
        if (duration.isValid() && duration.toLongLong() > 0) {
            const qint64 ms = duration.toLongLong();
            parts << (ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1));
        }
        const QVariant tokens = index.data(TimelineModel::TokensRole);
        if (tokens.isValid() && tokens.toLongLong() > 0)
            parts << QStringLiteral("%1 tokens").arg(tokens.toLongLong());
        const QVariant cost = index.data(TimelineModel::CostRole);
        if (cost.isValid())
            parts << QStringLiteral("$%1").arg(cost.toDouble(), 0, 'f', 4);
        return parts.join(QStringLiteral(" · "));
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem first = option;
        initStyleOption(&first, index);
        const QString summary = first.text;
        first.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &first, painter, widget);
        const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &first, widget).adjusted(2, 2, -2, -2);
        painter->save();
        const bool selected = option.state & QStyle::State_Selected;
        painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const QFontMetrics metrics(option.font);
        painter->drawText(text.adjusted(0, 0, 0, -text.height() / 2), Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(summary, Qt::ElideRight, text.width()));
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.85);
        painter->setFont(small);
        painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        painter->drawText(text.adjusted(0, text.height() / 2, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, details(index));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        // As wide as the list, whatever the summary's length: paint() elides it (the tooltip has it whole), and no
        // row widens the list past its pane into a sideways scroll.
        (void)index;
        return {1, QFontMetrics(option.font).lineSpacing() * 2 + 10};
    }
};

} // namespace

TimelineView::TimelineView(TimelineModel *model, QWidget *parent)
    : QWidget(parent),
      m_model(model),
      m_filter(new TimelineFilter(this)),
      m_list(new QListView(this)),
      m_edits(new QToolButton(this)),
      m_commands(new QToolButton(this)),
      m_approvals(new QToolButton(this)),
      m_errors(new QToolButton(this)),
      m_restore(new QPushButton(tr("Restore…"), this))
{
    m_filter->setSourceModel(model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(6, 4, 6, 0);
    const std::pair<QToolButton *, QString> buttons[] = {
        {m_edits, tr("Edits")}, {m_commands, tr("Commands")}, {m_approvals, tr("Approvals")}, {m_errors, tr("Errors")}};
    for (const auto &[button, text] : buttons) {
        button->setText(text);
        button->setCheckable(true);
        button->setToolTip(tr("Show only %1 (with the other filters checked, any of them)").arg(text.toLower()));
        connect(button, &QToolButton::toggled, this, &TimelineView::updateFilter);
        filters->addWidget(button);
    }
    filters->addStretch(1);
    filters->addWidget(m_restore);
    layout->addLayout(filters);
    m_list->setModel(m_filter);
    m_list->setItemDelegate(new StepDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_list, 1);
    m_restore->setEnabled(false);
    m_restore->setToolTip(tr("Preview what restoring the selected checkpoint changes, then restore it"));
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &TimelineView::onCurrentChanged);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        const QString id = m_list->currentIndex().data(TimelineModel::CheckpointIdRole).toString();
        if (!id.isEmpty())
            Q_EMIT restoreRequested(id);
    });
    // New steps stay in view while the person has not scrolled away from the end (as in a terminal: a current
    // index says nothing, a view given focus picks one itself); a session opened, or a replay jumped, shows its
    // newest steps.
    QScrollBar *bar = m_list->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) { m_followEnd = value == bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_followEnd)
            m_list->scrollToBottom();
    });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] {
        m_followEnd = true;
        m_list->scrollToBottom();
    });
}

void TimelineView::updateFilter()
{
    TimelineFilter::Categories categories;
    if (m_edits->isChecked())
        categories |= TimelineFilter::Edits;
    if (m_commands->isChecked())
        categories |= TimelineFilter::Commands;
    if (m_approvals->isChecked())
        categories |= TimelineFilter::Approvals;
    if (m_errors->isChecked())
        categories |= TimelineFilter::Errors;
    m_filter->setCategories(categories);
}

void TimelineView::onCurrentChanged()
{
    const QModelIndex index = m_list->currentIndex();
    const QString checkpoint = index.data(TimelineModel::CheckpointIdRole).toString();
    m_restore->setEnabled(!checkpoint.isEmpty() && index.data(TimelineModel::KindRole).toInt() == int(ThreadEntry::Kind::Checkpoint));
    if (index.isValid())
        Q_EMIT stepSelected(index.data(TimelineModel::SeqRole).toLongLong(),
                            index.data(TimelineModel::CallIdRole).toString(), checkpoint);
}

} // namespace reins::widgets
