#include "chatinput.h"

#include <QKeyEvent>
#include <QTextBlock>

namespace reins::widgets {

ChatInput::ChatInput(QWidget *parent) : QPlainTextEdit(parent)
{
    setPlaceholderText(tr("Ask for a change… (Enter sends, Shift+Enter for a new line, Esc interrupts, / for commands)"));
    setTabChangesFocus(true);
}

QSize ChatInput::sizeHint() const
{
    const int lines = 3;
    return {QPlainTextEdit::sizeHint().width(), fontMetrics().lineSpacing() * lines + 16};
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (shift) {
            insertPlainText(QStringLiteral("\n"));
        } else {
            send();
        }
        return;
    case Qt::Key_Escape:
        Q_EMIT interruptRequested();
        return;
    case Qt::Key_Up:
        // Only from the first line: elsewhere ↑ moves the caret, as in any editor.
        if (textCursor().block() == document()->firstBlock() && !m_history.isEmpty()) {
            recall(-1);
            return;
        }
        break;
    case Qt::Key_Down:
        if (textCursor().block() == document()->lastBlock() && m_historyIndex >= 0) {
            recall(+1);
            return;
        }
        break;
    default: break;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ChatInput::recall(int step)
{
    if (m_historyIndex < 0) {
        if (step > 0)
            return;
        m_draft = toPlainText();
        m_historyIndex = int(m_history.size());
    }
    m_historyIndex = std::clamp(m_historyIndex + step, 0, int(m_history.size()));
    if (m_historyIndex == int(m_history.size())) {
        setPlainText(m_draft);
        m_historyIndex = -1;
    } else {
        setPlainText(m_history.at(m_historyIndex));
    }
    moveCursor(QTextCursor::End);
}

void ChatInput::send()
{
    const QString text = toPlainText().trimmed();
    if (text.isEmpty())
        return;
    if (m_history.isEmpty() || m_history.last() != text)
        m_history.append(text);
    m_historyIndex = -1;
    m_draft.clear();
    clear();
    if (text.startsWith(u'/') && !text.startsWith(QLatin1String("//"))) {
        const qsizetype space = text.indexOf(u' ');
        Q_EMIT command(text.mid(1, space < 0 ? -1 : space - 1), space < 0 ? QString() : text.mid(space + 1).trimmed());
        return;
    }
    Q_EMIT submitted(text);
}

} // namespace reins::widgets
