// The key store: keys go to a backend by provider id and come back asynchronously; a desktop without a keychain
// service gets a sentence naming the way out; and the real QtKeychain path, which on a machine without Secret
// Service or KWallet must say exactly that — and with one, must store, read back and delete a key.

#include "keystore.h"
#include "memorykeybackend.h"
#include "qtkeychainbackend.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

using namespace reins;
using namespace reins::widgets;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(reins::widgets::KeyReply::Status)

namespace {

// Waits for one answer of an asynchronous KeyStore call.
template<typename T>
struct Answer
{
    std::optional<T> value;
    bool wait() { return QTest::qWaitFor([this] { return value.has_value(); }, 10'000); }
};

} // namespace

class TstKeyStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeReadDelete();
    void answersComeLater();
    void answerDroppedWhenContextIsGone();
    void noKeychainIsAPlainSentence();
    void classify_data();
    void classify();
    void realKeychain();
};

void TstKeyStore::writeReadDelete()
{
    auto backend = std::make_unique<MemoryKeyBackend>();
    MemoryKeyBackend *memory = backend.get();
    KeyStore keys(std::move(backend));
    QSignalSpy written(&keys, &KeyStore::keyWritten);

    Answer<Result<void>> write;
    keys.writeKey(u"deepseek"_s, u"sk-one"_s, this, [&](const Result<void> &r) { write.value = r; });
    QVERIFY(write.wait());
    QVERIFY(*write.value);
    QCOMPARE(memory->keys(), (QHash<QString, QString>{{u"deepseek"_s, u"sk-one"_s}}));
    QCOMPARE(written.count(), 1);
    QCOMPARE(written.at(0).at(0).toString(), u"deepseek"_s);
    QCOMPARE(keys.availability(), KeyStore::Availability::Available);

    Answer<KeyStore::ReadResult> read;
    keys.readKey(u"deepseek"_s, this, [&](const KeyStore::ReadResult &r) { read.value = r; });
    QVERIFY(read.wait());
    QCOMPARE(*read.value, KeyStore::ReadResult(u"sk-one"_s));

    Answer<Result<void>> removed;
    keys.deleteKey(u"deepseek"_s, this, [&](const Result<void> &r) { removed.value = r; });
    QVERIFY(removed.wait());
    QVERIFY(*removed.value);
    QVERIFY(memory->keys().isEmpty());

    Answer<KeyStore::ReadResult> missing;
    keys.readKey(u"deepseek"_s, this, [&](const KeyStore::ReadResult &r) { missing.value = r; });
    QVERIFY(missing.wait());
    QCOMPARE(*missing.value, KeyStore::ReadResult(std::nullopt)); // not an error: nothing stored
}

void TstKeyStore::answersComeLater()
{
    KeyStore keys(std::make_unique<MemoryKeyBackend>());
    bool answered = false;
    keys.writeKey(u"openai"_s, u"sk"_s, nullptr, [&](const Result<void> &) { answered = true; });
    QVERIFY(!answered); // as the real keychain: never before the call returns
    QTRY_VERIFY(answered);
}

void TstKeyStore::answerDroppedWhenContextIsGone()
{
    KeyStore keys(std::make_unique<MemoryKeyBackend>());
    QSignalSpy read(&keys, &KeyStore::keyRead);
    bool answered = false;
    auto *context = new QObject;
    keys.readKey(u"openai"_s, context, [&](const KeyStore::ReadResult &) { answered = true; });
    delete context;
    QTRY_COMPARE(read.count(), 1); // the signal still tells
    QVERIFY(!answered);
}

void TstKeyStore::noKeychainIsAPlainSentence()
{
    KeyStore keys(std::make_unique<MemoryKeyBackend>(false));
    QSignalSpy availability(&keys, &KeyStore::availabilityChanged);
    keys.probe();
    QTRY_COMPARE(keys.availability(), KeyStore::Availability::Unavailable);
    QCOMPARE(availability.count(), 1);
    const QString expected = u"No keychain service is running on this desktop (Secret Service or KWallet), so Reins "
                             "cannot store the key safely. Put it in an environment variable instead, e.g. "
                             "DEEPSEEK_API_KEY, and choose that variable here."_s;
    QCOMPARE(keys.unavailableReason(), expected);
    QCOMPARE(KeyStore::noKeychainMessage(u"deepseek"_s), expected);
    QVERIFY(KeyStore::noKeychainMessage(u"anthropic"_s).contains(u"e.g. ANTHROPIC_API_KEY,"_s));
    QVERIFY(KeyStore::noKeychainMessage(u"llamacpp"_s).contains(u"e.g. LLAMACPP_API_KEY,"_s));

    Answer<Result<void>> write;
    keys.writeKey(u"deepseek"_s, u"sk-secret"_s, this, [&](const Result<void> &r) { write.value = r; });
    QVERIFY(write.wait());
    QVERIFY(!*write.value);
    QCOMPARE(write.value->error().message, expected);
}

void TstKeyStore::classify_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<KeyReply::Status>("status");
    using S = KeyReply::Status;
    QTest::newRow("ok") << int(QKeychain::NoError) << QString() << S::Ok;
    QTest::newRow("missing entry") << int(QKeychain::EntryNotFound) << u"Entry not found"_s << S::NotFound;
    QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << u"No keychain service available"_s
                                << S::NoBackend;
    QTest::newRow("secret service not running")
        << int(QKeychain::OtherError) << u"The name org.freedesktop.secrets was not provided by any .service files"_s
        << S::NoBackend;
    QTest::newRow("no session bus") << int(QKeychain::OtherError)
                                    << u"Cannot autolaunch D-Bus without X11 $DISPLAY"_s << S::NoBackend;
    QTest::newRow("kwallet, no bus") << int(QKeychain::OtherError)
                                     << u"Could not open wallet: org.freedesktop.DBus.Error.NoServer; D-Bus is not "
                                        "running"_s
                                     << S::NoBackend;
    QTest::newRow("locked") << int(QKeychain::AccessDenied) << u"Access to keychain denied"_s << S::Denied;
    QTest::newRow("refused") << int(QKeychain::AccessDeniedByUser) << QString() << S::Denied;
    QTest::newRow("other") << int(QKeychain::OtherError) << u"Unknown error"_s << S::Failed;
}

void TstKeyStore::classify()
{
    QFETCH(int, error);
    QFETCH(QString, message);
    QFETCH(KeyReply::Status, status);
    QCOMPARE(QtKeychainBackend::classify(error, message), status);
}

void TstKeyStore::realKeychain()
{
    // A name no one uses, so a developer's real keys are never touched.
    const QString id = u"reins-test-%1"_s.arg(QCoreApplication::applicationPid());
    KeyStore keys;
    keys.probe();
    QTRY_VERIFY_WITH_TIMEOUT(keys.availability() != KeyStore::Availability::Unknown, 30'000);

    Answer<Result<void>> write;
    keys.writeKey(id, u"sk-real-keychain"_s, this, [&](const Result<void> &r) { write.value = r; });
    QVERIFY(write.wait());

    if (keys.availability() == KeyStore::Availability::Unavailable) {
        qInfo("no keychain service here: checking the plain-words error");
        QVERIFY(!*write.value);
        QCOMPARE(write.value->error().message, KeyStore::noKeychainMessage(id));
        QVERIFY(write.value->error().message.startsWith(u"No keychain service is running on this desktop"_s));
        QCOMPARE(keys.unavailableReason(), KeyStore::noKeychainMessage(u"deepseek"_s));
        Answer<KeyStore::ReadResult> read;
        keys.readKey(id, this, [&](const KeyStore::ReadResult &r) { read.value = r; });
        QVERIFY(read.wait());
        QVERIFY(!*read.value);
        QCOMPARE(read.value->error().message, KeyStore::noKeychainMessage(id));
        return;
    }

    qInfo("a keychain service answers: checking the round trip");
    QVERIFY2(*write.value, *write.value ? "" : qPrintable(write.value->error().message));
    Answer<KeyStore::ReadResult> read;
    keys.readKey(id, this, [&](const KeyStore::ReadResult &r) { read.value = r; });
    QVERIFY(read.wait());
    QCOMPARE(*read.value, KeyStore::ReadResult(u"sk-real-keychain"_s));
    Answer<Result<void>> removed;
    keys.deleteKey(id, this, [&](const Result<void> &r) { removed.value = r; });
    QVERIFY(removed.wait());
    QVERIFY(*removed.value);
    Answer<KeyStore::ReadResult> gone;
    keys.readKey(id, this, [&](const KeyStore::ReadResult &r) { gone.value = r; });
    QVERIFY(gone.wait());
    QCOMPARE(*gone.value, KeyStore::ReadResult(std::nullopt));
}

QTEST_GUILESS_MAIN(TstKeyStore)
#include "tst_keystore.moc"
