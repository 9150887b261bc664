#include "recentfolders.h"

#include <QCoreApplication>
#include <QTest>

using reins::widgets::RecentFolders;

class TstRecentFolders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("reins-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recentfolders"));
    }
    void init() { RecentFolders().clear(); }
    void add_data();
    void add();
};

void TstRecentFolders::add_data()
{
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("none") << QStringList{} << QStringList{};
    QTest::newRow("newest first") << QStringList{QStringLiteral("/a"), QStringLiteral("/b")}
                                  << QStringList{QStringLiteral("/b"), QStringLiteral("/a")};
    QTest::newRow("reopening moves to the front")
        << QStringList{QStringLiteral("/a"), QStringLiteral("/b"), QStringLiteral("/a")}
        << QStringList{QStringLiteral("/a"), QStringLiteral("/b")};
    QTest::newRow("paths are cleaned") << QStringList{QStringLiteral("/a/b/../c/"), QStringLiteral("/a//c")}
                                       << QStringList{QStringLiteral("/a/c")};
    QStringList many, kept;
    for (int i = 0; i < RecentFolders::kMaximum + 3; ++i)
        many.append(QStringLiteral("/p%1").arg(i));
    for (int i = RecentFolders::kMaximum + 2; i >= 3; --i)
        kept.append(QStringLiteral("/p%1").arg(i));
    QTest::newRow("the oldest beyond the maximum are dropped") << many << kept;
}

void TstRecentFolders::add()
{
    QFETCH(QStringList, added);
    QFETCH(QStringList, expected);
    for (const QString &folder : added)
        RecentFolders().add(folder);
    QCOMPARE(RecentFolders().folders(), expected);
}

QTEST_GUILESS_MAIN(TstRecentFolders)
#include "tst_recentfolders.moc"
