#include "pricespage.h"

#include "pricemodel.h"
#include "statuslabel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace reins::widgets {

PricesPage::PricesPage(const QString &userFile, QWidget *parent)
    : QWidget(parent)
    , m_model(new PriceModel(userFile, this))
    , m_view(new QTableView(this))
    , m_revert(new QPushButton(tr("&Back to the built-in price"), this))
    , m_status(new StatusLabel(this))
{
    auto *intro = new QLabel(tr("Prices per million tokens, used for the cost shown after each request. Select a "
                                "figure and press F2 (or double-click it) to correct it: your figure is kept in %1 "
                                "and wins over the built-in one.")
                                 .arg(userFile),
                             this);
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(PriceModel::Model, QHeaderView::Stretch);
    m_view->setTabKeyNavigation(false); // Tab leaves the table, arrows move inside it
    m_revert->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    if (!m_model->loadError().isEmpty())
        m_status->setMessage(tr("Your price table could not be read, so only the built-in prices are shown: %1")
                                 .arg(m_model->loadError()),
                             StatusLabel::Tone::Error);

    const auto updateRevert = [this] {
        const QModelIndex current = m_view->currentIndex();
        m_revert->setEnabled(current.isValid() && m_model->isOverridden(current.row()));
    };
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, updateRevert);
    connect(m_model, &QAbstractItemModel::dataChanged, this, updateRevert);
    connect(m_model, &PriceModel::editRejected, this,
            [this](const QString &why) { m_status->setMessage(why, StatusLabel::Tone::Error); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { m_status->clearMessage(); });
    connect(m_revert, &QPushButton::clicked, this, [this, updateRevert] {
        m_model->revert(m_view->currentIndex().row());
        updateRevert();
    });
}

Result<void> PricesPage::save()
{
    return m_model->save();
}

} // namespace reins::widgets
