#include "commandrules.h"

#include "commandanalysis.h"

#include <QHash>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace reins::policy {
namespace {

using commandrules::Skip;

// Read-only whatever their flags: none of their options writes a file or runs another program.
const QSet<QString> kAlwaysReadOnly = {
    u"ls"_s,       u"cat"_s,      u"head"_s,     u"wc"_s,        u"grep"_s,      u"egrep"_s,     u"fgrep"_s,
    u"pwd"_s,      u"echo"_s,     u"which"_s,    u"type"_s,      u"stat"_s,      u"du"_s,        u"df"_s,
    u"cut"_s,      u"tr"_s,       u"cmp"_s,      u"basename"_s,  u"dirname"_s,   u"realpath"_s,  u"readlink"_s,
    u"true"_s,     u"false"_s,    u":"_s,        u"uname"_s,     u"whoami"_s,    u"id"_s,        u"nl"_s,
    u"tac"_s,      u"rev"_s,      u"fold"_s,     u"column"_s,    u"paste"_s,     u"join"_s,      u"comm"_s,
    u"expand"_s,   u"seq"_s,      u"sleep"_s,    u"md5sum"_s,    u"sha1sum"_s,   u"sha256sum"_s, u"sha512sum"_s,
    u"jq"_s,       u"od"_s,       u"hexdump"_s,  u"printenv"_s,
};

const QSet<QString> kGitReadOnly = {u"status"_s,   u"diff"_s,     u"log"_s,      u"show"_s,     u"blame"_s,
                                    u"rev-parse"_s, u"ls-files"_s, u"ls-tree"_s,  u"grep"_s,     u"describe"_s,
                                    u"shortlog"_s, u"branch"_s,   u"remote"_s};

const QStringList kSystemBinDirs = {u"/bin/"_s, u"/usr/bin/"_s, u"/usr/local/bin/"_s, u"/sbin/"_s, u"/usr/sbin/"_s};

// Scans GNU-style options (clusters like -rf, long options possibly abbreviated, "--" ending them). Returns
// false if a short letter in `dangerShort` or a long option abbreviating one of `dangerLong` is present.
// Letters in `withArgument` take the rest of their cluster or the next word: list only letters known to take
// one, since a wrong guess would hide the next word from the check. Positional words go to `positionals`.
bool scanOptions(const QStringList &args, QStringView dangerShort, QStringView withArgument,
                 const QStringList &dangerLong, QStringList *positionals = nullptr,
                 const QStringList &longWithArgument = {})
{
    bool optionsEnded = false;
    for (qsizetype k = 0; k < args.size(); ++k) {
        const QString &a = args[k];
        if (optionsEnded || a == u"-" || !a.startsWith(u'-')) {
            if (positionals)
                *positionals << a;
            continue;
        }
        if (a == u"--") {
            optionsEnded = true;
            continue;
        }
        if (a.startsWith(u"--")) {
            const QString name = a.mid(2).section(u'=', 0, 0);
            for (const QString &danger : dangerLong) {
                if (danger.startsWith(name))
                    return false;
            }
            if (!a.contains(u'=') && longWithArgument.contains(name))
                ++k;
            continue;
        }
        for (qsizetype i = 1; i < a.size(); ++i) {
            if (dangerShort.contains(a[i]))
                return false;
            if (withArgument.contains(a[i])) {
                if (i == a.size() - 1)
                    ++k;
                break;
            }
        }
    }
    return true;
}

bool isIdentifier(const QString &s)
{
    if (s.isEmpty() || !(s[0].isLetter() || s[0] == u'_'))
        return false;
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.isLetterOrNumber() || c == u'_'; });
}

bool gitIsReadOnly(const QStringList &argv)
{
    const qsizetype sub = commandrules::gitSubcommand(argv);
    // Global options other than the harmless ones (-c, --config-env, --exec-path, --git-dir, --work-tree, …)
    // make git run or read configuration the line does not show.
    static const QStringList harmlessGlobal = {u"--no-pager"_s,          u"-P"_s,  u"-p"_s,
                                               u"--paginate"_s,          u"--no-replace-objects"_s,
                                               u"--literal-pathspecs"_s, u"--glob-pathspecs"_s,
                                               u"--noglob-pathspecs"_s,  u"--icase-pathspecs"_s,
                                               u"--no-optional-locks"_s};
    for (qsizetype k = 1; k < sub; ++k) {
        const QString &a = argv[k];
        if (a == u"-C") {
            ++k;
        } else if (!a.startsWith(u"-C") && !harmlessGlobal.contains(a)) {
            return false;
        }
    }
    if (sub >= argv.size() || !kGitReadOnly.contains(argv[sub]))
        return false;
    const QString &command = argv[sub];
    const QStringList args = argv.mid(sub + 1);
    if (!scanOptions(args, command == u"grep" ? u"O" : u"", u"", {u"output"_s, u"output-directory"_s,
                                                                    u"ext-diff"_s, u"open-files-in-pager"_s}))
        return false;
    if (command == u"branch") {
        static const QStringList listing = {u"-a"_s,     u"-r"_s,         u"-v"_s,      u"-vv"_s,
                                            u"--list"_s, u"-l"_s,         u"--all"_s,   u"--remotes"_s,
                                            u"--verbose"_s, u"--show-current"_s, u"--no-color"_s};
        const bool patterns = args.contains(u"--list"_s) || args.contains(u"-l"_s);
        for (const QString &a : args) {
            if (a.startsWith(u'-') ? !listing.contains(a) : !patterns)
                return false; // anything else creates, deletes, renames or configures branches
        }
    }
    if (command == u"remote")
        return std::all_of(args.begin(), args.end(), [](const QString &a) { return a == u"-v" || a == u"--verbose"; });
    return true;
}

bool envIsReadOnly(const QStringList &args)
{
    // Without a command env prints the environment; with one it runs it (analysed as a wrapper instead).
    for (qsizetype k = 0; k < args.size(); ++k) {
        const QString &a = args[k];
        if (a == u"-u" || a == u"--unset")
            ++k;
        else if (a == u"-i" || a == u"-" || a == u"-0" || a == u"--null" || a == u"--ignore-environment"
                 || a.startsWith(u"--unset=") || (a.startsWith(u"-u") && a.size() > 2))
            continue;
        else if (a.startsWith(u'-') || !commandrules::assignmentLike(a))
            return false;
    }
    return true;
}

bool invisible(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Other_Format:       // zero-width characters, bidirectional controls, U+FEFF, tags
    case QChar::Separator_Line:     // U+2028
    case QChar::Separator_Paragraph: // U+2029
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
        return true;
    case QChar::Separator_Space: // looks like a space but does not separate words
        return c != U' ';
    default:
        break;
    }
    // Rendered as nothing or as blank although they are not format characters.
    return c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800
           || (c >= 0x180B && c <= 0x180F) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// A wrapper's options: which ones take an argument, and which ones mean it runs no command at all.
struct WrapperSpec
{
    QString flags;
    QString withArgument;
    QStringList longFlags;
    QStringList longWithArgument;
    QString selfShort;
    QStringList selfLong;
    bool operand = false; ///< a duration (timeout) or priority (chrt) comes before the command
    QString optionalArgument; ///< letters whose argument can only be attached (xargs -i{})
};

const QHash<QString, WrapperSpec> &wrapperSpecs()
{
    static const QHash<QString, WrapperSpec> specs = {
        {u"env"_s,
         {u"i0v"_s, u"uC"_s,
          {u"--ignore-environment"_s, u"--null"_s, u"--debug"_s, u"--default-signal"_s, u"--ignore-signal"_s,
           u"--block-signal"_s, u"--list-signal-handling"_s},
          {u"--unset"_s, u"--chdir"_s}}},
        {u"sudo"_s,
         {u"AbBEHiknNPSs"_s, u"CDgpRrtTUu"_s,
          {u"--askpass"_s, u"--background"_s, u"--bell"_s, u"--preserve-env"_s, u"--set-home"_s, u"--login"_s,
           u"--reset-timestamp"_s, u"--non-interactive"_s, u"--preserve-groups"_s, u"--stdin"_s, u"--shell"_s},
          {u"--chdir"_s, u"--close-from"_s, u"--group"_s, u"--host"_s, u"--prompt"_s, u"--chroot"_s, u"--role"_s,
           u"--type"_s, u"--command-timeout"_s, u"--other-user"_s, u"--user"_s},
          u"eKlVv"_s,
          {u"--edit"_s, u"--list"_s, u"--validate"_s, u"--version"_s, u"--remove-timestamp"_s, u"--help"_s}}},
        {u"doas"_s, {u"n"_s, u"au"_s, {}, {}, u"CLs"_s, {}}},
        {u"xargs"_s,
         {u"0prtxo"_s, u"adEILnPs"_s,
          {u"--null"_s, u"--interactive"_s, u"--no-run-if-empty"_s, u"--verbose"_s, u"--exit"_s, u"--open-tty"_s,
           u"--eof"_s, u"--replace"_s},
          {u"--arg-file"_s, u"--delimiter"_s, u"--max-lines"_s, u"--max-args"_s, u"--max-procs"_s,
           u"--max-chars"_s},
          {}, {}, false, u"eil"_s}},
        {u"nohup"_s, {}},
        {u"timeout"_s,
         {u"v"_s, u"ks"_s, {u"--preserve-status"_s, u"--foreground"_s, u"--verbose"_s},
          {u"--kill-after"_s, u"--signal"_s}, {}, {}, true}},
        {u"setsid"_s, {u"cfw"_s, {}, {u"--ctty"_s, u"--fork"_s, u"--wait"_s}}},
        {u"nice"_s, {u"0123456789"_s, u"n"_s, {}, {u"--adjustment"_s}}},
        {u"ionice"_s,
         {u"t"_s, u"cn"_s, {u"--ignore"_s}, {u"--class"_s, u"--classdata"_s}, u"pPu"_s,
          {u"--pid"_s, u"--pgid"_s, u"--uid"_s}}},
        {u"stdbuf"_s, {{}, u"ioe"_s, {}, {u"--input"_s, u"--output"_s, u"--error"_s}}},
        {u"time"_s,
         {u"pvqa"_s, u"fo"_s, {u"--portability"_s, u"--verbose"_s, u"--quiet"_s, u"--append"_s},
          {u"--format"_s, u"--output"_s}}},
        {u"command"_s, {u"p"_s, {}, {}, {}, u"vV"_s}},
        {u"builtin"_s, {}},
        {u"exec"_s, {u"cl"_s, u"a"_s}},
        {u"chrt"_s,
         {u"abdfioRrv"_s, u"TPD"_s,
          {u"--all-tasks"_s, u"--batch"_s, u"--deadline"_s, u"--fifo"_s, u"--idle"_s, u"--other"_s, u"--rr"_s,
           u"--reset-on-fork"_s, u"--verbose"_s},
          {u"--sched-runtime"_s, u"--sched-period"_s, u"--sched-deadline"_s}, u"pm"_s, {u"--pid"_s, u"--max"_s},
          true}},
        {u"pkexec"_s,
         {{}, {}, {u"--disable-internal-agent"_s, u"--keep-cwd"_s}, {u"--user"_s}, {}, {u"--version"_s, u"--help"_s}}},
    };
    return specs;
}

Skip skipOptions(const std::vector<shell::Word> &words, qsizetype i, const QString &name, const WrapperSpec &spec)
{
    const qsizetype n = qsizetype(words.size());
    for (; i < n; ++i) {
        const shell::Word &w = words[i];
        const QString &v = w.value;
        if (!w.literal() || v == u"-" || !v.startsWith(u'-'))
            return {Skip::Wrapped, i};
        if (v == u"--")
            return {Skip::Wrapped, i + 1};
        const Skip unknown{Skip::Problem, 0, u"the %1 option “%2” is not understood"_s.arg(name, v)};
        if (v.startsWith(u"--")) {
            const QString option = v.section(u'=', 0, 0);
            if (spec.selfLong.contains(option))
                return {Skip::Program};
            if (spec.longWithArgument.contains(option) && !v.contains(u'='))
                ++i;
            else if (!spec.longFlags.contains(option) && !spec.longWithArgument.contains(option))
                return unknown;
            continue;
        }
        for (qsizetype k = 1; k < v.size(); ++k) {
            if (spec.selfShort.contains(v[k]))
                return {Skip::Program};
            if (spec.withArgument.contains(v[k])) {
                if (k == v.size() - 1)
                    ++i;
                break;
            }
            if (spec.optionalArgument.contains(v[k]))
                break;
            if (!spec.flags.contains(v[k]))
                return unknown;
        }
    }
    return {Skip::Program};
}

} // namespace

bool isReadOnly(const QStringList &argv)
{
    if (argv.isEmpty())
        return false;
    const QString name = commandrules::knownName(argv.front());
    const QStringList args = argv.mid(1);
    if (kAlwaysReadOnly.contains(name))
        return true;
    QStringList positionals;
    if (name == u"tail") {
        if (!scanOptions(args, u"fF", u"cns", {u"follow"_s}, &positionals))
            return false;
        // The obsolete form "tail +5f" follows too.
        return std::none_of(positionals.begin(), positionals.end(),
                            [](const QString &p) { return p.startsWith(u'+') && p.contains(u'f'); });
    }
    if (name == u"rg")
        return scanOptions(args, u"", u"", {u"pre"_s, u"pre-glob"_s, u"hostname-bin"_s});
    if (name == u"find") {
        static const QStringList writing = {u"-exec"_s,   u"-execdir"_s, u"-ok"_s,      u"-okdir"_s, u"-delete"_s,
                                            u"-fprint"_s, u"-fprint0"_s, u"-fprintf"_s, u"-fls"_s};
        return std::none_of(args.begin(), args.end(), [](const QString &a) { return writing.contains(a); });
    }
    if (name == u"git")
        return gitIsReadOnly(argv);
    if (name == u"printf") // the builtin's -v assigns a variable
        return args.isEmpty() || !args.front().startsWith(u"-v");
    if (name == u"sort")
        return scanOptions(args, u"o", u"kStT", {u"output"_s, u"compress-program"_s});
    if (name == u"uniq") // a second file argument is the output file
        return scanOptions(args, u"", u"fsw", {}, &positionals,
                           {u"skip-fields"_s, u"skip-chars"_s, u"check-chars"_s})
               && positionals.size() <= 1;
    if (name == u"diff")
        return scanOptions(args, u"", u"", {u"output"_s});
    if (name == u"date") { // -s and a positional MMDDhhmm set the clock
        return scanOptions(args, u"s", u"dfrI", {u"set"_s}, &positionals)
               && std::all_of(positionals.begin(), positionals.end(),
                              [](const QString &p) { return p.startsWith(u'+'); });
    }
    if (name == u"hostname")
        return args.isEmpty();
    if (name == u"file") // -C compiles a magic file
        return scanOptions(args, u"C", u"mfFeP", {u"compile"_s});
    if (name == u"tree") // -o writes the listing, -R with -H writes index files
        return scanOptions(args, u"oR", u"LPIHT", {u"output"_s});
    if (name == u"env")
        return envIsReadOnly(args);
    if (name == u"command") // -v and -V only describe
        return !args.isEmpty() && (args.front() == u"-v" || args.front() == u"-V");
    if (name == u"test" || name == u"[" || name == u"[[") {
        // -v a[$(…)] evaluates the subscript, running the command in it.
        for (qsizetype k = 0; k + 1 < args.size(); ++k) {
            if ((args[k] == u"-v" || args[k] == u"-R") && !isIdentifier(args[k + 1]))
                return false;
        }
        return true;
    }
    return false;
}

namespace commandrules {

QString knownName(const QString &program)
{
    if (!program.contains(u'/'))
        return program;
    for (const QString &dir : kSystemBinDirs) {
        if (program.startsWith(dir) && !program.mid(dir.size()).contains(u'/'))
            return program.mid(dir.size());
    }
    return {};
}

QString baseName(const QString &program)
{
    return program.mid(program.lastIndexOf(u'/') + 1);
}

bool needsLiteralArguments(const QString &name)
{
    static const QSet<QString> names = {u"tail"_s, u"rg"_s,   u"find"_s,     u"git"_s,  u"printf"_s,
                                        u"sort"_s, u"uniq"_s, u"diff"_s,     u"date"_s, u"hostname"_s,
                                        u"file"_s, u"tree"_s, u"env"_s,      u"test"_s, u"["_s,
                                        u"command"_s};
    return names.contains(name);
}

bool assignmentLike(const QString &word)
{
    const qsizetype eq = word.indexOf(u'=');
    return eq > 0 && isIdentifier(word.left(eq));
}

bool harmlessVariable(const QString &name)
{
    // Exported variables are upper case by convention, and many change what a program runs: PATH, LD_PRELOAD,
    // GIT_*, PAGER, BASH_ENV, RIPGREP_CONFIG_PATH… So only a few upper-case names are allowed.
    static const QSet<QString> allowed = {u"LANG"_s,  u"LANGUAGE"_s, u"TZ"_s,          u"NO_COLOR"_s,
                                          u"CLICOLOR"_s, u"CLICOLOR_FORCE"_s, u"FORCE_COLOR"_s, u"COLUMNS"_s,
                                          u"LINES"_s, u"TERM"_s,     u"COLORTERM"_s};
    if (allowed.contains(name) || name.startsWith(u"LC_"))
        return true;
    return std::any_of(name.begin(), name.end(), [](QChar c) { return c.isLower(); });
}

qsizetype gitSubcommand(const QStringList &argv)
{
    static const QStringList withArgument = {u"-C"_s, u"-c"_s, u"--git-dir"_s, u"--work-tree"_s, u"--namespace"_s,
                                             u"--config-env"_s, u"--super-prefix"_s};
    qsizetype k = 1;
    while (k < argv.size() && argv[k].startsWith(u'-'))
        k += withArgument.contains(argv[k]) ? 2 : 1;
    return std::min(k, argv.size());
}

bool deletesFiles(const QStringList &argv)
{
    static const QSet<QString> deleting = {u"rm"_s, u"rmdir"_s, u"unlink"_s, u"shred"_s, u"truncate"_s};
    const QString name = baseName(argv.value(0));
    if (deleting.contains(name))
        return true;
    if (name == u"find")
        return argv.contains(u"-delete"_s);
    if (name != u"git")
        return false;
    const qsizetype sub = gitSubcommand(argv);
    const QString command = argv.value(sub);
    const QStringList args = argv.mid(sub + 1);
    return command == u"clean" || command == u"rm" || command == u"restore"
           || (command == u"reset" && args.contains(u"--hard"_s))
           || (command == u"checkout" && (args.contains(u"--"_s) || args.contains(u"."_s)));
}

bool usesNetwork(const QStringList &argv)
{
    static const QSet<QString> network = {u"curl"_s,   u"wget"_s, u"ssh"_s,    u"scp"_s,    u"sftp"_s,
                                          u"nc"_s,     u"ncat"_s, u"netcat"_s, u"telnet"_s, u"ftp"_s,
                                          u"apt"_s,    u"apt-get"_s, u"npx"_s};
    const QString name = baseName(argv.value(0));
    const QString first = argv.value(1);
    if (network.contains(name))
        return true;
    if (name == u"rsync") { // host:path or rsync://
        return std::any_of(argv.begin() + 1, argv.end(), [](const QString &a) {
            const qsizetype colon = a.indexOf(u':');
            return !a.startsWith(u'-') && colon > 0 && !a.left(colon).contains(u'/');
        });
    }
    if (name == u"git") {
        static const QSet<QString> remote = {u"push"_s, u"pull"_s, u"fetch"_s, u"clone"_s, u"ls-remote"_s};
        return remote.contains(argv.value(gitSubcommand(argv)));
    }
    if (name == u"npm" || name == u"pnpm")
        return QStringList{u"install"_s, u"i"_s, u"ci"_s, u"add"_s, u"publish"_s}.contains(first);
    if (name == u"yarn") // a bare "yarn" installs
        return argv.size() == 1 || QStringList{u"install"_s, u"add"_s, u"publish"_s}.contains(first);
    if (name == u"pip" || name == u"pip3")
        return first == u"install" || first == u"download";
    if (name.startsWith(u"python"))
        return argv.value(1) == u"-m" && argv.value(2).startsWith(u"pip") && argv.value(3) == u"install";
    if (name == u"cargo")
        return first == u"install" || first == u"publish";
    if (name == u"docker" || name == u"podman")
        return first == u"pull" || first == u"push";
    return false;
}

bool runsAsRoot(const QString &name)
{
    return name == u"sudo" || name == u"doas" || name == u"su" || name == u"pkexec";
}

QStringList writtenPaths(const QStringList &argv)
{
    const QString name = baseName(argv.value(0));
    // Options taking a separate argument, per program, so the argument is not taken for a path.
    static const QHash<QString, QString> withArgument = {
        {u"cp"_s, u"tS"_s},    {u"mv"_s, u"tS"_s},   {u"ln"_s, u"tS"_s},    {u"install"_s, u"tSmog"_s},
        {u"rm"_s, u""_s},      {u"rmdir"_s, u""_s},  {u"unlink"_s, u""_s},  {u"shred"_s, u"ns"_s},
        {u"touch"_s, u"drt"_s}, {u"mkdir"_s, u"m"_s}, {u"tee"_s, u""_s},    {u"truncate"_s, u"sr"_s},
        {u"chmod"_s, u""_s},   {u"chown"_s, u""_s},  {u"chgrp"_s, u""_s},   {u"dd"_s, u""_s},
    };
    const auto spec = withArgument.constFind(name);
    if (spec == withArgument.constEnd())
        return {};
    if (name == u"dd") {
        QStringList out;
        for (const QString &a : argv.mid(1)) {
            if (a.startsWith(u"of="))
                out << a.mid(3);
        }
        return out;
    }
    QStringList positionals;
    QStringList targets;
    bool optionsEnded = false;
    bool reference = false;
    for (qsizetype k = 1; k < argv.size(); ++k) {
        const QString &a = argv[k];
        if (optionsEnded || a == u"-" || !a.startsWith(u'-')) {
            positionals << a;
        } else if (a == u"--") {
            optionsEnded = true;
        } else if (a.startsWith(u"--target-directory=")) {
            targets << a.section(u'=', 1);
        } else if (a.startsWith(u"--reference")) {
            reference = true;
        } else if (!a.startsWith(u"--") && spec->contains(a.back()) && k + 1 < argv.size()) {
            if (a.back() == u't')
                targets << argv[k + 1];
            ++k;
        }
    }
    if (name == u"cp" || name == u"install" || name == u"ln") {
        if (targets.isEmpty() && positionals.size() >= 2)
            targets << positionals.back();
        return targets;
    }
    if ((name == u"chmod" || name == u"chown" || name == u"chgrp") && !reference && !positionals.isEmpty())
        positionals.removeFirst(); // the mode or owner
    return targets + positionals;
}

bool findWritesFile(const QStringList &argv)
{
    static const QStringList primaries = {u"-fprint"_s, u"-fprint0"_s, u"-fprintf"_s, u"-fls"_s};
    return std::any_of(argv.begin(), argv.end(), [](const QString &a) { return primaries.contains(a); });
}

QString unsafeCharacter(QStringView s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        char32_t c = s[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(s[i], s[i + 1]);
            ++i;
        }
        if (c == U'\t' || c == U'\n')
            continue;
        const bool control = c < 0x20 || (c >= 0x7f && c < 0xa0);
        if (!control && !invisible(c))
            continue;
        const QString code = u"U+"_s + QString::number(uint(c), 16).toUpper().rightJustified(4, u'0');
        return control ? u"a control character (%1)"_s.arg(code)
                       : u"an invisible or bidirectional Unicode character (%1)"_s.arg(code);
    }
    return {};
}

bool isWrapper(const QString &name)
{
    return wrapperSpecs().contains(name);
}

Skip skipWrapperOptions(const std::vector<shell::Word> &words, qsizetype i, const QString &name)
{
    const WrapperSpec &spec = *wrapperSpecs().constFind(name);
    Skip skip = skipOptions(words, i, name, spec);
    if (skip.kind == Skip::Wrapped && spec.operand)
        ++skip.next;
    return skip;
}

} // namespace commandrules
} // namespace reins::policy
