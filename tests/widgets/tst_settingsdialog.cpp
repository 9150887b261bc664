// The Settings dialog, offscreen, against real parts: the model list fetched from the fake model server on
// loopback, keys in an in-memory keychain (and never in the settings file), the price table round trip through
// PriceTable::load, rules saved with RuleSet and read back, and the settings read back by a new AppSettings.

#include "appearancepage.h"
#include "appsettings.h"
#include "approvalspage.h"
#include "apptheme.h"
#include "fakemodelserver.h"
#include "keystore.h"
#include "memorykeybackend.h"
#include "pricemodel.h"
#include "pricespage.h"
#include "providerspage.h"
#include "sandboxpage.h"
#include "settingsdialog.h"
#include "statuslabel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFrame>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QStyleOption>

using namespace reins;
using namespace reins::widgets;
using namespace Qt::StringLiterals;
using reins::test::FakeModelServer;
using policy::Rule;
using policy::RuleAction;
using policy::RuleScope;

namespace {

QJsonObject modelsExchange(const QString &key)
{
    return {{u"expect"_s, QJsonObject{{u"method"_s, u"GET"_s},
                                      {u"path"_s, u"/models"_s},
                                      {u"headers"_s, QJsonObject{{u"authorization"_s, QString(u"Bearer "_s + key)}}}}},
            {u"body"_s, QJsonObject{{u"object"_s, u"list"_s},
                                    {u"data"_s, QJsonArray{QJsonObject{{u"id"_s, u"deepseek-chat"_s}},
                                                           QJsonObject{{u"id"_s, u"deepseek-reasoner"_s}}}}}}};
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Fixture
{
    QTemporaryDir dir;
    AppSettings settings{dir.filePath(u"reins.conf"_s)};
    MemoryKeyBackend *memory = nullptr;
    std::unique_ptr<KeyStore> keys;
    std::unique_ptr<SettingsDialog> dialog;

    explicit Fixture(bool keychain = true)
    {
        settings.setPriceFile(dir.filePath(u"prices.json"_s));
        settings.setRulesFile(dir.filePath(u"rules.json"_s));
        auto backend = std::make_unique<MemoryKeyBackend>(keychain);
        memory = backend.get();
        keys = std::make_unique<KeyStore>(std::move(backend));
    }
    SettingsDialog *open(const QString &workspace = {})
    {
        dialog = std::make_unique<SettingsDialog>(&settings, keys.get(), workspace);
        dialog->show();
        return dialog.get();
    }
    ProvidersPage *providers() const { return dialog->providersPage(); }
    // Replaces a field's text the way a person does: select all, type.
    static void retype(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }
};

} // namespace

class TstSettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fetchModelsPickOneAndSave();
    void fetchFailureIsASentence_data();
    void fetchFailureIsASentence();
    void storedKeyIsShownAndCanBeCleared();
    void noKeychainOffersTheEnvironment();
    void keyMovedToTheEnvironmentLeavesTheKeychain();
    void keychainFailureKeepsTheDialogOpen();
    void incompleteProviderIsNotSaved();
    void priceEditRoundTrip();
    void priceBackToBuiltIn();
    void priceForAModelTheTableLacks();
    void priceRejectsWhatIsNotAPrice();
    void rulesEditAndDelete();
    void modeSandboxAndTheme();
    void sandboxStatusInWords_data();
    void sandboxStatusInWords();
    void showPage();
    void indicatorsStandOutInBothThemes();
    void screenshots();
};

void TstSettingsDialog::fetchModelsPickOneAndSave()
{
    FakeModelServer server;
    QVERIFY(server.listen());
    QVERIFY(server.loadScenario({{u"exchanges"_s, QJsonArray{modelsExchange(u"sk-typed-123"_s)}}}));
    Fixture f;
    f.open();
    ProvidersPage *page = f.providers();
    page->providerBox()->setCurrentIndex(page->providerBox()->findData(u"deepseek"_s));
    QCOMPARE(page->baseUrlEdit()->text(), u"https://api.deepseek.com"_s); // prefilled from the defaults
    Fixture::retype(page->baseUrlEdit(), server.baseUrl());
    QTest::mouseClick(page->keychainOption(), Qt::LeftButton, {}, QPoint(4, 4));
    QVERIFY(page->keychainOption()->isChecked());
    QVERIFY(page->keyEdit()->isEnabled());
    QCOMPARE(page->keyEdit()->echoMode(), QLineEdit::Password);
    Fixture::retype(page->keyEdit(), u"sk-typed-123"_s);

    QTest::mouseClick(page->fetchButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page->modelBox()->count(), 2, 10'000);
    QVERIFY(server.finishedCleanly());
    QCOMPARE(page->fetchStatus()->text(), u"DeepSeek offers 2 models. Pick one from the list."_s);
    QCOMPARE(page->fetchStatus()->tone(), StatusLabel::Tone::Info);
    // Picked with the keyboard: the list, then the second entry.
    page->modelBox()->setFocus();
    QTest::keyClick(page->modelBox(), Qt::Key_Down);
    QTest::keyClick(page->modelBox(), Qt::Key_Down);
    QCOMPARE(page->modelBox()->currentText(), u"deepseek-reasoner"_s);
    page->useBox()->setChecked(true);
    QCOMPARE(page->providerBox()->currentText(), u"DeepSeek — in use"_s);

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(f.dialog->okButton(), Qt::LeftButton);
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(f.dialog->result(), int(QDialog::Accepted));
    QCOMPARE(f.memory->keys(), (QHash<QString, QString>{{u"deepseek"_s, u"sk-typed-123"_s}}));
    // The key is in the keychain only: not one byte of it in the settings file.
    const QByteArray file = readAll(f.settings.fileName());
    QVERIFY(!file.isEmpty());
    QVERIFY2(!file.contains("sk-typed"), file.constData());
    QVERIFY(!file.contains("typed-123"));

    AppSettings again(f.settings.fileName());
    QCOMPARE(again.activeProvider(), u"deepseek"_s);
    QCOMPARE(again.provider(u"deepseek"_s), (ProviderSettings{u"deepseek"_s, QUrl(server.baseUrl()),
                                                              u"deepseek-reasoner"_s, KeySource::Keychain,
                                                              u"DEEPSEEK_API_KEY"_s}));
}

void TstSettingsDialog::fetchFailureIsASentence_data()
{
    QTest::addColumn<QJsonObject>("exchange"); // empty: no server listens
    QTest::addColumn<QString>("url");          // empty: the server's
    QTest::addColumn<QStringList>("parts");

    QTest::newRow("key rejected (401)")
        << QJsonObject{{u"status"_s, 401},
                       {u"body"_s, QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, u"Authentication Fails"_s}}}}}}
        << QString()
        << QStringList{u"DeepSeek rejected the API key (HTTP 401)"_s, u"Settings → Providers"_s};
    QTest::newRow("nothing listens") << QJsonObject() << QString()
                                     << QStringList{u"DeepSeek"_s, u"Check the base URL and the key"_s};
    QTest::newRow("not a model list") << QJsonObject{{u"body"_s, QJsonObject{{u"models"_s, QJsonArray()}}}}
                                      << QString()
                                      << QStringList{u"DeepSeek did not send a model list"_s,
                                                     u"press Fetch models again"_s};
    QTest::newRow("not a web address") << QJsonObject() << u"ftp://example.com"_s
                                       << QStringList{u"DeepSeek"_s, u"http:// or https://"_s};
}

void TstSettingsDialog::fetchFailureIsASentence()
{
    QFETCH(QJsonObject, exchange);
    QFETCH(QString, url);
    QFETCH(QStringList, parts);
    FakeModelServer server;
    QVERIFY(server.listen());
    QString base = server.baseUrl();
    if (!exchange.isEmpty()) {
        QVERIFY(server.loadScenario({{u"exchanges"_s, QJsonArray{exchange}}}));
    } else if (url.isEmpty()) {
        auto closed = std::make_unique<FakeModelServer>();
        QVERIFY(closed->listen());
        base = closed->baseUrl(); // and once it is gone, nothing listens there: the connection is refused
    }
    if (!url.isEmpty())
        base = url;

    Fixture f;
    f.open();
    ProvidersPage *page = f.providers();
    page->showProvider(u"deepseek"_s);
    Fixture::retype(page->baseUrlEdit(), base);
    QTest::mouseClick(page->fetchButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->fetchButton()->isEnabled() && page->fetchStatus()->tone() == StatusLabel::Tone::Error,
                             20'000);
    const QString text = page->fetchStatus()->text();
    for (const QString &part : parts)
        QVERIFY2(text.contains(part), qPrintable(text));
    QVERIFY2(text.endsWith(u'.'), qPrintable(text)); // a sentence, not a code
    QCOMPARE(page->modelBox()->count(), 0);
}

void TstSettingsDialog::storedKeyIsShownAndCanBeCleared()
{
    Fixture f;
    f.settings.setProvider({u"openai"_s, QUrl(u"https://api.openai.com/v1"_s), u"gpt-5"_s, KeySource::Keychain,
                            u"OPENAI_API_KEY"_s});
    f.settings.setActiveProvider(u"openai"_s);
    bool written = false;
    f.keys->writeKey(u"openai"_s, u"sk-old"_s, nullptr, [&](const Result<void> &) { written = true; });
    QTRY_VERIFY(written);

    f.open();
    ProvidersPage *page = f.providers();
    QCOMPARE(page->currentProvider(), u"openai"_s); // opens on the provider in use
    QVERIFY(page->useBox()->isChecked());
    QTRY_COMPARE(page->keyEdit()->text(), u"sk-old"_s);
    QCOMPARE(page->keyStatus()->text(), u"The key is kept in the desktop keychain."_s);

    Fixture::retype(page->keyEdit(), QString()); // cleared: the key is deleted from the keychain
    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(f.dialog->applyButton(), Qt::LeftButton);
    QTRY_COMPARE(applied.count(), 1);
    QVERIFY(f.dialog->isVisible()); // Apply keeps it open
    QVERIFY(f.memory->keys().isEmpty());
}

void TstSettingsDialog::noKeychainOffersTheEnvironment()
{
    Fixture f(false);
    f.settings.setProvider({u"deepseek"_s, QUrl(u"https://api.deepseek.com"_s), u"deepseek-flash"_s,
                            KeySource::Keychain, u"DEEPSEEK_API_KEY"_s});
    f.settings.setActiveProvider(u"deepseek"_s);
    f.open();
    ProvidersPage *page = f.providers();
    QTRY_VERIFY(!page->keychainOption()->isEnabled());
    QVERIFY(page->environmentOption()->isEnabled());
    QVERIFY(page->environmentOption()->isChecked());
    QVERIFY(page->keyVariableEdit()->isEnabled());
    QCOMPARE(page->keyVariableEdit()->text(), u"DEEPSEEK_API_KEY"_s);
    QVERIFY(!page->keyEdit()->isEnabled()); // nothing to type a key into that could not be kept safely
    QVERIFY(page->keychainNote()->isVisible());
    QCOMPARE(page->keychainNote()->text(),
             u"No keychain service is running on this desktop (Secret Service or KWallet), so Reins cannot store "
             "the key safely. Put it in an environment variable instead, e.g. DEEPSEEK_API_KEY, and choose that "
             "variable here."_s);
    // The variable is named and looked up.
    qputenv("REINS_TEST_DS_KEY", "sk-env");
    Fixture::retype(page->keyVariableEdit(), u"REINS_TEST_DS_KEY"_s);
    QCOMPARE(page->keyStatus()->text(), u"REINS_TEST_DS_KEY is set in the environment Reins started from."_s);
    Fixture::retype(page->keyVariableEdit(), u"REINS_TEST_NOT_SET"_s);
    QVERIFY2(page->keyStatus()->text().startsWith(u"REINS_TEST_NOT_SET is not set"_s),
             qPrintable(page->keyStatus()->text()));

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    f.dialog->apply(true);
    QTRY_COMPARE(applied.count(), 1);
    AppSettings again(f.settings.fileName());
    QCOMPARE(again.provider(u"deepseek"_s).keySource, KeySource::Environment);
    QCOMPARE(again.provider(u"deepseek"_s).keyEnv, u"REINS_TEST_NOT_SET"_s);
}

void TstSettingsDialog::keyMovedToTheEnvironmentLeavesTheKeychain()
{
    Fixture f;
    f.settings.setProvider({u"openai"_s, QUrl(u"https://api.openai.com/v1"_s), u"gpt-5"_s, KeySource::Keychain,
                            u"OPENAI_API_KEY"_s});
    f.settings.setProvider({u"deepseek"_s, QUrl(u"https://api.deepseek.com"_s), u"deepseek-chat"_s,
                            KeySource::Keychain, u"DEEPSEEK_API_KEY"_s});
    f.settings.setActiveProvider(u"openai"_s);
    int written = 0;
    f.keys->writeKey(u"openai"_s, u"sk-old"_s, nullptr, [&](const Result<void> &) { ++written; });
    f.keys->writeKey(u"deepseek"_s, u"sk-other"_s, nullptr, [&](const Result<void> &) { ++written; });
    QTRY_COMPARE(written, 2);

    f.open();
    ProvidersPage *page = f.providers();
    QTRY_COMPARE(page->keyEdit()->text(), u"sk-old"_s);
    QTest::mouseClick(page->environmentOption(), Qt::LeftButton, {}, QPoint(4, 4));
    QVERIFY(page->environmentOption()->isChecked());
    Fixture::retype(page->keyVariableEdit(), u"REINS_TEST_OPENAI_KEY"_s);
    page->providerBox()->setCurrentIndex(page->providerBox()->findData(u"deepseek"_s)); // seen, left as it was
    QTRY_COMPARE(page->keyEdit()->text(), u"sk-other"_s);
    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(f.dialog->applyButton(), Qt::LeftButton);
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(f.memory->keys().keys(), QStringList{u"deepseek"_s}); // only the moved key left the keychain
    AppSettings again(f.settings.fileName());
    QCOMPARE(again.provider(u"openai"_s).keySource, KeySource::Environment);
    QCOMPARE(again.provider(u"openai"_s).keyEnv, u"REINS_TEST_OPENAI_KEY"_s);

    // Back to the keychain with a new key: stored again; nothing else is deleted on the way.
    page->providerBox()->setCurrentIndex(page->providerBox()->findData(u"openai"_s));
    QTest::mouseClick(page->keychainOption(), Qt::LeftButton, {}, QPoint(4, 4));
    Fixture::retype(page->keyEdit(), u"sk-new"_s);
    QTest::mouseClick(f.dialog->applyButton(), Qt::LeftButton);
    QTRY_COMPARE(applied.count(), 2);
    QCOMPARE(f.memory->keys().size(), 2);
    QCOMPARE(f.memory->keys().value(u"openai"_s), u"sk-new"_s);
    QCOMPARE(f.memory->keys().value(u"deepseek"_s), u"sk-other"_s);
}

void TstSettingsDialog::keychainFailureKeepsTheDialogOpen()
{
    Fixture f;
    f.open();
    ProvidersPage *page = f.providers();
    page->showProvider(u"anthropic"_s);
    QTRY_COMPARE(f.keys->availability(), KeyStore::Availability::Available);
    QTest::mouseClick(page->keychainOption(), Qt::LeftButton, {}, QPoint(4, 4));
    Fixture::retype(page->keyEdit(), u"sk-ant-secret"_s);
    page->useBox()->setChecked(true);
    f.memory->setAvailable(false); // the keychain goes away before Save

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    QTest::mouseClick(f.dialog->okButton(), Qt::LeftButton);
    QVERIFY(f.dialog->isSaving()); // waits for the keychain's answer
    QVERIFY(!f.dialog->okButton()->isEnabled());
    QTRY_VERIFY(!f.dialog->isSaving());
    QCOMPARE(applied.count(), 0);
    QVERIFY(f.dialog->isVisible());
    QCOMPARE(f.dialog->errorLabel()->text(), KeyStore::noKeychainMessage(u"anthropic"_s));
    QCOMPARE(f.dialog->currentPage(), SettingsDialog::Page::Providers);
    // Nothing was saved: not the provider, and not the key anywhere.
    AppSettings again(f.settings.fileName());
    QCOMPARE(again.activeProvider(), QString());
    QVERIFY(!readAll(f.settings.fileName()).contains("sk-ant"));
    // The keychain option is now off, with the reason shown.
    QVERIFY(!page->keychainOption()->isEnabled());
    QVERIFY(page->keychainNote()->isVisible());
}

void TstSettingsDialog::incompleteProviderIsNotSaved()
{
    Fixture f;
    f.open();
    ProvidersPage *page = f.providers();
    page->providerBox()->setCurrentIndex(page->providerBox()->findData(u"openai-compatible"_s));
    QCOMPARE(page->providerBox()->currentText(), u"OpenAI-compatible server"_s);
    page->useBox()->setChecked(true);
    f.dialog->showPage(SettingsDialog::Page::Sandbox);
    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    f.dialog->apply(true);
    QCOMPARE(applied.count(), 0);
    QCOMPARE(f.dialog->currentPage(), SettingsDialog::Page::Providers); // taken to what needs fixing
    QVERIFY2(f.dialog->errorLabel()->text().contains(u"OpenAI-compatible server needs a base URL"_s),
             qPrintable(f.dialog->errorLabel()->text()));

    Fixture::retype(page->baseUrlEdit(), u"http://gpu-box:8000/v1"_s);
    f.dialog->apply(true);
    QVERIFY2(f.dialog->errorLabel()->text().startsWith(u"Choose a model for OpenAI-compatible server"_s),
             qPrintable(f.dialog->errorLabel()->text()));
    page->modelBox()->setFocus();
    QTest::keyClicks(page->modelBox(), u"qwen3-coder"_s);
    f.dialog->apply(true);
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(AppSettings(f.settings.fileName()).sessionConfig(QString())->provider.model, u"qwen3-coder"_s);
}

void TstSettingsDialog::priceEditRoundTrip()
{
    Fixture f;
    // The person already has an entry of their own: it must survive the edit of another.
    const provider::ModelPrice mine{u"openai"_s, u"gpt-5"_s, {}, u"USD"_s, {0.125, 1.25, std::nullopt, 10}};
    {
        QFile file(f.settings.priceFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{
                                     {u"models"_s, QJsonArray{QJsonObject{{u"provider"_s, u"openai"_s},
                                                                          {u"model"_s, u"gpt-5"_s},
                                                                          {u"currency"_s, u"USD"_s},
                                                                          {u"prices"_s, QJsonObject{{u"cacheHit"_s, 0.125},
                                                                                                    {u"cacheMiss"_s, 1.25},
                                                                                                    {u"output"_s, 10}}}}}}})
                       .toJson());
    }
    const provider::PriceTable shipped = *provider::PriceTable::load();
    f.open();
    f.dialog->showPage(SettingsDialog::Page::Prices);
    PricesPage *page = f.dialog->pricesPage();
    PriceModel *model = page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), int(shipped.entries().size()) + 1);

    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->price(r).model == u"deepseek-v4-pro")
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row, PriceModel::Source).data().toString(), u"built in"_s);
    QVERIFY(model->index(row, PriceModel::Output).data(Qt::ToolTipRole).toString().contains(u"peak hours"_s));

    // With the keyboard: select the cache-miss figure, F2, type, Enter.
    QTableView *view = page->view();
    QVERIFY(QTest::qWaitForWindowActive(f.dialog.get()));
    view->setFocus();
    view->setCurrentIndex(model->index(row, PriceModel::CacheMiss));
    QTest::keyClick(view, Qt::Key_F2);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, u"0.5"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(model->index(row, PriceModel::CacheMiss).data().toString(), u"0.5"_s); // committed queued
    QCOMPARE(model->index(row, PriceModel::Source).data().toString(), u"yours"_s);
    QVERIFY(model->setData(model->index(row, PriceModel::Currency), u"eur"_s, Qt::EditRole));

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    f.dialog->apply();
    QTRY_COMPARE(applied.count(), 1);

    // Read back by the same code the session uses.
    const auto loaded = provider::PriceTable::load(f.settings.priceFile());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    provider::ModelPrice expected = *shipped.find(u"deepseek"_s, u"deepseek-v4-pro"_s);
    expected.rates.cacheMiss = 0.5;
    expected.currency = u"EUR"_s;
    QCOMPARE(*loaded->find(u"deepseek"_s, u"deepseek-v4-pro"_s), expected); // peak hours and rates kept
    QCOMPARE(*loaded->find(u"openai"_s, u"gpt-5"_s), mine);
    QCOMPARE(*loaded->find(u"deepseek"_s, u"deepseek-flash"_s), *shipped.find(u"deepseek"_s, u"deepseek-flash"_s));
    QCOMPARE(loaded->entries().size(), shipped.entries().size() + 1);
}

void TstSettingsDialog::priceForAModelTheTableLacks()
{
    Fixture f;
    const provider::PriceTable shipped = *provider::PriceTable::load();
    QVERIFY(!shipped.find(u"openai-compatible"_s, u"qwen3-coder"_s));
    f.open();
    f.dialog->showPage(SettingsDialog::Page::Prices);
    PricesPage *page = f.dialog->pricesPage();
    PriceModel *model = page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(QTest::qWaitForWindowActive(f.dialog.get()));
    const int rows = model->rowCount();

    // Nothing named: a sentence, no row.
    page->newProviderBox()->setCurrentIndex(page->newProviderBox()->findData(u"openai-compatible"_s));
    QTest::mouseClick(page->addButton(), Qt::LeftButton);
    QCOMPARE(model->rowCount(), rows);
    QVERIFY2(page->status()->text().startsWith(u"Name the model"_s), qPrintable(page->status()->text()));

    // Named and Enter: a row of the person's own, its first figure open for typing.
    Fixture::retype(page->newModelEdit(), u"qwen3-coder"_s);
    QTest::keyClick(page->newModelEdit(), Qt::Key_Return);
    QCOMPARE(model->rowCount(), rows + 1);
    QVERIFY(f.dialog->isVisible()); // Enter added the row; it did not close the dialog
    QCOMPARE(model->index(rows, PriceModel::Model).data().toString(), u"qwen3-coder"_s);
    QCOMPARE(model->index(rows, PriceModel::Source).data().toString(), u"yours"_s);
    QCOMPARE(model->index(rows, PriceModel::Currency).data().toString(), u"USD"_s);
    QCOMPARE(page->view()->currentIndex(), model->index(rows, PriceModel::CacheHit));
    QVERIFY(page->newModelEdit()->text().isEmpty());
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor && editor != page->newModelEdit());
    editor->selectAll();
    QTest::keyClicks(editor, u"0.1"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(model->index(rows, PriceModel::CacheHit).data().toString(), u"0.1"_s);
    QVERIFY(model->setData(model->index(rows, PriceModel::CacheMiss), u"0.4"_s, Qt::EditRole));
    QVERIFY(model->setData(model->index(rows, PriceModel::Output), u"1.6"_s, Qt::EditRole));

    // The same model again: refused, pointing at the row there is.
    Fixture::retype(page->newModelEdit(), u"qwen3-coder"_s);
    QTest::mouseClick(page->addButton(), Qt::LeftButton);
    QCOMPARE(model->rowCount(), rows + 1);
    QVERIFY2(page->status()->text().contains(u"has a row for qwen3-coder already"_s), qPrintable(page->status()->text()));

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    f.dialog->apply();
    QTRY_COMPARE(applied.count(), 1);
    const auto loaded = provider::PriceTable::load(f.settings.priceFile());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    const provider::ModelPrice *added = loaded->find(u"openai-compatible"_s, u"qwen3-coder"_s);
    QVERIFY(added);
    QCOMPARE(added->currency, u"USD"_s);
    QCOMPARE(added->rates.cacheHit, 0.1);
    QCOMPARE(added->rates.cacheMiss, 0.4);
    QCOMPARE(added->rates.output, 1.6);
    QCOMPARE(loaded->entries().size(), shipped.entries().size() + 1);

    // And taken back: "Back to the built-in price" removes a row Reins has no price of its own for.
    page->view()->setCurrentIndex(model->index(rows, PriceModel::Output));
    QVERIFY(page->revertButton()->isEnabled());
    QTest::mouseClick(page->revertButton(), Qt::LeftButton);
    QCOMPARE(model->rowCount(), rows);
    f.dialog->apply();
    QTRY_COMPARE(applied.count(), 2);
    QVERIFY(!provider::PriceTable::load(f.settings.priceFile())->find(u"openai-compatible"_s, u"qwen3-coder"_s));
}

void TstSettingsDialog::priceBackToBuiltIn()
{
    Fixture f;
    provider::ModelPrice changed = *provider::PriceTable::load()->find(u"deepseek"_s, u"deepseek-flash"_s);
    changed.rates.output = 9;
    {
        QFile file(f.settings.priceFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{u"models"_s, QJsonArray{QJsonObject{
                                                               {u"provider"_s, u"deepseek"_s},
                                                               {u"model"_s, u"deepseek-flash"_s},
                                                               {u"currency"_s, u"USD"_s},
                                                               {u"prices"_s, QJsonObject{{u"cacheHit"_s, 0.003},
                                                                                         {u"cacheMiss"_s, 0.15},
                                                                                         {u"output"_s, 9}}}}}}})
                       .toJson());
    }
    f.open();
    PricesPage *page = f.dialog->pricesPage();
    PriceModel *model = page->model();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->price(r).model == u"deepseek-flash")
            row = r;
    QVERIFY(model->isOverridden(row));
    page->view()->setCurrentIndex(model->index(row, PriceModel::Output));
    QVERIFY(page->revertButton()->isEnabled());
    QTest::mouseClick(page->revertButton(), Qt::LeftButton);
    QVERIFY(!model->isOverridden(row));
    QVERIFY(!page->revertButton()->isEnabled());
    f.dialog->apply();
    QTRY_VERIFY(!readAll(f.settings.priceFile()).contains("deepseek-flash"));
    QCOMPARE(*provider::PriceTable::load(f.settings.priceFile())->find(u"deepseek"_s, u"deepseek-flash"_s),
             *provider::PriceTable::load()->find(u"deepseek"_s, u"deepseek-flash"_s));
}

void TstSettingsDialog::priceRejectsWhatIsNotAPrice()
{
    Fixture f;
    f.open();
    PricesPage *page = f.dialog->pricesPage();
    PriceModel *model = page->model();
    const QString before = model->index(0, PriceModel::Output).data().toString();
    QVERIFY(!model->setData(model->index(0, PriceModel::Output), u"cheap"_s, Qt::EditRole));
    QVERIFY(!model->setData(model->index(0, PriceModel::Output), u"-1"_s, Qt::EditRole));
    QCOMPARE(model->index(0, PriceModel::Output).data().toString(), before);
    QCOMPARE(page->status()->text(), u"“-1” is not a price. Type the price per million tokens, such as 0.27."_s);
    QVERIFY(!model->isModified());
    QVERIFY(!(model->flags(model->index(0, PriceModel::Model)) & Qt::ItemIsEditable));
}

void TstSettingsDialog::rulesEditAndDelete()
{
    Fixture f;
    const QString here = f.dir.filePath(u"project"_s), other = f.dir.filePath(u"other"_s);
    const QString file = f.settings.rulesFile();
    const Rule global{RuleAction::Allow, u"run_command"_s, u"npm test"_s, RuleScope::Global};
    const Rule make{RuleAction::Allow, u"run_command"_s, u"make"_s, RuleScope::Workspace};
    const Rule secrets{RuleAction::Deny, u"edit"_s, u"secrets/**"_s, RuleScope::Workspace};
    const Rule cargo{RuleAction::Allow, u"run_command"_s, u"cargo build"_s, RuleScope::Workspace};
    {
        policy::RuleSet mine, theirs;
        for (const Rule &r : {global, make, secrets})
            mine.add(r);
        theirs.add(global);
        theirs.add(cargo);
        QVERIFY(mine.save(file, here));
        QVERIFY(theirs.save(file, other));
    }
    f.open(here);
    f.dialog->showPage(SettingsDialog::Page::Approvals);
    ApprovalsPage *page = f.dialog->approvalsPage();
    QListWidget *list = page->ruleList();
    QCOMPARE(list->count(), 3);
    QCOMPARE(list->item(0)->text(), global.describe());
    QCOMPARE(list->item(1)->text(), u"allow run_command `make` (this workspace)"_s);

    // A session saves a rule while the dialog is open: it must survive the dialog's save.
    const Rule later{RuleAction::Allow, u"run_command"_s, u"cargo test"_s, RuleScope::Workspace};
    {
        auto current = policy::RuleSet::load(file, here);
        QVERIFY(current);
        current->add(later);
        QVERIFY(current->save(file, here));
    }

    list->setCurrentRow(1);
    QVERIFY(page->patternEdit()->isEnabled());
    QCOMPARE(page->patternEdit()->text(), u"make"_s);
    page->actionBox()->setCurrentIndex(1); // ask
    Fixture::retype(page->patternEdit(), u"make test"_s);
    QCOMPARE(list->item(1)->text(), u"ask run_command `make test` (this workspace)"_s);
    list->setCurrentRow(2);
    QCOMPARE(page->patternEdit()->text(), u"secrets/**"_s);
    QTest::mouseClick(page->deleteButton(), Qt::LeftButton);
    QCOMPARE(list->count(), 2);

    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    f.dialog->apply();
    QTRY_COMPARE(applied.count(), 1);
    const auto loaded = policy::RuleSet::load(file, here);
    QVERIFY(loaded);
    const Rule edited{RuleAction::Ask, u"run_command"_s, u"make test"_s, RuleScope::Workspace};
    QCOMPARE(loaded->rules(), (std::vector<Rule>{global, edited, later}));
    QCOMPARE(policy::RuleSet::load(file, other)->rules(), (std::vector<Rule>{global, cargo}));
}

void TstSettingsDialog::modeSandboxAndTheme()
{
    Fixture f;
    f.open();
    QSignalSpy applied(f.dialog.get(), &SettingsDialog::applied);
    QSignalSpy theme(f.dialog.get(), &SettingsDialog::themeChanged);
    f.dialog->showPage(SettingsDialog::Page::Approvals);
    QTest::mouseClick(f.dialog->approvalsPage()->modeButton(protocol::ApprovalMode::FullAuto), Qt::LeftButton, {},
                      QPoint(4, 4));
    f.dialog->showPage(SettingsDialog::Page::Sandbox);
    QTest::mouseClick(f.dialog->sandboxPage()->commandsBox(), Qt::LeftButton, {}, QPoint(4, 4));
    f.dialog->sandboxPage()->networkBox()->setFocus();
    QTest::keyClick(f.dialog->sandboxPage()->networkBox(), Qt::Key_Space);
    f.dialog->showPage(SettingsDialog::Page::Appearance);
    QTest::mouseClick(f.dialog->appearancePage()->themeButton(u"dark"_s), Qt::LeftButton, {}, QPoint(4, 4));
    f.dialog->apply();
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(theme.count(), 1);
    QCOMPARE(theme.at(0).at(0).toString(), u"dark"_s);

    f.dialog->apply(); // nothing changed: no second themeChanged
    QTRY_COMPARE(applied.count(), 2);
    QCOMPARE(theme.count(), 1);

    AppSettings again(f.settings.fileName());
    QCOMPARE(again.approvalMode(), protocol::ApprovalMode::FullAuto);
    QCOMPARE(again.sandboxCommands(), true);
    QCOMPARE(again.sandboxNetwork(), true);
    QCOMPARE(again.theme(), u"dark"_s);
    QCOMPARE(again.activeProvider(), QString()); // untouched: the window keeps offering the demo
}

void TstSettingsDialog::sandboxStatusInWords_data()
{
    QTest::addColumn<bool>("available");
    QTest::addColumn<bool>("network");
    QTest::addColumn<QString>("text");
    QTest::newRow("available") << true << false << u"This machine can sandbox commands: bubblewrap (no network)."_s;
    QTest::newRow("available, network") << true << true
                                        << u"This machine can sandbox commands: bubblewrap (network allowed)."_s;
    QTest::newRow("unavailable") << false << false
                                 << u"This machine cannot sandbox commands: bwrap is not installed. Until it can, "
                                    "commands run unconfined after your approval, and full auto asks before each "
                                    "one."_s;
}

void TstSettingsDialog::sandboxStatusInWords()
{
    QFETCH(bool, available);
    QFETCH(bool, network);
    QFETCH(QString, text);
    Fixture f;
    exec::SandboxStatus status;
    status.available = available;
    status.bwrap = available ? u"/usr/bin/bwrap"_s : QString();
    status.reason = available ? QString() : u"bwrap is not installed"_s;
    SandboxPage page(&f.settings, status);
    page.networkBox()->setChecked(network);
    QCOMPARE(page.statusLabel()->text(), text);
    QCOMPARE(page.statusLabel()->tone(), available ? StatusLabel::Tone::Good : StatusLabel::Tone::Error);
}

void TstSettingsDialog::showPage()
{
    Fixture f;
    f.open();
    QCOMPARE(f.dialog->currentPage(), SettingsDialog::Page::Providers);
    for (auto page : {SettingsDialog::Page::Sandbox, SettingsDialog::Page::Appearance, SettingsDialog::Page::Prices,
                      SettingsDialog::Page::Approvals, SettingsDialog::Page::Providers}) {
        f.dialog->showPage(page);
        QCOMPARE(f.dialog->currentPage(), page);
    }
    f.dialog->showPage(SettingsDialog::Page::Sandbox);
    QVERIFY(f.dialog->sandboxPage()->isVisible());
    QVERIFY(!f.dialog->providersPage()->isVisible());
}

// A check box or radio button whose outline melts into the background cannot be read as one: in both themes the
// indicator's edge must differ from the base colour inside it.
void TstSettingsDialog::indicatorsStandOutInBothThemes()
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    const auto edgeContrast = [](QAbstractButton &button, QStyle::SubElement element) {
        QStyleOptionButton option;
        option.initFrom(&button);
        const QRect indicator = button.style()->subElementRect(element, &option, &button);
        const QImage image = button.grab().toImage();
        const int inside = qGray(button.palette().color(QPalette::Base).rgb());
        int most = 0;
        const int y = indicator.center().y();
        for (int x = indicator.left(); x <= indicator.left() + 2; ++x) // the edge, antialiased over a pixel or two
            most = std::max(most, std::abs(qGray(image.pixel(x, y)) - inside));
        return most;
    };
    for (const bool dark : {false, true}) {
        applyTheme(*app, dark);
        QWidget window;
        QCheckBox box(u"Use this provider"_s, &window);
        QRadioButton radio(u"Desktop keychain"_s, &window);
        radio.move(0, 40);
        window.resize(300, 80);
        window.setFocus(); // no line edit with focus: its outline would be the focus colour
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const int boxContrast = edgeContrast(box, QStyle::SE_CheckBoxIndicator);
        const int radioContrast = edgeContrast(radio, QStyle::SE_RadioButtonIndicator);
        QVERIFY2(boxContrast >= 50, qPrintable(u"%1 theme: check box edge %2 grey levels from its base"_s
                                                   .arg(dark ? u"dark"_s : u"light"_s).arg(boxContrast)));
        QVERIFY2(radioContrast >= 50, qPrintable(u"%1 theme: radio button edge %2 grey levels from its base"_s
                                                     .arg(dark ? u"dark"_s : u"light"_s).arg(radioContrast)));
        // Frames too: a panel (the chat's tool cards) against the window, a line edit against its base.
        QFrame panel(&window);
        panel.setFrameShape(QFrame::StyledPanel);
        panel.setGeometry(150, 0, 100, 30);
        QLineEdit edit(&window);
        edit.setGeometry(150, 40, 100, 30);
        panel.show();
        edit.show();
        const QImage shot = window.grab().toImage();
        const auto edgeAgainst = [&](QWidget &widget, QPalette::ColorRole role) {
            const int inside = qGray(widget.palette().color(role).rgb());
            int most = 0;
            for (int x = 0; x <= 1; ++x)
                most = std::max(most, std::abs(qGray(shot.pixel(widget.x() + x, widget.y() + widget.height() / 2)) - inside));
            return most;
        };
        QVERIFY2(edgeAgainst(panel, QPalette::Window) >= 40,
                 qPrintable(u"%1 theme: panel edge %2"_s.arg(dark ? u"dark"_s : u"light"_s).arg(edgeAgainst(panel, QPalette::Window))));
        QVERIFY2(edgeAgainst(edit, QPalette::Base) >= 40,
                 qPrintable(u"%1 theme: line edit edge %2"_s.arg(dark ? u"dark"_s : u"light"_s).arg(edgeAgainst(edit, QPalette::Base))));
    }
    applyThemeName(*app, u"system"_s);
}

// Not a check: PNGs of every page in both themes for a person to look at. REINS_SETTINGS_SHOTS=<folder> to run.
void TstSettingsDialog::screenshots()
{
    const QString out = qEnvironmentVariable("REINS_SETTINGS_SHOTS");
    if (out.isEmpty())
        QSKIP("set REINS_SETTINGS_SHOTS to a folder to save screenshots of the pages");
    QVERIFY(QDir().mkpath(out));
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    for (const bool dark : {false, true}) {
        applyTheme(*app, dark);
        Fixture f(!dark); // dark: a desktop without a keychain, to see that state too
        {
            policy::RuleSet rules;
            rules.add({RuleAction::Allow, u"run_command"_s, u"npm test"_s, RuleScope::Global});
            rules.add({RuleAction::Allow, u"run_command"_s, u"cargo build"_s, RuleScope::Workspace});
            rules.add({RuleAction::Deny, u"edit"_s, u"secrets/**"_s, RuleScope::Workspace});
            QVERIFY(rules.save(f.settings.rulesFile(), u"/home/me/project"_s));
        }
        f.settings.setActiveProvider(u"deepseek"_s);
        f.open(u"/home/me/project"_s);
        f.dialog->providersPage()->fetchStatus()->setMessage(
            u"DeepSeek rejected the API key (HTTP 401). Check the key in Settings → Providers or the environment "
            "variable it is read from."_s,
            StatusLabel::Tone::Error);
        f.dialog->approvalsPage()->ruleList()->setCurrentRow(1);
        QTest::qWait(50);
        const char *names[] = {"providers", "prices", "approvals", "sandbox", "appearance"};
        for (int i = 0; i < 5; ++i) {
            f.dialog->showPage(SettingsDialog::Page(i));
            QTest::qWait(20);
            const QString file = u"%1/%2-%3.png"_s.arg(out, QLatin1String(names[i]), dark ? u"dark"_s : u"light"_s);
            QVERIFY(f.dialog->grab().save(file));
        }
    }
}

QTEST_MAIN(TstSettingsDialog)
#include "tst_settingsdialog.moc"
