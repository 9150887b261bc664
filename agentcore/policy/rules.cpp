#include "rules.h"

#include "../protocol/types.h"
#include "../workspace/ignorerules.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace reins::policy {

namespace {

QString actionName(RuleAction a)
{
    switch (a) {
    case RuleAction::Allow: return QStringLiteral("allow");
    case RuleAction::Ask: return QStringLiteral("ask");
    case RuleAction::Deny: return QStringLiteral("deny");
    }
    return {};
}

std::optional<RuleAction> actionFrom(const QString &name)
{
    for (RuleAction a : {RuleAction::Allow, RuleAction::Ask, RuleAction::Deny})
        if (actionName(a) == name)
            return a;
    return std::nullopt;
}

QStringList words(const QString &prefix)
{
    return prefix.split(u' ', Qt::SkipEmptyParts);
}

QJsonArray toJson(const std::vector<Rule> &rules, RuleScope scope)
{
    QJsonArray array;
    for (const Rule &r : rules)
        if (r.scope == scope)
            array.append(QJsonObject{{QStringLiteral("action"), actionName(r.action)},
                                     {QStringLiteral("tool"), r.tool},
                                     {QStringLiteral("pattern"), r.pattern}});
    return array;
}

Result<void> readRules(const QJsonValue &value, RuleScope scope, std::vector<Rule> &out, const QString &where)
{
    for (const QJsonValue &v : value.toArray()) {
        const QJsonObject o = v.toObject();
        const auto action = actionFrom(o.value(QLatin1String("action")).toString());
        const QString tool = o.value(QLatin1String("tool")).toString();
        const QString pattern = o.value(QLatin1String("pattern")).toString().trimmed();
        if (!action || tool.isEmpty() || pattern.isEmpty())
            return fail(QStringLiteral("%1: every rule needs an action (allow, ask, deny), a tool and a pattern").arg(where));
        out.push_back(Rule{*action, tool, pattern, scope});
    }
    return {};
}

} // namespace

QString Rule::describe() const
{
    const QString where = scope == RuleScope::Session ? QStringLiteral("this session")
                          : scope == RuleScope::Workspace ? QStringLiteral("this workspace")
                                                          : QStringLiteral("all workspaces");
    return QStringLiteral("%1 %2 `%3` (%4)").arg(actionName(action), tool, pattern, where);
}

void RuleSet::add(const Rule &rule)
{
    if (std::find(m_rules.begin(), m_rules.end(), rule) == m_rules.end())
        m_rules.push_back(rule);
}

bool RuleSet::remove(const Rule &rule)
{
    const auto it = std::find(m_rules.begin(), m_rules.end(), rule);
    if (it == m_rules.end())
        return false;
    m_rules.erase(it);
    return true;
}

bool prefixMatches(const QString &prefix, const QStringList &argv)
{
    const QStringList want = words(prefix);
    if (want.isEmpty() || argv.size() < want.size())
        return false;
    for (qsizetype i = 0; i < want.size(); ++i)
        if (argv[i] != want[i])
            return false;
    return true;
}

std::optional<Rule> RuleSet::match(const QString &tool, const std::function<bool(const Rule &)> &matches) const
{
    for (RuleAction action : {RuleAction::Deny, RuleAction::Ask, RuleAction::Allow})
        for (const Rule &r : m_rules)
            if (r.action == action && r.tool == tool && matches(r))
                return r;
    return std::nullopt;
}

std::optional<Rule> RuleSet::matchCommand(const QStringList &argv) const
{
    return match(QStringLiteral("run_command"), [&argv](const Rule &r) { return prefixMatches(r.pattern, argv); });
}

std::optional<Rule> RuleSet::matchPath(const QString &path) const
{
    return match(QStringLiteral("edit"), [&path](const Rule &r) { return workspace::globMatch(r.pattern, path); });
}

QString RuleSet::defaultFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/reins/rules.json");
}

Result<RuleSet> RuleSet::load(const QString &file, const QString &workspace)
{
    RuleSet set;
    QFile f(file);
    if (!f.exists())
        return set;
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the rules %1: %2").arg(file, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return fail(QStringLiteral("the rules file %1 is not valid JSON (%2); fix or delete it").arg(file, error.errorString()));
    const QJsonObject root = doc.object();
    if (auto ok = readRules(root.value(QLatin1String("global")), RuleScope::Global, set.m_rules, file); !ok)
        return std::unexpected(ok.error());
    const QJsonValue mine = root.value(QLatin1String("workspaces")).toObject().value(QDir::cleanPath(workspace));
    if (auto ok = readRules(mine, RuleScope::Workspace, set.m_rules, file); !ok)
        return std::unexpected(ok.error());
    return set;
}

Result<void> RuleSet::save(const QString &file, const QString &workspace) const
{
    QJsonObject root;
    QFile existing(file);
    if (existing.open(QIODevice::ReadOnly))
        root = QJsonDocument::fromJson(existing.readAll()).object();
    existing.close();
    root.insert(QStringLiteral("global"), toJson(m_rules, RuleScope::Global));
    QJsonObject workspaces = root.value(QLatin1String("workspaces")).toObject();
    const QJsonArray mine = toJson(m_rules, RuleScope::Workspace);
    if (mine.isEmpty())
        workspaces.remove(QDir::cleanPath(workspace));
    else
        workspaces.insert(QDir::cleanPath(workspace), mine);
    root.insert(QStringLiteral("workspaces"), workspaces);
    if (!QDir().mkpath(QFileInfo(file).path()))
        return fail(QStringLiteral("cannot create %1").arg(QFileInfo(file).path()));
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write the rules %1: %2").arg(file, out.errorString()));
    out.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!out.commit())
        return fail(QStringLiteral("cannot write the rules %1: %2").arg(file, out.errorString()));
    return {};
}

QString rulePrefix(const QStringList &argv)
{
    if (argv.isEmpty())
        return {};
    static const QStringList whole{QStringLiteral("rm"), QStringLiteral("rmdir"), QStringLiteral("sudo"),
                                   QStringLiteral("doas"), QStringLiteral("chmod"), QStringLiteral("chown"),
                                   QStringLiteral("dd"), QStringLiteral("mv"), QStringLiteral("cp"),
                                   QStringLiteral("kill"), QStringLiteral("pkill"), QStringLiteral("curl"),
                                   QStringLiteral("wget"), QStringLiteral("ssh"), QStringLiteral("scp")};
    static const QStringList wholeGit{QStringLiteral("push"), QStringLiteral("reset"), QStringLiteral("clean"),
                                      QStringLiteral("checkout"), QStringLiteral("rebase"), QStringLiteral("branch")};
    const QString program = QFileInfo(argv.first()).fileName();
    if (whole.contains(program) || (program == QLatin1String("git") && argv.size() > 1 && wholeGit.contains(argv[1])))
        return argv.join(u' ');
    // "npm run build", "pnpm exec tsc": the script or tool is part of what was approved, not all of them.
    static const QStringList runners{QStringLiteral("run"), QStringLiteral("exec"), QStringLiteral("x")};
    QStringList prefix{argv.first()};
    for (qsizetype i = 1; i < argv.size(); ++i) {
        if (argv[i].startsWith(u'-'))
            continue;
        prefix.append(argv[i]);
        if (!runners.contains(argv[i]))
            break;
    }
    return prefix.join(u' ');
}

} // namespace reins::policy
