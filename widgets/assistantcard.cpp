#include "assistantcard.h"

#include "markdownstream.h"

#include <QAbstractTextDocumentLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace reins::widgets {

AssistantCard::AssistantCard(QWidget *parent, bool deferHighlighting)
    : QFrame(parent),
      m_reasoningToggle(new QToolButton(this)),
      m_reasoning(new QLabel(this)),
      m_body(new QTextBrowser(this)),
      m_status(new QLabel(this)),
      m_document(m_body->document())
{
    setObjectName(QStringLiteral("assistantCard"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(4);
    m_reasoningToggle->setText(tr("Reasoning"));
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setArrowType(Qt::RightArrow);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->hide();
    m_reasoning->setWordWrap(true);
    m_reasoning->setTextFormat(Qt::PlainText);
    m_reasoning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette dim = m_reasoning->palette();
    dim.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    m_reasoning->setPalette(dim);
    m_reasoning->hide();
    connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool on) {
        m_reasoningToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_reasoning->setVisible(on);
    });
    m_body->setFrameShape(QFrame::NoFrame);
    m_body->setOpenExternalLinks(true);
    m_body->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_body->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_body->viewport()->setAutoFillBackground(false);
    m_body->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    if (deferHighlighting) { // shown whole: every line of it would otherwise be laid out as it is added, then again
        m_document = new QTextDocument(this);
        m_document->setDefaultFont(m_body->document()->defaultFont());
        m_document->setDocumentMargin(m_body->document()->documentMargin());
    } else {
        attachDocument();
    }
    m_stream = std::make_unique<MarkdownStream>(m_document, deferHighlighting);
    m_status->hide();
    layout->addWidget(m_reasoningToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_reasoning);
    layout->addWidget(m_body);
    layout->addWidget(m_status);
    setDark(palette().color(QPalette::Window).lightness() < 128);
    fitHeight();
}

AssistantCard::~AssistantCard() = default;

void AssistantCard::setDark(bool dark)
{
    m_stream->setDark(dark);
}

void AssistantCard::highlightCode()
{
    m_stream->setHighlightingDeferred(false);
}

bool AssistantCard::isHighlightingDeferred() const
{
    return m_stream->isHighlightingDeferred();
}

void AssistantCard::appendText(const QString &delta)
{
    m_stream->append(delta);
}

void AssistantCard::appendReasoning(const QString &delta)
{
    m_reasoningText += delta;
    m_reasoning->setText(m_reasoningText);
    m_reasoningToggle->show();
}

void AssistantCard::finish(bool incomplete)
{
    m_stream->finish();
    if (incomplete) {
        m_status->setText(tr("The answer broke off here."));
        m_status->show();
    }
}

QString AssistantCard::markdown() const
{
    return m_stream->markdown();
}

QString AssistantCard::renderedText() const
{
    return m_document->toPlainText();
}

qint64 AssistantCard::renderedCharacters() const
{
    return m_stream->renderedCharacters();
}

QString AssistantCard::reasoning() const
{
    return m_reasoningText;
}

bool AssistantCard::reasoningExpanded() const
{
    return m_reasoningToggle->isChecked();
}

void AssistantCard::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    fitHeight();
}

void AssistantCard::showEvent(QShowEvent *event)
{
    QFrame::showEvent(event);
    if (m_body->document() != m_document) {
        attachDocument();
        fitHeight();
    }
}

void AssistantCard::attachDocument()
{
    if (m_body->document() != m_document) {
        m_document->setTextWidth(m_body->viewport()->width()); // laid out here, once
        m_body->setDocument(m_document);
    }
    connect(m_document->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &AssistantCard::fitHeight, Qt::UniqueConnection);
}

void AssistantCard::fitHeight()
{
    if (m_body->document() != m_document)
        return; // not shown yet: its height comes when it is
    // The card grows with its text: the chat scrolls, never the card. Setting the width lays the whole document out
    // again, even when it is the same width: only when it changed, or every new line would cost the whole answer.
    const qreal width = m_body->viewport()->width();
    if (m_body->document()->textWidth() != width)
        m_body->document()->setTextWidth(width);
    const int height = int(std::ceil(m_body->document()->size().height())) + 4;
    if (m_body->height() != height)
        m_body->setFixedHeight(height);
}

} // namespace reins::widgets
