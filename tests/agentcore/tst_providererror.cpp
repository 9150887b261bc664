#include "provider/providererror.h"

#include <QDateTime>
#include <QTest>

using namespace reins::provider;

class TstProviderError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retryAfter_data();
    void retryAfter();
    void redaction_data();
    void redaction();
    void httpErrors_data();
    void httpErrors();
};

void TstProviderError::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("expected"); // -1: none

    QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
    QTest::newRow("fraction") << QByteArray("0.5") << qint64(500);
    QTest::newRow("padded") << QByteArray(" 3 ") << qint64(3000);
    QTest::newRow("an HTTP date 30 s ahead") << QByteArray("Sat, 28 Nov 2026 12:00:30 GMT") << qint64(30'000);
    QTest::newRow("an HTTP date in the past") << QByteArray("Sat, 28 Nov 2026 11:00:00 GMT") << qint64(0);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
}

void TstProviderError::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, expected);
    const qint64 now = QDateTime(QDate(2026, 11, 28), QTime(12, 0), QTimeZone::UTC).toMSecsSinceEpoch();
    const auto delay = parseRetryAfter(header, now);
    QCOMPARE(delay.value_or(-1), expected);
}

void TstProviderError::redaction_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("whole key") << QStringLiteral("key sk-abcdef0123456789 is bad") << QStringLiteral("key [redacted] is bad");
    QTest::newRow("twice") << QStringLiteral("sk-abcdef0123456789/sk-abcdef0123456789")
                           << QStringLiteral("[redacted]/[redacted]");
    QTest::newRow("masked echo") << QStringLiteral("Incorrect API key provided: sk-abcdef01********6789.")
                                 << QStringLiteral("Incorrect API key provided: [redacted].");
    QTest::newRow("a tail of the key") << QStringLiteral("ends with …ef0123456789") << QStringLiteral("ends with …[redacted]");
    QTest::newRow("unrelated text kept") << QStringLiteral("Rate limit reached for requests_per_minute")
                                         << QStringLiteral("Rate limit reached for requests_per_minute");
    QTest::newRow("seven characters are not a leak") << QStringLiteral("abcdef0 x") << QStringLiteral("abcdef0 x");
}

void TstProviderError::redaction()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(redactSecrets(text, {QStringLiteral("sk-abcdef0123456789")}), expected);
}

void TstProviderError::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("message");

    QTest::newRow("401") << 401 << QByteArray(R"({"error":{"message":"bad key"}})") << QStringLiteral("auth") << false
                         << QStringLiteral("DeepSeek rejected the API key (HTTP 401): bad key. Check the key in Settings → "
                                           "Providers or the environment variable it is read from.");
    QTest::newRow("402") << 402 << QByteArray(R"({"error":{"message":"Insufficient Balance"}})") << QStringLiteral("http_402")
                         << false
                         << QStringLiteral("DeepSeek refused the request for lack of credit (HTTP 402): Insufficient "
                                           "Balance. Top up the account, or choose another provider.");
    QTest::newRow("422") << 422 << QByteArray(R"({"error":{"message":"Invalid Parameters"}})") << QStringLiteral("http_422")
                         << false << QStringLiteral("DeepSeek refused the request (HTTP 422): Invalid Parameters.");
    QTest::newRow("429") << 429 << QByteArray() << QStringLiteral("http_429") << true
                         << QStringLiteral("DeepSeek is rate-limiting requests (HTTP 429).");
    QTest::newRow("503 plain text") << 503 << QByteArray("Service Unavailable") << QStringLiteral("http_503") << true
                                    << QStringLiteral("DeepSeek had a server error (HTTP 503): Service Unavailable.");
    QTest::newRow("Anthropic prompt too long")
        << 400 << QByteArray(R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})")
        << QStringLiteral("context_overflow") << false
        << QStringLiteral("The conversation no longer fits the model's context window (HTTP 400: prompt is too long: "
                          "210000 tokens > 200000 maximum). Compact it with /compact or start a new session.");
}

void TstProviderError::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    QFETCH(QString, message);
    const ProviderError e = errorFromHttp(QStringLiteral("DeepSeek"), status, body, std::nullopt);
    QCOMPARE(e.code, code);
    QCOMPARE(e.retryable, retryable);
    QCOMPARE(e.httpStatus, status);
    QCOMPARE(e.message, message);
}

QTEST_GUILESS_MAIN(TstProviderError)
#include "tst_providererror.moc"
