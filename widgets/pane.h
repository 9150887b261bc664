#pragma once

#include <QWidget>

class QLabel;
class QStackedWidget;

namespace reins::widgets {

class EmptyState;

/// One of the window's panes: a header naming it, and a body that is the empty state until there is content.
class Pane : public QWidget
{
    Q_OBJECT
public:
    Pane(const QString &name, EmptyState *emptyState, QWidget *parent = nullptr);

    QString name() const;
    EmptyState *emptyState() const { return m_emptyState; }
    /// Shows `content` instead of the empty state (the pane takes ownership).
    void setContent(QWidget *content);
    bool isEmpty() const;

private:
    QLabel *m_header;
    QStackedWidget *m_stack;
    EmptyState *m_emptyState;
};

} // namespace reins::widgets
