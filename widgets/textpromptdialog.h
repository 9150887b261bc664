#pragma once

// Asks the person for a piece of text: a reason, a comment, or a hunk's new text (then in an editor highlighted for
// the file's language).

#include <QDialog>

class QsciScintilla;

namespace reins::widgets {

class SyntaxLexer;

class TextPromptDialog : public QDialog
{
    Q_OBJECT
public:
    TextPromptDialog(const QString &title, const QString &initial, const QString &fileName, bool code, QWidget *parent);
    ~TextPromptDialog() override;
    QString text() const;

private:
    QsciScintilla *m_editor;
    SyntaxLexer *m_lexer = nullptr;
};

} // namespace reins::widgets
