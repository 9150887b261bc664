#include "shellparser_p.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace reins::policy::shell {
namespace detail {
namespace {

// Longest first, so that ";;" is not read as two ";".
const QStringList kOperators = {u";;&"_s, u";;"_s, u";&"_s, u";"_s, u"&&"_s, u"&"_s, u"||"_s, u"|&"_s,
                                u"|"_s,   u"("_s,  u")"_s,  u"\n"_s};
const QStringList kRedirections = {u"<<<"_s, u"<<-"_s, u"<<"_s, u"<>"_s, u"<&"_s,
                                   u"<"_s,   u">>"_s,  u">|"_s, u">&"_s, u">"_s};

} // namespace

void Parser::parseText()
{
    while (m_pos < m_n && !failed()) {
        const QChar c = m_src[m_pos];
        Word scratch;
        if (c == u'\\')
            m_pos += 2;
        else if (c == u'$')
            parseDollar(scratch, true);
        else if (c == u'`')
            parseBacktick(scratch, true);
        else
            ++m_pos;
    }
}

void Parser::fail(const QString &reason)
{
    if (m_out.failed)
        return;
    m_out.failed = true;
    m_out.problems << reason;
}

void Parser::note(const QString &reason)
{
    if (!m_out.problems.contains(reason))
        m_out.problems << reason;
}

bool Parser::enter()
{
    if (++m_depth > kMaxDepth) {
        fail(u"too complex to analyse"_s);
        return false;
    }
    return true;
}

void Parser::skipBlanks()
{
    while (m_pos < m_n) {
        const QChar c = m_src[m_pos];
        if (isBlank(c)) {
            ++m_pos;
        } else if (c == u'\\' && at(m_pos + 1) == u'\n') {
            m_pos += 2;
        } else if (c == u'#') {
            while (m_pos < m_n && m_src[m_pos] != u'\n')
                ++m_pos;
        } else {
            break;
        }
    }
}

void Parser::skipSpace()
{
    while (!failed()) {
        skipBlanks();
        if (at(m_pos) != u'\n')
            return;
        consumeNewline();
    }
}

QString Parser::peekOperator() const
{
    for (const QString &op : kOperators) {
        if (QStringView(m_src).mid(m_pos).startsWith(op))
            return op;
    }
    return {};
}

QString Parser::peekPlainWord() const
{
    qsizetype i = m_pos;
    while (i < m_n && !isMeta(m_src[i])) {
        const QChar c = m_src[i];
        if (c == u'\'' || c == u'"' || c == u'\\' || c == u'$' || c == u'`')
            return {};
        ++i;
    }
    return m_src.mid(m_pos, i - m_pos);
}

QString Parser::tokenAt() const
{
    const QString op = peekOperator();
    if (op == u"\n")
        return u"newline"_s;
    if (!op.isEmpty())
        return op;
    const QString word = peekPlainWord();
    return word.isEmpty() ? m_src.mid(m_pos, 1) : word;
}

qsizetype Parser::redirectionLength() const
{
    qsizetype i = m_pos;
    while (i < m_n && isDigit(m_src[i]))
        ++i;
    const QStringView rest = QStringView(m_src).mid(i);
    if (i == m_pos && rest.startsWith(u"&>>"))
        return 3;
    if (i == m_pos && rest.startsWith(u"&>"))
        return 2;
    for (const QString &op : kRedirections) {
        if (!rest.startsWith(op))
            continue;
        if (op.size() == 1 && at(i + 1) == u'(')
            return 0; // <(…) and >(…) are process substitutions
        return i - m_pos + op.size();
    }
    return 0;
}

void Parser::consumeNewline()
{
    ++m_pos;
    readHeredocBodies();
}

void Parser::readHeredocBodies()
{
    std::vector<PendingHeredoc> pending;
    pending.swap(m_pending);
    for (const PendingHeredoc &doc : pending) {
        // bash reads the body after the line that holds the operator, but a $(…) or <(…) spanning lines is a
        // unit of its own there, and versions differ on the details: rather than guess, give up.
        if (doc.substitutionLevel != m_substitutionLevel) {
            fail(u"a here-document shares its line with a command substitution that spans lines"_s);
            return;
        }
        const qsizetype bodyStart = m_pos;
        qsizetype bodyEnd = -1;
        while (m_pos < m_n) {
            qsizetype lineEnd = m_src.indexOf(u'\n', m_pos);
            if (lineEnd < 0)
                lineEnd = m_n;
            QStringView line = QStringView(m_src).mid(m_pos, lineEnd - m_pos);
            while (doc.stripTabs && line.startsWith(u'\t'))
                line = line.mid(1);
            const qsizetype lineStart = m_pos;
            m_pos = lineEnd < m_n ? lineEnd + 1 : m_n;
            if (line == doc.delimiter) {
                bodyEnd = lineStart;
                break;
            }
        }
        if (bodyEnd < 0) {
            fail(u"the here-document ending with “%1” never ends"_s.arg(doc.delimiter));
            return;
        }
        if (!doc.quoted && bodyEnd > bodyStart) {
            if (m_depth + 1 > kMaxDepth) {
                fail(u"too complex to analyse"_s);
                return;
            }
            Parser body(m_src.mid(bodyStart, bodyEnd - bodyStart), m_depth + 1, m_out);
            body.parseText();
        }
    }
}

void Parser::readWord(Word &w, WordMode mode)
{
    w.begin = m_pos;
    bool braceOpen = false;
    bool braceList = false;
    bool bracketOpen = false;
    qsizetype substitutionEnd = -1;
    while (m_pos < m_n && !failed()) {
        const QChar c = m_src[m_pos];
        if (isBlank(c) || c == u'\n')
            break;
        // Process substitution happens inside [[ ]] too.
        if ((c == u'<' || c == u'>') && at(m_pos + 1) == u'(') {
            const qsizetype start = m_pos;
            ++m_substitutionLevel;
            parseNested(m_src.mid(m_pos, 2), u")"_s);
            --m_substitutionLevel;
            w.expansion = true;
            w.value += m_src.mid(start, m_pos - start);
            if (start == w.begin)
                substitutionEnd = m_pos;
            continue;
        }
        if (isMeta(c) && mode == WordMode::Normal)
            break;
        switch (c.unicode()) {
        case u'\\':
            if (at(m_pos + 1) == u'\n') {
                m_pos += 2;
            } else if (m_pos + 1 < m_n) {
                w.value += m_src[m_pos + 1];
                w.quoted = true;
                m_pos += 2;
            } else {
                w.value += c;
                ++m_pos;
            }
            break;
        case u'\'': {
            const qsizetype close = m_src.indexOf(u'\'', m_pos + 1);
            if (close < 0) {
                fail(u"a single quote is never closed"_s);
                return;
            }
            w.value += QStringView(m_src).mid(m_pos + 1, close - m_pos - 1);
            w.quoted = true;
            m_pos = close + 1;
            break;
        }
        case u'"':
            parseDoubleQuoted(w);
            break;
        case u'$': {
            // $'…' and $"…" are quotes; anything else expanded here is subject to word splitting.
            const bool quote = at(m_pos + 1) == u'\'' || at(m_pos + 1) == u'"';
            const bool before = std::exchange(w.expansion, false);
            parseDollar(w, false);
            w.splits = w.splits || (w.expansion && !quote);
            w.expansion = w.expansion || before;
            break;
        }
        case u'`':
            parseBacktick(w, false);
            w.splits = true;
            break;
        default:
            // Globs and brace expansion turn one word into others the line does not show.
            if (c == u'*' || c == u'?')
                w.glob = true;
            else if (c == u'[')
                bracketOpen = true;
            else if (c == u']' && bracketOpen)
                w.glob = true;
            else if (c == u'{')
                braceOpen = true;
            else if (braceOpen && (c == u',' || (c == u'.' && at(m_pos + 1) == u'.')))
                braceList = true;
            else if (c == u'}' && braceList)
                w.glob = true;
            w.value += c;
            ++m_pos;
        }
    }
    w.end = m_pos;
    w.processSubstitution = substitutionEnd == m_pos;
}

void Parser::parseDoubleQuoted(Word &w)
{
    w.quoted = true;
    ++m_pos;
    while (!failed()) {
        if (m_pos >= m_n) {
            fail(u"a double quote is never closed"_s);
            return;
        }
        const QChar c = m_src[m_pos];
        if (c == u'"') {
            ++m_pos;
            return;
        }
        if (c == u'\\') {
            const QChar next = at(m_pos + 1);
            if (next == u'\n') {
                m_pos += 2;
            } else if (next == u'$' || next == u'`' || next == u'"' || next == u'\\') {
                w.value += next;
                m_pos += 2;
            } else {
                w.value += c;
                ++m_pos;
            }
        } else if (c == u'$') {
            parseDollar(w, true);
        } else if (c == u'`') {
            parseBacktick(w, true);
        } else {
            w.value += c;
            ++m_pos;
        }
    }
}

void Parser::parseDollar(Word &w, bool inDoubleQuotes)
{
    const qsizetype start = m_pos;
    const QChar next = at(m_pos + 1);
    if (next == u'\'' && !inDoubleQuotes) {
        parseAnsiC(w);
        return;
    }
    if (next == u'"' && !inDoubleQuotes) {
        ++m_pos; // $"…" is a translated string: quoting as usual
        parseDoubleQuoted(w);
        return;
    }
    if (next == u'(') {
        if (!(at(m_pos + 2) == u'(' && parseArithmetic(m_pos + 3))) {
            ++m_pos;
            ++m_substitutionLevel;
            parseNested(u"("_s, u")"_s);
            --m_substitutionLevel;
        }
    } else if (next == u'{') {
        parseBraceParameter(inDoubleQuotes);
    } else if (next == u'[') {
        const qsizetype close = m_src.indexOf(u']', m_pos + 2);
        if (close < 0) {
            fail(u"a “$[” is never closed"_s);
            return;
        }
        checkArithmetic(m_src.mid(m_pos + 2, close - m_pos - 2));
        m_pos = close + 1;
    } else if (isNameStart(next)) {
        m_pos += 2;
        while (m_pos < m_n && isNameChar(m_src[m_pos]))
            ++m_pos;
    } else if (isDigit(next) || QStringView(u"@*#?-$!").contains(next)) {
        m_pos += 2;
    } else {
        w.value += u'$'; // a lone $ is itself
        ++m_pos;
        return;
    }
    w.expansion = true;
    w.value += QStringView(m_src).mid(start, m_pos - start);
}

bool Parser::parseArithmetic(qsizetype from)
{
    int open = 0;
    for (qsizetype i = from; i < m_n; ++i) {
        const QChar c = m_src[i];
        if (c == u'(') {
            ++open;
        } else if (c == u')') {
            if (open == 0) {
                if (at(i + 1) != u')')
                    return false;
                checkArithmetic(m_src.mid(from, i - from));
                m_pos = i + 2;
                return true;
            }
            --open;
        }
    }
    return false;
}

void Parser::checkArithmetic(const QString &expression)
{
    // Arithmetic evaluates variables' values as expressions, and a[$(…)] inside one runs a command.
    if (std::any_of(expression.begin(), expression.end(), [](QChar c) { return isNameStart(c) || c == u'$'; }))
        m_out.arithmeticOnVariables = true;
    if (expression.contains(u"$(") || expression.contains(u'`'))
        note(u"a command substitution inside arithmetic: its output is evaluated as an expression"_s);
    if (!expression.contains(u'$') && !expression.contains(u'`'))
        return;
    if (m_depth + 1 > kMaxDepth) {
        fail(u"too complex to analyse"_s);
        return;
    }
    Parser inner(expression, m_depth + 1, m_out);
    inner.parseText();
}

void Parser::parseBraceParameter(bool inDoubleQuotes)
{
    m_pos += 2;
    const qsizetype contentStart = m_pos;
    if (!enter())
        return;
    Word scratch;
    while (!failed()) {
        if (m_pos >= m_n) {
            fail(u"a “${” is never closed"_s);
            return;
        }
        const QChar c = m_src[m_pos];
        if (c == u'}')
            break;
        if (c == u'\\') {
            m_pos += 2;
        } else if (c == u'\'' && !inDoubleQuotes) {
            const qsizetype close = m_src.indexOf(u'\'', m_pos + 1);
            if (close < 0) {
                fail(u"a single quote is never closed"_s);
                return;
            }
            m_pos = close + 1;
        } else if (c == u'"') {
            parseDoubleQuoted(scratch);
        } else if (c == u'$') {
            parseDollar(scratch, inDoubleQuotes);
        } else if (c == u'`') {
            parseBacktick(scratch, inDoubleQuotes);
        } else {
            ++m_pos;
        }
    }
    if (failed())
        return;
    const QString content = m_src.mid(contentStart, m_pos - contentStart);
    ++m_pos;
    leave();
    // ${!x} names another variable, ${a[…]} and ${x:offset} evaluate arithmetic, ${x@P} expands a prompt:
    // each can run a command hidden in a variable's value.
    qsizetype name = 0;
    while (name < content.size() && isNameChar(content[name]))
        ++name;
    const QChar after = name < content.size() ? content[name] : QChar();
    const QChar afterColon = name + 1 < content.size() ? content[name + 1] : QChar();
    static const QRegularExpression plainSubscript(u"^\\[(@|\\*|\\d+)\\]"_s);
    const bool subscript = after == u'[' && !plainSubscript.matchView(QStringView(content).mid(name)).hasMatch();
    if (content.startsWith(u'!') || subscript || (after == u':' && !QStringView(u"-=?+").contains(afterColon)))
        m_out.arithmeticOnVariables = true;
    if (content.mid(name).startsWith(u"@P"))
        note(u"the ${…@P} expansion can run commands hidden in a variable"_s);
}

void Parser::parseAnsiC(Word &w)
{
    w.quoted = true;
    qsizetype i = m_pos + 2;
    auto hexDigits = [&](int maximum) {
        uint value = 0;
        int count = 0;
        while (count < maximum && i < m_n) {
            const int digit = QStringView(u"0123456789abcdef").indexOf(m_src[i].toLower());
            if (digit < 0)
                break;
            value = value * 16 + uint(digit);
            ++i;
            ++count;
        }
        return count > 0 ? value : uint(-1);
    };
    while (i < m_n) {
        const QChar c = m_src[i];
        if (c == u'\'') {
            m_pos = i + 1;
            return;
        }
        if (c != u'\\' || i + 1 >= m_n) {
            w.value += c;
            ++i;
            continue;
        }
        const QChar e = m_src[i + 1];
        i += 2;
        static const QString plain = u"nrtabefvE\\'\"?"_s;
        static const QString decoded = u"\n\r\t\a\b\x1b\f\v\x1b\\'\"?"_s;
        if (const qsizetype k = plain.indexOf(e); k >= 0) {
            w.value += decoded[k];
        } else if (e >= u'0' && e <= u'7') {
            uint value = uint(e.unicode() - u'0');
            for (int k = 0; k < 2 && i < m_n && m_src[i] >= u'0' && m_src[i] <= u'7'; ++k, ++i)
                value = value * 8 + uint(m_src[i].unicode() - u'0');
            w.value += QChar(char16_t(value & 0xff));
        } else if (e == u'x' || e == u'u' || e == u'U') {
            const uint value = hexDigits(e == u'x' ? 2 : e == u'u' ? 4 : 8);
            if (value == uint(-1) || value > 0x10ffff) {
                w.value += u'\\';
                w.value += e;
            }
            else
                w.value += QString::fromUcs4(std::array<char32_t, 1>{char32_t(value)}.data(), 1);
        } else if (e == u'c' && i < m_n) {
            w.value += QChar(char16_t(m_src[i].unicode() & 0x1f));
            ++i;
        } else {
            w.value += u'\\';
            w.value += e;
        }
    }
    fail(u"a $' quote is never closed"_s);
}

void Parser::parseBacktick(Word &w, bool inDoubleQuotes)
{
    const qsizetype start = m_pos;
    QString content;
    qsizetype i = m_pos + 1;
    for (; i < m_n && m_src[i] != u'`'; ++i) {
        const QChar c = m_src[i];
        const QChar next = at(i + 1);
        if (c == u'\\' && (next == u'$' || next == u'`' || next == u'\\' || (inDoubleQuotes && next == u'"'))) {
            content += next;
            ++i;
        } else {
            content += c;
        }
    }
    if (i >= m_n) {
        fail(u"a backquote is never closed"_s);
        return;
    }
    m_pos = i + 1;
    w.expansion = true;
    w.value += QStringView(m_src).mid(start, m_pos - start);
    if (m_depth + 1 > kMaxDepth) {
        fail(u"too complex to analyse"_s);
        return;
    }
    Parser inner(content, m_depth + 1, m_out);
    inner.parseProgram();
}

} // namespace detail

QString assignmentName(QStringView raw)
{
    qsizetype i = 0;
    if (raw.isEmpty() || !detail::isNameStart(raw[0]))
        return {};
    while (i < raw.size() && detail::isNameChar(raw[i]))
        ++i;
    const qsizetype nameEnd = i;
    if (i < raw.size() && raw[i] == u'[') {
        i = raw.indexOf(u']', i);
        if (i < 0)
            return {};
        ++i;
    }
    if (i < raw.size() && raw[i] == u'+')
        ++i;
    if (i < raw.size() && raw[i] == u'=')
        return raw.first(nameEnd).toString();
    return {};
}

ParseResult parse(const QString &source, int depth)
{
    ParseResult result;
    if (depth > kMaxDepth) {
        result.failed = true;
        result.problems << u"too complex to analyse"_s;
        return result;
    }
    detail::Parser parser(source, depth, result);
    parser.parseProgram();
    return result;
}

} // namespace reins::policy::shell

