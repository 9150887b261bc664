#pragma once

#include "../exec/sandbox.h"
#include "../protocol/types.h"
#include "commandanalysis.h"
#include "rules.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace reins::policy {

/// What the gate does with a tool call.
enum class Verdict { Allow, Ask, Deny };

/// One call, as the gate sees it.
struct PolicyInput
{
    QString tool;
    QJsonObject arguments;
    bool mutates = false;
    QStringList paths;  ///< for edits: the workspace-relative files the call would change
    protocol::ApprovalMode mode = protocol::ApprovalMode::Ask;
    bool sandboxCommands = false; ///< the person chose to sandbox commands outside full-auto
    bool sandboxNetwork = true;   ///< a sandboxed command that uses the network may have it (false: never)
};

/// The gate's answer, with what the person needs to decide when it asks.
struct PolicyDecision
{
    Verdict verdict = Verdict::Ask;
    QString reason;              ///< Deny: what the model is told; Ask: why it asks
    bool sandboxed = false;      ///< run_command: run inside the sandbox
    bool network = false;        ///< run_command in the sandbox: with the network
    QStringList subcommands;     ///< run_command: every simple command, as written
    QStringList risks;
    QString matchedRule;         ///< the rule that decided, described
    std::vector<Rule> proposed;  ///< what "for the session" / "always" would save (scope set by the caller)
    QString sandboxState;        ///< how it would run: "bubblewrap (no network)", "none", "unavailable: …"
};

/// The approval gate's decision for one call: deny rules, then the mode, ask rules and allow rules; commands are
/// analysed into their simple commands and each is checked on its own. Anything not analysable with certainty
/// asks — it is never allowed by a rule or by being "read-only". The model has no say: its arguments are data.
class ApprovalPolicy
{
public:
    ApprovalPolicy(const RuleSet *rules, QString workspaceRoot, exec::SandboxStatus sandbox);

    PolicyDecision decide(const PolicyInput &input) const;

private:
    PolicyDecision decideCommand(const PolicyInput &input) const;
    PolicyDecision decideEdit(const PolicyInput &input) const;

    const RuleSet *m_rules;
    QString m_root;
    exec::SandboxStatus m_sandbox;
};

} // namespace reins::policy
