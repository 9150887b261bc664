#pragma once

// One QScintilla pane of the diff view: rows of one side (or of the unified view), highlighted by the file's
// syntax, with line numbers in a text margin, row backgrounds for added / removed / filler / folded rows, changed
// words marked with an indicator, and notes (a hunk's decision, comments) as annotations under a row.

#include "review/worddiff.h"

#include "qscintilla.h"

#include <QString>

#include <vector>

namespace reins::widgets {

class SyntaxLexer;

class DiffPane : public QsciScintilla
{
    Q_OBJECT
public:
    enum class RowStyle { Context, Added, Removed, Filler, Gap, Note };
    struct Row
    {
        RowStyle style = RowStyle::Context;
        QString text;
        QString number; ///< what the margin shows: "12", or "12  13" in the unified view
        std::vector<review::TextRange> words; ///< changed words, UTF-16 ranges of `text`
    };
    enum class NoteKind { Pending, Accepted, Rejected, Comment };

    explicit DiffPane(QWidget *parent = nullptr);
    ~DiffPane() override;

    /// Replaces the content. `fileName` and `firstBytes` choose the syntax.
    void setRows(const std::vector<Row> &rows, const QString &fileName, const QByteArray &firstBytes);
    int rowCount() const { return m_rowCount; }
    /// Light or dark colours, for the rows and the syntax theme.
    void setDark(bool dark);
    /// The arrow in the margin beside the current hunk's rows.
    void markRows(int first, int last);
    void setNote(int row, const QString &text, NoteKind kind);
    void clearNotes();
    /// Makes `row` visible, a few rows below the top.
    void revealRow(int row);

Q_SIGNALS:
    /// A folded stretch was clicked or activated with Enter.
    void rowActivated(int row);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void applyColours();

    SyntaxLexer *m_lexer;
    bool m_dark = false;
    int m_rowCount = 0;
    int m_noteStyleBase = 0;
};

} // namespace reins::widgets
