#include "provider/pricetable.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::provider;
using reins::protocol::TokenUsage;

namespace {

QDateTime utc(int hour, int minute)
{
    return QDateTime(QDate(2026, 11, 27), QTime(hour, minute), QTimeZone::UTC);
}

} // namespace

class TstPriceTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedTableLoads();
    void cost_data();
    void cost();
    void userTableOverrides();
    void brokenTables_data();
    void brokenTables();
};

void TstPriceTable::shippedTableLoads()
{
    const auto table = PriceTable::load();
    QVERIFY2(table, qPrintable(table ? QString() : table.error().message));
    QVERIFY(table->find(QStringLiteral("deepseek"), QStringLiteral("deepseek-flash")));
    QVERIFY(table->find(QStringLiteral("deepseek"), QStringLiteral("deepseek-v4-pro")));
}

void TstPriceTable::cost_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<TokenUsage>("usage");
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<qint64>("nanoDollars"); // -1: cost unknown

    const TokenUsage million{1'000'000, 0, 1'000'000, 0, 0, 0};
    const TokenUsage mixed{10'000, 8'000, 2'000, 1'000, 300, 0};
    // Hand-computed from resources/prices.json; nano-dollars = USD · 1e9.
    QTest::newRow("flash, a million misses, off-peak") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash")
                                                       << million << utc(12, 0) << qint64(150'000'000);
    QTest::newRow("flash, a million misses, peak") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash")
                                                   << million << utc(2, 0) << qint64(300'000'000);
    // 8000·0.003 + 2000·0.15 + 1000·0.60 = 24 + 300 + 600 = 924 (USD per million) → 924 µ$ = 924,000 n$
    QTest::newRow("flash, mixed, off-peak") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash") << mixed
                                            << utc(4, 0) << qint64(924'000);
    QTest::newRow("flash, mixed, first peak minute") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash")
                                                     << mixed << utc(6, 0) << qint64(1'848'000);
    QTest::newRow("flash, mixed, last peak minute") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash")
                                                    << mixed << utc(9, 59) << qint64(1'848'000);
    QTest::newRow("flash, mixed, peak just over") << QStringLiteral("deepseek") << QStringLiteral("deepseek-flash")
                                                  << mixed << utc(10, 0) << qint64(924'000);
    // 8000·0.022 + 2000·0.66 + 1000·1.98 = 176 + 1320 + 1980 = 3476
    QTest::newRow("pro, mixed, off-peak") << QStringLiteral("deepseek") << QStringLiteral("deepseek-v4-pro") << mixed
                                          << utc(20, 0) << qint64(3'476'000);
    QTest::newRow("an older name is an alias") << QStringLiteral("deepseek") << QStringLiteral("deepseek-v4-flash")
                                               << mixed << utc(20, 0) << qint64(924'000);
    QTest::newRow("a local model costs nothing") << QStringLiteral("ollama") << QStringLiteral("qwen3:8b") << mixed
                                                 << utc(20, 0) << qint64(0);
    QTest::newRow("an unknown model is unknown, not zero") << QStringLiteral("deepseek") << QStringLiteral("deepseek-x")
                                                           << mixed << utc(20, 0) << qint64(-1);
    QTest::newRow("an unknown provider") << QStringLiteral("openai") << QStringLiteral("gpt-x") << mixed << utc(20, 0)
                                         << qint64(-1);
}

void TstPriceTable::cost()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(TokenUsage, usage);
    QFETCH(QDateTime, when);
    QFETCH(qint64, nanoDollars);

    const auto table = PriceTable::load();
    QVERIFY(table);
    const auto cost = table->cost(provider, model, usage, when);
    if (nanoDollars < 0) {
        QVERIFY(!cost);
        return;
    }
    QVERIFY(cost);
    QCOMPARE(cost->currency, QStringLiteral("USD"));
    QCOMPARE(qRound64(cost->amount * 1e9), nanoDollars);
}

void TstPriceTable::userTableOverrides()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prices.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"models":[
        {"provider":"deepseek","model":"deepseek-flash","currency":"CNY","prices":{"cacheHit":0.02,"cacheMiss":1,"output":4}},
        {"provider":"anthropic","model":"claude-x","currency":"USD","prices":{"cacheHit":0.3,"cacheMiss":3,"cacheWrite":3.75,"output":15}}]})");
    file.close();
    const auto table = PriceTable::load(path);
    QVERIFY2(table, qPrintable(table ? QString() : table.error().message));
    // Replaced whole: no peak rates any more, and the user's currency.
    const auto flash = table->cost(QStringLiteral("deepseek"), QStringLiteral("deepseek-flash"),
                                   TokenUsage{1'000'000, 0, 1'000'000, 0, 0, 0}, utc(2, 0));
    QCOMPARE(flash->currency, QStringLiteral("CNY"));
    QCOMPARE(flash->amount, 1.0);
    // Anthropic: cache writes are billed at their own rate: 1000·0.3 + 200·3 + 800·3.75 + 100·15 = 5400 → 5,400 µ$.
    const auto claude = table->cost(QStringLiteral("anthropic"), QStringLiteral("claude-x"),
                                    TokenUsage{2000, 1000, 1000, 100, 0, 800}, utc(2, 0));
    QCOMPARE(qRound64(claude->amount * 1e9), qint64(5'400'000));
    // Entries the user did not mention stay.
    QVERIFY(table->find(QStringLiteral("deepseek"), QStringLiteral("deepseek-v4-pro")));
}

void TstPriceTable::brokenTables_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QTest::newRow("not JSON") << QByteArray("{") << QStringLiteral("is not valid JSON");
    QTest::newRow("no models") << QByteArray("{}") << QStringLiteral("'models' must be an array");
    QTest::newRow("no currency") << QByteArray(R"({"models":[{"provider":"a","model":"b","prices":{}}]})")
                                 << QStringLiteral("price table entry 0: 'provider', 'model' and 'currency' are required");
    QTest::newRow("negative price")
        << QByteArray(R"({"models":[{"provider":"a","model":"b","currency":"USD","prices":{"cacheHit":0,"cacheMiss":-1,"output":1}}]})")
        << QStringLiteral("price table entry 0 prices: 'cacheMiss' must be a price per million tokens");
    QTest::newRow("bad window")
        << QByteArray(R"({"models":[{"provider":"a","model":"b","currency":"USD","prices":{"cacheHit":0,"cacheMiss":1,"output":1},)"
                      R"("peak":{"windowsUtc":["1-4"],"prices":{"cacheHit":0,"cacheMiss":2,"output":2}}}]})")
        << QStringLiteral("window '1-4' must look like \"01:00-04:00\"");
}

void TstPriceTable::brokenTables()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prices.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    // A broken user table is an error, never silently ignored (the figures would be wrong).
    const auto table = PriceTable::load(path);
    QVERIFY(!table);
    QVERIFY2(table.error().message.contains(error), qPrintable(table.error().message));
    QVERIFY(table.error().message.contains(path));
}

QTEST_GUILESS_MAIN(TstPriceTable)
#include "tst_pricetable.moc"
