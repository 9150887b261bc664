#pragma once

// The person's approval rules: allow / ask / deny, per tool, with a command prefix (for run_command) or a path
// glob (for edits). Evaluated deny → ask → allow; within a kind the first match wins. Rules live in the user's
// configuration folder keyed by workspace — never in the repository, so a cloned project cannot grant itself
// anything — or only in memory for the session.

#include "../error.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace reins::policy {

enum class RuleAction { Allow, Ask, Deny };
enum class RuleScope { Session, Workspace, Global };

struct Rule
{
    RuleAction action = RuleAction::Ask;
    QString tool;     ///< "run_command", or "edit" for edit_file / write_file / apply_patch
    QString pattern;  ///< run_command: a command prefix ("npm test"); edit: a path glob ("src/**")
    RuleScope scope = RuleScope::Session;

    /// "allow run_command `npm test` (this workspace)"
    QString describe() const;
    bool operator==(const Rule &) const = default;
};

/// The rules that apply to one workspace: the session's, the workspace's and the global ones.
class RuleSet
{
public:
    void add(const Rule &rule);
    bool remove(const Rule &rule);
    const std::vector<Rule> &rules() const { return m_rules; }

    /// The rule deciding a command given as argv (a simple command), or none.
    std::optional<Rule> matchCommand(const QStringList &argv) const;
    /// The rule deciding an edit of `path` (workspace-relative), or none.
    std::optional<Rule> matchPath(const QString &path) const;

    /// Loads the global and this workspace's rules from `file` (the user's rules.json); a missing file is empty.
    static Result<RuleSet> load(const QString &file, const QString &workspace);
    /// Writes the persistent rules (workspace and global scopes) back to `file`, keeping other workspaces' rules.
    Result<void> save(const QString &file, const QString &workspace) const;
    /// The user's rules file: $XDG_CONFIG_HOME/reins/rules.json.
    static QString defaultFile();

private:
    std::optional<Rule> match(const QString &tool, const std::function<bool(const Rule &)> &matches) const;
    std::vector<Rule> m_rules;
};

/// The prefix a session or workspace approval of this simple command saves: the program and its first
/// non-option argument ("npm test", "cargo build", "make"); the whole command for programs where a prefix would
/// grant too much (rm, sudo, chmod, git push, …).
QString rulePrefix(const QStringList &argv);

/// Whether a command (argv) starts with the words of `prefix`.
bool prefixMatches(const QString &prefix, const QStringList &argv);

} // namespace reins::policy
