#pragma once

// Settings → Providers: for each provider its base URL, its model (typed, or picked from the list the server
// gives), where its API key is kept (desktop keychain, environment variable, or none for a local server), and
// which provider new sessions use. Keys typed here go to the KeyStore only.

#include "appsettings.h"
#include "error.h"

#include <QWidget>

#include <functional>
#include <map>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QRadioButton;

namespace reins::widgets {

class KeyStore;
class StatusLabel;

class ProvidersPage : public QWidget
{
    Q_OBJECT
public:
    ProvidersPage(AppSettings *settings, KeyStore *keys, QWidget *parent = nullptr);
    ~ProvidersPage() override;

    QString currentProvider() const { return m_current; }
    void showProvider(const QString &id);
    /// The provider new sessions use; empty for none.
    QString activeProvider() const { return m_active; }

    /// Why the settings cannot be saved as they are, as a sentence; empty when they can.
    QString problem() const;
    /// Writes the keys typed since the last save to the keychain (or deletes a cleared one); `done` once every
    /// write has answered, with the first error.
    void saveKeys(std::function<void(const Result<void> &)> done);
    /// Writes the provider settings (never a key) to AppSettings.
    void saveSettings();

    QComboBox *providerBox() const { return m_provider; }
    QCheckBox *useBox() const { return m_use; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QComboBox *modelBox() const { return m_model; }
    QPushButton *fetchButton() const { return m_fetch; }
    StatusLabel *fetchStatus() const { return m_fetchStatus; }
    QRadioButton *keychainOption() const { return m_keychain; }
    QRadioButton *environmentOption() const { return m_environment; }
    QRadioButton *noKeyOption() const { return m_noKey; }
    QLineEdit *keyVariableEdit() const { return m_keyVariable; }
    StatusLabel *keychainNote() const { return m_keychainNote; }
    QLineEdit *keyEdit() const { return m_key; }
    StatusLabel *keyStatus() const { return m_keyStatus; }

private:
    /// One provider as edited here, before it is saved.
    struct Draft
    {
        ProviderSettings settings;
        KeySource savedSource = KeySource::Keychain; ///< where the saved settings keep the key
        QString key;          ///< what the key field holds
        QString storedKey;    ///< what the keychain held when asked
        bool keyRead = false;
        bool keyReading = false;
        bool keyEdited = false;
        QString keyError;
        QStringList models;   ///< the server's list, once fetched
        QString fetchMessage;
        bool fetchFailed = false;
    };

    Draft &draft(const QString &id);
    void refresh();
    void refreshKey();
    void refreshProviderNames();
    void readStoredKey(const QString &id);
    void fetchModels();
    void onModelsFetched(const QString &id, const Result<QStringList> &models);

    AppSettings *m_settings;
    KeyStore *m_keys;
    std::map<QString, Draft> m_drafts;
    QString m_current;
    QString m_active;
    bool m_loading = false; ///< filling the fields: their change signals are not edits
    QNetworkAccessManager *m_network = nullptr;

    QComboBox *m_provider;
    QCheckBox *m_use;
    QLineEdit *m_baseUrl;
    QComboBox *m_model;
    QPushButton *m_fetch;
    StatusLabel *m_fetchStatus;
    QButtonGroup *m_keyPlace;
    QRadioButton *m_keychain;
    QRadioButton *m_environment;
    QRadioButton *m_noKey;
    QLineEdit *m_keyVariable;
    StatusLabel *m_keychainNote;
    QLineEdit *m_key;
    StatusLabel *m_keyStatus;
};

} // namespace reins::widgets
