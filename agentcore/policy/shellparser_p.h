#pragma once

// The shell parser's internals, shared by shelltokenizer.cpp (tokens, words, quoting, expansions, here-document
// bodies) and shellgrammar.cpp (lists, pipelines, simple and compound commands). Not part of any API.

#include "shelltokenizer.h"

namespace reins::policy::shell::detail {

inline bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

// The characters that end an unquoted word.
inline bool isMeta(QChar c)
{
    return isBlank(c) || c == u'\n' || c == u';' || c == u'&' || c == u'|' || c == u'(' || c == u')' || c == u'<'
           || c == u'>';
}

inline bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

inline bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

inline bool isNameChar(QChar c)
{
    return isNameStart(c) || isDigit(c);
}

struct PendingHeredoc
{
    QString delimiter;
    bool quoted = false;
    bool stripTabs = false;
    int substitutionLevel = 0; ///< how many $( and <( were open where its operator was
};

enum class WordMode { Normal, Test };

/// A recursive-descent parser over one source text. Nested texts (`…`, here-document bodies, arithmetic) get a
/// parser of their own that appends to the same ParseResult, so commands stay in textual order.
class Parser
{
public:
    Parser(const QString &source, int depth, ParseResult &out)
        : m_src(source)
        , m_n(source.size())
        , m_depth(depth)
        , m_out(out)
    {
    }

    void parseProgram();
    // A here-document body or arithmetic: only $…, `…` and backslashes mean anything there.
    void parseText();

private:
    bool failed() const { return m_out.failed; }
    void fail(const QString &reason);
    void note(const QString &reason);
    bool enter();
    void leave() { --m_depth; }

    QChar at(qsizetype i) const { return i < m_n ? m_src[i] : QChar(); }

    // ---- tokens (shelltokenizer.cpp)
    // Blanks, line continuations and comments; a comment starts wherever a word could and ends before the newline.
    void skipBlanks();
    // Blanks and newlines; every newline also reads the pending here-document bodies.
    void skipSpace();
    QString peekOperator() const;
    // The unquoted run of ordinary characters at the position: how reserved words are recognised.
    QString peekPlainWord() const;
    QString tokenAt() const;
    // The length of a redirection operator (with its descriptor number) at the position, or 0.
    qsizetype redirectionLength() const;
    void consumeNewline();
    // Bodies start on the line after the operator, in the order the operators came.
    void readHeredocBodies();

    // ---- lists and commands (shellgrammar.cpp)
    bool atListEnd() const;
    void parseList();
    void parsePipeline();
    void parseCommand(const QStringList &prefixes);
    // Redirections after a compound command apply to every command inside it.
    void parseAfterCompound(std::size_t first);
    void expect(const QString &word);
    // ( … ), { …; }, $( … ) and <( … ): a list up to the closing token.
    void parseNested(const QString &open, const QString &close);
    void parseIf();
    void parseFor(const QString &keyword);
    void parseCase();
    // A function's body runs whenever the line calls it, so its commands are analysed as if they ran.
    void parseFunctionBody();
    // [[ … ]]: operators are words here, and the whole test is listed as one command.
    void parseTest();
    std::size_t reserve();
    RawCommand startCommand(const QStringList &prefixes) const;
    void finish(std::size_t slot, RawCommand &&cmd);
    void parseSimple(const QStringList &prefixes);
    // NAME=( a b c ): the elements are words.
    void readArrayValue(Word &w);
    void parseRedirection(std::vector<Redirect> &list);

    // ---- words (shelltokenizer.cpp)
    void readWord(Word &w, WordMode mode);
    void parseDoubleQuoted(Word &w);
    void parseDollar(Word &w, bool inDoubleQuotes);
    // At `from` (just after "((" or "$(("): if the parentheses close with "))", it is arithmetic — checked and
    // skipped. Otherwise it is a subshell inside (…) and nothing is consumed.
    bool parseArithmetic(qsizetype from);
    void checkArithmetic(const QString &expression);
    void parseBraceParameter(bool inDoubleQuotes);
    void parseAnsiC(Word &w);
    // `…`: backslash before $, ` and \ (and " inside double quotes) is removed, then the text is a command line.
    void parseBacktick(Word &w, bool inDoubleQuotes);

    const QString m_src;
    const qsizetype m_n;
    qsizetype m_pos = 0;
    int m_depth;
    ParseResult &m_out;
    std::vector<PendingHeredoc> m_pending;
    int m_substitutionLevel = 0;
};

} // namespace reins::policy::shell::detail
