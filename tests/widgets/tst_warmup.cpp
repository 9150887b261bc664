// WarmUp: the font database and the syntax repository begun on other threads; what uses them later gets the same
// things it would have made itself, on the GUI thread.

#include "syntaxlexer.h"
#include "warmup.h"

#include <QFontDatabase>
#include <QTest>

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>

using namespace reins::widgets;

class TstWarmUp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void repositoryLoadedAheadIsTheOneUsed();
};

void TstWarmUp::repositoryLoadedAheadIsTheOneUsed()
{
    KSyntaxHighlighting::Repository *repository = nullptr;
    {
        const WarmUp warmUp; // nothing in this process has touched fonts or the repository before
        repository = &SyntaxLexer::repository();
    } // and going, it waited for both
    QCOMPARE(repository->thread(), QCoreApplication::instance()->thread()); // made elsewhere, handed over
    QCOMPARE(&SyntaxLexer::repository(), repository);                     // one, always
    SyntaxLexer::loadRepositoryInBackground();                              // begun already: nothing again
    QCOMPARE(&SyntaxLexer::repository(), repository);
    QVERIFY(repository->definitionForFileName(QStringLiteral("main.cpp")).isValid());
    QVERIFY(!QFontDatabase::families().isEmpty());
    SyntaxLexer lexer;
    lexer.setDefinitionFor(QStringLiteral("script.py"));
    QCOMPARE(lexer.definition().name(), QStringLiteral("Python"));
}

QTEST_MAIN(TstWarmUp)
#include "tst_warmup.moc"
