#include "shellparser_p.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace reins::policy::shell::detail {
namespace {

// Reserved words that end a list: the caller decides whether it expected them.
const QStringList kClosers = {u"}"_s, u"then"_s, u"elif"_s, u"else"_s, u"fi"_s, u"do"_s, u"done"_s, u"esac"_s};
const QStringList kArithmeticComparisons = {u"-eq"_s, u"-ne"_s, u"-lt"_s, u"-le"_s, u"-gt"_s, u"-ge"_s};

} // namespace

void Parser::parseProgram()
{
    parseList();
    if (!failed() && m_pos < m_n)
        fail(u"unexpected “%1”"_s.arg(tokenAt()));
    if (!failed() && !m_pending.empty())
        fail(u"the here-document ending with “%1” never ends"_s.arg(m_pending.front().delimiter));
}

bool Parser::atListEnd() const
{
    if (m_pos >= m_n)
        return true;
    const QString op = peekOperator();
    if (op == u")" || op == u";;" || op == u";&" || op == u";;&")
        return true;
    return kClosers.contains(peekPlainWord());
}

void Parser::parseList()
{
    while (!failed()) {
        skipSpace();
        if (failed() || atListEnd())
            return;
        parsePipeline();
        if (failed())
            return;
        skipBlanks();
        const QString op = peekOperator();
        if (op == u";" || op == u"&") {
            ++m_pos;
        } else if (op == u"&&" || op == u"||") {
            m_pos += 2;
            skipSpace();
            if (!failed() && atListEnd())
                fail(u"the command line ends after “%1”"_s.arg(op));
        } else if (op != u"\n") {
            return; // a closer, ")" or ";;": the caller decides
        }
    }
}

void Parser::parsePipeline()
{
    QStringList prefixes;
    for (;;) {
        skipBlanks();
        const QString word = peekPlainWord();
        if (word == u"!") {
            ++m_pos;
        } else if (word == u"time") {
            m_pos += 4;
            prefixes << word;
            skipBlanks();
            if (peekPlainWord() == u"-p")
                m_pos += 2;
        } else {
            break;
        }
    }
    if (!prefixes.isEmpty() && atListEnd())
        return; // a bare "time" reports the shell's own times
    parseCommand(prefixes);
    while (!failed()) {
        skipBlanks();
        const QString op = peekOperator();
        if (op != u"|" && op != u"|&")
            return;
        m_pos += op.size();
        skipSpace();
        if (!failed())
            parseCommand({});
    }
}

void Parser::parseCommand(const QStringList &prefixes)
{
    skipBlanks();
    if (m_pos >= m_n) {
        fail(u"a command is missing at the end"_s);
        return;
    }
    const std::size_t first = m_out.commands.size();
    const QString op = peekOperator();
    if (op == u"(") {
        if (at(m_pos + 1) == u'(' && parseArithmetic(m_pos + 2))
            return parseAfterCompound(first);
        parseNested(u"("_s, u")"_s);
        return parseAfterCompound(first);
    }
    if (!op.isEmpty() && redirectionLength() == 0) {
        fail(u"unexpected “%1”"_s.arg(tokenAt()));
        return;
    }
    const QString word = peekPlainWord();
    if (word == u"{") {
        parseNested(u"{"_s, u"}"_s);
    } else if (word == u"if") {
        parseIf();
    } else if (word == u"while" || word == u"until") {
        m_pos += word.size();
        if (!enter())
            return;
        parseList();
        expect(u"do"_s);
        parseList();
        expect(u"done"_s);
        leave();
    } else if (word == u"for" || word == u"select") {
        parseFor(word);
    } else if (word == u"case") {
        parseCase();
    } else if (word == u"function") {
        m_pos += word.size();
        skipBlanks();
        Word name;
        readWord(name, WordMode::Normal);
        parseFunctionBody();
        return;
    } else if (word == u"[[") {
        parseTest();
    } else if (word == u"coproc") {
        fail(u"coproc is not supported"_s);
        return;
    } else if (kClosers.contains(word)) {
        fail(u"unexpected “%1”"_s.arg(word));
        return;
    } else {
        parseSimple(prefixes);
        return;
    }
    parseAfterCompound(first);
}

void Parser::parseAfterCompound(std::size_t first)
{
    std::vector<Redirect> redirections;
    while (!failed()) {
        skipBlanks();
        if (redirectionLength() == 0)
            break;
        parseRedirection(redirections);
    }
    if (failed())
        return;
    if (!redirections.empty()) {
        if (m_out.commands.size() == first) {
            RawCommand empty;
            empty.source = m_src;
            empty.depth = m_depth;
            empty.complete = true;
            m_out.commands.push_back(empty);
        }
        for (std::size_t i = first; i < m_out.commands.size(); ++i) {
            auto &list = m_out.commands[i].redirections;
            list.insert(list.end(), redirections.begin(), redirections.end());
        }
    }
    skipBlanks();
    if (m_pos < m_n && peekOperator().isEmpty())
        fail(u"unexpected “%1” after a compound command"_s.arg(tokenAt()));
}

void Parser::expect(const QString &word)
{
    if (failed())
        return;
    skipSpace();
    if (!failed() && peekPlainWord() == word)
        m_pos += word.size();
    else
        fail(u"expected “%1” but found “%2”"_s.arg(word, m_pos < m_n ? tokenAt() : u"the end"_s));
}

void Parser::parseNested(const QString &open, const QString &close)
{
    m_pos += open.size();
    if (!enter())
        return;
    parseList();
    if (failed())
        return;
    const bool closed = close == u")" ? peekOperator() == close : peekPlainWord() == close;
    if (!closed) {
        fail(m_pos < m_n ? u"unexpected “%1” inside “%2”"_s.arg(tokenAt(), open)
                         : u"a “%1” is never closed"_s.arg(open));
        return;
    }
    m_pos += close.size();
    leave();
}

void Parser::parseIf()
{
    m_pos += 2;
    if (!enter())
        return;
    parseList();
    expect(u"then"_s);
    parseList();
    while (!failed()) {
        const QString word = peekPlainWord();
        if (word == u"elif") {
            m_pos += word.size();
            parseList();
            expect(u"then"_s);
            parseList();
        } else if (word == u"else") {
            m_pos += word.size();
            parseList();
            expect(u"fi"_s);
            break;
        } else {
            expect(u"fi"_s);
            break;
        }
    }
    leave();
}

void Parser::parseFor(const QString &keyword)
{
    m_pos += keyword.size();
    if (!enter())
        return;
    skipBlanks();
    if (QStringView(m_src).mid(m_pos).startsWith(u"((")) {
        if (!parseArithmetic(m_pos + 2)) {
            fail(u"cannot follow this for (( … )) loop"_s);
            return;
        }
    } else {
        Word name;
        readWord(name, WordMode::Normal);
        if (failed())
            return;
        if (name.value.isEmpty() || !name.literal() || name.quoted) {
            fail(u"cannot follow this %1 loop"_s.arg(keyword));
            return;
        }
        skipSpace();
        if (!failed() && peekPlainWord() == u"in") {
            m_pos += 2;
            while (!failed()) {
                skipBlanks();
                if (m_pos >= m_n || !peekOperator().isEmpty())
                    break;
                Word item;
                readWord(item, WordMode::Normal);
                // The loop variable gets these values; arithmetic on it would evaluate them.
                if (!item.literal() || item.value.contains(u'$') || item.value.contains(u'`'))
                    m_out.valuesFromExpansions = true;
            }
        }
    }
    skipBlanks();
    if (peekOperator() == u";")
        ++m_pos;
    expect(u"do"_s);
    parseList();
    expect(u"done"_s);
    leave();
}

void Parser::parseCase()
{
    m_pos += 4;
    if (!enter())
        return;
    skipBlanks();
    Word subject;
    readWord(subject, WordMode::Normal);
    if (!failed() && subject.begin == subject.end)
        fail(u"cannot follow this case statement"_s);
    expect(u"in"_s);
    while (!failed()) {
        skipSpace();
        if (failed())
            return;
        if (peekPlainWord() == u"esac") {
            m_pos += 4;
            break;
        }
        if (m_pos >= m_n) {
            fail(u"a “case” is never closed with “esac”"_s);
            return;
        }
        if (peekOperator() == u"(")
            ++m_pos;
        for (;;) {
            skipBlanks();
            Word pattern;
            readWord(pattern, WordMode::Normal);
            if (failed())
                return;
            skipBlanks();
            const QString op = peekOperator();
            if (pattern.begin == pattern.end || (op != u"|" && op != u")")) {
                fail(u"cannot follow this case pattern"_s);
                return;
            }
            ++m_pos;
            if (op == u")")
                break;
        }
        parseList();
        if (failed())
            return;
        const QString op = peekOperator();
        if (op == u";;" || op == u";&" || op == u";;&")
            m_pos += op.size();
        else if (peekPlainWord() != u"esac")
            fail(u"cannot follow this case statement"_s);
    }
    leave();
}

void Parser::parseFunctionBody()
{
    skipBlanks();
    if (peekOperator() == u"(") {
        ++m_pos;
        skipBlanks();
        if (peekOperator() != u")") {
            fail(u"cannot follow this function definition"_s);
            return;
        }
        ++m_pos;
    }
    skipSpace();
    if (failed() || !enter())
        return;
    parseCommand({});
    leave();
}

void Parser::parseTest()
{
    const std::size_t slot = reserve();
    RawCommand cmd = startCommand({});
    m_pos += 2;
    cmd.words.push_back(Word{u"[["_s, m_pos - 2, m_pos});
    bool comparison = false;
    bool variableOperand = false;
    for (;;) {
        skipSpace();
        if (failed())
            return;
        if (m_pos >= m_n) {
            fail(u"a “[[” is never closed"_s);
            return;
        }
        if (peekPlainWord() == u"]]") {
            m_pos += 2;
            cmd.words.push_back(Word{u"]]"_s, m_pos - 2, m_pos});
            break;
        }
        Word w;
        readWord(w, WordMode::Test);
        if (failed())
            return;
        if (kArithmeticComparisons.contains(w.value))
            comparison = true;
        else if (!w.value.isEmpty() && !std::all_of(w.value.begin(), w.value.end(), isDigit))
            variableOperand = true;
        cmd.words.push_back(w);
    }
    // [[ a -eq b ]] evaluates both sides as arithmetic.
    if (comparison && variableOperand)
        m_out.arithmeticOnVariables = true;
    cmd.end = m_pos;
    finish(slot, std::move(cmd));
}

std::size_t Parser::reserve()
{
    m_out.commands.emplace_back();
    return m_out.commands.size() - 1;
}

RawCommand Parser::startCommand(const QStringList &prefixes) const
{
    RawCommand cmd;
    cmd.source = m_src;
    cmd.begin = m_pos;
    cmd.prefixes = prefixes;
    cmd.depth = m_depth;
    return cmd;
}

void Parser::finish(std::size_t slot, RawCommand &&cmd)
{
    cmd.complete = true;
    m_out.commands[slot] = std::move(cmd);
}

void Parser::parseSimple(const QStringList &prefixes)
{
    const std::size_t slot = reserve();
    RawCommand cmd = startCommand(prefixes);
    while (!failed()) {
        skipBlanks();
        if (m_pos >= m_n)
            break;
        if (redirectionLength() > 0) {
            parseRedirection(cmd.redirections);
            cmd.end = m_pos;
            continue;
        }
        const QString op = peekOperator();
        if (op == u"(" && cmd.words.size() == 1 && cmd.assignments.empty() && cmd.redirections.empty()
            && cmd.words.front().literal() && !cmd.words.front().quoted) {
            m_out.commands.erase(m_out.commands.begin() + qsizetype(slot));
            parseFunctionBody();
            return;
        }
        if (op == u"(") {
            fail(u"unexpected “(”"_s);
            return;
        }
        if (!op.isEmpty())
            break;
        Word w;
        readWord(w, WordMode::Normal);
        if (failed())
            return;
        if (w.begin == w.end) {
            fail(u"unknown syntax at “%1”"_s.arg(tokenAt()));
            return;
        }
        const QStringView raw = QStringView(m_src).mid(w.begin, w.end - w.begin);
        if (cmd.words.empty() && !assignmentName(raw).isEmpty()) {
            if (raw.endsWith(u'=') && at(m_pos) == u'(')
                readArrayValue(w);
            const QString value = w.value.mid(w.value.indexOf(u'=') + 1);
            if (!w.literal() || value.contains(u'$') || value.contains(u'`'))
                m_out.valuesFromExpansions = true;
            cmd.assignments.push_back(w);
        } else {
            cmd.words.push_back(w);
        }
        cmd.end = m_pos;
    }
    if (!failed())
        finish(slot, std::move(cmd));
}

void Parser::readArrayValue(Word &w)
{
    w.value += u'(';
    ++m_pos;
    QStringList items;
    for (;;) {
        skipSpace();
        if (failed())
            return;
        if (m_pos >= m_n) {
            fail(u"an array assignment is never closed"_s);
            return;
        }
        if (peekOperator() == u")") {
            ++m_pos;
            break;
        }
        Word item;
        readWord(item, WordMode::Normal);
        if (failed())
            return;
        if (item.begin == item.end) {
            fail(u"unknown syntax in an array assignment"_s);
            return;
        }
        w.expansion = w.expansion || item.expansion;
        w.glob = w.glob || item.glob;
        items << item.value;
    }
    w.value += items.join(u' ') + u')';
    w.end = m_pos;
}

void Parser::parseRedirection(std::vector<Redirect> &list)
{
    Redirect r;
    const qsizetype length = redirectionLength();
    r.op = m_src.mid(m_pos, length);
    m_pos += length;
    skipBlanks();
    if (m_pos < m_n && (!isMeta(m_src[m_pos]) || QStringView(m_src).mid(m_pos).startsWith(u"<(")
                        || QStringView(m_src).mid(m_pos).startsWith(u">(")))
        readWord(r.target, WordMode::Normal);
    if (failed())
        return;
    if (r.target.begin == r.target.end) {
        fail(u"the redirection “%1” has no target"_s.arg(r.op));
        return;
    }
    if ((r.op.endsWith(u"<<") && !r.op.endsWith(u"<<<")) || r.op.endsWith(u"<<-"))
        m_pending.push_back({r.target.value, r.target.quoted, r.op.endsWith(u'-'), m_substitutionLevel});
    list.push_back(r);
}

} // namespace reins::policy::shell::detail
