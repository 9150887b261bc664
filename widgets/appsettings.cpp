#include "appsettings.h"

#include "keystore.h"
#include "provider/providerconfig.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace reins::widgets {

namespace {

QString configFile(const QString &name)
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/reins/")
           + name;
}

QString group(const QString &id)
{
    return QStringLiteral("providers/") + id + u'/';
}

QString sourceName(KeySource source)
{
    switch (source) {
    case KeySource::None: return QStringLiteral("none");
    case KeySource::Keychain: return QStringLiteral("keychain");
    case KeySource::Environment: return QStringLiteral("environment");
    }
    return {};
}

const QStringList kThemes{QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};

} // namespace

QString providerLabel(const QString &id)
{
    if (id == u"openai-compatible")
        return QCoreApplication::translate("AppSettings", "OpenAI-compatible server");
    const auto defaults = provider::providerDefaults(id);
    return defaults ? defaults->displayName : id;
}

QString defaultKeyVariable(const QString &id)
{
    const auto defaults = provider::providerDefaults(id);
    if (defaults && !defaults->apiKeyEnv.isEmpty())
        return defaults->apiKeyEnv;
    return id.toUpper().replace(u'-', u'_') + QStringLiteral("_API_KEY");
}

AppSettings::AppSettings() : m_settings(std::make_unique<QSettings>(QStringLiteral("reins"), QStringLiteral("reins"))) {}

AppSettings::AppSettings(const QString &file) : m_settings(std::make_unique<QSettings>(file, QSettings::IniFormat)) {}

AppSettings::~AppSettings() = default;

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

ProviderSettings AppSettings::provider(const QString &id) const
{
    const auto defaults = provider::providerDefaults(id);
    ProviderSettings p{id};
    if (defaults) {
        p.baseUrl = defaults->baseUrl;
        p.model = defaults->model;
        p.keySource = defaults->apiKeyEnv.isEmpty() ? KeySource::None : KeySource::Environment;
    }
    p.keyEnv = defaultKeyVariable(id);
    const QString g = group(id);
    if (!m_settings->contains(g + QStringLiteral("key")))
        return p;
    p.baseUrl = QUrl(m_settings->value(g + QStringLiteral("baseUrl")).toString());
    p.model = m_settings->value(g + QStringLiteral("model")).toString();
    const QString source = m_settings->value(g + QStringLiteral("key")).toString();
    for (KeySource s : {KeySource::None, KeySource::Keychain, KeySource::Environment})
        if (sourceName(s) == source)
            p.keySource = s;
    p.keyEnv = m_settings->value(g + QStringLiteral("keyEnv"), p.keyEnv).toString();
    return p;
}

void AppSettings::setProvider(const ProviderSettings &p)
{
    const QString g = group(p.id);
    m_settings->setValue(g + QStringLiteral("baseUrl"), p.baseUrl.toString());
    m_settings->setValue(g + QStringLiteral("model"), p.model);
    m_settings->setValue(g + QStringLiteral("key"), sourceName(p.keySource));
    m_settings->setValue(g + QStringLiteral("keyEnv"), p.keyEnv);
}

QStringList AppSettings::configuredProviders() const
{
    QStringList ids;
    for (const QString &id : provider::providerIds())
        if (m_settings->contains(group(id) + QStringLiteral("key")))
            ids.append(id);
    return ids;
}

QString AppSettings::activeProvider() const
{
    const QString id = m_settings->value(QStringLiteral("session/provider")).toString();
    return provider::providerIds().contains(id) ? id : QString();
}

void AppSettings::setActiveProvider(const QString &id)
{
    m_settings->setValue(QStringLiteral("session/provider"), id);
}

protocol::ApprovalMode AppSettings::approvalMode() const
{
    const QString name = m_settings->value(QStringLiteral("session/approvalMode")).toString();
    return protocol::enumFromName<protocol::ApprovalMode>(name).value_or(protocol::ApprovalMode::Ask);
}

void AppSettings::setApprovalMode(protocol::ApprovalMode mode)
{
    m_settings->setValue(QStringLiteral("session/approvalMode"), protocol::enumName(mode));
}

bool AppSettings::sandboxCommands() const
{
    return m_settings->value(QStringLiteral("sandbox/commands"), false).toBool();
}

void AppSettings::setSandboxCommands(bool on)
{
    m_settings->setValue(QStringLiteral("sandbox/commands"), on);
}

bool AppSettings::sandboxNetwork() const
{
    return m_settings->value(QStringLiteral("sandbox/network"), false).toBool();
}

void AppSettings::setSandboxNetwork(bool on)
{
    m_settings->setValue(QStringLiteral("sandbox/network"), on);
}

QString AppSettings::theme() const
{
    const QString theme = m_settings->value(QStringLiteral("appearance/theme")).toString();
    return kThemes.contains(theme) ? theme : QStringLiteral("system");
}

void AppSettings::setTheme(const QString &theme)
{
    m_settings->setValue(QStringLiteral("appearance/theme"), kThemes.contains(theme) ? theme : QStringLiteral("system"));
}

QString AppSettings::priceFile() const
{
    return m_priceFile.isEmpty() ? configFile(QStringLiteral("prices.json")) : m_priceFile;
}

void AppSettings::setPriceFile(const QString &file)
{
    m_priceFile = file;
}

QString AppSettings::rulesFile() const
{
    return m_rulesFile.isEmpty() ? configFile(QStringLiteral("rules.json")) : m_rulesFile;
}

void AppSettings::setRulesFile(const QString &file)
{
    m_rulesFile = file;
}

Result<void> AppSettings::sync()
{
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return fail(QCoreApplication::translate("AppSettings", "Reins could not save its settings to %1. Check that "
                                                               "the folder exists and is writable.")
                        .arg(m_settings->fileName()));
    return {};
}

std::optional<session::SessionConfig> AppSettings::sessionConfig(const QString &apiKey) const
{
    const QString id = activeProvider();
    auto defaults = provider::providerDefaults(id);
    if (id.isEmpty() || !defaults)
        return std::nullopt;
    const ProviderSettings p = provider(id);
    session::SessionConfig config;
    config.provider = *defaults;
    if (!p.baseUrl.isEmpty())
        config.provider.baseUrl = p.baseUrl;
    if (!p.model.isEmpty())
        config.provider.model = p.model;
    config.provider.apiKey = apiKey;
    config.provider.apiKeyEnv = p.keySource == KeySource::Environment ? p.keyEnv : QString();
    config.approvalMode = approvalMode();
    config.sandboxCommands = sandboxCommands();
    config.sandboxNetwork = sandboxNetwork();
    return config;
}

Result<QString> AppSettings::keyFromEnvironment(const ProviderSettings &p)
{
    const QString name = providerLabel(p.id);
    if (p.keyEnv.isEmpty())
        return fail(QCoreApplication::translate("AppSettings", "No environment variable is named for the %1 key. "
                                                               "Name one in Settings → Providers.")
                        .arg(name));
    const QString key = qEnvironmentVariable(p.keyEnv.toLocal8Bit().constData());
    if (key.isEmpty())
        return fail(QCoreApplication::translate("AppSettings", "The environment variable %1, where the %2 key is "
                                                               "read from, is not set. Set it and start Reins "
                                                               "again, or keep the key in the desktop keychain "
                                                               "(Settings → Providers).")
                        .arg(p.keyEnv, name));
    return key;
}

void AppSettings::loadSessionConfig(KeyStore *keys, QObject *context,
                                    std::function<void(const Result<session::SessionConfig> &)> done) const
{
    Q_ASSERT(context); // the answer comes later: it needs an object that says whether anyone still waits
    // Always answered from the event loop, whichever way the key comes: callers see one behaviour.
    const auto answer = [context, done](const Result<session::SessionConfig> &result) {
        QTimer::singleShot(0, context, [done, result] { done(result); });
    };
    const QString id = activeProvider();
    std::optional<session::SessionConfig> config = sessionConfig(QString());
    if (!config) {
        answer(fail(QCoreApplication::translate("AppSettings", "No model provider is chosen. Choose one in "
                                                               "Settings → Providers, or try the demo.")));
        return;
    }
    const QString name = providerLabel(id);
    if (config->provider.baseUrl.isEmpty() || config->provider.model.isEmpty()) {
        answer(fail(QCoreApplication::translate("AppSettings", "%1 needs a base URL and a model. Set them in "
                                                               "Settings → Providers.")
                        .arg(name)));
        return;
    }
    const ProviderSettings p = provider(id);
    switch (p.keySource) {
    case KeySource::None: answer(*config); return;
    case KeySource::Environment: {
        const Result<QString> key = keyFromEnvironment(p);
        if (!key) {
            answer(std::unexpected(key.error()));
            return;
        }
        config->provider.apiKey = *key;
        answer(*config);
        return;
    }
    case KeySource::Keychain: break;
    }
    keys->readKey(id, context, [config = *config, name, done](const KeyStore::ReadResult &key) mutable {
        if (!key) {
            done(std::unexpected(key.error()));
        } else if (!*key || (*key)->isEmpty()) {
            done(fail(QCoreApplication::translate("AppSettings", "No API key for %1 is stored in the desktop "
                                                                 "keychain. Enter it in Settings → Providers.")
                          .arg(name)));
        } else {
            config.provider.apiKey = **key;
            done(config);
        }
    });
}

} // namespace reins::widgets
