#include "chatinput.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QStringListModel>
#include <QTextBlock>

namespace reins::widgets {

ChatInput::ChatInput(QWidget *parent)
    : QPlainTextEdit(parent), m_completer(new QCompleter(this)), m_candidates(new QStringListModel(this))
{
    setPlaceholderText(tr("Ask for a change… (Enter sends, Shift+Enter for a new line, Esc interrupts, @ a file, "
                          "/ for commands)"));
    setTabChangesFocus(true);
    m_completer->setModel(m_candidates);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains); // "@view" finds widgets/diffview.cpp
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &ChatInput::insertCompletion);
}

QString ChatInput::mentionUnderCaret() const
{
    QTextCursor cursor = textCursor();
    const QString block = cursor.block().text();
    const int column = cursor.positionInBlock();
    int start = column;
    while (start > 0 && !block.at(start - 1).isSpace() && block.at(start - 1) != u'@')
        --start;
    if (start == 0 || block.at(start - 1) != u'@')
        return {};
    // "@" starts a word: not an e-mail address's '@'.
    if (start >= 2 && !block.at(start - 2).isSpace())
        return {};
    return block.mid(start, column - start);
}

void ChatInput::updateCompletion()
{
    const QString mention = mentionUnderCaret();
    if (mention.isNull() || !m_files) {
        m_completer->popup()->hide();
        return;
    }
    if (!m_candidatesLoaded) {
        m_candidates->setStringList(m_files());
        m_candidatesLoaded = true;
    }
    m_completer->setCompletionPrefix(mention);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(std::max(320, width() / 2));
    m_completer->complete(rect);
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
}

void ChatInput::insertCompletion(const QString &path)
{
    QTextCursor cursor = textCursor();
    const QString mention = mentionUnderCaret();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(mention.size()));
    cursor.insertText(path + u' ');
    setTextCursor(cursor);
    m_completer->popup()->hide();
}

QSize ChatInput::sizeHint() const
{
    const int lines = 3;
    return {QPlainTextEdit::sizeHint().width(), fontMetrics().lineSpacing() * lines + 16};
}

bool ChatInput::event(QEvent *event)
{
    // Shift+Tab never reaches keyPressEvent otherwise: the focus chain takes it first.
    if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Backtab) {
        Q_EMIT modeCycleRequested();
        return true;
    }
    return QPlainTextEdit::event(event);
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    if (m_completer->popup()->isVisible()) {
        // The popup's keys: Enter or Tab takes the highlighted file, Esc closes the list (and only the list).
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Tab: {
            const QModelIndex current = m_completer->popup()->currentIndex();
            if (current.isValid())
                insertCompletion(current.data().toString());
            return;
        }
        case Qt::Key_Escape:
            m_completer->popup()->hide();
            return;
        default: break;
        }
    }
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
    if (!event->text().isEmpty() || event->key() == Qt::Key_Backspace)
        updateCompletion();
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
    m_candidatesLoaded = false; // files come and go: the next '@' lists them afresh
    clear();
    if (text.startsWith(u'/') && !text.startsWith(QLatin1String("//"))) {
        const qsizetype space = text.indexOf(u' ');
        Q_EMIT command(text.mid(1, space < 0 ? -1 : space - 1), space < 0 ? QString() : text.mid(space + 1).trimmed());
        return;
    }
    Q_EMIT submitted(text);
}

} // namespace reins::widgets
