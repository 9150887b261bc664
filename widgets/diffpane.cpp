#include "diffpane.h"

#include "syntaxlexer.h"

#include <KSyntaxHighlighting/Repository>

#include <QFontDatabase>
#include <QMouseEvent>

namespace reins::widgets {

namespace {

// Markers: row backgrounds, and the current hunk's arrow in the symbol margin.
enum Marker { AddedMarker = 1, RemovedMarker, FillerMarker, GapMarker, CurrentMarker };
constexpr int addedWordIndicator = 8;
constexpr int removedWordIndicator = 9;
constexpr int numberMargin = 0;
constexpr int symbolMargin = 1;
// Styles for margin text and notes sit above the lexer's (it uses up to about 200).
constexpr int marginStyle = 250;
constexpr int noteStyles = 251; // Pending, Accepted, Rejected, Comment

struct Colours
{
    QColor added, removed, addedWord, removedWord, filler, gap, gapText, margin, marginText;
    QColor note[4];
};

Colours coloursFor(bool dark)
{
    if (dark)
        return {QColor(0x1b, 0x3a, 0x27), QColor(0x43, 0x1d, 0x22), QColor(0x2e, 0x6b, 0x40), QColor(0x7d, 0x2a, 0x33),
                QColor(0x22, 0x25, 0x2b), QColor(0x1a, 0x2a, 0x40), QColor(0x9c, 0xc3, 0xf5), QColor(0x1e, 0x20, 0x24),
                QColor(0x8b, 0x94, 0x9e),
                {QColor(0x2b, 0x2f, 0x36), QColor(0x1b, 0x3a, 0x27), QColor(0x43, 0x1d, 0x22), QColor(0x3a, 0x33, 0x1a)}};
    return {QColor(0xe6, 0xff, 0xec), QColor(0xff, 0xeb, 0xe9), QColor(0xab, 0xf2, 0xbc), QColor(0xff, 0xc1, 0xc0),
            QColor(0xf3, 0xf4, 0xf6), QColor(0xdd, 0xf4, 0xff), QColor(0x05, 0x50, 0xae), QColor(0xf6, 0xf8, 0xfa),
            QColor(0x6e, 0x77, 0x81),
            {QColor(0xee, 0xf1, 0xf5), QColor(0xda, 0xfb, 0xe1), QColor(0xff, 0xe2, 0xe0), QColor(0xff, 0xf5, 0xd6)}};
}

} // namespace

DiffPane::DiffPane(QWidget *parent) : QsciScintilla(parent), m_lexer(new SyntaxLexer(this))
{
    setUtf8(true);
    setReadOnly(true);
    setCaretLineVisible(true);
    setWrapMode(WrapNone);
    setEolMode(EolUnix);
    setMargins(2);
    setMarginType(numberMargin, TextMarginRightJustified);
    setMarginType(symbolMargin, SymbolMargin);
    setMarginWidth(symbolMargin, 4);
    setMarginSensitivity(numberMargin, true);
    markerDefine(Background, AddedMarker);
    markerDefine(Background, RemovedMarker);
    markerDefine(Background, FillerMarker);
    markerDefine(Background, GapMarker);
    markerDefine(FullRectangle, CurrentMarker); // a bar beside the current hunk
    setMarginMarkerMask(numberMargin, 0);
    setMarginMarkerMask(symbolMargin, 1 << CurrentMarker);
    for (int indicator : {addedWordIndicator, removedWordIndicator}) {
        indicatorDefine(FullBoxIndicator, indicator);
        SendScintilla(SCI_INDICSETUNDER, indicator, true); // under the text: the words stay readable
        SendScintilla(SCI_INDICSETALPHA, indicator, 255);
        SendScintilla(SCI_INDICSETOUTLINEALPHA, indicator, 255);
    }
    setAnnotationDisplay(AnnotationIndented);
    setLexer(m_lexer);
    connect(this, &QsciScintilla::marginClicked, this,
            [this](int margin, int line, Qt::KeyboardModifiers) {
                if (margin == numberMargin)
                    Q_EMIT rowActivated(line);
            });
    setDark(false);
}

DiffPane::~DiffPane()
{
    setLexer(nullptr);
}

void DiffPane::setDark(bool dark)
{
    m_dark = dark;
    m_lexer->setTheme(SyntaxLexer::repository().defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                                   : KSyntaxHighlighting::Repository::LightTheme));
    applyColours();
}

void DiffPane::applyColours()
{
    const Colours c = coloursFor(m_dark);
    setMarkerBackgroundColor(c.added, AddedMarker);
    setMarkerBackgroundColor(c.removed, RemovedMarker);
    setMarkerBackgroundColor(c.filler, FillerMarker);
    setMarkerBackgroundColor(c.gap, GapMarker);
    setMarkerForegroundColor(m_dark ? QColor(0x58, 0xa6, 0xff) : QColor(0x09, 0x69, 0xda), CurrentMarker);
    setMarkerBackgroundColor(m_dark ? QColor(0x58, 0xa6, 0xff) : QColor(0x09, 0x69, 0xda), CurrentMarker);
    setMarginsBackgroundColor(c.margin);
    setMarginsForegroundColor(c.marginText);
    setCaretLineBackgroundColor(m_dark ? QColor(0x2a, 0x2f, 0x38) : QColor(0xf0, 0xf4, 0xfa));
    setCaretForegroundColor(m_dark ? QColor(0xe6, 0xe6, 0xe6) : QColor(0x20, 0x20, 0x20));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    SendScintilla(SCI_STYLESETFONT, marginStyle, mono.family().toUtf8().constData());
    SendScintilla(SCI_STYLESETSIZE, marginStyle, mono.pointSize() > 0 ? mono.pointSize() : 10);
    SendScintilla(SCI_STYLESETFORE, marginStyle, c.marginText);
    SendScintilla(SCI_STYLESETBACK, marginStyle, c.margin);
    const QColor noteText = m_dark ? QColor(0xe6, 0xe6, 0xe6) : QColor(0x1f, 0x23, 0x28);
    QFont ui = font();
    for (int kind = 0; kind < 4; ++kind) {
        const int style = noteStyles + kind;
        SendScintilla(SCI_STYLESETFONT, style, ui.family().toUtf8().constData());
        SendScintilla(SCI_STYLESETSIZE, style, ui.pointSize() > 0 ? ui.pointSize() : 10);
        SendScintilla(SCI_STYLESETFORE, style, noteText);
        SendScintilla(SCI_STYLESETBACK, style, c.note[kind]);
        SendScintilla(SCI_STYLESETITALIC, style, kind == 3);
    }
    setIndicatorForegroundColor(c.addedWord, addedWordIndicator);
    setIndicatorForegroundColor(c.removedWord, removedWordIndicator);
}

void DiffPane::setRows(const std::vector<Row> &rows, const QString &fileName, const QByteArray &firstBytes)
{
    m_lexer->setDefinitionFor(fileName, firstBytes);
    applyColours(); // the lexer's theme resets style defaults
    QString text;
    qsizetype size = 0;
    for (const Row &row : rows)
        size += row.text.size() + 1;
    text.reserve(size);
    for (size_t i = 0; i < rows.size(); ++i) {
        if (i)
            text += u'\n';
        text += rows[i].text;
    }
    setReadOnly(false);
    setText(text);
    setReadOnly(true);
    m_rowCount = int(rows.size());
    markerDeleteAll();
    clearMarginText();
    clearAnnotations();
    for (int indicator : {addedWordIndicator, removedWordIndicator}) {
        SendScintilla(SCI_SETINDICATORCURRENT, indicator);
        SendScintilla(SCI_INDICATORCLEARRANGE, 0, SendScintilla(SCI_GETLENGTH));
    }
    int widest = 0;
    for (int line = 0; line < int(rows.size()); ++line) {
        const Row &row = rows[size_t(line)];
        widest = std::max<int>(widest, int(row.number.size()));
        if (!row.number.isEmpty())
            setMarginText(line, row.number + u' ', marginStyle);
        switch (row.style) {
        case RowStyle::Added: markerAdd(line, AddedMarker); break;
        case RowStyle::Removed: markerAdd(line, RemovedMarker); break;
        case RowStyle::Filler: markerAdd(line, FillerMarker); break;
        case RowStyle::Gap:
        case RowStyle::Note: markerAdd(line, GapMarker); break;
        case RowStyle::Context: break;
        }
        if (row.words.empty())
            continue;
        // Indicator positions are UTF-8 bytes; the ranges count UTF-16 units of the row's text.
        const long lineStart = SendScintilla(SCI_POSITIONFROMLINE, line);
        SendScintilla(SCI_SETINDICATORCURRENT, row.style == RowStyle::Removed ? removedWordIndicator : addedWordIndicator);
        for (const review::TextRange &range : row.words) {
            const long from = lineStart + long(row.text.first(range.start).toUtf8().size());
            const long length = long(row.text.sliced(range.start, range.length).toUtf8().size());
            SendScintilla(SCI_INDICATORFILLRANGE, from, length);
        }
    }
    setMarginWidth(numberMargin, QString(std::max(widest, 3) + 2, u'9'));
    markRows(-1, -1);
}

void DiffPane::markRows(int first, int last)
{
    markerDeleteAll(CurrentMarker);
    for (int line = std::max(first, 0); line <= last && line < m_rowCount; ++line)
        markerAdd(line, CurrentMarker);
}

void DiffPane::setNote(int row, const QString &text, NoteKind kind)
{
    if (row < 0 || row >= m_rowCount)
        return;
    annotate(row, text, noteStyles + int(kind));
}

void DiffPane::clearNotes()
{
    clearAnnotations();
}

void DiffPane::revealRow(int row)
{
    if (row < 0 || row >= m_rowCount)
        return;
    setFirstVisibleLine(std::max(0, row - 3));
    setCursorPosition(row, 0);
}

void DiffPane::mouseReleaseEvent(QMouseEvent *event)
{
    QsciScintilla::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    int line = 0, index = 0;
    getCursorPosition(&line, &index);
    Q_EMIT rowActivated(line);
}

} // namespace reins::widgets
