#pragma once

// The person's settings, kept in QSettings (organisation and application "reins"): the providers they set up, the
// one new sessions use, the default approval mode, the sandbox and the theme. API keys are never here — only
// where each one lives (the desktop keychain, or the name of an environment variable).

#include "error.h"
#include "protocol/types.h"
#include "session/agentsession.h"

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QObject;
class QSettings;

namespace reins::widgets {

class KeyStore;

/// Where a provider's API key is kept.
enum class KeySource {
    None,        ///< a local server that needs no key
    Keychain,    ///< the desktop keychain (KeyStore)
    Environment, ///< an environment variable, read when a session starts
};

/// What the person set up for one provider.
struct ProviderSettings
{
    QString id;
    QUrl baseUrl;
    QString model;
    KeySource keySource = KeySource::Environment;
    QString keyEnv; ///< the variable's name when keySource is Environment

    bool operator==(const ProviderSettings &) const = default;
};

/// The name people know a provider by: "DeepSeek", "OpenAI-compatible server".
QString providerLabel(const QString &id);
/// The environment variable a provider's key is usually in: its own default, else "<ID>_API_KEY".
QString defaultKeyVariable(const QString &id);

class AppSettings
{
public:
    /// The person's own settings ($XDG_CONFIG_HOME/reins/reins.conf).
    AppSettings();
    /// Settings in `file` (INI format); tests use a temporary file.
    explicit AppSettings(const QString &file);
    ~AppSettings();
    AppSettings(const AppSettings &) = delete;
    AppSettings &operator=(const AppSettings &) = delete;

    QString fileName() const;

    /// The saved settings of provider `id`, or its defaults when it was never set up.
    ProviderSettings provider(const QString &id) const;
    void setProvider(const ProviderSettings &provider);
    /// The providers that have been set up, in providerIds() order.
    QStringList configuredProviders() const;

    /// The provider new sessions use; empty when none is chosen (the window then offers the demo).
    QString activeProvider() const;
    void setActiveProvider(const QString &id);

    protocol::ApprovalMode approvalMode() const;
    void setApprovalMode(protocol::ApprovalMode mode);
    bool sandboxCommands() const; ///< run commands in the sandbox outside full-auto too
    void setSandboxCommands(bool on);
    bool sandboxNetwork() const;  ///< let sandboxed commands use the network
    void setSandboxNetwork(bool on);
    QString theme() const;        ///< "system", "light" or "dark"
    void setTheme(const QString &theme);

    /// The person's price table and rules; the defaults in the configuration folder unless set (tests set them).
    /// These are paths, not settings: they are not saved.
    QString priceFile() const;
    void setPriceFile(const QString &file);
    QString rulesFile() const;
    void setRulesFile(const QString &file);

    /// Writes the settings to disk; an error when the file cannot be written.
    Result<void> sync();

    /// The configuration new sessions start with: the active provider's defaults overridden by its settings,
    /// `apiKey`, the approval mode and the sandbox choice. nullopt when no provider is chosen.
    std::optional<session::SessionConfig> sessionConfig(const QString &apiKey) const;
    /// sessionConfig() with the active provider's key fetched from where it lives (environment or keychain).
    /// `done` gets a sentence with the next step when no provider is chosen, the key is missing or the provider
    /// lacks a URL or a model. Always from the event loop, never before this returns; not at all if `context`
    /// (required) is gone first.
    void loadSessionConfig(KeyStore *keys, QObject *context,
                           std::function<void(const Result<session::SessionConfig> &)> done) const;

    /// The key in the environment variable `provider.keyEnv`, or an error naming the variable.
    static Result<QString> keyFromEnvironment(const ProviderSettings &provider);

private:
    std::unique_ptr<QSettings> m_settings;
    QString m_priceFile;
    QString m_rulesFile;
};

} // namespace reins::widgets
