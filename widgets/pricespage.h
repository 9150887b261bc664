#pragma once

// Settings → Prices: the price table Reins computes costs with — the shipped one merged with the person's own —
// where a figure can be corrected; the correction becomes the person's own entry in their prices.json.

#include "error.h"

#include <QWidget>

class QPushButton;
class QTableView;

namespace reins::widgets {

class PriceModel;
class StatusLabel;

class PricesPage : public QWidget
{
    Q_OBJECT
public:
    PricesPage(const QString &userFile, QWidget *parent = nullptr);

    PriceModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *revertButton() const { return m_revert; }
    StatusLabel *status() const { return m_status; }
    Result<void> save();

private:
    PriceModel *m_model;
    QTableView *m_view;
    QPushButton *m_revert;
    StatusLabel *m_status;
};

} // namespace reins::widgets
