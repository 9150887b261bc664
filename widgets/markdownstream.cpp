#include "markdownstream.h"

#include "codelinehighlighter.h"
#include "markdownlines.h"
#include "syntaxlexer.h"

#include <KSyntaxHighlighting/Repository>

#include <QColor>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QPalette>
#include <QTextBlock>
#include <QTextFrame>
#include <QTextList>
#include <QTextTable>

#include <algorithm>
#include <vector>

namespace reins::widgets {

using KSyntaxHighlighting::Repository;
using KSyntaxHighlighting::State;
using KSyntaxHighlighting::Theme;

using namespace markdown;

namespace {

constexpr auto kFeatures =
    QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML);
/// A provisional re-render may cost at most this many times the characters appended since the last one: the
/// bound that keeps a paragraph with a never-closed `*` linear.
constexpr qsizetype kRenderBudget = 8;
/// Block markers ("-", "1.", "#", ">") only mean something this close to the start of a line.
constexpr qsizetype kLineStartWindow = 4;

QString fixedFamily()
{
    static const QString family = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    return family;
}

bool isCodeFormat(const QTextCharFormat &format)
{
    return format.fontFixedPitch() || format.fontFamilies().toStringList().contains(fixedFamily());
}

} // namespace

MarkdownStream::MarkdownStream(QTextDocument *document, bool deferHighlighting)
    : m_document(document)
    , m_cursor(document)
    , m_highlighter(std::make_unique<CodeLineHighlighter>())
    , m_deferHighlighting(deferHighlighting)
{
    // Every provisional render is removed again: an undo stack would keep them all.
    m_document->setUndoRedoEnabled(false);
    m_scratch.setUndoRedoEnabled(false);
    m_needsBlock = !m_document->isEmpty();
    m_dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    setTheme();
}

MarkdownStream::~MarkdownStream() = default;

void MarkdownStream::setTheme()
{
    m_codeChars = QTextCharFormat();
    m_codeChars.setFontFamilies(QStringList{fixedFamily()});
    m_codeChars.setFontFixedPitch(true);
    m_codeBlock = QTextBlockFormat();
    m_codeBlock.setLayoutDirection(Qt::LeftToRight);
    // The palette's colours until a code block is highlighted: text with no code fence never loads
    // KSyntaxHighlighting's repository (~5 ms the first time), which a window's start would otherwise wait for.
    const QPalette palette = QGuiApplication::palette();
    m_codeChars.setForeground(palette.color(QPalette::Text));
    m_codeBlock.setBackground(palette.color(QPalette::Base));
    m_themeLoaded = false;
}

void MarkdownStream::loadTheme()
{
    if (m_themeLoaded || m_deferHighlighting)
        return;
    m_theme = SyntaxLexer::repository().defaultTheme(m_dark ? Repository::DarkTheme : Repository::LightTheme);
    m_highlighter->setTheme(m_theme);
    m_codeChars.setForeground(QColor::fromRgba(m_theme.textColor(Theme::Normal)));
    m_codeBlock.setBackground(QColor::fromRgba(m_theme.editorColor(Theme::BackgroundColor)));
    m_themeLoaded = true;
}

void MarkdownStream::setHighlightingDeferred(bool deferred)
{
    if (deferred == m_deferHighlighting)
        return;
    m_deferHighlighting = deferred;
    setTheme();
    rerender();
}

void MarkdownStream::rerender()
{
    if (m_text.isEmpty())
        return;
    const QString text = m_text;
    const bool finished = m_finished;
    clear();
    append(text);
    if (finished)
        finish();
}

QString MarkdownStream::markdown() const
{
    return m_text;
}

qint64 MarkdownStream::renderedCharacters() const
{
    return m_rendered;
}

bool MarkdownStream::isDark() const
{
    return m_dark;
}

void MarkdownStream::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    setTheme();
    rerender(); // code colours are baked into the document: render it all again, once
}

void MarkdownStream::clear()
{
    m_document->clear();
    m_cursor = QTextCursor(m_document);
    m_text.clear();
    m_scanned = m_chunkStart = m_searched = m_pipeLine = 0;
    m_lineHasPipe = false;
    resetChunk();
    m_fence.reset();
    m_needsBlock = false;
    m_finished = false;
    m_tail = {};
}

void MarkdownStream::append(QStringView delta)
{
    if (delta.isEmpty())
        return;
    const qsizetype previousEnd = renderableEnd();
    m_text += delta;
    m_finished = false;
    const qsizetype end = renderableEnd();
    m_cursor.beginEditBlock();
    processLines(end, false);
    if (m_pipeLine != m_scanned) {
        m_pipeLine = m_scanned;
        m_lineHasPipe = false;
    }
    const qsizetype unseen = std::max(previousEnd, m_scanned);
    m_lineHasPipe = m_lineHasPipe || QStringView(m_text).sliced(unseen, end - unseen).contains(u'|');
    commitBeforeLine(end);
    updateTail(end);
    m_cursor.endEditBlock();
}

void MarkdownStream::finish()
{
    m_finished = true;
    const qsizetype end = m_text.size();
    m_cursor.beginEditBlock();
    processLines(end, true);
    if (m_fence) {
        // An unterminated fence: its lines are all there already.
        removeTail();
        m_fence.reset();
    } else {
        commitChunk(m_chunkStart, end);
    }
    m_chunkStart = m_scanned = end;
    resetChunk();
    m_cursor.endEditBlock();
}

qsizetype MarkdownStream::renderableEnd() const
{
    // A surrogate pair split between deltas waits for its second half.
    if (!m_finished && !m_text.isEmpty() && m_text.back().isHighSurrogate())
        return m_text.size() - 1;
    return m_text.size();
}

void MarkdownStream::processLines(qsizetype end, bool final)
{
    while (m_scanned < end) {
        // A long line arrives in many pieces: look for its end only in what is new.
        const qsizetype newline = m_text.indexOf(u'\n', std::max(m_scanned, m_searched));
        if (newline < 0 || newline >= end) {
            m_searched = end;
            if (final) {
                processLine(m_scanned, end, end);
                m_scanned = end;
            }
            return;
        }
        processLine(m_scanned, newline, newline + 1);
        m_scanned = newline + 1;
    }
}

void MarkdownStream::resetChunk()
{
    m_chunkHasContent = m_chunkIsList = m_chunkHasPipe = m_previousBlank = false;
}

void MarkdownStream::processLine(qsizetype start, qsizetype end, qsizetype next)
{
    QStringView line = QStringView(m_text).sliced(start, end - start);
    if (line.endsWith(u'\r'))
        line.chop(1);
    const int indent = indentOf(line);
    const QStringView content = line.trimmed();
    if (m_fence) {
        const bool closes = content.size() >= m_fence->length
            && std::all_of(content.begin(), content.end(), [&](QChar c) { return c == m_fence->marker; });
        if (closes)
            closeFence();
        else
            commitCodeLine(stripIndent(line, m_fence->indent));
        m_chunkStart = next;
        return;
    }

    // A fence opens at any indentation, so that code in a list item is highlighted too.
    if (content.startsWith(u"```") || content.startsWith(u"~~~")) {
        const QChar marker = content[0];
        qsizetype length = 0;
        while (length < content.size() && content[length] == marker)
            ++length;
        const QStringView info = content.sliced(length).trimmed();
        if (!(marker == u'`' && info.contains(u'`'))) {
            commitChunk(m_chunkStart, start);
            qsizetype word = 0;
            while (word < info.size() && !info[word].isSpace() && info[word] != u'{' && info[word] != u',')
                ++word;
            openFence({marker, int(length), indent, info.first(word).toString()});
            m_chunkStart = next;
            resetChunk();
            return;
        }
    }
    if (content.isEmpty()) {
        m_previousBlank = m_chunkHasContent;
        return;
    }
    // Safe boundaries: what comes before renders the same whatever follows.
    if (m_chunkHasContent
        && ((m_previousBlank && indent == 0) || (m_chunkIsList && isTopLevelListItem(line)))) {
        commitChunk(m_chunkStart, start);
        m_chunkStart = start;
        resetChunk();
    }
    if (!m_chunkHasContent) {
        m_chunkHasContent = true;
        m_chunkIsList = isTopLevelListItem(line);
    }
    m_previousBlank = false;
    m_chunkHasPipe = m_chunkHasPipe || line.contains(u'|');
}

void MarkdownStream::commitBeforeLine(qsizetype end)
{
    // processLine() decides at a line's end whether what came before it is finished; the first characters of the
    // line decide it just as well, and the line's start then no longer waits in the tail to be rendered again.
    if (m_fence || !m_chunkHasContent || end <= m_scanned)
        return;
    const QStringView begun = QStringView(m_text).sliced(m_scanned, end - m_scanned);
    if ((m_previousBlank && !begun[0].isSpace()) || (m_chunkIsList && beginsTopLevelListItem(begun))) {
        commitChunk(m_chunkStart, m_scanned);
        m_chunkStart = m_scanned;
        resetChunk();
    }
}

void MarkdownStream::commitChunk(qsizetype from, qsizetype to)
{
    removeTail();
    if (from < to && !isBlank(QStringView(m_text).sliced(from, to - from)))
        renderMarkdown(from, to, false);
}

void MarkdownStream::openFence(const Fence &fence)
{
    m_fence = fence;
    loadTheme();
    // The same properties Qt's importer sets, so toMarkdown() writes the fence back.
    m_codeBlock.setProperty(QTextFormat::BlockCodeFence, QString(fence.marker));
    if (fence.language.isEmpty())
        m_codeBlock.clearProperty(QTextFormat::BlockCodeLanguage);
    else
        m_codeBlock.setProperty(QTextFormat::BlockCodeLanguage, fence.language);
    m_codeState = State();
    m_fenceLines = 0;
    if (!m_deferHighlighting)
        m_highlighter->setDefinition(CodeLineHighlighter::definitionFor(fence.language));
}

void MarkdownStream::closeFence()
{
    removeTail();
    if (m_fenceLines == 0)
        commitCodeLine({}); // an empty block still shows as one
    m_fence.reset();
}

void MarkdownStream::commitCodeLine(QStringView line)
{
    removeTail();
    startCodeLine();
    const QTextCharFormat &base = m_codeChars;
    std::vector<CodeLineHighlighter::Run> runs;
    if (!m_deferHighlighting)
        m_codeState = m_highlighter->highlight(line, m_codeState, base, runs);
    int done = 0;
    for (const CodeLineHighlighter::Run &run : runs) {
        const int from = std::max(done, run.offset);
        const int to = std::min(int(line.size()), run.offset + run.length);
        if (to <= from)
            continue;
        if (from > done)
            m_cursor.insertText(line.sliced(done, from - done).toString(), base);
        m_cursor.insertText(line.sliced(from, to - from).toString(), run.format);
        done = to;
    }
    if (done < line.size())
        m_cursor.insertText(line.sliced(done).toString(), base);
    m_rendered += line.size();
    ++m_fenceLines;
}

void MarkdownStream::startCodeLine()
{
    if (m_needsBlock)
        m_cursor.insertBlock(m_codeBlock, m_codeChars);
    else
        setCurrentBlock(m_codeBlock, m_codeChars);
    m_needsBlock = true;
}

void MarkdownStream::updateTail(qsizetype end)
{
    if (m_tail.shown) {
        if (end <= m_tail.displayedEnd)
            return;
        if (m_fence) {
            appendRaw(m_tail.displayedEnd, end);
            return;
        }
        const bool render = wantsRender(m_tail.displayedEnd, end);
        if (render && m_tail.closed && !m_tail.rawHasMarkup && !nearLineStart(m_tail.displayedEnd)) {
            // The last render left nothing open and only plain words came since: markup starting now cannot
            // change what is shown before it.
            m_cursor.movePosition(QTextCursor::End);
            m_tail.segmentStart = m_tail.renderedEnd = m_tail.displayedEnd;
            m_tail.segmentPosition = m_cursor.position();
            m_tail.segmentInline = true;
        }
        const qsizetype length = end - m_tail.segmentStart;
        const qsizetype appended = end - m_tail.renderedEnd;
        if (render && length <= kRenderBudget * std::max<qsizetype>(appended, 1)) {
            removeFrom(m_tail.segmentPosition, !m_tail.segmentInline && !m_tail.needsBlock);
            m_needsBlock = m_tail.segmentInline || m_tail.needsBlock;
            renderSegment(end);
        } else {
            appendRaw(m_tail.displayedEnd, end);
        }
        return;
    }
    if (end <= m_chunkStart)
        return;
    m_cursor.movePosition(QTextCursor::End);
    m_tail = {};
    m_tail.shown = true;
    m_tail.position = m_cursor.position();
    m_tail.needsBlock = m_needsBlock;
    m_tail.displayedEnd = m_chunkStart;
    if (m_fence) {
        appendRaw(m_chunkStart, end);
        return;
    }
    m_tail.segmentStart = m_chunkStart;
    m_tail.segmentPosition = m_tail.position;
    renderSegment(end);
}

void MarkdownStream::renderSegment(qsizetype end)
{
    renderMarkdown(m_tail.segmentStart, end, m_tail.segmentInline);
    m_tail.renderedEnd = m_tail.displayedEnd = end;
    m_cursor.movePosition(QTextCursor::End);
    const bool heading = isHeadingLine(QStringView(m_text).sliced(lineStart(end), end - lineStart(end)));
    m_tail.rawFormat = heading ? m_cursor.charFormat() : QTextCharFormat();
    m_tail.closed = isClosed();
    m_tail.rawHasMarkup = false;
    if (m_tail.closed && !m_text[end - 1].isSpace() && !nearLineStart(end)) {
        // Nothing is left open: what follows can be rendered on its own and continue this block.
        m_tail.segmentStart = end;
        m_tail.segmentPosition = m_cursor.position();
        m_tail.segmentInline = true;
    }
}

bool MarkdownStream::nearLineStart(qsizetype end) const
{
    return end - lineStart(end) <= kLineStartWindow;
}

qsizetype MarkdownStream::lineStart(qsizetype end) const
{
    if (end >= m_scanned) // processLines() has gone past every complete line: the last one starts there
        return std::max(m_chunkStart, m_scanned);
    const qsizetype newline = end > 0 ? m_text.lastIndexOf(u'\n', end - 1) : -1;
    return std::max(m_chunkStart, newline + 1);
}

bool MarkdownStream::wantsRender(qsizetype from, qsizetype to) const
{
    const QStringView added = QStringView(m_text).sliced(from, to - from);
    if (std::any_of(added.begin(), added.end(), isMarkupCharacter))
        return true;
    const qsizetype start = lineStart(to);
    const QStringView line = QStringView(m_text).sliced(start, to - start);
    // Plain words change a heading's text, but it must keep its size; table cells need the table around them.
    return to - start <= kLineStartWindow || isHeadingLine(line) || m_chunkHasPipe || m_lineHasPipe;
}

bool MarkdownStream::isClosed() const
{
    const qsizetype end = m_tail.renderedEnd;
    if (end <= m_tail.segmentStart || m_chunkHasPipe)
        return false;
    // Headings keep their size and tables their cells only when rendered whole; indented code is not inline.
    const qsizetype start = lineStart(end);
    const QStringView line = QStringView(m_text).sliced(start, end - start);
    if (isHeadingLine(line) || indentOf(line) >= 4 || m_lineHasPipe)
        return false;
    // Unmatched delimiters are rendered literally: one that could still open emphasis, a code span or a link
    // means later text may change this segment.
    // A link closed by ")" or ">" ends there; a bare URL may go on.
    const QChar lastSource = m_text[end - 1];
    bool lastIsAnchor = false;
    for (auto it = m_scratch.rootFrame()->begin(); !it.atEnd(); ++it) {
        if (it.currentFrame())
            return false;
        const QTextBlock block = it.currentBlock();
        const QString text = block.text();
        const bool lastBlock = !block.next().isValid();
        for (auto fragmentIt = block.begin(); !fragmentIt.atEnd(); ++fragmentIt) {
            const QTextFragment fragment = fragmentIt.fragment();
            const QTextCharFormat format = fragment.charFormat();
            lastIsAnchor = format.isAnchor();
            if (lastIsAnchor || isCodeFormat(format))
                continue;
            const int offset = fragment.position() - block.position();
            for (int i = offset; i < offset + fragment.length(); ++i) {
                const QChar c = text[i];
                if (c == u'`' || c == u'[' || c == u']')
                    return false;
                if (c == u'*' || c == u'_' || c == u'~') {
                    if (i + 1 < text.size() ? !text[i + 1].isSpace() : lastBlock)
                        return false;
                }
            }
        }
    }
    return !lastIsAnchor || lastSource == u')' || lastSource == u'>';
}

void MarkdownStream::appendRaw(qsizetype from, qsizetype to)
{
    QStringView text = QStringView(m_text).sliced(from, to - from);
    m_tail.displayedEnd = to;
    m_cursor.movePosition(QTextCursor::End);
    if (m_fence) {
        if (text.isEmpty())
            return;
        if (!m_tail.codeLineStarted) {
            startCodeLine();
            m_tail.codeLineStarted = true;
        }
        m_cursor.insertText(text.toString(), m_codeChars);
        return;
    }
    while (!text.isEmpty()) {
        const qsizetype newline = text.indexOf(u'\n');
        QStringView piece = newline < 0 ? text : text.first(newline);
        if (piece.endsWith(u'\r'))
            piece.chop(1);
        m_tail.rawHasMarkup = m_tail.rawHasMarkup || newline >= 0
            || std::any_of(piece.begin(), piece.end(), isMarkupCharacter);
        if (!piece.isEmpty())
            m_cursor.insertText(piece.toString(), m_tail.rawFormat);
        if (newline < 0)
            break;
        m_cursor.insertBlock(QTextBlockFormat(), m_tail.rawFormat);
        m_needsBlock = true;
        text = text.sliced(newline + 1);
    }
}

void MarkdownStream::removeTail()
{
    if (!m_tail.shown)
        return;
    removeFrom(m_tail.position, !m_tail.needsBlock);
    m_needsBlock = m_tail.needsBlock;
    m_tail = {};
}

void MarkdownStream::removeFrom(int position, bool resetBlock)
{
    m_cursor.setPosition(position);
    m_cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    m_cursor.removeSelectedText();
    if (resetBlock)
        setCurrentBlock({}, {}); // the document's first block stays: not with the looks of what was removed
}

void MarkdownStream::setCurrentBlock(const QTextBlockFormat &format, const QTextCharFormat &charFormat)
{
    if (QTextList *list = m_cursor.block().textList())
        list->remove(m_cursor.block());
    m_cursor.setBlockFormat(format);
    m_cursor.setBlockCharFormat(charFormat);
}

void MarkdownStream::renderMarkdown(qsizetype from, qsizetype to, bool continuing)
{
    QString source;
    int skip = -1;
    if (continuing) {
        // Rendered after a stand-in for the text before it, so it parses as the middle of a paragraph: the
        // character before it decides whether emphasis delimiters at its start can open or close.
        const QChar before = from > 0 ? m_text[from - 1] : QChar(u' ');
        source = u"x" + QString(before.isLetterOrNumber() ? before : before.isSpace() ? QChar(u' ') : QChar(u'.'));
        skip = 2;
    }
    source += QStringView(m_text).sliced(from, to - from);
    m_scratch.setMarkdown(source, kFeatures);
    m_rendered += to - from;
    copyScratch(skip);
}

void MarkdownStream::copyScratch(int skip)
{
    m_cursor.movePosition(QTextCursor::End);
    m_lists.clear();
    QTextFrame *root = m_scratch.rootFrame();
    const QTextBlock only = m_scratch.begin();
    if (m_scratch.blockCount() == 1 && only.text().isEmpty() && !only.textList()
        && only.blockFormat().headingLevel() == 0 && !root->childFrames().size())
        return; // blank Markdown
    bool first = true;
    bool afterFrame = false;
    bool copiedBlock = false;
    for (auto it = root->begin(); !it.atEnd(); ++it) {
        if (QTextFrame *frame = it.currentFrame()) {
            if (const auto *table = qobject_cast<const QTextTable *>(frame)) {
                copyTable(table);
                afterFrame = true;
            }
            first = false;
            continue;
        }
        const QTextBlock block = it.currentBlock();
        if (first) {
            first = false;
            if (skip >= 0) {
                appendFragments(m_cursor, block, skip);
                continue;
            }
            // Qt's importer leaves the document's first block empty before a rule or a table.
            auto next = it;
            ++next;
            if (block.text().isEmpty() && !next.atEnd() && !block.textList() && block.blockFormat().headingLevel() == 0
                && !block.blockFormat().hasProperty(QTextFormat::BlockTrailingHorizontalRulerWidth))
                continue;
        }
        startBlock(block, afterFrame, !copiedBlock && skip < 0);
        afterFrame = false;
        copiedBlock = true;
        appendFragments(m_cursor, block, 0);
    }
    m_lists.clear();
}

void MarkdownStream::startBlock(const QTextBlock &source, bool reuseCurrent, bool continueList)
{
    QTextBlockFormat format = source.blockFormat();
    format.setObjectIndex(-1); // an index into the scratch document's objects
    // What Qt would find by scanning the block's text at every layout of it, once (costly in a long document).
    if (format.layoutDirection() == Qt::LayoutDirectionAuto)
        format.setLayoutDirection(source.text().isRightToLeft() ? Qt::RightToLeft : Qt::LeftToRight);
    if (!m_needsBlock || reuseCurrent)
        setCurrentBlock(format, source.charFormat());
    else
        m_cursor.insertBlock(format, source.charFormat());
    m_needsBlock = true;
    QTextList *sourceList = source.textList();
    if (!sourceList)
        return;
    QTextList *&target = m_lists[sourceList];
    if (!target && continueList)
        target = listToContinue(sourceList->format());
    if (target)
        target->add(m_cursor.block());
    else
        target = m_cursor.createList(sourceList->format());
}

QTextList *MarkdownStream::listToContinue(const QTextListFormat &format) const
{
    // The items of one list can arrive in separate chunks ("- a\n\n- b"); they join the list rendered before,
    // found by walking back over its items and their nested paragraphs.
    QTextBlock before = m_cursor.block().previous();
    for (int steps = 0; before.isValid() && steps < 256; ++steps, before = before.previous()) {
        if (QTextList *list = before.textList()) {
            const QTextListFormat found = list->format();
            if (found.indent() == format.indent())
                return found.style() == format.style() ? list : nullptr;
            if (found.indent() < format.indent())
                return nullptr;
        } else if (before.blockFormat().indent() <= 0) {
            return nullptr;
        }
    }
    return nullptr;
}

void MarkdownStream::appendFragments(QTextCursor &cursor, const QTextBlock &source, int skip)
{
    for (auto it = source.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        QString text = fragment.text();
        if (skip > 0) {
            const int dropped = std::min(skip, int(text.size()));
            text.remove(0, dropped);
            skip -= dropped;
        }
        if (!text.isEmpty())
            cursor.insertText(text, fragment.charFormat());
    }
}

void MarkdownStream::copyTable(const QTextTable *source)
{
    QTextTableFormat format = source->format();
    format.setObjectIndex(-1);
    QTextTable *table = m_cursor.insertTable(source->rows(), source->columns(), format);
    for (int row = 0; row < source->rows(); ++row) {
        for (int column = 0; column < source->columns(); ++column) {
            const QTextTableCell from = source->cellAt(row, column);
            QTextTableCell to = table->cellAt(row, column);
            to.setFormat(from.format());
            QTextCursor cell = to.firstCursorPosition();
            bool firstBlock = true;
            for (auto it = from.begin(); !it.atEnd(); ++it) {
                const QTextBlock block = it.currentBlock();
                if (!block.isValid())
                    continue;
                QTextBlockFormat blockFormat = block.blockFormat();
                blockFormat.setObjectIndex(-1);
                if (firstBlock) {
                    cell.setBlockFormat(blockFormat);
                    cell.setBlockCharFormat(block.charFormat());
                } else {
                    cell.insertBlock(blockFormat, block.charFormat());
                }
                firstBlock = false;
                appendFragments(cell, block, 0);
            }
        }
    }
    // Like Qt's importer, leave the block after the table empty: what follows starts a block of its own.
    m_cursor.movePosition(QTextCursor::End);
    setCurrentBlock({}, {});
    m_needsBlock = true;
}

} // namespace reins::widgets
