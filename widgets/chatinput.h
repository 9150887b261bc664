#pragma once

// The chat's input box: Enter sends, Shift+Enter starts a new line, Esc interrupts the agent, ↑ and ↓ walk through
// what was sent before (from the first or last line, as in a shell), a line starting with '/' is a command, and
// '@' completes the path of a file in the workspace.

#include <QPlainTextEdit>
#include <QStringList>

#include <functional>

class QCompleter;
class QStringListModel;

namespace reins::widgets {

class ChatInput : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ChatInput(QWidget *parent = nullptr);

    const QStringList &history() const { return m_history; }
    /// Where '@' finds its candidates: the workspace's files, asked for when a completion starts.
    void setFileSource(std::function<QStringList()> source) { m_files = std::move(source); }
    QCompleter *completer() const { return m_completer; }

Q_SIGNALS:
    /// A message to send (never empty, trimmed of surrounding blank lines).
    void submitted(const QString &text);
    /// "/name argument…": the command's name without the slash, and the rest of the line.
    void command(const QString &name, const QString &argument);
    void interruptRequested();
    /// Shift+Tab: the next approval mode (the box would otherwise move the focus).
    void modeCycleRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    QSize sizeHint() const override;

private:
    void send();
    void recall(int step);
    /// The "@partial" word under the caret, without the '@'; null when the caret is not in one.
    QString mentionUnderCaret() const;
    void updateCompletion();
    void insertCompletion(const QString &path);

    QStringList m_history;
    int m_historyIndex = -1; ///< -1: not browsing; else an index into m_history
    QString m_draft;         ///< what was typed before browsing began
    std::function<QStringList()> m_files;
    QCompleter *m_completer;
    QStringListModel *m_candidates;
    bool m_candidatesLoaded = false;
};

} // namespace reins::widgets
