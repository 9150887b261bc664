#pragma once

// The command analyser: what a shell command line will actually run, for the approval gate. A real tokenizer
// for the bash grammar a model writes (quotes, escapes, operators, subshells, substitutions, here-documents,
// redirections), that splits a command into the simple commands it runs — including those hidden in $(…), `…`,
// <(…), eval, bash -c and wrappers such as env, sudo, xargs, find -exec, nohup, timeout, setsid, nice — and
// says which are read-only. Anything it cannot analyse with certainty is flagged, so the gate asks: it never
// allows what it does not understand. Plain inputs and outputs; no process is started.

#include <QString>
#include <QStringList>

#include <vector>

namespace reins::policy {

/// A redirection of a simple command.
struct Redirection
{
    QString op;     ///< ">", ">>", "<", "2>", "&>", ">&", "<<", "<<<", …
    QString target; ///< the file (unquoted), or the here-document marker
    bool writes = false; ///< output to a file other than /dev/null (and not a duplication like 2>&1)

    bool operator==(const Redirection &) const = default;
};

/// One simple command: a program and its arguments, as the shell would run it (quotes removed).
struct SimpleCommand
{
    QStringList argv;          ///< argv[0] is the program (after wrappers were looked through)
    QStringList wrappers;      ///< the wrappers it was found inside, outermost first: "sudo", "env", "xargs", …
    std::vector<Redirection> redirections;
    bool readOnly = false;     ///< on the read-only list, with none of that command's dangerous flags
    bool certain = true;       ///< its words are literal (no $VAR, glob or substitution in the program name)
    QString text;              ///< the source text of this command, for showing to the person
    /// NAME=VALUE settings it runs with (X=1 cmd, env X=1 cmd, sudo X=1 cmd): a rule that allows its argv should
    /// not cover these, since LD_PRELOAD=…, PATH=… or GIT_…=… change what the program does.
    QStringList environment;

    bool operator==(const SimpleCommand &) const = default;
};

/// The analysis of a whole command line.
struct CommandAnalysis
{
    std::vector<SimpleCommand> commands; ///< every simple command, in order, nested ones included
    bool certain = true;       ///< false: something could not be analysed with certainty (see reasons)
    QStringList reasons;       ///< why not certain, in plain words
    QStringList risks;         ///< plain-language notes: "deletes files", "uses the network", "runs as root",
                               ///< "writes outside the workspace", "writes to a file"
    /// Every command is read-only and the analysis is certain: the gate may run it without asking.
    bool readOnly() const;

    bool operator==(const CommandAnalysis &) const = default;
};

/// Analyses `command` (the text given to bash -c). `workspaceRoot` lets it spot paths leading outside.
CommandAnalysis analyseCommand(const QString &command, const QString &workspaceRoot = {});

/// Whether argv (a program and its arguments) is on the read-only list without a dangerous flag.
bool isReadOnly(const QStringList &argv);

} // namespace reins::policy
