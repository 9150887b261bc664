#pragma once

// The agent's plan (update_plan) with its progress: "2 of 3 done", a bar, and the steps with their state.

#include "protocol/types.h"

#include <QFrame>

#include <vector>

class QLabel;
class QProgressBar;

namespace reins::widgets {

class PlanView : public QFrame
{
    Q_OBJECT
public:
    explicit PlanView(QWidget *parent = nullptr);

    /// Shows the plan; an empty plan hides the view.
    void setPlan(const std::vector<protocol::PlanItem> &plan);
    QString summary() const;
    int progress() const;

private:
    QLabel *m_title;
    QProgressBar *m_bar;
    QLabel *m_items;
};

} // namespace reins::widgets
