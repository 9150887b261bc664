#include "session/promptcontext.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace reins::session;

using Files = QList<QPair<QString, QByteArray>>;
Q_DECLARE_METATYPE(Files)

class TstPromptContext : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void instructions_data();
    void instructions();
    void capAt32KiB();
    void promptIsStable();
};

void TstPromptContext::instructions_data()
{
    QTest::addColumn<Files>("files");
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << Files{} << QString() << QString();
    QTest::newRow("root AGENTS.md") << Files{{QStringLiteral("AGENTS.md"), "Use tabs.\n"}} << QString()
                                    << QStringLiteral("## AGENTS.md\n\nUse tabs.");
    QTest::newRow("root first, then the folders down to the working one")
        << Files{{QStringLiteral("AGENTS.md"), "Root rules."}, {QStringLiteral("app/AGENTS.md"), "App rules."},
                 {QStringLiteral("app/ui/AGENTS.md"), "UI rules."}, {QStringLiteral("lib/AGENTS.md"), "Not on the path."}}
        << QStringLiteral("app/ui")
        << QStringLiteral("## AGENTS.md\n\nRoot rules.\n\n## app/AGENTS.md\n\nApp rules.\n\n## app/ui/AGENTS.md\n\nUI rules.");
    QTest::newRow("CLAUDE.md where there is no AGENTS.md")
        << Files{{QStringLiteral("CLAUDE.md"), "Claude rules."}, {QStringLiteral("app/AGENTS.md"), "App rules."},
                 {QStringLiteral("app/CLAUDE.md"), "Ignored: AGENTS.md wins."}}
        << QStringLiteral("app") << QStringLiteral("## CLAUDE.md\n\nClaude rules.\n\n## app/AGENTS.md\n\nApp rules.");
    QTest::newRow("a working folder outside the workspace counts as the root")
        << Files{{QStringLiteral("AGENTS.md"), "Root."}} << QStringLiteral("/") << QStringLiteral("## AGENTS.md\n\nRoot.");
}

void TstPromptContext::instructions()
{
    QFETCH(Files, files);
    QFETCH(QString, cwd);
    QFETCH(QString, expected);
    QTemporaryDir root;
    for (const auto &[path, content] : files) {
        QDir().mkpath(QFileInfo(root.filePath(path)).path());
        QFile f(root.filePath(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const QString working = cwd.startsWith(u'/') ? cwd : root.filePath(cwd);
    QCOMPARE(projectInstructions(root.path(), cwd.isEmpty() ? QString() : working), expected);
}

void TstPromptContext::capAt32KiB()
{
    QTemporaryDir root;
    QFile f(root.filePath(QStringLiteral("AGENTS.md")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 0; i < 20000; ++i)
        f.write("é"); // two bytes each: 40 000 bytes
    f.close();
    const QString text = projectInstructions(root.path(), {});
    QVERIFY(text.endsWith(QStringLiteral("[project instructions cut at 32 KiB]")));
    QVERIFY(text.toUtf8().size() <= 32 * 1024 + 64);
    QVERIFY(!text.contains(QChar::ReplacementCharacter)); // not cut inside a character
}

void TstPromptContext::promptIsStable()
{
    // No clock, no randomness: the same inputs give the same bytes.
    QCOMPARE(systemPrompt(QStringLiteral("/w"), QStringLiteral("x")), systemPrompt(QStringLiteral("/w"), QStringLiteral("x")));
    QVERIFY(systemPrompt(QStringLiteral("/w"), QStringLiteral("rules")).endsWith(QStringLiteral("# Project instructions\n\nrules")));
    QVERIFY(!systemPrompt(QStringLiteral("/w"), {}).contains(QStringLiteral("Project instructions")));
}

QTEST_GUILESS_MAIN(TstPromptContext)
#include "tst_promptcontext.moc"
