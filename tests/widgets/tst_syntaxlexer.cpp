#include "syntaxlexer.h"

#include "qscintilla.h"

#include <QFile>
#include <QPalette>
#include <QTest>

#include <memory>

using reins::widgets::SyntaxLexer;

namespace {

QString samplePath(const QString &name)
{
    return QStringLiteral(GOLDEN_DIR "/samples/") + name;
}

QString goldenPath(const QString &name)
{
    return QStringLiteral(GOLDEN_DIR "/") + name + QStringLiteral(".txt");
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

/// An editor with a SyntaxLexer for `fileName`, holding `text`.
struct Fixture
{
    std::unique_ptr<QsciScintilla> editor = std::make_unique<QsciScintilla>();
    SyntaxLexer *lexer = new SyntaxLexer(editor.get());

    explicit Fixture(const QString &fileName, const QByteArray &text = {}, bool textFirst = false,
                     bool readOnly = false)
    {
        editor->resize(800, 600);
        editor->setReadOnly(readOnly);
        lexer->setDefinitionFor(fileName, text.left(256));
        if (textFirst)
            editor->setText(QString::fromUtf8(text));
        editor->setLexer(lexer);
        if (!textFirst)
            editor->setText(QString::fromUtf8(text));
    }

    void colourise() const { editor->SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L); }
    int lineCount() const { return int(editor->SendScintilla(QsciScintillaBase::SCI_GETLINECOUNT)); }
    /// The lines there are to style: the empty line after a final newline has nothing, so Scintilla never asks.
    int linesWithText() const { return lineBytes(lineCount() - 1).isEmpty() ? lineCount() - 1 : lineCount(); }
    long lineStart(int line) const { return editor->SendScintilla(QsciScintillaBase::SCI_POSITIONFROMLINE, line); }
    QByteArray lineBytes(int line) const
    {
        const long begin = lineStart(line);
        const long end = editor->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION, line);
        QByteArray bytes(end - begin + 1, '\0');
        editor->SendScintilla(QsciScintillaBase::SCI_GETTEXTRANGE, begin, end, bytes.data());
        bytes.chop(1);
        return bytes;
    }
    int styleAt(long position) const
    {
        return int(editor->SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, static_cast<unsigned long>(position)));
    }
    /// Replaces `removed` bytes at a line and byte column with `inserted`, as typing would.
    void edit(int line, int column, int removed, const QByteArray &inserted) const
    {
        const long position = lineStart(line) + column;
        if (removed > 0)
            editor->SendScintilla(QsciScintillaBase::SCI_DELETERANGE, static_cast<unsigned long>(position),
                                  long(removed));
        if (!inserted.isEmpty())
            editor->SendScintilla(QsciScintillaBase::SCI_INSERTTEXT, static_cast<uintptr_t>(position),
                                  inserted.constData());
    }

    /// The styled runs as `<line>:<start>-<end> <format>`: lines from 1, columns in UTF-16 units from 0, end
    /// exclusive. Runs in the default style and runs of white space only are left out.
    QStringList runs() const
    {
        QStringList result;
        for (int line = 0; line < lineCount(); ++line) {
            const QByteArray bytes = lineBytes(line);
            const long begin = lineStart(line);
            qsizetype from = 0;
            while (from < bytes.size()) {
                const int style = styleAt(begin + from);
                qsizetype to = from + 1;
                while (to < bytes.size() && styleAt(begin + to) == style)
                    ++to;
                const QString text = QString::fromUtf8(bytes.mid(from, to - from));
                if (style != 0 && !text.trimmed().isEmpty()) {
                    const auto column = [&bytes](qsizetype byte) { return QString::fromUtf8(bytes.left(byte)).size(); };
                    result.append(QStringLiteral("%1:%2-%3 %4")
                                      .arg(line + 1)
                                      .arg(column(from))
                                      .arg(column(to))
                                      .arg(lexer->formatName(style)));
                }
                from = to;
            }
        }
        return result;
    }
};

/// Compares line by line so a failure names the first line that differs, not just "lists differ".
void compareRuns(const QStringList &actual, const QStringList &expected)
{
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i)
        QCOMPARE(actual.at(i), expected.at(i));
    QCOMPARE(actual.size(), expected.size());
}

QStringList goldenRuns(const QString &name)
{
    return QString::fromUtf8(readFile(goldenPath(name))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QPalette paletteWithWindow(const QColor &window)
{
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    return palette;
}

} // namespace

class TstSyntaxLexer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goldenRuns_data();
    void goldenRuns();
    void restylesOnlyWhatChanged_data();
    void restylesOnlyWhatChanged();
    void openingAndClosingACommentRestylesBelow();
    void paintingStylesWhatIsShown();
    void multibyteTextKeepsStylesOnTheRightBytes_data();
    void multibyteTextKeepsStylesOnTheRightBytes();
    void themeFollowsPalette_data();
    void themeFollowsPalette();
    void styleColoursComeFromTheTheme();
    void definitionByNameOrContent_data();
    void definitionByNameOrContent();
    void noDefinitionLeavesDefaultStyle();
};

void TstSyntaxLexer::goldenRuns_data()
{
    QTest::addColumn<QString>("sample");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<bool>("textFirst");

    QTest::newRow("C++") << QStringLiteral("sample.cpp") << false << false;
    QTest::newRow("Python") << QStringLiteral("sample.py") << false << false;
    QTest::newRow("JSON") << QStringLiteral("sample.json") << false << false;
    QTest::newRow("Markdown") << QStringLiteral("sample.md") << false << false;
    QTest::newRow("C++ in a read-only editor") << QStringLiteral("sample.cpp") << true << false;
    QTest::newRow("C++ with the text set before the lexer") << QStringLiteral("sample.cpp") << false << true;
}

void TstSyntaxLexer::goldenRuns()
{
    QFETCH(QString, sample);
    QFETCH(bool, readOnly);
    QFETCH(bool, textFirst);

    Fixture fixture(sample, readFile(samplePath(sample)), textFirst, readOnly);
    QCOMPARE(fixture.editor->isReadOnly(), readOnly);
    fixture.colourise();
    const QStringList actual = fixture.runs();

    if (qEnvironmentVariableIntValue("REINS_UPDATE_GOLDEN") == 1) {
        QFile file(goldenPath(sample));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(actual.join(QLatin1Char('\n')).toUtf8() + '\n');
        QSKIP("REINS_UPDATE_GOLDEN=1: golden file written, not compared");
    }
    compareRuns(actual, ::goldenRuns(sample));
}

void TstSyntaxLexer::restylesOnlyWhatChanged_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("removed");
    QTest::addColumn<QByteArray>("inserted");
    QTest::addColumn<int>("expectedLines");

    // Lines from 0 in sample.cpp: 12 is "    bool inWord = false;", 24 holds the non-ASCII string.
    QTest::newRow("identifier renamed") << 12 << 9 << 1 << QByteArray("x") << 1;
    QTest::newRow("identifier renamed after multibyte text") << 24 << 47 << 1 << QByteArray("k") << 1;
    QTest::newRow("line broken in two") << 12 << 17 << 0 << QByteArray("\n    ") << 2;
    QTest::newRow("two lines joined") << 12 << 24 << 5 << QByteArray() << 1;
    QTest::newRow("line deleted") << 12 << 0 << 25 << QByteArray() << 1;
    QTest::newRow("lines pasted") << 12 << 0 << 0 << QByteArray("    int a = 1;\n    int b = 2;\n") << 3;
}

void TstSyntaxLexer::restylesOnlyWhatChanged()
{
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, removed);
    QFETCH(QByteArray, inserted);
    QFETCH(int, expectedLines);

    const QByteArray text = readFile(samplePath(QStringLiteral("sample.cpp")));
    Fixture fixture(QStringLiteral("x.cpp"), text);
    fixture.colourise();
    QCOMPARE(fixture.lexer->linesStyledLastTime(), fixture.linesWithText());

    fixture.edit(line, column, removed, inserted);
    fixture.colourise();
    QCOMPARE(fixture.lexer->linesStyledLastTime(), expectedLines);

    // The lines not restyled still carry what a highlight from scratch gives.
    Fixture fresh(QStringLiteral("x.cpp"), fixture.editor->text().toUtf8());
    fresh.colourise();
    compareRuns(fixture.runs(), fresh.runs());
}

void TstSyntaxLexer::openingAndClosingACommentRestylesBelow()
{
    const QString sample = QStringLiteral("sample.cpp");
    Fixture fixture(sample, readFile(samplePath(sample)));
    fixture.colourise();
    const int lines = fixture.linesWithText();
    constexpr int kLine = 13; // "    for (char c : line) {"; no "*/" follows it

    fixture.edit(kLine, 0, 0, "/*");
    fixture.colourise();
    // Every line from the edit to the end of the file changes state.
    QCOMPARE(fixture.lexer->linesStyledLastTime(), lines - kLine);
    int runsBelow = 0;
    for (const QString &run : fixture.runs()) {
        if (run.section(QLatin1Char(':'), 0, 0).toInt() > kLine + 1) { // runs count lines from 1
            QCOMPARE(run.section(QLatin1Char(' '), 1), QStringLiteral("Comment"));
            ++runsBelow;
        }
    }
    QCOMPARE(runsBelow, lines - kLine - 1 - 3); // one comment run per line below, but for the 3 empty ones

    fixture.edit(kLine, 0, 2, {});
    fixture.colourise();
    QCOMPARE(fixture.lexer->linesStyledLastTime(), lines - kLine);
    compareRuns(fixture.runs(), ::goldenRuns(sample));
}

void TstSyntaxLexer::paintingStylesWhatIsShown()
{
    QByteArray text;
    for (int i = 0; i < 2000; ++i)
        text += "int value" + QByteArray::number(i) + " = " + QByteArray::number(i) + "; // line\n";
    Fixture fixture(QStringLiteral("x.cpp"), text);
    fixture.editor->resize(400, 300);
    fixture.editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(fixture.editor.get()));
    const int lastLine = fixture.linesWithText() - 1;

    // Only the lines on screen are highlighted, through Scintilla's own requests.
    QTRY_VERIFY(fixture.lexer->linesStyledLastTime() > 0);
    QCOMPARE_LT(fixture.lexer->linesStyledLastTime(), 200);
    QCOMPARE(fixture.lexer->formatName(fixture.styleAt(0)), QStringLiteral("Data Type"));
    QCOMPARE(fixture.styleAt(fixture.lineStart(lastLine)), 0);

    // Scrolling to the end highlights the lines between (their states lead there), and then the last line.
    fixture.editor->ensureLineVisible(lastLine);
    QTRY_COMPARE(fixture.lexer->formatName(fixture.styleAt(fixture.lineStart(lastLine))), QStringLiteral("Data Type"));

    // Back at the top, typing restyles the one line typed on; nothing below it is asked for again.
    fixture.editor->ensureLineVisible(0);
    QTest::qWait(50);
    fixture.editor->setCursorPosition(0, 4);
    QTest::keyClick(fixture.editor.get(), Qt::Key_X);
    QCOMPARE(fixture.editor->text(0), QStringLiteral("int xvalue0 = 0; // line\n"));
    QTRY_COMPARE(fixture.lexer->linesStyledLastTime(), 1);
    QTest::qWait(50);
    QCOMPARE(fixture.lexer->linesStyledLastTime(), 1);
    QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_GETENDSTYLED),
             fixture.editor->SendScintilla(QsciScintillaBase::SCI_GETLENGTH));
}

void TstSyntaxLexer::multibyteTextKeepsStylesOnTheRightBytes_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QString>("literalFormat");
    QTest::addColumn<QByteArray>("keyword");
    QTest::addColumn<QString>("keywordFormat");

    QTest::newRow("C++") << QStringLiteral("x.cpp") << QByteArray("auto s = \"é✓𝄞\"; if (s) return;")
                         << QByteArray("\"é✓𝄞\"") << QStringLiteral("String") << QByteArray("return")
                         << QStringLiteral("Control Flow");
    QTest::newRow("C++, two astral characters") << QStringLiteral("x.cpp") << QByteArray("auto s = \"𝄞𝄞\"; while (s) {}")
                                                << QByteArray("\"𝄞𝄞\"") << QStringLiteral("String")
                                                << QByteArray("while") << QStringLiteral("Control Flow");
    // A character literal holds one character only if the highlighter sees "✓" as one, not as its three bytes.
    QTest::newRow("C++ character literal") << QStringLiteral("x.cpp") << QByteArray("auto c = '✓'; return c;")
                                           << QByteArray("'✓'") << QStringLiteral("Char") << QByteArray("return")
                                           << QStringLiteral("Control Flow");
    QTest::newRow("Python") << QStringLiteral("x.py") << QByteArray("s = \"é✓𝄞\" if s else None")
                            << QByteArray("\"é✓𝄞\"") << QStringLiteral("String") << QByteArray("else")
                            << QStringLiteral("Flow Control Keyword");
}

void TstSyntaxLexer::multibyteTextKeepsStylesOnTheRightBytes()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, literal);
    QFETCH(QString, literalFormat);
    QFETCH(QByteArray, keyword);
    QFETCH(QString, keywordFormat);

    Fixture fixture(fileName, text);
    fixture.colourise();
    const auto check = [&](const QByteArray &part, const QString &format) {
        const qsizetype at = text.indexOf(part);
        QVERIFY(at >= 0);
        for (qsizetype byte = at; byte < at + part.size(); ++byte)
            QCOMPARE(fixture.lexer->formatName(fixture.styleAt(byte)), format);
        // The byte after the part is plain again: the run does not spill over.
        QCOMPARE_NE(fixture.lexer->formatName(fixture.styleAt(at + part.size())), format);
    };
    check(literal, literalFormat);
    if (QTest::currentTestFailed())
        return;
    check(keyword, keywordFormat);
}

void TstSyntaxLexer::themeFollowsPalette_data()
{
    QTest::addColumn<QColor>("window");
    QTest::addColumn<bool>("dark");

    QTest::newRow("dark window") << QColor(0x20, 0x20, 0x24) << true;
    QTest::newRow("light window") << QColor(0xef, 0xf0, 0xf1) << false;
}

void TstSyntaxLexer::themeFollowsPalette()
{
    QFETCH(QColor, window);
    QFETCH(bool, dark);

    const KSyntaxHighlighting::Theme theme = SyntaxLexer::themeFor(paletteWithWindow(window));
    QVERIFY(theme.isValid());
    const QColor background = QColor::fromRgba(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor));
    QCOMPARE(background.lightness() < 128, dark);
    QCOMPARE(QColor::fromRgba(theme.textColor(KSyntaxHighlighting::Theme::Normal)).lightness() < 128, !dark);

    SyntaxLexer lexer;
    lexer.setTheme(theme);
    QCOMPARE(lexer.defaultPaper(0), background);
    QCOMPARE(lexer.paper(QsciScintillaBase::STYLE_DEFAULT), background);
    QCOMPARE(lexer.defaultColor(0), QColor::fromRgba(theme.textColor(KSyntaxHighlighting::Theme::Normal)));
}

void TstSyntaxLexer::styleColoursComeFromTheTheme()
{
    Fixture fixture(QStringLiteral("x.cpp"), "int main() { return 0; }\n");
    const auto bgr = [](QRgb rgb) { return long(qRed(rgb) | qGreen(rgb) << 8 | qBlue(rgb) << 16); };
    const auto keywordStyle = [&fixture] { return fixture.styleAt(0); };

    for (const bool dark : {false, true}) {
        const KSyntaxHighlighting::Theme theme = SyntaxLexer::repository().defaultTheme(
            dark ? KSyntaxHighlighting::Repository::DarkTheme : KSyntaxHighlighting::Repository::LightTheme);
        fixture.lexer->setTheme(theme);
        fixture.colourise();
        QCOMPARE(fixture.lexer->formatName(keywordStyle()), QStringLiteral("Data Type"));
        const unsigned long style = static_cast<unsigned long>(keywordStyle());
        QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_STYLEGETFORE, style),
                 bgr(theme.textColor(KSyntaxHighlighting::Theme::DataType)));
        QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK, style),
                 bgr(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
        QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_STYLEGETBOLD, style) != 0,
                 theme.isBold(KSyntaxHighlighting::Theme::DataType));
        QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK,
                                               static_cast<unsigned long>(QsciScintillaBase::STYLE_DEFAULT)),
                 bgr(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
        QCOMPARE(fixture.editor->SendScintilla(QsciScintillaBase::SCI_STYLEGETFORE, 0UL),
                 bgr(theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    }
}

void TstSyntaxLexer::definitionByNameOrContent_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("firstBytes");
    QTest::addColumn<QString>("definition");

    QTest::newRow("C++ by extension") << QStringLiteral("x.cpp") << QByteArray() << QStringLiteral("C++");
    QTest::newRow("Python by extension") << QStringLiteral("tool.py") << QByteArray() << QStringLiteral("Python");
    QTest::newRow("CMake by name") << QStringLiteral("CMakeLists.txt") << QByteArray() << QStringLiteral("CMake");
    QTest::newRow("Python by shebang") << QStringLiteral("script") << QByteArray("#!/usr/bin/env python3\nprint(1)\n")
                                       << QStringLiteral("Python");
    QTest::newRow("shell by shebang") << QStringLiteral("run") << QByteArray("#!/bin/sh\necho hi\n")
                                      << QStringLiteral("Bash");
    QTest::newRow("the name wins over the content") << QStringLiteral("x.cpp")
                                                    << QByteArray("#!/usr/bin/env python3\n") << QStringLiteral("C++");
    QTest::newRow("nothing to go by") << QStringLiteral("notes") << QByteArray("just some words\n") << QString();
}

void TstSyntaxLexer::definitionByNameOrContent()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, firstBytes);
    QFETCH(QString, definition);

    SyntaxLexer lexer;
    lexer.setDefinitionFor(fileName, firstBytes);
    QCOMPARE(lexer.definition().isValid(), !definition.isEmpty());
    if (!definition.isEmpty())
        QCOMPARE(lexer.definition().name(), definition);
    QCOMPARE(QString::fromUtf8(lexer.language()), definition.isEmpty() ? QStringLiteral("None") : definition);
}

void TstSyntaxLexer::noDefinitionLeavesDefaultStyle()
{
    Fixture fixture(QStringLiteral("notes"), "int main() { return 0; }\n/* é✓𝄞\n");
    QVERIFY(!fixture.lexer->definition().isValid());
    fixture.colourise();
    QCOMPARE(fixture.lexer->linesStyledLastTime(), fixture.linesWithText());
    const long length = fixture.editor->SendScintilla(QsciScintillaBase::SCI_GETLENGTH);
    for (long position = 0; position < length; ++position)
        QCOMPARE(fixture.styleAt(position), 0);
    QCOMPARE(fixture.runs(), QStringList());
}

QTEST_MAIN(TstSyntaxLexer)
#include "tst_syntaxlexer.moc"
