#include "settingsdialog.h"

#include "appearancepage.h"
#include "appsettings.h"
#include "approvalspage.h"
#include "exec/sandbox.h"
#include "pricespage.h"
#include "providerspage.h"
#include "sandboxpage.h"
#include "statuslabel.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace reins::widgets {

SettingsDialog::SettingsDialog(AppSettings *settings, KeyStore *keys, const QString &workspace, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_pageList(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_title(new QLabel(this))
    , m_providers(new ProvidersPage(settings, keys, this))
    , m_prices(new PricesPage(settings->priceFile(), this))
    , m_approvals(new ApprovalsPage(settings, workspace, this))
    , m_sandbox(new SandboxPage(settings, exec::sandboxStatus(), this))
    , m_appearance(new AppearancePage(settings->theme(), this))
    , m_error(new StatusLabel(this))
{
    setWindowTitle(tr("Settings"));
    // Same order as Page.
    addPage(m_providers, tr("Providers"));
    addPage(m_prices, tr("Prices"));
    addPage(m_approvals, tr("Approvals"));
    addPage(m_sandbox, tr("Sandbox"));
    addPage(m_appearance, tr("Appearance"));
    m_pageList->setStyleSheet(QStringLiteral("QListWidget::item { padding: 5px 8px; }"));
    m_pageList->setFixedWidth(m_pageList->sizeHintForColumn(0) + 48);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply,
                                         this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_apply = buttons->button(QDialogButtonBox::Apply);
    connect(m_ok, &QPushButton::clicked, this, [this] { apply(true); });
    connect(m_apply, &QPushButton::clicked, this, [this] { apply(false); });
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *right = new QVBoxLayout;
    right->addWidget(m_title);
    right->addWidget(m_stack, 1);
    auto *body = new QHBoxLayout;
    body->addWidget(m_pageList);
    body->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_pageList, &QListWidget::currentRowChanged, this, [this](int row) {
        m_stack->setCurrentIndex(row);
        m_title->setText(m_pageList->item(row)->text());
    });
    m_pageList->setCurrentRow(0);
    resize(860, 600);
}

void SettingsDialog::addPage(QWidget *page, const QString &title)
{
    m_pageList->addItem(title);
    m_stack->addWidget(page);
}

void SettingsDialog::showPage(Page page)
{
    m_pageList->setCurrentRow(int(page));
}

SettingsDialog::Page SettingsDialog::currentPage() const
{
    return Page(m_stack->currentIndex());
}

void SettingsDialog::failOn(Page page, const QString &message)
{
    showPage(page);
    m_error->setMessage(message, StatusLabel::Tone::Error);
}

void SettingsDialog::setSaving(bool saving)
{
    m_saving = saving;
    m_ok->setEnabled(!saving);
    m_apply->setEnabled(!saving);
    if (saving)
        m_error->setMessage(tr("Saving the key in the desktop keychain…"));
    else
        m_error->clearMessage();
}

void SettingsDialog::apply(bool close)
{
    if (m_saving)
        return;
    m_error->clearMessage();
    if (const QString problem = m_providers->problem(); !problem.isEmpty())
        return failOn(Page::Providers, problem);
    if (const QString problem = m_approvals->problem(); !problem.isEmpty())
        return failOn(Page::Approvals, problem);
    // The keys first: a provider set to "keychain" is only saved once its key is there.
    m_abandoned = false;
    setSaving(true);
    m_providers->saveKeys([this, close](const Result<void> &keys) {
        setSaving(false);
        if (m_abandoned)
            return;
        if (!keys)
            return failOn(Page::Providers, keys.error().message);
        finishApply(close);
    });
}

void SettingsDialog::finishApply(bool close)
{
    m_providers->saveSettings();
    m_sandbox->save();
    const QString theme = m_appearance->theme();
    const bool themeChanged = theme != m_settings->theme();
    m_settings->setTheme(theme);
    if (auto saved = m_prices->save(); !saved)
        return failOn(Page::Prices, saved.error().message);
    if (auto saved = m_approvals->save(); !saved)
        return failOn(Page::Approvals, saved.error().message);
    if (auto saved = m_settings->sync(); !saved)
        return failOn(currentPage(), saved.error().message);
    Q_EMIT applied();
    if (themeChanged)
        Q_EMIT this->themeChanged(theme);
    if (close)
        accept();
}

void SettingsDialog::reject()
{
    m_abandoned = m_saving; // what the keychain says next is no longer waited for
    QDialog::reject();
}

} // namespace reins::widgets
