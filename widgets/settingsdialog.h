#pragma once

// The Settings dialog: providers and keys, prices, approvals, sandbox, appearance — a list of pages on the left.
// OK and Apply save every page; keys go to the keychain first (asynchronously: the dialog waits for its answer
// and shows an error as a sentence), then the rest. applied() tells the window to pick the new settings up.

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace reins::widgets {

class AppSettings;
class AppearancePage;
class ApprovalsPage;
class KeyStore;
class PricesPage;
class ProvidersPage;
class SandboxPage;
class StatusLabel;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Page { Providers, Prices, Approvals, Sandbox, Appearance };

    /// `workspace`: the open folder, whose saved rules the Approvals page shows; empty for none.
    SettingsDialog(AppSettings *settings, KeyStore *keys, const QString &workspace, QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;

    /// Saves every page; applied() once everything is written. With `close`, the dialog is accepted then.
    void apply(bool close = false);
    /// Waiting for the keychain to answer.
    bool isSaving() const { return m_saving; }
    void reject() override;

    ProvidersPage *providersPage() const { return m_providers; }
    PricesPage *pricesPage() const { return m_prices; }
    ApprovalsPage *approvalsPage() const { return m_approvals; }
    SandboxPage *sandboxPage() const { return m_sandbox; }
    AppearancePage *appearancePage() const { return m_appearance; }
    StatusLabel *errorLabel() const { return m_error; }
    QPushButton *okButton() const { return m_ok; }
    QPushButton *applyButton() const { return m_apply; }

Q_SIGNALS:
    /// Everything is saved.
    void applied();
    /// The theme was changed to "system", "light" or "dark"; applying it is the window's job.
    void themeChanged(const QString &theme);

private:
    void addPage(QWidget *page, const QString &title);
    void finishApply(bool close);
    void failOn(Page page, const QString &message);
    void setSaving(bool saving);

    AppSettings *m_settings;
    bool m_saving = false;
    bool m_abandoned = false; ///< cancelled while the keychain was still answering

    QListWidget *m_pageList;
    QStackedWidget *m_stack;
    QLabel *m_title;
    ProvidersPage *m_providers;
    PricesPage *m_prices;
    ApprovalsPage *m_approvals;
    SandboxPage *m_sandbox;
    AppearancePage *m_appearance;
    StatusLabel *m_error;
    QPushButton *m_ok;
    QPushButton *m_apply;
};

} // namespace reins::widgets
