#include "markdownstream.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QTextList>

#include <optional>
#include <utility>

using namespace Qt::StringLiterals;
using reins::widgets::MarkdownStream;

namespace {

constexpr auto kFeatures =
    QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML);

/// Streams `text` in pieces of `step` UTF-16 units (0: random sizes from a fixed seed), then finishes.
void stream(MarkdownStream &markdown, const QString &text, int step)
{
    QRandomGenerator random(20240611);
    qsizetype at = 0;
    while (at < text.size()) {
        const qsizetype size = step > 0 ? step : random.bounded(1, 13);
        markdown.append(QStringView(text).sliced(at, std::min(size, text.size() - at)));
        at += size;
    }
    markdown.finish();
}

/// What a reader sees, block by block: text, block kind and the character formats that matter.
QStringList describe(const QTextDocument &document)
{
    QStringList lines;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        QString line = u"[" + block.text() + u"]";
        if (format.headingLevel() > 0)
            line += u" h" + QString::number(format.headingLevel());
        if (const QTextList *list = block.textList())
            line += QStringLiteral(" list(style %1, indent %2, item %3)")
                        .arg(int(list->format().style()))
                        .arg(list->format().indent())
                        .arg(list->itemNumber(block));
        if (format.hasProperty(QTextFormat::BlockQuoteLevel))
            line += u" quote" + QString::number(format.intProperty(QTextFormat::BlockQuoteLevel));
        if (format.hasProperty(QTextFormat::BlockCodeFence))
            line += u" fence " + format.stringProperty(QTextFormat::BlockCodeLanguage);
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat chars = it.fragment().charFormat();
            line += u" {" + it.fragment().text();
            if (chars.fontWeight() >= QFont::Bold)
                line += u" bold";
            if (chars.fontItalic())
                line += u" italic";
            if (chars.isAnchor())
                line += u" href=" + chars.anchorHref();
            if (chars.foreground().style() != Qt::NoBrush)
                line += u" fg=" + chars.foreground().color().name();
            line += u"}";
        }
        lines.append(line);
    }
    return lines;
}

struct Streamed
{
    QTextDocument document;
    MarkdownStream markdown{&document};
};

/// The block holding `text` exactly, or an invalid block.
QTextBlock blockWithText(const QTextDocument &document, const QString &text)
{
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (block.text() == text)
            return block;
    }
    return {};
}

/// The character format of `word` inside `block` (its first occurrence).
std::optional<QTextCharFormat> formatOf(const QTextBlock &block, const QString &word)
{
    const int at = int(block.text().indexOf(word));
    if (at < 0)
        return std::nullopt;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        const int offset = fragment.position() - block.position();
        if (at >= offset && at < offset + fragment.length())
            return fragment.charFormat();
    }
    return std::nullopt;
}

/// A realistic answer of about `size` characters: prose with inline markup, lists, headings and code.
QString realisticAnswer(qsizetype size)
{
    static const QStringList kWords = {
        QStringLiteral("the"),    QStringLiteral("function"), QStringLiteral("returns"), QStringLiteral("a"),
        QStringLiteral("value"),  QStringLiteral("when"),     QStringLiteral("called"),  QStringLiteral("with"),
        QStringLiteral("config"), QStringLiteral("file"),     QStringLiteral("path"),    QStringLiteral("and"),
        QStringLiteral("update"), QStringLiteral("tests"),    QStringLiteral("should"),  QStringLiteral("pass"),
    };
    QRandomGenerator random(7);
    const auto sentence = [&](int words) -> QString {
        QString text;
        for (int i = 0; i < words; ++i) {
            const QString &word = kWords[random.bounded(int(kWords.size()))];
            const int style = random.bounded(20);
            text += i == 0 ? QString() : QStringLiteral(" ");
            if (style == 0)
                text += u"**" + word + u"**";
            else if (style == 1)
                text += u"`" + word + u"()`";
            else if (style == 2)
                text += u"*" + word + u"*";
            else if (style == 3)
                text += u"[" + word + u"](https://example.com/" + word + u")";
            else
                text += word;
        }
        return text + u". ";
    };
    QString text;
    int section = 0;
    while (text.size() < size) {
        switch (section++ % 5) {
        case 0:
            text += u"## Step " + QString::number(section) + u"\n\n";
            break;
        case 1:
        case 3:
            for (int i = 0; i < 4; ++i)
                text += sentence(12);
            text += u"\n\n";
            break;
        case 2:
            for (int i = 0; i < 4; ++i)
                text += u"- " + sentence(8) + u"\n";
            text += u"\n";
            break;
        case 4:
            text += u"```cpp\n";
            for (int i = 0; i < 6; ++i)
                text += u"int value" + QString::number(i) + u" = compute(" + QString::number(i) + u"); // step\n";
            text += u"```\n\n";
            break;
        }
    }
    return text;
}

} // namespace

class TestMarkdownStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equivalence_data();
    void equivalence();
    void formatting();
    void codeBlock_data();
    void codeBlock();
    void commentSpansLines();
    void linearCost_data();
    void linearCost();
    void rawHtmlIsText();
    void clearAndTheme();
};

void TestMarkdownStream::equivalence_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("step");
    QTest::addColumn<bool>("hasFences");

    const QList<std::tuple<const char *, QString, bool>> samples = {
        {"headings", QStringLiteral("# Title\n\nSome *intro* text with **bold** words.\n\n## Second level\n\nMore text.\n"),
         false},
        {"setext", QStringLiteral("Title\n=====\n\nSub title\n---\n\ntext after\n"), false},
        {"lists", QStringLiteral("- one\n- two with `code`\n- three\n\n1. first\n2. second\n\n   continued\n\n3. third\n\n"
                                 "- a\n  - nested\n  - nested two\n- b\n\n* [ ] task\n* [x] done\n"),
         false},
        {"emphasis and links",
         QStringLiteral("Text with *em*, **strong**, ~~strike~~, `code span`, a [link](https://example.com) and "
                        "https://auto.example.org/path plus \\*escaped\\* stars and 5 * 3 = 15.\nA soft break and a "
                        "hard break  \nhere, __under__score_words_ and a ![picture](missing.png).\n"),
         false},
        {"table", QStringLiteral("Before the table.\n\n| Name | Value |\n|:-----|------:|\n| a | 1 |\n| **b** | `2` |\n\n"
                                 "After the table.\n"),
         false},
        {"block quote and rule", QStringLiteral("> Quoted *text*\n> continues\n\n> Second quote\n\nPlain after.\n\n---\n\n"
                                                "After the rule.\n"),
         false},
        {"indented code", QStringLiteral("Para\n\n    code line\n\n    more code\n\nAfter\n"), false},
        {"raw html", QStringLiteral("Raw <b>x</b> and <img src=\"http://example.com/a.png\"> stay text.\n\n<div>\n\n"
                                    "inside\n\n</div>\n"),
         false},
        {"surrogates", QStringLiteral("Emoji 😀 split 𝄞 and accents é.\n\n- 😀 item **😀**\n"), false},
        {"code cpp", QStringLiteral("Intro:\n```cpp\nint main() {\n    return 0; // done\n}\n```\nAfter **that**.\n"), true},
        {"code python json plain",
         QStringLiteral("Python:\n\n```python\ndef f(x):\n    return x * 2\n```\n\n~~~json\n{\"a\": [1, 2]}\n~~~\n\n"
                        "```\nno language\n\n  kept indent\n```\n"),
         true},
        {"fence in list", QStringLiteral("1. Step:\n   ```bash\n   ls -la\n   ```\n2. Next\n"), true},
        {"unterminated fence", QStringLiteral("Text\n\n```python\ndef f():\n    return 1"), true},
    };
    for (const auto &[name, text, hasFences] : samples) {
        for (const int step : {1, 3, 7, 0}) {
            const QString row = QString::fromUtf8(name) + u" / "
                + (step > 0 ? QString::number(step) : QStringLiteral("random"));
            QTest::newRow(qPrintable(row)) << text << step << hasFences;
        }
    }
}

void TestMarkdownStream::equivalence()
{
    QFETCH(QString, text);
    QFETCH(int, step);
    QFETCH(bool, hasFences);

    Streamed whole;
    whole.markdown.append(text);
    whole.markdown.finish();
    Streamed streamed;
    stream(streamed.markdown, text, step);

    QCOMPARE(streamed.markdown.markdown(), text);
    QCOMPARE(streamed.document.toPlainText(), whole.document.toPlainText());
    QCOMPARE(describe(streamed.document), describe(whole.document));
    if (!hasFences) {
        QTextDocument reference;
        reference.setMarkdown(text, kFeatures);
        QCOMPARE(streamed.document.toPlainText(), reference.toPlainText());
    }
}

void TestMarkdownStream::formatting()
{
    const QString text = QStringLiteral("# Title\n\nSome **bold** and a [link](https://example.com/x).\n\n"
                                        "- one\n- two\n\n- three\n\n2. second\n3. third\n\n> quoted\n");
    Streamed streamed;
    stream(streamed.markdown, text, 3);
    const QTextDocument &document = streamed.document;

    QCOMPARE(blockWithText(document, QStringLiteral("Title")).blockFormat().headingLevel(), 1);
    const QTextBlock paragraph = blockWithText(document, QStringLiteral("Some bold and a link."));
    QVERIFY(paragraph.isValid());
    QCOMPARE(formatOf(paragraph, QStringLiteral("bold"))->fontWeight(), int(QFont::Bold));
    QCOMPARE(formatOf(paragraph, QStringLiteral("Some"))->fontWeight(), int(QFont::Normal));
    QCOMPARE(formatOf(paragraph, QStringLiteral("link"))->anchorHref(), QStringLiteral("https://example.com/x"));

    // Items arriving in separate chunks (a loose list) still form one list.
    const QTextBlock three = blockWithText(document, QStringLiteral("three"));
    QVERIFY(three.textList());
    QCOMPARE(three.textList(), blockWithText(document, QStringLiteral("one")).textList());
    QCOMPARE(three.textList()->itemNumber(three), 2);
    const QTextBlock second = blockWithText(document, QStringLiteral("second"));
    QCOMPARE(second.textList()->format().start(), 2);
    QCOMPARE(second.textList(), blockWithText(document, QStringLiteral("third")).textList());
    QCOMPARE(blockWithText(document, QStringLiteral("quoted")).blockFormat().intProperty(QTextFormat::BlockQuoteLevel),
             1);
}

void TestMarkdownStream::codeBlock_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QString>("identifier");

    QTest::newRow("cpp") << u"cpp"_s << u"int value = 42;"_s << u"int"_s << u"value"_s;
    QTest::newRow("python") << u"python"_s << u"def compute(x): return x"_s << u"def"_s << u"compute"_s;
    QTest::newRow("json") << u"json"_s << u"{\"key\": 12}"_s << u"12"_s << u":"_s;
    QTest::newRow("suffix rs") << u"rs"_s << u"fn main() { let x = 1; }"_s << u"fn"_s << u"main"_s;
}

void TestMarkdownStream::codeBlock()
{
    QFETCH(QString, language);
    QFETCH(QString, line);
    QFETCH(QString, keyword);
    QFETCH(QString, identifier);

    const QString code = line + u"\n  second line\n";
    Streamed streamed;
    stream(streamed.markdown, u"Before.\n\n```" + language + u"\n" + code + u"```\n\nAfter.\n", 2);
    const QTextDocument &document = streamed.document;

    QVERIFY2(document.toPlainText().contains(code), qPrintable(document.toPlainText()));
    const QTextBlock block = blockWithText(document, line);
    QVERIFY(block.isValid());
    QCOMPARE(block.blockFormat().stringProperty(QTextFormat::BlockCodeLanguage), language);
    QVERIFY(block.blockFormat().background().style() != Qt::NoBrush);
    for (auto it = block.begin(); !it.atEnd(); ++it)
        QVERIFY(it.fragment().charFormat().fontFixedPitch());
    const auto keywordFormat = formatOf(block, keyword);
    const auto identifierFormat = formatOf(block, identifier);
    QVERIFY(keywordFormat && identifierFormat);
    // Highlighting happened: the keyword looks different (KSH's light theme sets some keywords apart by weight).
    const auto looks = [](const QTextCharFormat &format) {
        return std::pair(format.foreground().color().rgba(), format.fontWeight());
    };
    QVERIFY2(looks(*keywordFormat) != looks(*identifierFormat), qPrintable(describe(document).join(u'\n')));
    if (language == u"cpp")
        QVERIFY(keywordFormat->foreground().color() != identifierFormat->foreground().color());
    QVERIFY(blockWithText(document, QStringLiteral("  second line")).isValid());
    QVERIFY(!blockWithText(document, QStringLiteral("After.")).blockFormat().hasProperty(QTextFormat::BlockCodeFence));
}

void TestMarkdownStream::commentSpansLines()
{
    Streamed streamed;
    stream(streamed.markdown, QStringLiteral("```cpp\nint a; /* starts\nmiddle words\nends */ int b;\n```\n"), 5);
    const QTextDocument &document = streamed.document;
    const QTextBlock first = blockWithText(document, QStringLiteral("int a; /* starts"));
    const QTextBlock middle = blockWithText(document, QStringLiteral("middle words"));
    const QTextBlock last = blockWithText(document, QStringLiteral("ends */ int b;"));
    QVERIFY(first.isValid() && middle.isValid() && last.isValid());
    const QColor comment = formatOf(first, QStringLiteral("starts"))->foreground().color();
    QCOMPARE(formatOf(middle, QStringLiteral("middle"))->foreground().color(), comment);
    QCOMPARE(formatOf(last, QStringLiteral("ends"))->foreground().color(), comment);
    QVERIFY(formatOf(last, QStringLiteral("b;"))->foreground().color() != comment);
    QVERIFY(formatOf(first, QStringLiteral("int"))->foreground().color() != comment);
}

void TestMarkdownStream::linearCost_data()
{
    QTest::addColumn<QString>("half");
    QTest::addColumn<QString>("full");
    QTest::addColumn<double>("perCharacter");
    QTest::addColumn<double>("doubling");

    QTest::newRow("realistic answer") << realisticAnswer(20'000) << realisticAnswer(40'000) << 3.0 << 2.2;
    // A `*` that never closes keeps the whole paragraph open; markup after it must not make the cost quadratic.
    // Re-rendering is then rationed (about eight characters per character appended): still linear, and the
    // doubling ratio approaches 2 from above as the paragraph outgrows its cheap beginning.
    const auto open = [](int sentences) -> QString {
        QString text = QStringLiteral("A paragraph where 2*3 opens nothing and *this never closes");
        for (int i = 0; i < sentences; ++i)
            text += QStringLiteral(" then `x` and [y] and **z** again");
        return text;
    };
    QTest::newRow("one endless paragraph") << open(600) << open(1200) << 12.0 << 2.3;
}

void TestMarkdownStream::linearCost()
{
    QFETCH(QString, half);
    QFETCH(QString, full);
    QFETCH(double, perCharacter);
    QFETCH(double, doubling);

    const auto cost = [](const QString &text) {
        Streamed streamed;
        stream(streamed.markdown, text, 4);
        return double(streamed.markdown.renderedCharacters());
    };
    const double costHalf = cost(half);
    const double costFull = cost(full);
    qInfo("%lld chars: %.0f rendered (%.2f per char); %lld chars: %.0f rendered (%.2f per char); doubling %.2fx",
          qlonglong(half.size()), costHalf, costHalf / half.size(), qlonglong(full.size()), costFull,
          costFull / full.size(), costFull / costHalf);
    QVERIFY(costFull / costHalf <= doubling * double(full.size()) / double(2 * half.size()));
    QVERIFY(costHalf / half.size() < perCharacter);
    QVERIFY(costFull / full.size() < perCharacter);
}

void TestMarkdownStream::rawHtmlIsText()
{
    const QString text = QStringLiteral("Say <b>x</b> and <img src=\"data:image/png;base64,iVBORw0KGgo=\"> "
                                        "and <script>alert(1)</script>.\n\n<p>block</p>\n");
    Streamed streamed;
    stream(streamed.markdown, text, 3);
    const QString plain = streamed.document.toPlainText();
    QVERIFY2(plain.contains(QStringLiteral("<b>x</b>")), qPrintable(plain));
    QVERIFY(plain.contains(QStringLiteral("<img src=\"data:image/png;base64,iVBORw0KGgo=\">")));
    QVERIFY(plain.contains(QStringLiteral("<script>alert(1)</script>")));
    QVERIFY(plain.contains(QStringLiteral("<p>block</p>")));
    for (QTextBlock block = streamed.document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            QVERIFY(!it.fragment().charFormat().isImageFormat());
            QVERIFY(it.fragment().charFormat().fontWeight() < QFont::Bold);
        }
    }
}

void TestMarkdownStream::clearAndTheme()
{
    const QString text = QStringLiteral("Intro\n\n```cpp\nint x = 1;\n```\n");
    Streamed streamed;
    streamed.markdown.setDark(false);
    stream(streamed.markdown, text, 3);
    const auto keywordColour = [&] {
        return formatOf(blockWithText(streamed.document, QStringLiteral("int x = 1;")), QStringLiteral("int"))
            ->foreground()
            .color();
    };
    const QColor light = keywordColour();
    const QString plain = streamed.document.toPlainText();

    streamed.markdown.setDark(true);
    QVERIFY(streamed.markdown.isDark());
    QCOMPARE(streamed.document.toPlainText(), plain);
    QVERIFY(keywordColour() != light);

    streamed.markdown.clear();
    QVERIFY(streamed.markdown.markdown().isEmpty());
    QVERIFY(streamed.document.isEmpty());
    streamed.markdown.append(u"# Again");
    streamed.markdown.finish();
    QCOMPARE(streamed.document.firstBlock().blockFormat().headingLevel(), 1);
    QCOMPARE(streamed.document.toPlainText(), QStringLiteral("Again"));
}

QTEST_MAIN(TestMarkdownStream)
#include "tst_markdownstream.moc"
