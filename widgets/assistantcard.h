#pragma once

// One answer of the model in the chat: its Markdown rendered as it streams (only the unfinished tail is rendered
// again on each piece), and its reasoning, collapsed under a toggle.

#include <QFrame>

#include <memory>

class QLabel;
class QTextBrowser;
class QTextDocument;
class QToolButton;

namespace reins::widgets {

class MarkdownStream;

class AssistantCard : public QFrame
{
    Q_OBJECT
public:
    /// With `deferHighlighting`, code shows plain until highlightCode() (an answer shown whole, see ChatView).
    explicit AssistantCard(QWidget *parent = nullptr, bool deferHighlighting = false);
    ~AssistantCard() override;

    void appendText(const QString &delta);
    void appendReasoning(const QString &delta);
    /// The stream ended; `incomplete` when it broke off.
    void finish(bool incomplete);
    void setDark(bool dark);
    /// Highlights code that was shown plain; nothing when it already is.
    void highlightCode();
    bool isHighlightingDeferred() const;

    QString markdown() const;
    /// Characters the Markdown renderer has processed so far: about the answer's length when rendering is
    /// incremental (see MarkdownStream::renderedCharacters()).
    qint64 renderedCharacters() const;
    QString renderedText() const;
    /// The answer's document: the one shown, or for an answer shown whole, the one shown once the card is.
    const QTextDocument *document() const { return m_document; }
    QString reasoning() const;
    bool reasoningExpanded() const;
    QToolButton *reasoningToggle() const { return m_reasoningToggle; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void fitHeight();
    void attachDocument();

    QToolButton *m_reasoningToggle;
    QLabel *m_reasoning;
    QTextBrowser *m_body;
    QLabel *m_status;
    /// The answer's document: the body's own, or — for an answer shown whole — one built apart and given to the body
    /// when the card is first shown, so that it is laid out once, at its width, not while it is built.
    QTextDocument *m_document;
    std::unique_ptr<MarkdownStream> m_stream;
    QString m_reasoningText;
};

} // namespace reins::widgets
