#pragma once

// The diff review view: a file list with status and +/− counts, and the selected file side by side (two
// scroll-locked panes aligned with filler rows) or inline, unchanged stretches folded. The person accepts or
// rejects each hunk, a file or everything, edits a hunk's new text, and comments on lines; for a proposal at the
// approval gate the outcome leaves as one ResolveApproval, otherwise the comments leave as one message.
// Keys: n / p next and previous hunk, a accept, r reject, e edit, c comment, ] / [ next and previous file,
// Enter on a folded stretch unfolds it, Ctrl+Enter submits.

#include "review/changereview.h"

#include <QWidget>

#include <functional>
#include <optional>
#include <set>
#include <vector>

class QLabel;
class QStackedWidget;
class QToolButton;
class QPushButton;
class QTreeWidget;

namespace reins::widgets {

class DiffPane;

class DiffView : public QWidget
{
    Q_OBJECT
public:
    enum class Layout { SideBySide, Inline };
    enum class PromptKind { RejectReason, EditHunk, Comment };
    /// Asks the person for text; nullopt when they cancel. Dialogs by default; tests answer instead.
    using Prompt = std::function<std::optional<QString>(PromptKind kind, const QString &title, const QString &initial,
                                                        const QString &fileName)>;

    explicit DiffView(QWidget *parent = nullptr);
    ~DiffView() override;

    /// Shows a review; `scope` names what it covers ("Proposed change", "Since checkpoint 3f2a…", …).
    void setReview(review::ChangeReview review, const QString &scope);
    const review::ChangeReview &review() const { return m_review; }
    QString scope() const;

    void setLayoutMode(Layout layout);
    Layout layoutMode() const { return m_layout; }
    void setDark(bool dark);
    void setPrompt(Prompt prompt);

    int currentFile() const { return m_file; }
    /// The current hunk of the current file (the file's only decision for a file without hunks).
    int currentHunk() const { return m_hunk; }
    void selectFile(int file);
    void nextHunk();
    void previousHunk();
    void nextFile();
    void previousFile();
    void acceptCurrent();
    void rejectCurrent();
    void editCurrent();
    void commentCurrent();
    void acceptFile();
    void rejectFile();
    void acceptAll();
    void rejectAll();
    /// A proposal: emits resolved(). Otherwise, with comments: emits feedbackReady().
    void submit();
    /// The proposal shown was decided (`outcome`, the new title: "Applied as reviewed", "Denied"): it stays to read,
    /// no longer to decide.
    void settle(const QString &outcome);
    bool isSettled() const { return m_settled; }

    DiffPane *oldPane() const { return m_oldPane; }
    DiffPane *newPane() const { return m_newPane; }
    DiffPane *inlinePane() const { return m_inlinePane; }
    QTreeWidget *fileList() const { return m_files; }

Q_SIGNALS:
    void resolved(const reins::protocol::ResolveApproval &op);
    void feedbackReady(const QString &message);
    void currentHunkChanged(int file, int hunk);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Display; // the current file's rows and where its hunks and folds are
    void fillFileList();
    void updateFileItem(int file);
    void showFile();
    /// The current file's rows made anew (a layout switch, an unfolded stretch), notes included.
    void rebuild();
    std::vector<DiffPane *> shownPanes() const;
    void buildSideBySide();
    void buildInline();
    void applyNotes();
    void revealHunk();
    void activateRow(int row);
    void updateSummary();
    /// The current file's list entry, the summary and the notes show a new decision; then on to the next hunk.
    void afterDecision(bool advance);
    void afterDecisionOnAll();
    bool handleKey(int key, Qt::KeyboardModifiers modifiers);
    std::optional<QString> ask(PromptKind kind, const QString &title, const QString &initial);
    int rowForLine(bool newSide, int line) const;
    std::pair<bool, int> lineAtCursor() const;
    QString noteFor(int hunk) const;

    review::ChangeReview m_review;
    int m_file = -1;
    int m_hunk = 0;
    bool m_settled = false;
    Layout m_layout = Layout::SideBySide;
    bool m_dark = false;
    Prompt m_prompt;
    std::vector<std::set<int>> m_unfolded; ///< per file: the old line numbers of unfolded stretches
    std::unique_ptr<Display> m_display;
    bool m_syncing = false;

    QLabel *m_title;
    QLabel *m_summary;
    QToolButton *m_sideButton;
    QToolButton *m_inlineButton;
    QPushButton *m_acceptAll;
    QPushButton *m_rejectAll;
    QPushButton *m_submit;
    QTreeWidget *m_files;
    QStackedWidget *m_stack;
    DiffPane *m_oldPane;
    DiffPane *m_newPane;
    DiffPane *m_inlinePane;
    QLabel *m_hints;
};

} // namespace reins::widgets
