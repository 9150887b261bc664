// WrappedLabel: the heights QLabel would give, kept per width and forgotten when what they depend on changes; size
// hints that take no trial layouts.

#include "wrappedlabel.h"

#include <QFont>
#include <QLabel>
#include <QTest>

using namespace reins::widgets;
using namespace Qt::StringLiterals;

class TstWrappedLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void heightsAreQLabels_data();
    void heightsAreQLabels();
    void changesAreNotServedFromTheKeptHeights();
    void minimumTakesNoTextWidth();
};

void TstWrappedLabel::heightsAreQLabels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("format");
    const QString prose = u"The tokenizer drops the last line when the file does not end with a newline, so parse() "
                          u"returns one statement short. "_s.repeated(4);
    for (const int width : {60, 180, 420, 900}) {
        QTest::addRow("plain, %d px", width) << prose << int(Qt::PlainText);
        QTest::addRow("rich, %d px", width) << u"<b>You</b><br>"_s + prose.toHtmlEscaped() << int(Qt::RichText);
        QTest::addRow("one word, %d px", width) << u"word"_s << int(Qt::PlainText);
        QTest::addRow("empty, %d px", width) << QString() << int(Qt::PlainText);
    }
}

void TstWrappedLabel::heightsAreQLabels()
{
    QFETCH(QString, text);
    QFETCH(int, format);
    const int width = QString::fromLatin1(QTest::currentDataTag()).section(u", "_s, 1).section(u' ', 0, 0).toInt();
    QLabel reference(text);
    reference.setWordWrap(true);
    reference.setTextFormat(Qt::TextFormat(format));
    reference.setContentsMargins(3, 2, 5, 4);
    WrappedLabel label(text);
    label.setTextFormat(Qt::TextFormat(format));
    label.setContentsMargins(3, 2, 5, 4);
    QVERIFY(label.wordWrap());
    QCOMPARE(label.hasHeightForWidth(), reference.hasHeightForWidth()); // none without text
    if (text.isEmpty()) // QLabel's own hints: nothing to lay out
        QCOMPARE(label.minimumSizeHint(), reference.minimumSizeHint());
    QCOMPARE(label.heightForWidth(width), reference.heightForWidth(width));
    QCOMPARE(label.heightForWidth(width), reference.heightForWidth(width)); // kept: the same again
}

void TstWrappedLabel::changesAreNotServedFromTheKeptHeights()
{
    WrappedLabel label(u"short"_s);
    const int width = 200;
    const int one = label.heightForWidth(width);
    const QString longer = u"a line long enough to wrap several times at two hundred pixels wide, "_s.repeated(3);
    label.setText(longer);
    QVERIFY2(label.heightForWidth(width) > one, "the text changed");
    const int wrapped = label.heightForWidth(width);
    QFont big = label.font();
    big.setPointSizeF(big.pointSizeF() * 2);
    label.setFont(big);
    QVERIFY2(label.heightForWidth(width) > wrapped, "the font changed");
    const int bigger = label.heightForWidth(width);
    label.setContentsMargins(0, 20, 0, 20);
    QCOMPARE(label.heightForWidth(width), bigger + 40);
    label.setMargin(5);
    QCOMPARE(label.heightForWidth(width + 10), bigger + 50);
    // More widths than are kept: still right, each time.
    QLabel reference(longer);
    reference.setWordWrap(true);
    reference.setFont(big);
    reference.setContentsMargins(0, 20, 0, 20);
    reference.setMargin(5);
    for (const int w : {100, 150, 210, 260, 300, 100, 150})
        QCOMPARE(label.heightForWidth(w), reference.heightForWidth(w));
}

void TstWrappedLabel::minimumTakesNoTextWidth()
{
    WrappedLabel label(u"a very long sentence that a QLabel would try to lay out at several widths "_s.repeated(5));
    const QFontMetrics metrics(label.font());
    QCOMPARE(label.minimumSizeHint(), QSize(8 * metrics.averageCharWidth(), metrics.lineSpacing()));
    QCOMPARE(label.sizeHint().width(), 60 * metrics.averageCharWidth());
    QVERIFY(label.sizeHint().height() > metrics.lineSpacing()); // the height at 60 characters: several lines
    label.resize(300, 10);
    QCOMPARE(label.sizeHint().height(), label.heightForWidth(300)); // at the width it was given
}

QTEST_MAIN(TstWrappedLabel)
#include "tst_wrappedlabel.moc"
