#include "commandanalysis.h"

#include "commandrules.h"
#include "shelltokenizer.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace reins::policy {
namespace {

using shell::RawCommand;
using shell::Word;
using Words = std::vector<Word>;
using commandrules::Skip;

constexpr qsizetype kMaxCommands = 100;

const QString kDeletes = u"deletes files"_s;
const QString kNetwork = u"uses the network"_s;
const QString kRoot = u"runs as root"_s;
const QString kOutside = u"writes outside the workspace"_s;
const QString kWrites = u"writes to a file"_s;
const QString kUncertain = u"could not be analysed with certainty"_s;

bool isSink(const QString &target)
{
    return target == u"/dev/null" || target == u"/dev/stdout" || target == u"/dev/stderr" || target == u"/dev/tty";
}

Redirection toRedirection(const shell::Redirect &r)
{
    Redirection out{r.op, r.target.value};
    qsizetype digits = 0;
    while (digits < r.op.size() && r.op[digits].isDigit())
        ++digits;
    const QStringView op = QStringView(r.op).mid(digits);
    static const QStringList writing = {u">"_s, u">>"_s, u">|"_s, u"&>"_s, u"&>>"_s, u"<>"_s};
    if (writing.contains(op)) {
        out.writes = !isSink(out.target);
    } else if (op == u">&") { // >&2 and >&- duplicate or close; >&file writes both streams to the file
        static const QRegularExpression descriptor(u"^(\\d+-?|-)$"_s);
        out.writes = !descriptor.match(out.target).hasMatch() && !isSink(out.target);
    }
    return out;
}

const QStringList kShells = {u"bash"_s, u"sh"_s, u"zsh"_s, u"dash"_s, u"ksh"_s, u"ash"_s, u"mksh"_s};

class Analyser
{
public:
    explicit Analyser(const QString &workspaceRoot)
        : m_root(workspaceRoot.isEmpty() ? QString() : QDir::cleanPath(workspaceRoot))
    {
    }

    // The effects a wrapper has on the command it runs.
    struct Context
    {
        QStringList wrappers;
        bool root = false;
        bool extraArguments = false;   ///< xargs and find -exec add arguments the line does not show
        bool unsafeEnvironment = false; ///< a variable that can change what the program runs is set
        QStringList environment;        ///< the NAME=VALUE settings
        QStringList writtenFiles;      ///< files the wrapper itself writes (time -o)
        std::vector<Redirection> inherited; ///< redirections of an enclosing bash -c or eval
    };

    void analyseLine(const QString &line, int depth, const Context &context)
    {
        if (const QString bad = commandrules::unsafeCharacter(line); !bad.isEmpty())
            uncertain(bad);
        const shell::ParseResult parsed = shell::parse(line, depth);
        for (const QString &problem : parsed.problems)
            uncertain(problem);
        m_arithmeticOnVariables = m_arithmeticOnVariables || parsed.arithmeticOnVariables;
        m_valuesFromExpansions = m_valuesFromExpansions || parsed.valuesFromExpansions;
        for (const RawCommand &raw : parsed.commands) {
            if (!raw.complete)
                continue;
            Context c = context;
            c.wrappers += raw.prefixes;
            for (const Word &a : raw.assignments) {
                const QString name = shell::assignmentName(QStringView(raw.source).mid(a.begin, a.end - a.begin));
                if (!commandrules::harmlessVariable(name))
                    c.unsafeEnvironment = true;
                c.environment << a.value;
            }
            std::vector<Redirection> redirections;
            for (const shell::Redirect &r : raw.redirections)
                redirections.push_back(toRedirection(r));
            resolve(raw, raw.words, c, raw.text(), redirections);
        }
    }

    CommandAnalysis finish()
    {
        if (m_arithmeticOnVariables && m_valuesFromExpansions)
            uncertain(u"arithmetic on a variable whose value comes from a substitution or a glob could run hidden "
                      "commands"_s);
        if (qsizetype(m_out.commands.size()) > kMaxCommands)
            uncertain(u"too complex to analyse"_s);
        for (const SimpleCommand &sc : m_out.commands) {
            if (const QString bad = commandrules::unsafeCharacter(sc.argv.join(u' ')); !bad.isEmpty())
                uncertain(bad);
        }
        m_out.certain = m_out.reasons.isEmpty();
        if (!m_out.certain)
            risk(kUncertain);
        return m_out;
    }

private:
    void uncertain(const QString &reason)
    {
        if (!m_out.reasons.contains(reason))
            m_out.reasons << reason;
    }

    void risk(const QString &risk)
    {
        if (!m_out.risks.contains(risk))
            m_out.risks << risk;
    }

    // Looks through wrappers to the program that really runs, then records it.
    void resolve(const RawCommand &raw, Words words, Context ctx, const QString &text,
                 std::vector<Redirection> redirections)
    {
        SimpleCommand sc;
        sc.text = text;
        sc.redirections = std::move(redirections);
        sc.redirections.insert(sc.redirections.end(), ctx.inherited.begin(), ctx.inherited.end());
        qsizetype i = 0;
        QString problem;
        while (i < qsizetype(words.size())) {
            const qsizetype n = qsizetype(words.size());
            if (!words[i].literal()) {
                problem = u"the program name “%1” is not a literal word"_s.arg(words[i].value);
                break;
            }
            const QString name = commandrules::knownName(words[i].value);
            if (name == u"find") {
                resolveFind(raw, words, i, ctx, sc);
                return;
            }
            if (name == u"eval" || name == u"su" || kShells.contains(name)) {
                if (innerString(raw, words, i, name, ctx, sc, problem))
                    return;
                break;
            }
            if (!commandrules::isWrapper(name))
                break;
            Skip skip = commandrules::skipWrapperOptions(words, i + 1, name);
            bool unsafeEnvironment = false; // env and sudo take NAME=VALUE words before the command
            QStringList environment;
            if (skip.kind == Skip::Wrapped && (name == u"env" || name == u"sudo")) {
                while (skip.next < n && words[skip.next].literal()
                       && commandrules::assignmentLike(words[skip.next].value)) {
                    if (!commandrules::harmlessVariable(words[skip.next].value.section(u'=', 0, 0)))
                        unsafeEnvironment = true;
                    environment << words[skip.next].value;
                    ++skip.next;
                }
                // env -C and sudo -D run the command elsewhere: relative paths are no longer known to be inside.
                for (qsizetype k = i + 1; k < skip.next; ++k) {
                    const QString &v = words[k].value;
                    if (v.startsWith(u"--chdir") || v.startsWith(name == u"env" ? u"-C" : u"-D"))
                        m_directoryUnknown = true;
                }
            }
            if (skip.kind == Skip::Wrapped && skip.next >= n)
                skip.kind = Skip::Program;
            if (name == u"xargs" && skip.kind != Skip::Problem) {
                markReplacement(words, i, skip);
                if (skip.kind == Skip::Program) { // with no command, xargs runs echo
                    words = {Word{u"echo"_s}};
                    skip = {Skip::Wrapped, 0};
                }
                ctx.extraArguments = true;
            }
            if (skip.kind == Skip::Problem)
                problem = skip.problem;
            if (skip.kind != Skip::Wrapped)
                break;
            if (name == u"time")
                timeOutput(words, i, skip.next, ctx);
            if (commandrules::runsAsRoot(name))
                ctx.root = true;
            ctx.unsafeEnvironment = ctx.unsafeEnvironment || unsafeEnvironment;
            ctx.environment += environment;
            ctx.wrappers << name;
            i = skip.next;
        }
        record(std::move(sc), ctx, words, i, problem);
    }

    // xargs -I R / -i: words containing the replacement string get input the line does not show.
    static void markReplacement(Words &words, qsizetype i, const Skip &skip)
    {
        const qsizetype end = skip.kind == Skip::Wrapped ? skip.next : qsizetype(words.size());
        QString replacement;
        for (qsizetype k = i + 1; k < end; ++k) {
            const QString &v = words[k].value;
            if (v == u"-I" && k + 1 < end)
                replacement = words[k + 1].value;
            else if (v.startsWith(u"-I"))
                replacement = v.mid(2);
            else if (v == u"-i" || v == u"--replace")
                replacement = u"{}"_s;
            else if (v.startsWith(u"-i") || v.startsWith(u"--replace="))
                replacement = v.section(u'=', 1).isEmpty() ? v.mid(2) : v.section(u'=', 1);
        }
        for (qsizetype k = end; !replacement.isEmpty() && k < qsizetype(words.size()); ++k) {
            if (words[k].value.contains(replacement))
                words[k].expansion = true;
        }
    }

    static void timeOutput(const Words &words, qsizetype i, qsizetype end, Context &ctx)
    {
        for (qsizetype k = i + 1; k < end; ++k) {
            const QString &v = words[k].value;
            if ((v == u"-o" || v == u"--output") && k + 1 < end)
                ctx.writtenFiles << words[k + 1].value;
            else if (v.startsWith(u"--output="))
                ctx.writtenFiles << v.section(u'=', 1);
            else if (v.startsWith(u"-o") && !v.startsWith(u"--"))
                ctx.writtenFiles << v.mid(2);
        }
    }

    // find itself, then each -exec/-execdir/-ok/-okdir command, which runs with the found paths as {}.
    void resolveFind(const RawCommand &raw, const Words &words, qsizetype i, const Context &ctx, SimpleCommand sc)
    {
        record(sc, ctx, words, i, {});
        static const QStringList actions = {u"-exec"_s, u"-execdir"_s, u"-ok"_s, u"-okdir"_s};
        const qsizetype n = qsizetype(words.size());
        for (qsizetype k = i + 1; k < n; ++k) {
            if (!actions.contains(words[k].value))
                continue;
            const qsizetype start = k + 1;
            qsizetype end = start;
            while (end < n && words[end].value != u";"
                   && !(words[end].value == u"+" && end > start && words[end - 1].value == u"{}"))
                ++end;
            if (end >= n || end == start) {
                uncertain(u"find %1 has no command or no terminating “;”"_s.arg(words[k].value));
                return;
            }
            Words part(words.begin() + start, words.begin() + end);
            for (Word &w : part) {
                if (w.value.contains(u"{}"))
                    w.expansion = true;
            }
            Context inner = ctx;
            inner.wrappers << u"find"_s;
            inner.extraArguments = true;
            inner.inherited.clear();
            const QString text = raw.source.mid(words[start].begin, words[end - 1].end - words[start].begin);
            resolve(raw, part, inner, text, {});
            k = end;
        }
    }

    // bash -c STRING, eval ARGS and su -c STRING run a string as a command line of its own: analyse it. Returns
    // false when the program runs no such string (bash script.sh), with `problem` set if it reads its input.
    bool innerString(const RawCommand &raw, const Words &words, qsizetype i, const QString &name, Context ctx,
                     const SimpleCommand &sc, QString &problem)
    {
        const qsizetype n = qsizetype(words.size());
        if (name == u"eval") {
            if (i + 1 >= n)
                return false;
            QStringList parts;
            bool literal = true;
            for (qsizetype k = i + 1; k < n; ++k) {
                parts << words[k].value;
                literal = literal && words[k].literal();
            }
            return runInner(raw, words, i, parts.join(u' '), literal, name, ctx, sc);
        }
        if (name == u"su") {
            static const QStringList withArgument = {u"-s"_s, u"--shell"_s, u"-g"_s, u"--group"_s, u"-G"_s,
                                                     u"--supp-group"_s, u"-w"_s, u"--whitelist-environment"_s};
            for (qsizetype k = i + 1; k < n; ++k) {
                const QString &v = words[k].value;
                if ((v == u"-c" || v == u"--command" || v == u"--session-command") && k + 1 < n)
                    return runInner(raw, words, i, words[k + 1].value, words[k + 1].literal(), name, ctx, sc);
                if (v.startsWith(u"--command=") || v.startsWith(u"--session-command="))
                    return runInner(raw, words, i, v.section(u'=', 1), words[k].literal(), name, ctx, sc);
                if (v.startsWith(u'-') && !v.startsWith(u"--") && v.contains(u'c')) {
                    const qsizetype c = v.indexOf(u'c');
                    if (c + 1 < v.size())
                        return runInner(raw, words, i, v.mid(c + 1), words[k].literal(), name, ctx, sc);
                    if (k + 1 < n)
                        return runInner(raw, words, i, words[k + 1].value, words[k + 1].literal(), name, ctx, sc);
                }
                if (withArgument.contains(v))
                    ++k;
            }
            return false; // an interactive shell as another user
        }
        static const QStringList longFlags = {u"--login"_s,      u"--norc"_s,     u"--noprofile"_s, u"--posix"_s,
                                              u"--restricted"_s, u"--verbose"_s,  u"--noediting"_s};
        bool command = false;
        bool readsInput = false;
        qsizetype k = i + 1;
        for (; k < n; ++k) {
            const QString &v = words[k].value;
            if (!words[k].literal())
                break;
            if (v == u"--" || v == u"-") {
                ++k;
                break;
            }
            if (v == u"--rcfile" || v == u"--init-file") {
                ++k;
            } else if (v.startsWith(u"--")) {
                if (!longFlags.contains(v)) {
                    problem = u"the %1 option “%2” is not understood"_s.arg(name, v);
                    return false;
                }
            } else if ((v.startsWith(u'-') || v.startsWith(u'+')) && v.size() > 1) {
                command = command || v.contains(u'c');
                readsInput = readsInput || v.contains(u's');
                if (v.contains(u'o') || v.contains(u'O'))
                    ++k; // -o pipefail, -O extglob
            } else {
                break;
            }
        }
        if (command) {
            if (k >= n) {
                problem = u"%1 -c has no command string"_s.arg(name);
                return false;
            }
            return runInner(raw, words, i, words[k].value, words[k].literal(), name, ctx, sc);
        }
        if (k >= n || readsInput)
            problem = u"%1 would run commands read from its input"_s.arg(name);
        return false;
    }

    bool runInner(const RawCommand &raw, const Words &words, qsizetype i, const QString &line, bool literal,
                  const QString &name, Context ctx, const SimpleCommand &sc)
    {
        if (!literal) { // its text is only known when it runs: analysing the words as written would mislead
            record(sc, ctx, words, i, u"%1 runs a string that is not literal"_s.arg(name));
            return true;
        }
        if (commandrules::runsAsRoot(name))
            ctx.root = true;
        ctx.wrappers << name;
        ctx.inherited = sc.redirections;
        const std::size_t before = m_out.commands.size();
        analyseLine(line, raw.depth + 1, ctx);
        if (m_out.commands.size() == before) { // nothing ran inside: keep the command itself in view
            ctx.wrappers.removeLast();
            record(sc, ctx, words, i, {});
        }
        return true;
    }

    void record(SimpleCommand sc, const Context &ctx, const Words &words, qsizetype from, const QString &problem)
    {
        for (qsizetype k = from; k < qsizetype(words.size()); ++k)
            sc.argv << words[k].value;
        sc.wrappers = ctx.wrappers;
        sc.environment = ctx.environment;
        if (!problem.isEmpty()) {
            sc.certain = false;
            uncertain(problem);
        }
        const QString name = commandrules::knownName(sc.argv.value(0));
        const bool writes = std::any_of(sc.redirections.begin(), sc.redirections.end(),
                                        [](const Redirection &r) { return r.writes; });
        // bash opens a connection for a redirection to /dev/tcp/HOST/PORT, reading ones included.
        const bool connects = std::any_of(sc.redirections.begin(), sc.redirections.end(), [](const Redirection &r) {
            return r.target.startsWith(u"/dev/tcp/") || r.target.startsWith(u"/dev/udp/");
        });
        const auto firstArgument = words.begin() + std::min(from + 1, qsizetype(words.size()));
        const bool literalArguments = !ctx.extraArguments && std::all_of(firstArgument, words.end(), [](const Word &w) {
            return w.literal() || w.processSubstitution;
        });
        bool argumentsSafe = literalArguments || !commandrules::needsLiteralArguments(name);
        if (name == u"test" || name == u"[")
            argumentsSafe = !ctx.extraArguments && testOperandsSafe(words, from);
        sc.readOnly = (sc.argv.isEmpty() || isReadOnly(sc.argv)) && !writes && !ctx.root && !ctx.unsafeEnvironment
                      && ctx.writtenFiles.isEmpty() && argumentsSafe && !connects;

        if (!sc.argv.isEmpty() && commandrules::deletesFiles(sc.argv))
            risk(kDeletes);
        if (connects || (!sc.argv.isEmpty() && commandrules::usesNetwork(sc.argv)))
            risk(kNetwork);
        if (ctx.root || commandrules::runsAsRoot(commandrules::baseName(sc.argv.value(0))))
            risk(kRoot);
        QStringList written = ctx.writtenFiles + commandrules::writtenPaths(sc.argv);
        for (const Redirection &r : sc.redirections) {
            if (r.writes)
                written << r.target;
        }
        if (std::any_of(written.begin(), written.end(), [this](const QString &p) { return outside(p); }))
            risk(kOutside);
        if (writes || !ctx.writtenFiles.isEmpty() || (name == u"find" && commandrules::findWritesFile(sc.argv)))
            risk(kWrites);
        trackDirectory(sc.argv, literalArguments);
        m_out.commands.push_back(std::move(sc));
    }

    // test and [ evaluate "-v NAME" by expanding NAME's subscript, running any $(…) in it; an expansion that
    // became "-v" would do that. So an expansion is accepted only where it can be nothing but an operand: quoted
    // (no splitting), and right after a literal operator, right before a literal binary one, or alone.
    static bool testOperandsSafe(const Words &words, qsizetype from)
    {
        static const QStringList binary = {u"="_s,   u"=="_s,  u"!="_s,  u"<"_s,   u">"_s,   u"-eq"_s, u"-ne"_s,
                                           u"-lt"_s, u"-le"_s, u"-gt"_s, u"-ge"_s, u"-nt"_s, u"-ot"_s, u"-ef"_s};
        static const QStringList unary = {u"-b"_s, u"-c"_s, u"-d"_s, u"-e"_s, u"-f"_s, u"-g"_s, u"-h"_s,
                                          u"-k"_s, u"-p"_s, u"-r"_s, u"-s"_s, u"-t"_s, u"-u"_s, u"-w"_s,
                                          u"-x"_s, u"-G"_s, u"-L"_s, u"-N"_s, u"-O"_s, u"-S"_s, u"-z"_s, u"-n"_s};
        Words args(words.begin() + std::min(from + 1, qsizetype(words.size())), words.end());
        if (!args.empty() && words[from].value == u"[" && args.back().value == u"]" && args.back().literal())
            args.pop_back();
        const auto literalIn = [&](qsizetype k, const QStringList &list) {
            return k >= 0 && k < qsizetype(args.size()) && args[k].literal() && list.contains(args[k].value);
        };
        for (qsizetype k = 0; k < qsizetype(args.size()); ++k) {
            const Word &w = args[k];
            if (w.literal() || w.processSubstitution)
                continue;
            if (w.splits || w.glob)
                return false;
            if (args.size() > 1 && !literalIn(k - 1, unary) && !literalIn(k - 1, binary) && !literalIn(k + 1, binary))
                return false;
        }
        return true;
    }

    // Whether writing `path` could leave the workspace. Only what the line shows is judged: "$dir/x" is not.
    bool outside(const QString &path) const
    {
        if (path.startsWith(u'~') || path.startsWith(u"$HOME") || path.startsWith(u"${HOME}"))
            return true;
        if (path.isEmpty() || path.startsWith(u'$') || isSink(path))
            return false;
        if (path.startsWith(u'/')) {
            const QString clean = QDir::cleanPath(path);
            return m_root.isEmpty() || (clean != m_root && !clean.startsWith(m_root + u'/'));
        }
        if (m_directoryUnknown)
            return true;
        int level = 0;
        for (const QString &part : path.split(u'/')) {
            if (part == u"..") {
                if (--level < 0)
                    return true;
            } else if (!part.isEmpty() && part != u".") {
                ++level;
            }
        }
        return false;
    }

    // After a cd that may leave the workspace, every relative path could be outside it.
    void trackDirectory(const QStringList &argv, bool literalArguments)
    {
        const QString name = commandrules::baseName(argv.value(0));
        if (name == u"popd") {
            m_directoryUnknown = true;
        } else if (name == u"cd" || name == u"pushd") {
            QStringList positionals;
            for (const QString &a : argv.mid(1)) {
                if (!a.startsWith(u'-') || a == u"-")
                    positionals << a;
            }
            if (!literalArguments || positionals.isEmpty() || positionals.front() == u"-"
                || outside(positionals.front()))
                m_directoryUnknown = true;
        }
    }

    const QString m_root;
    CommandAnalysis m_out;
    bool m_arithmeticOnVariables = false;
    bool m_valuesFromExpansions = false;
    bool m_directoryUnknown = false;
};

} // namespace

bool CommandAnalysis::readOnly() const
{
    return certain && std::all_of(commands.begin(), commands.end(), [](const SimpleCommand &c) { return c.readOnly; });
}

CommandAnalysis analyseCommand(const QString &command, const QString &workspaceRoot)
{
    Analyser analyser(workspaceRoot);
    analyser.analyseLine(command, 0, {});
    return analyser.finish();
}

} // namespace reins::policy
