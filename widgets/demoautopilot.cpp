#include "demoautopilot.h"

#include "diffview.h"
#include "mainwindow.h"
#include "sessioncontroller.h"

#include <QTimer>

namespace reins::widgets {

using namespace protocol;

std::optional<DemoAutopilot::Stop> DemoAutopilot::stopFromName(const QString &name)
{
    if (name == u"edit")
        return Stop::Edit;
    if (name == u"command")
        return Stop::Command;
    if (name == u"end")
        return Stop::End;
    if (name == u"restore")
        return Stop::Restore;
    return std::nullopt;
}

DemoAutopilot::DemoAutopilot(MainWindow *window, Stop stop, int pauseMs)
    : QObject(window), m_window(window), m_stop(stop), m_pauseMs(pauseMs)
{
    connect(window->controller(), &SessionController::eventApplied, this, &DemoAutopilot::onEvent);
}

void DemoAutopilot::onEvent(const AgentEvent &event)
{
    if (const auto *request = std::get_if<ApprovalRequested>(&event.payload)) {
        const bool edit = !request->files.empty();
        if ((edit && m_stop == Stop::Edit) || (!edit && m_stop == Stop::Command))
            return; // the person's turn
        const QString callId = request->callId;
        QTimer::singleShot(m_pauseMs, this, [this, edit, callId] {
            if (edit) { // through the diff review, as a person would
                DiffView *diff = m_window->diffView();
                diff->acceptAll();
                diff->submit();
            } else {
                m_window->controller()->resolve(ResolveApproval{callId, ApprovalDecision::ApproveOnce, std::nullopt,
                                                                std::nullopt, {}});
            }
        });
        return;
    }
    if (std::holds_alternative<TurnCompleted>(event.payload) && m_stop == Stop::Restore && !m_restored) {
        m_restored = true;
        QTimer::singleShot(m_pauseMs, this, [this] {
            m_window->setConfirm([](const QString &, const QString &) { return true; });
            m_window->undoLastTurn(); // the turn's first checkpoint: the bug comes back, and the undo is listed
        });
    }
}

} // namespace reins::widgets
