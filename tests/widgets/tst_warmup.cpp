// WarmUp: the font database loaded at once, the syntax repository begun on another thread after the first frame;
// what uses them later gets the same things it would have made itself, on the GUI thread.

#include "syntaxlexer.h"
#include "warmup.h"

#include <QFontDatabase>
#include <QWidget>
#include <QTest>

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>

using namespace reins::widgets;

class TstWarmUp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void repositoryLoadedAfterTheFirstFrameIsTheOneUsed();
};

void TstWarmUp::repositoryLoadedAfterTheFirstFrameIsTheOneUsed()
{
    KSyntaxHighlighting::Repository *repository = nullptr;
    {
        const WarmUp warmUp; // nothing in this process has touched fonts or the repository before
        QVERIFY(!SyntaxLexer::repositoryLoadBegun()); // nothing before the first frame needs it
        QWidget window;
        window.resize(200, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(SyntaxLexer::repositoryLoadBegun()); // painted: begun
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
