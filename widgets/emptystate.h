#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace reins::widgets {

/// What a pane shows while it has nothing to show: a title, what will appear here, and how to get started.
class EmptyState : public QWidget
{
    Q_OBJECT
public:
    EmptyState(const QString &title, const QString &body, const QString &hint, QWidget *parent = nullptr);

    QString title() const;
    QString body() const;
    QString hint() const;
    /// A button under the hint: the next step, one click away ("Try the demo").
    QPushButton *addAction(const QString &text);

private:
    QLabel *m_title;
    QLabel *m_body;
    QLabel *m_hint;
    QVBoxLayout *m_layout;
};

} // namespace reins::widgets
