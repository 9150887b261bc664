#include "approvalpolicy.h"

namespace reins::policy {

using protocol::ApprovalMode;

ApprovalPolicy::ApprovalPolicy(const RuleSet *rules, QString workspaceRoot, exec::SandboxStatus sandbox)
    : m_rules(rules)
    , m_root(std::move(workspaceRoot))
    , m_sandbox(std::move(sandbox))
{
}

PolicyDecision ApprovalPolicy::decide(const PolicyInput &input) const
{
    if (input.tool == QLatin1String("run_command"))
        return decideCommand(input);
    if (!input.mutates)
        return {Verdict::Allow};
    return decideEdit(input);
}

PolicyDecision ApprovalPolicy::decideEdit(const PolicyInput &input) const
{
    PolicyDecision d;
    d.sandboxState = QStringLiteral("none (file edits are confined to the workspace)");
    std::optional<Rule> allowAll;
    bool allAllowed = !input.paths.isEmpty();
    for (const QString &path : input.paths) {
        const std::optional<Rule> rule = m_rules ? m_rules->matchPath(path) : std::nullopt;
        if (rule && rule->action == RuleAction::Deny) {
            d.verdict = Verdict::Deny;
            d.matchedRule = rule->describe();
            d.reason = QStringLiteral("A rule of the user forbids changing %1 (%2).").arg(path, d.matchedRule);
            return d;
        }
        if (rule && rule->action == RuleAction::Ask) {
            d.matchedRule = rule->describe();
            allAllowed = false;
        } else if (rule && rule->action == RuleAction::Allow) {
            allowAll = rule;
        } else {
            allAllowed = false;
        }
        d.proposed.push_back(Rule{RuleAction::Allow, QStringLiteral("edit"), path, RuleScope::Session});
    }
    if (input.mode == ApprovalMode::ReadOnly) {
        d.verdict = Verdict::Deny;
        d.reason = QStringLiteral("The session is read-only: %1 is not allowed. Only reading and searching are.").arg(input.tool);
        return d;
    }
    if (!d.matchedRule.isEmpty()) { // an ask rule
        d.verdict = Verdict::Ask;
        d.reason = QStringLiteral("a rule asks: ") + d.matchedRule;
        return d;
    }
    if (allAllowed && allowAll) {
        d.verdict = Verdict::Allow;
        d.matchedRule = allowAll->describe();
        return d;
    }
    if (input.mode == ApprovalMode::AutoEdit || input.mode == ApprovalMode::FullAuto) {
        d.verdict = Verdict::Allow;
        return d;
    }
    d.verdict = Verdict::Ask;
    d.reason = QStringLiteral("edits need approval");
    return d;
}

PolicyDecision ApprovalPolicy::decideCommand(const PolicyInput &input) const
{
    PolicyDecision d;
    const QString command = input.arguments.value(QLatin1String("command")).toString();
    const CommandAnalysis analysis = analyseCommand(command, m_root);
    for (const SimpleCommand &c : analysis.commands)
        d.subcommands.append(c.text.isEmpty() ? c.argv.join(u' ') : c.text);
    d.risks = analysis.risks;

    // Deny rules first, on every simple command.
    bool anyAsk = false;
    bool allCovered = analysis.certain && !analysis.commands.empty();
    std::optional<Rule> allowRule;
    for (const SimpleCommand &c : analysis.commands) {
        const std::optional<Rule> rule = m_rules ? m_rules->matchCommand(c.argv) : std::nullopt;
        if (rule && rule->action == RuleAction::Deny) {
            d.verdict = Verdict::Deny;
            d.matchedRule = rule->describe();
            d.reason = QStringLiteral("A rule of the user forbids `%1` (%2).").arg(c.argv.join(u' '), d.matchedRule);
            return d;
        }
        if (rule && rule->action == RuleAction::Ask) {
            anyAsk = true;
            d.matchedRule = rule->describe();
        }
        // Nothing that runs as root is allowed without asking, whatever a rule or the read-only list says.
        const bool privileged = std::any_of(c.wrappers.begin(), c.wrappers.end(), [](const QString &w) {
            return w == QLatin1String("sudo") || w == QLatin1String("doas") || w == QLatin1String("su")
                   || w == QLatin1String("pkexec");
        });
        // A rule approves a program and its arguments, not what surrounds it: a write redirection, environment
        // settings (PATH, LD_PRELOAD…) or arguments supplied by xargs / find -exec make it something else.
        const bool decorated = std::any_of(c.redirections.begin(), c.redirections.end(), [](const Redirection &r) { return r.writes; })
                               || !c.environment.isEmpty() || c.wrappers.contains(QStringLiteral("xargs"))
                               || c.wrappers.contains(QStringLiteral("find"));
        const bool ruleAllows = rule && rule->action == RuleAction::Allow && !decorated;
        const bool allowed = !privileged && (ruleAllows || c.readOnly);
        if (ruleAllows)
            allowRule = rule;
        allCovered = allCovered && allowed && c.certain;
        if (!c.readOnly && c.certain && !c.argv.isEmpty()) {
            Rule proposal{RuleAction::Allow, QStringLiteral("run_command"), rulePrefix(c.argv), RuleScope::Session};
            if (std::find(d.proposed.begin(), d.proposed.end(), proposal) == d.proposed.end())
                d.proposed.push_back(proposal);
        }
    }
    const bool network = analysis.risks.contains(QStringLiteral("uses the network"));
    const bool leaves = network || analysis.risks.contains(QStringLiteral("runs as root"))
                        || analysis.risks.contains(QStringLiteral("writes outside the workspace"));
    const bool sandboxWanted = input.mode == ApprovalMode::FullAuto || input.sandboxCommands;
    d.sandboxed = sandboxWanted && m_sandbox.available;
    d.network = d.sandboxed && network && input.sandboxNetwork;
    d.sandboxState = d.sandboxed ? m_sandbox.describe(d.network)
                     : sandboxWanted ? m_sandbox.describe(false)
                                     : QStringLiteral("none");

    if (input.mode == ApprovalMode::ReadOnly) {
        if (analysis.readOnly())
            return d.verdict = Verdict::Allow, d;
        d.verdict = Verdict::Deny;
        d.reason = analysis.certain
                       ? QStringLiteral("The session is read-only, and this command is not: %1.").arg(d.subcommands.join(QStringLiteral("; ")))
                       : QStringLiteral("The session is read-only, and this command could not be analysed with certainty (%1).")
                             .arg(analysis.reasons.join(QStringLiteral("; ")));
        return d;
    }
    if (!analysis.certain) {
        d.verdict = Verdict::Ask;
        d.reason = QStringLiteral("the command could not be analysed with certainty: ") + analysis.reasons.join(QStringLiteral("; "));
        return d;
    }
    if (anyAsk) {
        d.verdict = Verdict::Ask;
        d.reason = QStringLiteral("a rule asks: ") + d.matchedRule;
        return d;
    }
    if (allCovered) {
        d.verdict = Verdict::Allow;
        if (allowRule)
            d.matchedRule = allowRule->describe();
        return d;
    }
    if (input.mode == ApprovalMode::FullAuto) {
        if (!m_sandbox.available) {
            d.verdict = Verdict::Ask;
            d.reason = QStringLiteral("full-auto runs commands only in the sandbox, which is %1").arg(m_sandbox.describe(false));
            return d;
        }
        if (leaves) {
            d.verdict = Verdict::Ask;
            d.reason = QStringLiteral("the command needs to leave the sandbox (%1)").arg(analysis.risks.join(QStringLiteral(", ")));
            return d;
        }
        d.verdict = Verdict::Allow;
        return d;
    }
    d.verdict = Verdict::Ask;
    d.reason = QStringLiteral("commands that are not read-only need approval");
    return d;
}

} // namespace reins::policy
