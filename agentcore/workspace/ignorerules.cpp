#include "ignorerules.h"

#include <optional>

namespace reins::workspace {

namespace {

// The outcome of matching a glob from some position on. The two abort values prune the search the way git's
// wildmatch does: without them "a*a*a*…b" against a long text backtracks exponentially.
enum class Match {
    Yes,
    No,
    AbortAll,        ///< no later starting point for an enclosing '*' can match either
    AbortToStarStar, ///< a single '*' hit a '/': only an enclosing "**" may still match
};

// One POSIX class name inside "[…]", e.g. "alpha" for "[[:alpha:]]". ASCII only, as git's own ctype is. nullopt
// for an unknown name, which makes the whole glob malformed (git matches nothing then).
std::optional<bool> inPosixClass(QStringView name, QChar c)
{
    const char16_t u = c.unicode();
    const bool digit = u >= u'0' && u <= u'9';
    const bool lower = u >= u'a' && u <= u'z';
    const bool upper = u >= u'A' && u <= u'Z';
    const bool graph = u > 0x20 && u < 0x7f;
    if (name == u"alnum")
        return digit || lower || upper;
    if (name == u"alpha")
        return lower || upper;
    if (name == u"blank")
        return u == u' ' || u == u'\t';
    if (name == u"cntrl")
        return u < 0x20 || u == 0x7f;
    if (name == u"digit")
        return digit;
    if (name == u"graph")
        return graph;
    if (name == u"lower")
        return lower;
    if (name == u"print")
        return graph || u == u' ';
    if (name == u"punct")
        return graph && !digit && !lower && !upper;
    if (name == u"space")
        return u == u' ' || (u >= u'\t' && u <= u'\r');
    if (name == u"upper")
        return upper;
    if (name == u"xdigit")
        return digit || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
    return std::nullopt;
}

// Matches the class starting at glob[pi] == '[' against `c`. On return `pi` is just past the closing ']'.
// Returns nullopt for a malformed class (no closing ']', dangling '\', unknown "[:name:]").
std::optional<bool> matchClass(QStringView glob, qsizetype &pi, QChar c)
{
    const qsizetype n = glob.size();
    ++pi; // past '['
    bool negated = false;
    if (pi < n && (glob[pi] == u'!' || glob[pi] == u'^')) {
        negated = true;
        ++pi;
    }
    bool matched = false;
    // The first member may be ']' and is then literal, hence the loop tests for ']' only after one member.
    bool first = true;
    std::optional<QChar> previous; // the last single character, a possible range start
    while (true) {
        if (pi >= n)
            return std::nullopt;
        QChar ch = glob[pi];
        if (ch == u']' && !first)
            break;
        first = false;
        if (ch == u'\\') {
            if (++pi >= n)
                return std::nullopt;
            ch = glob[pi];
            matched = matched || c == ch;
            previous = ch;
        } else if (ch == u'-' && previous && pi + 1 < n && glob[pi + 1] != u']') {
            QChar last = glob[++pi];
            if (last == u'\\') {
                if (++pi >= n)
                    return std::nullopt;
                last = glob[pi];
            }
            matched = matched || (c >= *previous && c <= last);
            previous.reset(); // "a-c-e": the second '-' is literal, as in git
        } else if (ch == u'[' && pi + 1 < n && glob[pi + 1] == u':') {
            // "[:name:]" up to the first ']'; without the ':' before that ']' the '[' is an ordinary member.
            const qsizetype close = glob.indexOf(u']', pi + 2);
            if (close < 0)
                return std::nullopt;
            if (close - 1 < pi + 2 || glob[close - 1] != u':') {
                matched = matched || c == ch;
                previous = ch;
            } else {
                const auto in = inPosixClass(glob.sliced(pi + 2, close - 1 - (pi + 2)), c);
                if (!in)
                    return std::nullopt;
                matched = matched || *in;
                pi = close;
                previous.reset();
            }
        } else {
            matched = matched || c == ch;
            previous = ch;
        }
        ++pi;
    }
    ++pi; // past ']'
    return matched != negated;
}

Match matchFrom(QStringView glob, qsizetype pi, QStringView text, qsizetype ti)
{
    const qsizetype gn = glob.size();
    const qsizetype tn = text.size();
    while (pi < gn) {
        const QChar p = glob[pi];
        if (ti >= tn && p != u'*')
            return Match::AbortAll; // the text is used up; consuming less of it earlier cannot help
        switch (p.unicode()) {
        case u'\\':
            // A trailing lone backslash matches nothing, like git.
            if (pi + 1 >= gn || text[ti] != glob[pi + 1])
                return Match::No;
            pi += 2;
            ++ti;
            continue;
        case u'?':
            if (text[ti] == u'/')
                return Match::No;
            ++pi;
            ++ti;
            continue;
        case u'[': {
            const auto in = matchClass(glob, pi, text[ti]);
            if (!in)
                return Match::AbortAll;
            if (!*in || text[ti] == u'/')
                return Match::No;
            ++ti;
            continue;
        }
        case u'*': {
            const qsizetype starStart = pi;
            while (pi < gn && glob[pi] == u'*')
                ++pi;
            // "**" crosses folders only as a whole component: at the start or after '/', and at the end or before
            // '/'. Elsewhere it is an ordinary '*'.
            bool matchSlash = false;
            if (pi - starStart >= 2 && (starStart == 0 || glob[starStart - 1] == u'/')
                && (pi == gn || glob[pi] == u'/' || (glob[pi] == u'\\' && pi + 1 < gn && glob[pi + 1] == u'/'))) {
                // "a/**/b" also matches "a/b": try the rest with "**/" standing for nothing.
                if (pi < gn && glob[pi] == u'/' && matchFrom(glob, pi + 1, text, ti) == Match::Yes)
                    return Match::Yes;
                matchSlash = true;
            }
            if (pi == gn) // a trailing "**" takes everything, a trailing '*' the rest of this component
                return matchSlash || !text.sliced(ti).contains(u'/') ? Match::Yes : Match::No;
            for (; ti < tn; ++ti) {
                const Match m = matchFrom(glob, pi, text, ti);
                if (m != Match::No && (!matchSlash || m != Match::AbortToStarStar))
                    return m;
                if (m == Match::No && !matchSlash && text[ti] == u'/')
                    return Match::AbortToStarStar;
            }
            return Match::AbortAll;
        }
        default:
            if (text[ti] != p)
                return Match::No;
            ++pi;
            ++ti;
            continue;
        }
    }
    return ti == tn ? Match::Yes : Match::No;
}

// Git strips trailing spaces, except one escaped with a backslash ("foo\ " keeps "foo\ ", which matches "foo ").
QByteArray trimTrailingSpaces(QByteArray line)
{
    qsizetype keep = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == ' ')
            continue;
        if (line[i] == '\\' && i + 1 < line.size())
            ++i;
        keep = i + 1;
    }
    line.truncate(keep);
    return line;
}

QString normalizedBase(const QString &base)
{
    QString b = base;
    while (b.startsWith(u'/'))
        b.remove(0, 1);
    while (b.endsWith(u'/'))
        b.chop(1);
    if (b == u".")
        b.clear();
    return b;
}

} // namespace

bool globMatch(QStringView glob, QStringView text)
{
    return matchFrom(glob, 0, text, 0) == Match::Yes;
}

void IgnoreRules::addPatterns(const QString &base, const QByteArray &content)
{
    const QString folder = normalizedBase(base);
    QByteArrayView rest(content);
    if (rest.startsWith("\xEF\xBB\xBF"))
        rest = rest.sliced(3); // editors on Windows like to start files with a UTF-8 byte order mark
    while (!rest.isEmpty()) {
        const qsizetype eol = rest.indexOf('\n');
        QByteArray line = (eol < 0 ? rest : rest.first(eol)).toByteArray();
        rest = eol < 0 ? QByteArrayView() : rest.sliced(eol + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        line = trimTrailingSpaces(std::move(line));

        Pattern pattern;
        pattern.base = folder;
        if (line.startsWith('!')) {
            pattern.negated = true;
            line.remove(0, 1);
        }
        if (line.endsWith('/')) {
            pattern.dirOnly = true;
            line.chop(1);
        }
        // Any remaining '/' (leading or middle) ties the pattern to the ignore file's folder.
        pattern.anchored = line.contains('/');
        if (line.startsWith('/'))
            line.remove(0, 1);
        if (line.isEmpty())
            continue;
        pattern.glob = QString::fromUtf8(line);
        m_patterns.push_back(std::move(pattern));
    }
}

bool IgnoreRules::isIgnored(const QString &path, bool isDir) const
{
    const QStringView full(path);
    const QStringView name = full.sliced(full.lastIndexOf(u'/') + 1);
    // Later patterns win, so the first match from the end decides.
    for (auto it = m_patterns.rbegin(); it != m_patterns.rend(); ++it) {
        const Pattern &pattern = *it;
        if (pattern.dirOnly && !isDir)
            continue;
        QStringView relative = full;
        if (!pattern.base.isEmpty()) {
            // An ignore file speaks only for paths below its own folder.
            if (full.size() <= pattern.base.size() || full[pattern.base.size()] != u'/'
                || !full.startsWith(pattern.base))
                continue;
            relative = full.sliced(pattern.base.size() + 1);
        }
        if (globMatch(pattern.glob, pattern.anchored ? relative : name))
            return !pattern.negated;
    }
    return false;
}

} // namespace reins::workspace
