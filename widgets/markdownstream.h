#pragma once

#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QChar>
#include <QHash>
#include <QString>
#include <QStringView>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>

#include <memory>
#include <optional>

class QTextBlock;
class QTextList;
class QTextListFormat;
class QTextTable;

namespace reins::widgets {

class CodeLineHighlighter;

/// Renders a growing Markdown text into a QTextDocument, appending: finished blocks are rendered once, only the
/// unfinished tail is rendered again on each append.
///
/// Finished blocks end at safe boundaries (a blank line before an unindented line, a top-level list item, a code
/// fence); each is rendered once with Qt's Markdown importer (GitHub dialect, raw HTML shown as text). Fenced code
/// is not given to the importer: its lines are highlighted with KSyntaxHighlighting, one block per line, as they
/// complete. The tail is shown provisionally: plain words are appended as they come, and only the stretch since
/// the last point where no emphasis, code span or link is open is rendered again when markup arrives, so the
/// total cost stays linear however long a paragraph grows. The document's undo stack is turned off: it would keep
/// every provisional render. Blocks are rendered apart, so a reference-style link ("[x]" with "[x]: url" defined in
/// a later block) stays text; items of one list arriving in separate blocks are joined into one list again.
class MarkdownStream
{
public:
    /// With `deferHighlighting`, code is shown plain until setHighlightingDeferred(false) (see there).
    explicit MarkdownStream(QTextDocument *document, bool deferHighlighting = false); // does not own the document
    ~MarkdownStream();
    MarkdownStream(const MarkdownStream &) = delete;
    MarkdownStream &operator=(const MarkdownStream &) = delete;

    void append(QStringView delta);
    /// The stream ended: the tail becomes final.
    void finish();
    /// Forgets the text and empties the document.
    void clear();
    QString markdown() const; ///< everything appended so far
    /// Characters of Markdown handed to the renderer so far (tests prove the cost is linear with it).
    qint64 renderedCharacters() const;
    /// Light or dark code colours (KSH default theme for the palette). Rendered code is recoloured.
    void setDark(bool dark);
    bool isDark() const;
    /// Code plain (in the palette's colours, no syntax definitions or themes loaded), or highlighted: a whole answer
    /// shown at once (a session opened) is drawn plain first and highlighted once the window has been painted, so
    /// the highlighter's first load does not hold up the first frame. Turning it off renders the text again, once.
    void setHighlightingDeferred(bool deferred);
    bool isHighlightingDeferred() const { return m_deferHighlighting; }

private:
    /// An open fenced code block.
    struct Fence
    {
        QChar marker;
        int length = 0;
        int indent = 0;
        QString language;
    };

    /// What the document shows for the text after the last finished block.
    struct Tail
    {
        bool shown = false;
        int position = 0;        ///< document position where the tail starts
        bool needsBlock = false; ///< m_needsBlock when the tail started
        qsizetype displayedEnd = 0;
        // Markdown tails: the open segment is the stretch rendered again when markup arrives.
        qsizetype segmentStart = 0;
        int segmentPosition = 0;
        bool segmentInline = false; ///< continues the block before it rather than starting blocks
        qsizetype renderedEnd = 0;
        bool closed = false;       ///< the last render left no emphasis, code span or link open
        QTextCharFormat rawFormat; ///< for text appended without rendering
        bool rawHasMarkup = false; ///< text appended without rendering since the last render holds markup
        bool codeLineStarted = false;
    };

    qsizetype renderableEnd() const;
    void processLines(qsizetype end, bool final);
    void processLine(qsizetype start, qsizetype end, qsizetype next);
    void resetChunk();
    void commitBeforeLine(qsizetype end);
    void commitChunk(qsizetype from, qsizetype to);
    void rerender();
    void openFence(const Fence &fence);
    void commitCodeLine(QStringView line);
    void closeFence();
    void updateTail(qsizetype end);
    void renderSegment(qsizetype end);
    void appendRaw(qsizetype from, qsizetype to);
    bool wantsRender(qsizetype from, qsizetype to) const;
    bool isClosed() const;
    bool nearLineStart(qsizetype end) const;
    qsizetype lineStart(qsizetype end) const;
    void removeTail();
    void removeFrom(int position, bool resetBlock);

    // Copying a rendered scratch document into ours.
    void renderMarkdown(qsizetype from, qsizetype to, bool continuing);
    void copyScratch(int skip);
    void startBlock(const QTextBlock &source, bool reuseCurrent, bool continueList);
    void appendFragments(QTextCursor &cursor, const QTextBlock &source, int skip);
    void copyTable(const QTextTable *source);
    QTextList *listToContinue(const QTextListFormat &format) const;
    void startCodeLine();
    void setTheme();
    void loadTheme();
    /// Gives the block at the cursor these formats, and takes it out of any list.
    void setCurrentBlock(const QTextBlockFormat &format, const QTextCharFormat &charFormat);

    QTextDocument *m_document;
    QTextCursor m_cursor;
    QTextDocument m_scratch;
    QHash<QTextList *, QTextList *> m_lists; ///< scratch list → our list, for the copy in progress
    std::unique_ptr<CodeLineHighlighter> m_highlighter;
    KSyntaxHighlighting::Theme m_theme;
    bool m_themeLoaded = false; ///< m_theme and the code formats' colours are the theme's (a fence has been seen)
    QTextCharFormat m_codeChars;  ///< code without highlighting, in the theme's colours
    QTextBlockFormat m_codeBlock; ///< a line of the open fence
    bool m_dark = false;
    bool m_deferHighlighting = false;

    QString m_text;
    qsizetype m_scanned = 0;    ///< start of the first line not yet examined
    qsizetype m_searched = 0;   ///< no line ends between m_scanned and here
    qsizetype m_pipeLine = 0;   ///< the line m_lineHasPipe is about
    bool m_lineHasPipe = false; ///< the line being written has a "|": perhaps a table row
    qsizetype m_chunkStart = 0; ///< start of the Markdown not yet rendered for good
    bool m_chunkHasContent = false;
    bool m_chunkIsList = false;
    bool m_chunkHasPipe = false;
    bool m_previousBlank = false;
    std::optional<Fence> m_fence;
    KSyntaxHighlighting::State m_codeState;
    int m_fenceLines = 0;
    bool m_needsBlock = false; ///< the document holds a block already: the next one is inserted after it
    bool m_finished = false;
    Tail m_tail;
    qint64 m_rendered = 0;
};

} // namespace reins::widgets
