#pragma once

// The tables behind the command analyser: which programs are read-only and with which flags, what a program
// risks, and which paths a writing program writes. Plain functions of an argv (quotes already removed).

#include <QString>
#include <QStringList>

#include "shelltokenizer.h"

#include <vector>

namespace reins::policy::commandrules {

/// The program's name for the lists: a bare name, or a path in a system bin directory. Empty for any other path
/// (./ls is whatever the workspace put there, not ls).
QString knownName(const QString &program);

/// The last path component, for spotting risks whatever the path.
QString baseName(const QString &program);

/// A read-only program whose safety depends on its flags, so an argument the line does not show literally
/// ($x, a glob, an argument added by xargs) could make it write or run something.
bool needsLiteralArguments(const QString &name);

/// Whether `word` has the form NAME=VALUE.
bool assignmentLike(const QString &word);

/// Whether setting this variable cannot change what a read-only program does (LANG, TZ, a lowercase name…).
bool harmlessVariable(const QString &name);

/// The index of git's subcommand in argv, after its global options; argv.size() if there is none.
qsizetype gitSubcommand(const QStringList &argv);

bool deletesFiles(const QStringList &argv);
bool usesNetwork(const QStringList &argv);
bool runsAsRoot(const QString &name);

/// The paths a writing program (cp, mv, rm, tee, touch, mkdir, ln, chmod, chown, …) writes; empty for others.
QStringList writtenPaths(const QStringList &argv);

/// Why `text` could hide part of a command from the person approving it (an invisible, bidirectional or control
/// character, or a space that is not one), or empty.
QString unsafeCharacter(QStringView text);

/// Whether `name` is a wrapper that runs the rest of its arguments as a command: env, sudo, doas, xargs, nohup,
/// timeout, setsid, nice, ionice, stdbuf, time, command, builtin, exec, chrt, pkexec.
bool isWrapper(const QString &name);

/// Where a wrapper's own options end.
struct Skip
{
    enum Kind {
        Wrapped, ///< the wrapped command starts at `next`
        Program, ///< it runs no command (sudo -l, env alone): the wrapper is the program
        Problem, ///< an option it does not understand: `problem` says which
    } kind = Program;
    qsizetype next = 0;
    QString problem;
};

/// Skips the options of wrapper `name` starting at words[i] (and timeout's duration, chrt's priority).
Skip skipWrapperOptions(const std::vector<shell::Word> &words, qsizetype i, const QString &name);

/// find primaries that write files other than through a redirection.
bool findWritesFile(const QStringList &argv);

} // namespace reins::policy::commandrules
