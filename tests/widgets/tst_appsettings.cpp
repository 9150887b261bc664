// The persistent settings: defaults for a new user, everything surviving a new AppSettings on the same file, the
// SessionConfig the window starts sessions with, and the key fetched from wherever it lives.

#include "appsettings.h"
#include "keystore.h"
#include "memorykeybackend.h"
#include "provider/providerconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace reins;
using namespace reins::widgets;
using namespace Qt::StringLiterals;
using protocol::ApprovalMode;

Q_DECLARE_METATYPE(reins::widgets::ProviderSettings)

namespace {

provider::ProviderConfig defaultsOf(const QString &id)
{
    return *provider::providerDefaults(id);
}

} // namespace

class TstAppSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsForANewUser();
    void survivesANewInstance();
    void unknownValuesFallBack();
    void sessionConfig_data();
    void sessionConfig();
    void noActiveProviderMeansNoConfig();
    void loadSessionConfig_data();
    void loadSessionConfig();

private:
    QTemporaryDir m_dir;
};

void TstAppSettings::defaultsForANewUser()
{
    AppSettings settings(m_dir.filePath(u"fresh.conf"_s));
    QCOMPARE(settings.activeProvider(), QString());
    QCOMPARE(settings.approvalMode(), ApprovalMode::Ask);
    QCOMPARE(settings.sandboxCommands(), false);
    QCOMPARE(settings.sandboxNetwork(), false);
    QCOMPARE(settings.theme(), u"system"_s);
    QCOMPARE(settings.configuredProviders(), QStringList());
    QCOMPARE(settings.provider(u"deepseek"_s),
             (ProviderSettings{u"deepseek"_s, QUrl(u"https://api.deepseek.com"_s), u"deepseek-flash"_s,
                               KeySource::Environment, u"DEEPSEEK_API_KEY"_s}));
    QCOMPARE(settings.provider(u"ollama"_s), (ProviderSettings{u"ollama"_s, QUrl(u"http://localhost:11434/v1"_s),
                                                               QString(), KeySource::None, u"OLLAMA_API_KEY"_s}));
    // The paths default to the configuration folder the session reads.
    QVERIFY(settings.priceFile().endsWith(u"/reins/prices.json"_s));
    QVERIFY(settings.rulesFile().endsWith(u"/reins/rules.json"_s));
}

void TstAppSettings::survivesANewInstance()
{
    const QString file = m_dir.filePath(u"kept.conf"_s);
    const ProviderSettings deepseek{u"deepseek"_s, QUrl(u"http://127.0.0.1:9/v1"_s), u"deepseek-reasoner"_s,
                                    KeySource::Keychain, u"DEEPSEEK_API_KEY"_s};
    const ProviderSettings compatible{u"openai-compatible"_s, QUrl(u"http://gpu-box:8000/v1"_s), u"qwen3"_s,
                                      KeySource::Environment, u"GPU_BOX_KEY"_s};
    {
        AppSettings settings(file);
        settings.setProvider(deepseek);
        settings.setProvider(compatible);
        settings.setActiveProvider(u"openai-compatible"_s);
        settings.setApprovalMode(ApprovalMode::AutoEdit);
        settings.setSandboxCommands(true);
        settings.setSandboxNetwork(true);
        settings.setTheme(u"dark"_s);
        QVERIFY(settings.sync());
    }
    AppSettings again(file);
    QCOMPARE(again.provider(u"deepseek"_s), deepseek);
    QCOMPARE(again.provider(u"openai-compatible"_s), compatible);
    QCOMPARE(again.configuredProviders(), (QStringList{u"deepseek"_s, u"openai-compatible"_s}));
    QCOMPARE(again.activeProvider(), u"openai-compatible"_s);
    QCOMPARE(again.approvalMode(), ApprovalMode::AutoEdit);
    QCOMPARE(again.sandboxCommands(), true);
    QCOMPARE(again.sandboxNetwork(), true);
    QCOMPARE(again.theme(), u"dark"_s);
}

void TstAppSettings::unknownValuesFallBack()
{
    const QString file = m_dir.filePath(u"odd.conf"_s);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[session]\nprovider=acme\napprovalMode=yolo\n[appearance]\ntheme=neon\n");
    }
    AppSettings settings(file);
    QCOMPARE(settings.activeProvider(), QString()); // an unknown provider is none: the window offers the demo
    QCOMPARE(settings.approvalMode(), ApprovalMode::Ask);
    QCOMPARE(settings.theme(), u"system"_s);
}

void TstAppSettings::sessionConfig_data()
{
    QTest::addColumn<ProviderSettings>("stored");
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("keyEnv");

    QTest::newRow("deepseek, own model and URL")
        << ProviderSettings{u"deepseek"_s, QUrl(u"http://127.0.0.1:8123"_s), u"deepseek-reasoner"_s,
                            KeySource::Environment, u"MY_DS_KEY"_s}
        << QUrl(u"http://127.0.0.1:8123"_s) << u"deepseek-reasoner"_s << u"MY_DS_KEY"_s;
    QTest::newRow("deepseek, fields left empty take the defaults")
        << ProviderSettings{u"deepseek"_s, QUrl(), QString(), KeySource::Keychain, u"DEEPSEEK_API_KEY"_s}
        << QUrl(u"https://api.deepseek.com"_s) << u"deepseek-flash"_s << QString();
    QTest::newRow("ollama, no key") << ProviderSettings{u"ollama"_s, QUrl(u"http://localhost:11434/v1"_s),
                                                        u"qwen3:8b"_s, KeySource::None, u"OLLAMA_API_KEY"_s}
                                    << QUrl(u"http://localhost:11434/v1"_s) << u"qwen3:8b"_s << QString();
}

void TstAppSettings::sessionConfig()
{
    QFETCH(ProviderSettings, stored);
    QFETCH(QUrl, url);
    QFETCH(QString, model);
    QFETCH(QString, keyEnv);
    AppSettings settings(m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".conf"_s));
    settings.setProvider(stored);
    settings.setActiveProvider(stored.id);
    settings.setApprovalMode(ApprovalMode::FullAuto);
    settings.setSandboxCommands(true);

    const std::optional<session::SessionConfig> config = settings.sessionConfig(u"sk-given"_s);
    QVERIFY(config);
    provider::ProviderConfig expected = defaultsOf(stored.id);
    expected.baseUrl = url;
    expected.model = model;
    expected.apiKey = u"sk-given"_s;
    expected.apiKeyEnv = keyEnv;
    QCOMPARE(config->provider, expected); // the whole provider: timeouts, wire format and all from the defaults
    QCOMPARE(config->approvalMode, ApprovalMode::FullAuto);
    QCOMPARE(config->sandboxCommands, true);
    QCOMPARE(config->sandboxNetwork, false); // the default here: sandboxed commands stay offline
    settings.setSandboxNetwork(true);
    QCOMPARE(settings.sessionConfig(u"sk-given"_s)->sandboxNetwork, true);
}

void TstAppSettings::noActiveProviderMeansNoConfig()
{
    AppSettings settings(m_dir.filePath(u"none.conf"_s));
    QCOMPARE(settings.sessionConfig(u"sk"_s), std::nullopt);
}

void TstAppSettings::loadSessionConfig_data()
{
    QTest::addColumn<ProviderSettings>("stored");
    QTest::addColumn<bool>("keychain");        // a keychain service runs
    QTest::addColumn<QString>("keychainKey");  // what it holds for the provider; empty: nothing
    QTest::addColumn<QString>("expectedKey");  // empty: an error is expected instead
    QTest::addColumn<QString>("errorPart");

    const ProviderSettings inKeychain{u"deepseek"_s, {}, {}, KeySource::Keychain, u"DEEPSEEK_API_KEY"_s};
    const ProviderSettings inVariable{u"deepseek"_s, {}, {}, KeySource::Environment, u"REINS_TEST_KEY_SET"_s};
    const ProviderSettings unsetVariable{u"deepseek"_s, {}, {}, KeySource::Environment, u"REINS_TEST_KEY_UNSET"_s};
    QTest::newRow("keychain") << inKeychain << true << u"sk-chain"_s << u"sk-chain"_s << QString();
    QTest::newRow("keychain, nothing stored")
        << inKeychain << true << QString() << QString() << u"No API key for DeepSeek is stored in the desktop keychain"_s;
    QTest::newRow("no keychain service") << inKeychain << false << QString() << QString()
                                         << u"No keychain service is running on this desktop"_s;
    QTest::newRow("environment") << inVariable << true << QString() << u"sk-from-env"_s << QString();
    QTest::newRow("environment, variable unset")
        << unsetVariable << true << QString() << QString()
        << u"The environment variable REINS_TEST_KEY_UNSET, where the DeepSeek key is read from, is not set"_s;
    QTest::newRow("no model") << ProviderSettings{u"openai"_s, {}, {}, KeySource::None, {}} << true << QString()
                              << QString() << u"OpenAI needs a base URL and a model"_s;
    QTest::newRow("no provider chosen") << ProviderSettings{} << true << QString() << QString()
                                        << u"No model provider is chosen"_s;
}

void TstAppSettings::loadSessionConfig()
{
    QFETCH(ProviderSettings, stored);
    QFETCH(bool, keychain);
    QFETCH(QString, keychainKey);
    QFETCH(QString, expectedKey);
    QFETCH(QString, errorPart);
    qputenv("REINS_TEST_KEY_SET", "sk-from-env");
    qunsetenv("REINS_TEST_KEY_UNSET");

    AppSettings settings(m_dir.filePath(u"load-"_s + QString::fromLatin1(QTest::currentDataTag()) + u".conf"_s));
    if (!stored.id.isEmpty()) {
        settings.setProvider(stored);
        settings.setActiveProvider(stored.id);
    }
    auto backend = std::make_unique<MemoryKeyBackend>();
    MemoryKeyBackend *memory = backend.get();
    KeyStore keys(std::move(backend));
    if (!keychainKey.isEmpty()) {
        bool written = false;
        keys.writeKey(stored.id, keychainKey, this, [&](const Result<void> &) { written = true; });
        QTRY_VERIFY(written);
    }
    memory->setAvailable(keychain);

    std::optional<Result<session::SessionConfig>> loaded;
    settings.loadSessionConfig(&keys, this, [&](const Result<session::SessionConfig> &r) { loaded = r; });
    QVERIFY(!loaded); // always from the event loop
    QTRY_VERIFY(loaded);
    if (expectedKey.isEmpty()) {
        QVERIFY(!*loaded);
        QVERIFY2(loaded->error().message.contains(errorPart), qPrintable(loaded->error().message));
        QVERIFY2(loaded->error().message.contains(u"Settings"_s) || loaded->error().message.contains(u"variable"_s),
                 qPrintable(loaded->error().message)); // it says where to fix it
        return;
    }
    QVERIFY2(*loaded, *loaded ? "" : qPrintable(loaded->error().message));
    QCOMPARE((*loaded)->provider.apiKey, expectedKey);
    QCOMPARE((*loaded)->provider.model, u"deepseek-flash"_s);
}

QTEST_GUILESS_MAIN(TstAppSettings)
#include "tst_appsettings.moc"
