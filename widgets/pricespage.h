#pragma once

// Settings → Prices: the price table Reins computes costs with — the shipped one merged with the person's own —
// where a figure can be corrected; the correction becomes the person's own entry in their prices.json.

#include "error.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
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
    QComboBox *newProviderBox() const { return m_newProvider; }
    QLineEdit *newModelEdit() const { return m_newModel; }
    QPushButton *addButton() const { return m_add; }
    StatusLabel *status() const { return m_status; }
    Result<void> save();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addRow();

    PriceModel *m_model;
    QTableView *m_view;
    QPushButton *m_revert;
    QComboBox *m_newProvider;
    QLineEdit *m_newModel;
    QPushButton *m_add;
    StatusLabel *m_status;
};

} // namespace reins::widgets
