#include "pricespage.h"

#include "pricemodel.h"
#include "statuslabel.h"

#include "provider/providerconfig.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace reins::widgets {

PricesPage::PricesPage(const QString &userFile, QWidget *parent)
    : QWidget(parent)
    , m_model(new PriceModel(userFile, this))
    , m_view(new QTableView(this))
    , m_revert(new QPushButton(tr("&Back to the built-in price"), this))
    , m_newProvider(new QComboBox(this))
    , m_newModel(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_status(new StatusLabel(this))
{
    auto *intro = new QLabel(tr("Prices per million tokens, used for the cost shown after each request. Select a "
                                "figure and press F2 (or double-click it) to correct it, or add a row for a model the "
                                "table lacks: your figures are kept in %1 and win over the built-in ones.")
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

    // A model the table does not know yet (a new release, a local model) gets a row of the person's own.
    for (const QString &id : provider::providerIds())
        m_newProvider->addItem(provider::providerDefaults(id).transform([](const auto &c) { return c.displayName; })
                                   .value_or(id),
                               id);
    m_newProvider->setToolTip(tr("The provider of the model to price"));
    m_newModel->setPlaceholderText(tr("Another model, e.g. %1").arg(QStringLiteral("qwen3-coder")));
    m_newModel->setToolTip(tr("The model's name as requests spell it"));
    m_newModel->setClearButtonEnabled(true);
    m_add->setToolTip(tr("Add a row for this model and type its prices"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newProvider);
    buttons->addWidget(m_newModel, 1);
    buttons->addWidget(m_add);
    buttons->addSpacing(12);
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
    connect(m_add, &QPushButton::clicked, this, &PricesPage::addRow);
    m_newModel->installEventFilter(this); // Enter adds the row, and is not passed on to close the dialog
    connect(m_revert, &QPushButton::clicked, this, [this, updateRevert] {
        m_model->revert(m_view->currentIndex().row());
        updateRevert();
    });
}

bool PricesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_newModel && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            addRow();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PricesPage::addRow()
{
    const QString model = m_newModel->text().trimmed();
    auto row = m_model->add(m_newProvider->currentData().toString(), model);
    if (!row) {
        m_status->setMessage(row.error().message, StatusLabel::Tone::Error);
        return;
    }
    m_newModel->clear();
    m_status->setMessage(tr("Type the prices of %1 per million tokens; they are kept when you save.").arg(model));
    const QModelIndex first = m_model->index(*row, PriceModel::CacheHit);
    m_view->setCurrentIndex(first);
    m_view->scrollTo(first);
    m_view->setFocus();
    m_view->edit(first);
}

Result<void> PricesPage::save()
{
    return m_model->save();
}

} // namespace reins::widgets
