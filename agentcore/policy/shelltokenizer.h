#pragma once

// The shell tokenizer behind the command analyser: reads a bash command line as bash would and lists the simple
// commands in it, nested ones (from $(…), `…`, <(…), here-document bodies, compound commands) included, in
// textual order. It does not look through wrappers such as env or sudo; commandanalysis.cpp does that.

#include <QString>
#include <QStringList>

#include <vector>

namespace reins::policy::shell {

/// Nesting deeper than this (substitutions, subshells, groups, compound commands, inner command strings) is
/// "too complex to analyse": it also bounds the recursion.
inline constexpr int kMaxDepth = 8;

/// One word as the shell passes it: quotes removed, expansions kept as written ("$f", "$(ls)").
struct Word
{
    QString value;
    qsizetype begin = 0; ///< source span, for showing part of a command
    qsizetype end = 0;
    bool expansion = false; ///< contains $…, `…`, $(…), <(…): its value is only known when it runs
    bool glob = false;      ///< an unquoted *, ?, […] or {a,b} that the shell would expand
    bool quoted = false;    ///< some part was quoted or escaped (a here-document delimiter then means no expansion)
    bool splits = false;    ///< an unquoted expansion: word splitting can turn it into several words
    bool processSubstitution = false; ///< the whole word is one <(…) or >(…): a /dev/fd path, never an option

    bool literal() const { return !expansion && !glob; }
};

/// A redirection as written: the operator with its descriptor ("2>") and its target word.
struct Redirect
{
    QString op;
    Word target;
};

/// A simple command as parsed, before wrappers are looked through.
struct RawCommand
{
    std::vector<Word> assignments; ///< NAME=VALUE words before the program
    std::vector<Word> words;       ///< the program and its arguments
    std::vector<Redirect> redirections;
    QStringList prefixes;          ///< "time" when the keyword preceded the pipeline
    QString source;                ///< the text the spans refer to (an inner string for `…`)
    qsizetype begin = 0;
    qsizetype end = 0;
    int depth = 0;                 ///< how deeply it is nested
    bool complete = false;         ///< false: parsing stopped inside it

    QString text() const { return source.mid(begin, end - begin).trimmed(); }
};

/// Everything found in one command line.
struct ParseResult
{
    std::vector<RawCommand> commands;
    QStringList problems;              ///< why the line cannot be analysed with certainty, in plain words
    bool failed = false;               ///< parsing stopped: the commands are incomplete
    bool arithmeticOnVariables = false; ///< arithmetic evaluates a variable's value (which can hide a $(…))
    bool valuesFromExpansions = false;  ///< a variable gets a value the line does not show literally
};

/// Parses `source` as a bash command line nested `depth` levels deep.
ParseResult parse(const QString &source, int depth = 0);

/// The variable name if `raw` (a word's source text) is an assignment NAME=…, NAME+=… or NAME[…]=…; else empty.
QString assignmentName(QStringView raw);

} // namespace reins::policy::shell
