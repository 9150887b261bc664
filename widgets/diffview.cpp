#include "diffview.h"
#include "diffview_p.h"

#include "diffpane.h"
#include "reviewfiletext.h"
#include "textpromptdialog.h"

#include "review/textdiff.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace reins::widgets {

using review::HunkDecision;
using review::ReviewFile;

DiffView::DiffView(QWidget *parent)
    : QWidget(parent),
      m_title(new QLabel(this)),
      m_summary(new QLabel(this)),
      m_sideButton(new QToolButton(this)),
      m_inlineButton(new QToolButton(this)),
      m_acceptAll(new QPushButton(tr("Accept all"), this)),
      m_rejectAll(new QPushButton(tr("Reject all"), this)),
      m_submit(new QPushButton(tr("Apply review"), this)),
      m_files(new QTreeWidget(this)),
      m_stack(new QStackedWidget(this)),
      m_oldPane(new DiffPane(this)),
      m_newPane(new DiffPane(this)),
      m_inlinePane(new DiffPane(this)),
      m_hints(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    // The summary gives way when the pane is narrow, rather than the pane pushing the chat aside.
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(m_title);
    bar->addWidget(m_summary, 1);
    for (QToolButton *button : {m_sideButton, m_inlineButton}) {
        button->setCheckable(true);
        button->setAutoExclusive(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        bar->addWidget(button);
    }
    // A segmented pair: the chosen layout stands out in light and dark palettes alike.
    for (QToolButton *button : {m_sideButton, m_inlineButton})
        button->setStyleSheet(QStringLiteral("QToolButton { padding: 3px 8px; } QToolButton:checked { "
                                             "background: palette(highlight); color: palette(highlighted-text); "
                                             "border: 1px solid palette(highlight); border-radius: 3px; }"));
    m_sideButton->setText(tr("Side by side"));
    m_inlineButton->setText(tr("Inline"));
    m_sideButton->setChecked(true);
    bar->addSpacing(12);
    bar->addWidget(m_acceptAll);
    bar->addWidget(m_rejectAll);
    bar->addWidget(m_submit);
    m_submit->setDefault(true);
    m_submit->setToolTip(tr("Ctrl+Enter"));
    layout->addLayout(bar);

    m_files->setColumnCount(3);
    m_files->setHeaderLabels({tr("File"), tr("±"), tr("Review")});
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_files->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    auto *sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(m_oldPane);
    sides->addWidget(m_newPane);
    sides->setChildrenCollapsible(false);
    m_stack->addWidget(sides);
    m_stack->addWidget(m_inlinePane);
    // The file list above the panes: the Changes pane shares the window with the chat and the timeline, and side
    // by side needs the width.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_files);
    split->addWidget(m_stack);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({130, 700});
    layout->addWidget(split, 1);
    m_hints->setContentsMargins(6, 0, 6, 4);
    QPalette hintPalette = m_hints->palette();
    hintPalette.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    m_hints->setPalette(hintPalette);
    layout->addWidget(m_hints);

    // Scroll-locked panes: the same row count on both sides keeps every row beside its partner.
    const auto lock = [this](DiffPane *from, DiffPane *to) {
        connect(from->verticalScrollBar(), &QScrollBar::valueChanged, this, [this, to](int value) {
            if (m_syncing)
                return;
            m_syncing = true;
            to->verticalScrollBar()->setValue(value);
            m_syncing = false;
        });
        connect(from->horizontalScrollBar(), &QScrollBar::valueChanged, this, [this, to](int value) {
            if (m_syncing)
                return;
            m_syncing = true;
            to->horizontalScrollBar()->setValue(value);
            m_syncing = false;
        });
    };
    lock(m_oldPane, m_newPane);
    lock(m_newPane, m_oldPane);
    for (DiffPane *pane : {m_oldPane, m_newPane, m_inlinePane}) {
        pane->installEventFilter(this);
        connect(pane, &DiffPane::rowActivated, this, &DiffView::activateRow);
    }
    m_files->installEventFilter(this);
    connect(m_files, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            selectFile(m_files->indexOfTopLevelItem(item));
    });
    connect(m_sideButton, &QToolButton::clicked, this, [this] { setLayoutMode(Layout::SideBySide); });
    connect(m_inlineButton, &QToolButton::clicked, this, [this] { setLayoutMode(Layout::Inline); });
    connect(m_acceptAll, &QPushButton::clicked, this, &DiffView::acceptAll);
    connect(m_rejectAll, &QPushButton::clicked, this, &DiffView::rejectAll);
    connect(m_submit, &QPushButton::clicked, this, &DiffView::submit);
    setDark(palette().color(QPalette::Window).lightness() < 128);
}

DiffView::~DiffView() = default;

void DiffView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The theme changed while the window is open: the panes' colours and highlighting follow.
    if (const bool dark = palette().color(QPalette::Window).lightness() < 128;
        event->type() == QEvent::PaletteChange && dark != m_dark)
        setDark(dark);
}

void DiffView::setDark(bool dark)
{
    m_dark = dark;
    for (DiffPane *pane : {m_oldPane, m_newPane, m_inlinePane})
        pane->setDark(dark);
    if (m_file >= 0)
        showFile();
}

void DiffView::setPrompt(Prompt prompt)
{
    m_prompt = std::move(prompt);
}

QString DiffView::scope() const
{
    return m_title->text();
}

void DiffView::setReview(review::ChangeReview review, const QString &scope)
{
    m_review = std::move(review);
    m_title->setText(scope);
    m_settled = false;
    for (QPushButton *button : {m_acceptAll, m_rejectAll, m_submit})
        button->setEnabled(true);
    m_unfolded.assign(m_review.files().size(), {});
    const bool proposal = m_review.isProposal();
    m_acceptAll->setVisible(proposal);
    m_rejectAll->setVisible(proposal);
    m_submit->setText(proposal ? tr("Apply review") : tr("Send comments"));
    m_hints->setText(proposal ? tr("n / p change   a accept   r reject   e edit   c comment   ] / [ file   "
                                   "Enter unfold   Ctrl+Enter apply")
                              : tr("n / p change   c comment   ] / [ file   Enter unfold   Ctrl+Enter send comments"));
    m_file = -1;
    // The Review column says what was decided, or who made each change: with neither, it goes.
    const bool authorship = std::ranges::any_of(m_review.files(), [](const ReviewFile &f) {
        return f.author != review::Author::Unknown;
    });
    m_files->setColumnHidden(2, !proposal && !authorship);
    fillFileList();
    updateSummary();
    if (!m_review.files().empty())
        selectFile(0);
    else
        m_display.reset();
}

void DiffView::fillFileList()
{
    const QSignalBlocker blocker(m_files);
    m_files->clear();
    QList<QTreeWidgetItem *> items;
    items.reserve(qsizetype(m_review.files().size()));
    for (const ReviewFile &file : m_review.files()) {
        auto *item = new QTreeWidgetItem;
        item->setText(0, statusLetter(file) + QStringLiteral("  ") + file.displayPath());
        item->setToolTip(0, file.displayPath() + QStringLiteral(" — ") + statusWord(file));
        item->setText(1, file.diff.binary ? QStringLiteral("bin")
                                          : QStringLiteral("+%1 −%2").arg(file.diff.additions).arg(file.diff.deletions));
        items.append(item);
    }
    m_files->addTopLevelItems(items);
    for (int i = 0; i < int(m_review.files().size()); ++i)
        updateFileItem(i);
}

void DiffView::updateFileItem(int file)
{
    QTreeWidgetItem *item = m_files->topLevelItem(file);
    if (!item)
        return;
    const ReviewFile &f = m_review.files()[size_t(file)];
    const QColor added = m_dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37);
    const QColor removed = m_dark ? QColor(0xf8, 0x51, 0x49) : QColor(0xcf, 0x22, 0x2e);
    const QColor neutral = palette().color(QPalette::Text);
    const QString status = statusLetter(f);
    item->setForeground(0, status == u"A" ? added : status == u"D" ? removed : neutral);
    if (m_review.isProposal() || f.author != review::Author::Unknown) {
        const QString decision = m_review.isProposal() ? decisionText(f)
                                                        : (f.author == review::Author::Agent ? tr("agent") : tr("you"));
        item->setText(2, decision);
        item->setForeground(2, decision.startsWith(u'✓') ? added : decision.startsWith(u'✗') ? removed : neutral);
    }
}

void DiffView::updateSummary()
{
    int additions = 0, deletions = 0;
    for (const ReviewFile &file : m_review.files()) {
        additions += file.diff.additions;
        deletions += file.diff.deletions;
    }
    const int files = int(m_review.files().size());
    QString text = counted(files, "file", "files") + QStringLiteral(", +%1 −%2").arg(additions).arg(deletions);
    if (m_review.isProposal()) {
        const int pending = m_review.pendingCount();
        text += pending ? QStringLiteral(" · ") + counted(pending, "change to review", "changes to review")
                        : tr(" · all reviewed");
    }
    if (!m_review.comments().empty())
        text += QStringLiteral(" · ") + counted(int(m_review.comments().size()), "comment", "comments");
    m_summary->setText(text);
}

void DiffView::setLayoutMode(Layout layout)
{
    m_layout = layout;
    m_sideButton->setChecked(layout == Layout::SideBySide);
    m_inlineButton->setChecked(layout == Layout::Inline);
    m_stack->setCurrentIndex(layout == Layout::SideBySide ? 0 : 1);
    if (m_file >= 0)
        showFile();
}

void DiffView::selectFile(int file)
{
    if (file < 0 || file >= int(m_review.files().size()))
        return;
    const bool changed = file != m_file;
    m_file = file;
    if (changed)
        m_hunk = 0;
    {
        const QSignalBlocker blocker(m_files);
        m_files->setCurrentItem(m_files->topLevelItem(file));
    }
    showFile();
    Q_EMIT currentHunkChanged(m_file, m_hunk);
}

std::vector<DiffPane *> DiffView::shownPanes() const
{
    if (m_layout == Layout::SideBySide)
        return {m_oldPane, m_newPane};
    return {m_inlinePane};
}

void DiffView::rebuild()
{
    m_display = std::make_unique<Display>();
    if (m_layout == Layout::SideBySide)
        buildSideBySide();
    else
        buildInline();
    applyNotes();
}

void DiffView::showFile()
{
    m_review.ensureContent(m_file);
    rebuild();
    revealHunk();
}


std::pair<bool, int> DiffView::lineAtCursor() const
{
    if (!m_display)
        return {true, -1};
    DiffPane *pane = m_layout == Layout::Inline ? m_inlinePane : (m_oldPane->hasFocus() ? m_oldPane : m_newPane);
    int row = 0, index = 0;
    pane->getCursorPosition(&row, &index);
    if (row < 0 || row >= int(m_display->newLine.size()))
        return {true, -1};
    const bool preferOld = pane == m_oldPane || m_display->newLine[size_t(row)] < 0;
    if (preferOld && m_display->oldLine[size_t(row)] > 0)
        return {false, m_display->oldLine[size_t(row)]};
    return {true, m_display->newLine[size_t(row)]};
}

void DiffView::activateRow(int row)
{
    if (!m_display || row < 0 || row >= int(m_display->gapKey.size()))
        return;
    const int key = m_display->gapKey[size_t(row)];
    if (key < 0)
        return;
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    if (!file.before && !file.after)
        return;
    m_unfolded[size_t(m_file)].insert(key);
    const int first = shownPanes().front()->firstVisibleLine();
    rebuild();
    for (DiffPane *pane : shownPanes()) {
        if (!m_display->hunkRows.empty()) {
            const auto [a, b] = m_display->hunkRows[size_t(std::clamp(m_hunk, 0, int(m_display->hunkRows.size()) - 1))];
            pane->markRows(a, b);
        }
        pane->setFirstVisibleLine(first);
        pane->setCursorPosition(row, 0);
    }
}

void DiffView::nextHunk()
{
    if (m_file < 0)
        return;
    if (m_hunk + 1 < m_review.files()[size_t(m_file)].decisionCount()) {
        ++m_hunk;
        revealHunk();
        Q_EMIT currentHunkChanged(m_file, m_hunk);
    } else if (m_file + 1 < int(m_review.files().size())) {
        selectFile(m_file + 1);
    }
}

void DiffView::previousHunk()
{
    if (m_file < 0)
        return;
    if (m_hunk > 0) {
        --m_hunk;
        revealHunk();
        Q_EMIT currentHunkChanged(m_file, m_hunk);
    } else if (m_file > 0) {
        selectFile(m_file - 1);
        m_hunk = m_review.files()[size_t(m_file)].decisionCount() - 1;
        revealHunk();
        Q_EMIT currentHunkChanged(m_file, m_hunk);
    }
}

void DiffView::nextFile()
{
    if (m_file + 1 < int(m_review.files().size()))
        selectFile(m_file + 1);
}

void DiffView::previousFile()
{
    if (m_file > 0)
        selectFile(m_file - 1);
}

std::optional<QString> DiffView::ask(PromptKind kind, const QString &title, const QString &initial)
{
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    const QString fileName = file.diff.newPath.isEmpty() ? file.diff.oldPath : file.diff.newPath;
    if (m_prompt)
        return m_prompt(kind, title, initial, fileName);
    TextPromptDialog dialog(title, initial, fileName, kind == PromptKind::EditHunk, this);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.text();
}

void DiffView::afterDecision(bool advance)
{
    updateFileItem(m_file);
    updateSummary();
    applyNotes();
    if (advance)
        nextHunk();
}

void DiffView::afterDecisionOnAll()
{
    for (int i = 0; i < int(m_review.files().size()); ++i)
        updateFileItem(i);
    updateSummary();
    if (m_file >= 0)
        applyNotes();
}

void DiffView::acceptCurrent()
{
    if (m_file < 0 || !m_review.isProposal())
        return;
    m_review.decide(m_file, m_hunk, HunkDecision::Accepted);
    afterDecision(true);
}

void DiffView::rejectCurrent()
{
    if (m_file < 0 || !m_review.isProposal())
        return;
    const std::optional<QString> reason =
        ask(PromptKind::RejectReason, tr("Why reject this change? The agent reads your reason (optional)."), QString());
    if (!reason)
        return;
    m_review.decide(m_file, m_hunk, HunkDecision::Rejected, *reason);
    afterDecision(true);
}

void DiffView::editCurrent()
{
    if (m_file < 0 || !m_review.isProposal())
        return;
    const ReviewFile &file = m_review.files()[size_t(m_file)];
    if (!file.contentAvailable || file.diff.hunks.empty())
        return;
    const QString initial = file.edits[size_t(m_hunk)].value_or(m_review.newSideText(m_file, m_hunk));
    const std::optional<QString> edited =
        ask(PromptKind::EditHunk, tr("Edit the new text of this change, then accept it"), initial);
    if (!edited)
        return;
    m_review.edit(m_file, m_hunk, *edited);
    afterDecision(false);
}

void DiffView::commentCurrent()
{
    if (m_file < 0 || !m_display)
        return;
    auto [newSide, line] = lineAtCursor();
    if (line < 0 && !m_display->hunkRows.empty()) {
        // No line under the caret: the current hunk's first changed line.
        const auto [first, last] = m_display->hunkRows[size_t(std::clamp(m_hunk, 0, int(m_display->hunkRows.size()) - 1))];
        for (int row = first; row <= last && line < 0; ++row) {
            if (m_display->newLine[size_t(row)] > 0) {
                newSide = true;
                line = m_display->newLine[size_t(row)];
            } else if (m_display->oldLine[size_t(row)] > 0) {
                newSide = false;
                line = m_display->oldLine[size_t(row)];
            }
        }
    }
    if (line < 0)
        return;
    const int row = rowForLine(newSide, line);
    const QString lineText = row >= 0 ? m_display->text[size_t(row)] : QString();
    const std::optional<QString> text =
        ask(PromptKind::Comment, tr("Comment on %1 line %2").arg(newSide ? tr("new") : tr("old")).arg(line), QString());
    if (!text || text->trimmed().isEmpty())
        return;
    m_review.comment({m_file, newSide, line, lineText, *text});
    updateSummary();
    applyNotes();
}

void DiffView::acceptFile()
{
    if (m_file < 0 || !m_review.isProposal())
        return;
    m_review.decideFile(m_file, HunkDecision::Accepted);
    afterDecision(false);
}

void DiffView::rejectFile()
{
    if (m_file < 0 || !m_review.isProposal())
        return;
    const std::optional<QString> reason =
        ask(PromptKind::RejectReason, tr("Why reject this file's changes? (optional)"), QString());
    if (!reason)
        return;
    m_review.decideFile(m_file, HunkDecision::Rejected, *reason);
    afterDecision(false);
}

void DiffView::acceptAll()
{
    if (!m_review.isProposal())
        return;
    m_review.decideAll(HunkDecision::Accepted);
    afterDecisionOnAll();
}

void DiffView::rejectAll()
{
    if (!m_review.isProposal())
        return;
    const std::optional<QString> reason =
        ask(PromptKind::RejectReason, tr("Why reject the whole change? (optional)"), QString());
    if (!reason)
        return;
    m_review.decideAll(HunkDecision::Rejected, *reason);
    afterDecisionOnAll();
}

void DiffView::settle(const QString &outcome)
{
    if (!m_review.isProposal() || m_settled)
        return;
    m_settled = true;
    m_title->setText(outcome);
    for (QPushButton *button : {m_acceptAll, m_rejectAll, m_submit})
        button->setEnabled(false);
}

void DiffView::submit()
{
    if (m_settled)
        return;
    if (m_review.isProposal()) {
        auto op = m_review.resolution();
        if (!op) {
            m_summary->setText(op.error().message);
            return;
        }
        Q_EMIT resolved(*op);
        return;
    }
    const QString message = m_review.feedback();
    if (!message.isEmpty())
        Q_EMIT feedbackReady(message);
}

bool DiffView::handleKey(int key, Qt::KeyboardModifiers modifiers)
{
    if ((key == Qt::Key_Return || key == Qt::Key_Enter) && (modifiers & Qt::ControlModifier)) {
        submit();
        return true;
    }
    if (modifiers & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    switch (key) {
    case Qt::Key_N: nextHunk(); return true;
    case Qt::Key_P: previousHunk(); return true;
    case Qt::Key_A: acceptCurrent(); return true;
    case Qt::Key_R: rejectCurrent(); return true;
    case Qt::Key_E: editCurrent(); return true;
    case Qt::Key_C: commentCurrent(); return true;
    case Qt::Key_BracketRight: nextFile(); return true;
    case Qt::Key_BracketLeft: previousFile(); return true;
    case Qt::Key_Return:
    case Qt::Key_Enter: {
        DiffPane *pane = m_layout == Layout::Inline ? m_inlinePane : (m_oldPane->hasFocus() ? m_oldPane : m_newPane);
        int row = 0, index = 0;
        pane->getCursorPosition(&row, &index);
        activateRow(row);
        return true;
    }
    default: return false;
    }
}

bool DiffView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (handleKey(key->key(), key->modifiers()))
            return true;
    } else if (event->type() == QEvent::ShortcutOverride) {
        // Single letters are the view's own keys while it has focus.
        auto *key = static_cast<QKeyEvent *>(event);
        if (!(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) && !key->text().isEmpty()) {
            event->accept();
            return false;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace reins::widgets
