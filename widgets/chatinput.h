#pragma once

// The chat's input box: Enter sends, Shift+Enter starts a new line, Esc interrupts the agent, ↑ and ↓ walk through
// what was sent before (from the first or last line, as in a shell), and a line starting with '/' is a command.

#include <QPlainTextEdit>
#include <QStringList>

namespace reins::widgets {

class ChatInput : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ChatInput(QWidget *parent = nullptr);

    const QStringList &history() const { return m_history; }

Q_SIGNALS:
    /// A message to send (never empty, trimmed of surrounding blank lines).
    void submitted(const QString &text);
    /// "/name argument…": the command's name without the slash, and the rest of the line.
    void command(const QString &name, const QString &argument);
    void interruptRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    QSize sizeHint() const override;

private:
    void send();
    void recall(int step);

    QStringList m_history;
    int m_historyIndex = -1; ///< -1: not browsing; else an index into m_history
    QString m_draft;         ///< what was typed before browsing began
};

} // namespace reins::widgets
