#pragma once

#include "../protocol/types.h"

#include <QJsonObject>
#include <QString>

namespace reins::session {

/// What the gate does with a tool call.
enum class Verdict { Allow, Ask, Deny };

struct PolicyDecision
{
    Verdict verdict = Verdict::Ask;
    QString reason; ///< for Deny: what the model is told; for Ask: why it asks
};

/// Decides whether a tool call may run. This is the simple policy by mode; the rules engine and the command
/// analyser plug in here. The model has no say: its arguments are data, never a grant.
class ApprovalPolicy
{
public:
    virtual ~ApprovalPolicy() = default;
    virtual PolicyDecision decide(const QString &tool, const QJsonObject &arguments, bool mutates,
                                  protocol::ApprovalMode mode) const;
};

} // namespace reins::session
