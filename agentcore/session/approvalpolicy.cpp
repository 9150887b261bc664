#include "approvalpolicy.h"

namespace reins::session {

PolicyDecision ApprovalPolicy::decide(const QString &tool, const QJsonObject &arguments, bool mutates,
                                      protocol::ApprovalMode mode) const
{
    Q_UNUSED(arguments);
    using protocol::ApprovalMode;
    if (!mutates)
        return {Verdict::Allow, {}};
    const bool command = tool == QLatin1String("run_command");
    switch (mode) {
    case ApprovalMode::ReadOnly:
        return {Verdict::Deny, QStringLiteral("The session is read-only: %1 is not allowed. Only reading and "
                                              "searching are.")
                                   .arg(tool)};
    case ApprovalMode::Ask:
        return {Verdict::Ask, command ? QStringLiteral("commands need approval") : QStringLiteral("edits need approval")};
    case ApprovalMode::AutoEdit:
        return command ? PolicyDecision{Verdict::Ask, QStringLiteral("commands need approval in auto-edit mode")}
                       : PolicyDecision{Verdict::Allow, {}};
    case ApprovalMode::FullAuto:
        // Until commands run in a sandbox, full-auto does not let them run unasked.
        return command ? PolicyDecision{Verdict::Ask, QStringLiteral("commands need approval: no sandbox is available "
                                                                     "to run them in")}
                       : PolicyDecision{Verdict::Allow, {}};
    }
    return {Verdict::Ask, {}};
}

} // namespace reins::session
