#include "textpromptdialog.h"

#include "qscintilla.h"
#include "syntaxlexer.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace reins::widgets {

TextPromptDialog::TextPromptDialog(const QString &title, const QString &initial, const QString &fileName, bool code,
                                   QWidget *parent)
    : QDialog(parent), m_editor(new QsciScintilla(this))
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(title, this);
    label->setWordWrap(true);
    layout->addWidget(label);
    m_editor->setUtf8(true);
    if (code) {
        m_lexer = new SyntaxLexer(this);
        m_lexer->setTheme(SyntaxLexer::themeFor(palette()));
        m_lexer->setDefinitionFor(fileName, initial.left(512).toUtf8());
        m_editor->setLexer(m_lexer);
        m_editor->setMarginType(0, QsciScintilla::NumberMargin);
        m_editor->setMarginWidth(0, QStringLiteral("9999"));
    } else {
        m_editor->setWrapMode(QsciScintilla::WrapWord);
        m_editor->setMarginWidth(1, 0);
    }
    m_editor->setText(initial);
    layout->addWidget(m_editor, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(code ? 760 : 520, code ? 420 : 220);
    m_editor->setFocus();
}

TextPromptDialog::~TextPromptDialog()
{
    m_editor->setLexer(nullptr); // the lexer is a child too: it must not outlive its use in the editor
}

QString TextPromptDialog::text() const
{
    return m_editor->text();
}

} // namespace reins::widgets
