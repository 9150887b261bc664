#include "editmatcher.h"

#include <QHash>

#include <QList>
#include <QSet>
#include <QStringList>
#include <QStringView>

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>

namespace reins::tools {

namespace {

constexpr int TabWidth = 4;              // what models and most code bases assume when they mix tabs and spaces
constexpr int MaxListedLines = 10;       // line numbers named in an ambiguity error
constexpr qsizetype MaxShownLines = 8;   // lines quoted in a not-found error
constexpr qsizetype MaxComparedChars = 200; // keeps the similarity search cheap on minified or generated lines
constexpr int Candidates = 5;            // windows scored in full after the cheap first-line pass
constexpr double MinSimilarity = 0.5;    // below this, quoting lines would mislead more than help

// Content spans of the lines; terminators (CRLF, LF, CR) are excluded. A text ending in a terminator has a last,
// empty line, so there is always at least one line.
struct LineTable
{
    QList<qsizetype> starts;
    QList<qsizetype> ends;

    qsizetype count() const { return starts.size(); }
    QStringView line(QStringView text, qsizetype i) const { return text.sliced(starts[i], ends[i] - starts[i]); }
};

LineTable splitLines(QStringView text)
{
    LineTable t;
    // A byte order mark is not part of the first line: the indentation rule must see where the line really starts,
    // and no replacement may swallow the mark.
    qsizetype start = text.startsWith(QChar(0xFEFF)) ? 1 : 0;
    for (qsizetype i = start; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c != u'\n' && c != u'\r')
            continue;
        t.starts.append(start);
        t.ends.append(i);
        if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
            ++i;
        start = i + 1;
    }
    t.starts.append(start);
    t.ends.append(text.size());
    return t;
}

// 0-based index of the line holding `pos`, given ascending line starts.
qsizetype lineAt(const QList<qsizetype> &starts, qsizetype pos)
{
    const auto it = std::upper_bound(starts.cbegin(), starts.cend(), pos);
    return std::max<qsizetype>(0, (it - starts.cbegin()) - 1);
}

QString dominantEol(QStringView text)
{
    const qsizetype crlf = text.count(u"\r\n");
    const qsizetype lf = text.count(u'\n') - crlf;
    const qsizetype cr = text.count(u'\r') - crlf;
    if (crlf > lf && crlf >= cr)
        return QStringLiteral("\r\n");
    if (cr > lf && cr > crlf)
        return QStringLiteral("\r");
    return QStringLiteral("\n"); // also for a text without line breaks: LF is the least surprising
}

QString toLf(QString s)
{
    return s.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(u'\r', u'\n');
}

QStringView rtrimmed(QStringView s)
{
    while (!s.isEmpty() && s.back().isSpace())
        s.chop(1);
    return s;
}

QStringView leadingSpace(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && (line[n] == u' ' || line[n] == u'\t'))
        ++n;
    return line.first(n);
}

// A text with normalised line ends (and optionally trailing whitespace removed), plus where each of its lines
// starts. Its lines correspond one to one to the original's, which is how matches are mapped back.
struct Folded
{
    QString text;
    QList<qsizetype> starts;
};

Folded fold(QStringView text, const LineTable &lines, bool trimTrailing)
{
    Folded f;
    f.text.reserve(text.size());
    for (qsizetype i = 0; i < lines.count(); ++i) {
        if (i > 0)
            f.text.append(u'\n');
        f.starts.append(f.text.size());
        const QStringView line = lines.line(text, i);
        f.text.append(trimTrailing ? rtrimmed(line) : line);
    }
    return f;
}

// Folded columns never exceed the original ones, so a column maps straight back.
qsizetype toOriginal(const Folded &f, const LineTable &lines, qsizetype pos)
{
    const qsizetype line = lineAt(f.starts, pos);
    return lines.starts[line] + (pos - f.starts[line]);
}

struct Span
{
    qsizetype start = 0;
    qsizetype end = 0;
    qsizetype line = 0;  // 0-based, in the original text
    QString replacement; // with LF line ends; converted to the file's style when spliced
};

// Non-overlapping occurrences, left to right; QStringView::indexOf keeps this linear-ish on large texts.
QList<qsizetype> findAll(QStringView haystack, QStringView needle)
{
    QList<qsizetype> found;
    if (needle.isEmpty())
        return found;
    for (qsizetype at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.size()))
        found.append(at);
    return found;
}

QList<Span> matchFolded(const QString &text, const LineTable &lines, const QString &oldLf, const QString &newLf,
                        bool trimTrailing)
{
    const Folded haystack = fold(text, lines, trimTrailing);
    const Folded needle = fold(oldLf, splitLines(oldLf), trimTrailing);
    QList<Span> spans;
    for (qsizetype at : findAll(haystack.text, needle.text)) {
        const qsizetype start = toOriginal(haystack, lines, at);
        spans.append({start, toOriginal(haystack, lines, at + needle.text.size()), lineAt(lines.starts, start),
                      newLf});
    }
    return spans;
}

int widthOf(QStringView indent)
{
    int w = 0;
    for (QChar c : indent)
        w = c == u'\t' ? (w / TabWidth + 1) * TabWidth : w + 1;
    return w;
}

QString makeIndent(int width, bool tabs)
{
    return tabs ? QString(width / TabWidth, u'\t') + QString(width % TabWidth, u' ') : QString(width, u' ');
}

// Re-indents every non-blank line of `newLf` the way the file's matched lines relate to old_string's, written in
// the file's style (tabs or spaces). `pairs` holds (old width, file width) for each non-blank matched line, the
// first non-blank line first. A uniform drift shifts everything; a model writing 2-space indentation into a
// 4-space file gives a consistent scale, applied to the levels below the first line; otherwise widths seen in the
// match map directly and others shift by the first line's drift. `fileUsesTabs` is empty when the matched lines
// show no indentation at all; each line then keeps its own style.
QString reindent(const QString &newLf, const QList<std::pair<int, int>> &pairs, std::optional<bool> fileUsesTabs)
{
    const auto [baseOld, baseFile] = pairs.first();
    const int delta = baseFile - baseOld;
    bool uniform = true;
    std::optional<double> scale;
    bool scaled = true;
    QHash<int, int> direct;
    for (const auto &[o, f] : pairs) {
        uniform = uniform && f - o == delta;
        direct.insert(o, f);
        if (o == baseOld) {
            scaled = scaled && f == baseFile;
            continue;
        }
        const double r = double(f - baseFile) / double(o - baseOld);
        if (r <= 0 || (scale && *scale != r))
            scaled = false;
        scale = r;
    }
    bool styleDiffers = false;
    if (fileUsesTabs)
        for (QStringView line : QStringView(newLf).split(u'\n'))
            styleDiffers = styleDiffers || (!line.trimmed().isEmpty() && leadingSpace(line).contains(u'\t') != *fileUsesTabs
                                            && !leadingSpace(line).isEmpty());
    if (uniform && delta == 0 && !styleDiffers)
        return newLf;
    const auto widthFor = [&](int w) {
        if (uniform)
            return w + delta;
        if (scaled && scale)
            return baseFile + int(double(w - baseOld) * *scale + 0.5);
        return direct.contains(w) ? direct.value(w) : w + delta;
    };
    QStringList out;
    for (QStringView line : QStringView(newLf).split(u'\n')) {
        if (line.trimmed().isEmpty()) {
            out.append(line.toString());
            continue;
        }
        const QStringView indent = leadingSpace(line);
        const bool tabs = fileUsesTabs.value_or(indent.contains(u'\t'));
        out.append(QString(makeIndent(std::max(0, widthFor(widthOf(indent))), tabs) + line.sliced(indent.size())));
    }
    return out.join(u'\n');
}

// The lines of old_string; a final newline means "through the end of the last line", not an extra empty line.
QList<QStringView> linesOf(const QString &lf)
{
    QList<QStringView> lines = QStringView(lf).split(u'\n');
    if (lf.endsWith(u'\n'))
        lines.removeLast();
    return lines;
}

qsizetype firstNonBlank(const QList<QStringView> &lines)
{
    const auto it = std::find_if(lines.cbegin(), lines.cend(), [](QStringView l) { return !l.trimmed().isEmpty(); });
    return it == lines.cend() ? -1 : it - lines.cbegin();
}

QList<Span> matchIndentation(const QString &text, const LineTable &lines, const QString &oldLf,
                             const QString &newLf)
{
    const QList<QStringView> oldLines = linesOf(oldLf);
    const bool throughLineEnd = oldLf.endsWith(u'\n');
    const qsizetype k0 = firstNonBlank(oldLines);
    if (k0 < 0)
        return {}; // only blank lines: would match any blank run in the file
    const qsizetype m = oldLines.size();

    QList<Span> spans;
    for (qsizetype i = 0; i + m <= lines.count();) {
        qsizetype k = 0;
        while (k < m && lines.line(text, i + k).trimmed() == oldLines[k].trimmed())
            ++k;
        if (k < m) {
            ++i;
            continue;
        }
        std::optional<bool> tabs;
        for (qsizetype j = i; j < i + m && !tabs; ++j) {
            const QStringView indent = leadingSpace(lines.line(text, j));
            if (!indent.isEmpty())
                tabs = indent.contains(u'\t');
        }
        QList<std::pair<int, int>> pairs;
        for (qsizetype k1 = k0; k1 < m; ++k1)
            if (!oldLines[k1].trimmed().isEmpty())
                pairs.append({widthOf(leadingSpace(oldLines[k1])), widthOf(leadingSpace(lines.line(text, i + k1)))});
        QString replacement = reindent(newLf, pairs, tabs);
        const bool atTextEnd = i + m == lines.count(); // the last line has no terminator to consume
        if (throughLineEnd && atTextEnd && replacement.endsWith(u'\n'))
            replacement.chop(1); // the file had no final newline; the edit should not add one
        const qsizetype end = throughLineEnd && !atTextEnd ? lines.starts[i + m] : lines.ends[i + m - 1];
        spans.append({lines.starts[i], end, i, replacement});
        i += m;
    }
    return spans;
}

QString describeLines(const QList<Span> &spans)
{
    QStringList numbers;
    for (qsizetype i = 0; i < spans.size() && numbers.size() <= MaxListedLines; ++i) {
        if (i == 0 || spans[i].line != spans[i - 1].line)
            numbers.append(numbers.size() < MaxListedLines ? QString::number(spans[i].line + 1) : QStringLiteral("…"));
    }
    return (numbers.size() == 1 ? QStringLiteral("line ") : QStringLiteral("lines ")) + numbers.join(u", ");
}

QSet<quint32> bigrams(QStringView s)
{
    // Padded with spaces so that one-character strings still have something to compare.
    QSet<quint32> set;
    char16_t previous = u' ';
    for (QChar c : s.first(std::min(s.size(), MaxComparedChars))) {
        set.insert(quint32(previous) << 16 | c.unicode());
        previous = c.unicode();
    }
    set.insert(quint32(previous) << 16 | u' ');
    return set;
}

// Dice coefficient over character pairs: linear, so it can run over every line of a large file.
double roughSimilarity(const QSet<quint32> &needle, QStringView line)
{
    const QSet<quint32> pairs = bigrams(line);
    qsizetype common = 0;
    for (quint32 p : pairs)
        common += needle.contains(p) ? 1 : 0;
    return 2.0 * double(common) / double(needle.size() + pairs.size());
}

// 1 - normalised Levenshtein distance; quadratic, so only for the few candidate windows.
double similarity(QStringView a, QStringView b)
{
    a = a.first(std::min(a.size(), MaxComparedChars));
    b = b.first(std::min(b.size(), MaxComparedChars));
    if (a.isEmpty() && b.isEmpty())
        return 1.0;
    QList<qsizetype> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 0; i < a.size(); ++i) {
        qsizetype diagonal = row[0];
        row[0] = i + 1;
        for (qsizetype j = 0; j < b.size(); ++j) {
            const qsizetype above = row[j + 1];
            row[j + 1] = std::min({above + 1, row[j] + 1, diagonal + (a[i] == b[j] ? 0 : 1)});
            diagonal = above;
        }
    }
    return 1.0 - double(row[b.size()]) / double(std::max(a.size(), b.size()));
}

// The not-found message, quoting the window of the file that looks most like old_string, so that the model can
// see what it got wrong instead of guessing again.
QString notFound(const QString &text, const LineTable &lines, const QString &oldLf)
{
    const QString plain = QStringLiteral("old_string was not found in the file.");
    qsizetype fileLines = lines.count();
    if (fileLines > 1 && lines.starts.last() == text.size())
        --fileLines; // the empty "line" after a final newline is not worth quoting
    if (fileLines == 1 && lines.line(text, 0).isEmpty())
        return QStringLiteral("old_string was not found: the file is empty.");

    const QList<QStringView> oldLines = linesOf(oldLf);
    const qsizetype k0 = firstNonBlank(oldLines);
    if (k0 < 0)
        return plain;
    const qsizetype window = std::min<qsizetype>(oldLines.size(), MaxShownLines);

    // Cheap pass: the first non-blank line of old_string against every line; then full windows for the best few.
    const QSet<quint32> needle = bigrams(oldLines[k0].trimmed());
    QList<std::pair<double, qsizetype>> ranked;
    for (qsizetype i = 0; i < fileLines; ++i) {
        const double score = roughSimilarity(needle, lines.line(text, i).trimmed());
        if (score > 0)
            ranked.append({-score, i}); // negated so that ascending order puts the best, then the earliest, first
    }
    const qsizetype top = std::min<qsizetype>(ranked.size(), Candidates);
    std::partial_sort(ranked.begin(), ranked.begin() + top, ranked.end());

    double bestScore = 0;
    qsizetype bestStart = -1;
    for (qsizetype c = 0; c < top; ++c) {
        const qsizetype start = std::max<qsizetype>(0, ranked[c].second - k0);
        double sum = 0;
        for (qsizetype k = 0; k < window && start + k < fileLines; ++k)
            sum += similarity(oldLines[k].trimmed(), lines.line(text, start + k).trimmed());
        const double score = sum / double(window);
        if (score > bestScore || (score == bestScore && start < bestStart)) {
            bestScore = score;
            bestStart = start;
        }
    }
    if (bestStart < 0 || bestScore < MinSimilarity)
        return plain;

    const qsizetype last = std::min(bestStart + window, fileLines);
    const qsizetype numberWidth = QString::number(last).size();
    QString message = plain + QStringLiteral(" The most similar lines are:\n");
    for (qsizetype i = bestStart; i < last; ++i) {
        QStringView line = lines.line(text, i);
        const bool cut = line.size() > MaxComparedChars;
        message += QStringLiteral("  ") + QString::number(i + 1).rightJustified(numberWidth) + QStringLiteral(" | ")
                   + line.first(std::min(line.size(), MaxComparedChars)) + (cut ? QStringLiteral("…") : QString())
                   + u'\n';
    }
    return message + QStringLiteral("Read the file again and copy the exact text.");
}

QString ambiguity(MatchKind kind, const QList<Span> &spans)
{
    static const char16_t *const rule[] = {u"", u"treating CRLF and LF alike ", u"ignoring trailing whitespace ",
                                           u"ignoring indentation "};
    const QString subject = kind == MatchKind::Exact ? QStringLiteral("old_string occurs ")
                                                     : QStringLiteral("old_string was not found exactly; ")
                                                           + QStringView(rule[int(kind)]) + u"it occurs ";
    return subject + QString::number(spans.size()) + QStringLiteral(" times (") + describeLines(spans)
           + QStringLiteral("); add surrounding lines to make it unique, or set replace_all");
}

} // namespace

Result<EditOutcome> applyEdit(const QString &text, const EditRequest &edit)
{
    if (edit.oldString.isEmpty())
        return fail(QStringLiteral("old_string must not be empty; to create a file use write_file"));
    if (edit.oldString == edit.newString)
        return fail(QStringLiteral("old_string and new_string are the same; nothing to change"));

    const LineTable lines = splitLines(text);
    const QString oldLf = toLf(edit.oldString);
    const QString newLf = toLf(edit.newString);

    // Stricter rules first; a looser one is tried only when every stricter one found nothing, so a tolerant match
    // never wins over an exact one elsewhere in the file.
    MatchKind kind = MatchKind::Exact;
    QList<Span> spans;
    for (qsizetype at : findAll(text, edit.oldString))
        spans.append({at, at + edit.oldString.size(), lineAt(lines.starts, at), newLf});
    if (spans.isEmpty() && (text.contains(u'\r') || edit.oldString.contains(u'\r'))) {
        kind = MatchKind::LineEndings;
        spans = matchFolded(text, lines, oldLf, newLf, false);
    }
    if (spans.isEmpty()) {
        kind = MatchKind::TrailingSpace;
        spans = matchFolded(text, lines, oldLf, newLf, true);
    }
    if (spans.isEmpty()) {
        kind = MatchKind::Indentation;
        spans = matchIndentation(text, lines, oldLf, newLf);
    }
    if (spans.isEmpty())
        return fail(notFound(text, lines, oldLf));
    if (spans.size() > 1 && !edit.replaceAll)
        return fail(ambiguity(kind, spans));

    const QString eol = dominantEol(text);
    EditOutcome out;
    out.kind = kind;
    out.replacements = int(spans.size());
    out.firstLine = int(spans.first().line + 1);
    out.text.reserve(std::max<qsizetype>(0, text.size() + spans.size() * (newLf.size() - oldLf.size())));
    qsizetype done = 0;
    for (Span &s : spans) {
        out.text += QStringView(text).sliced(done, s.start - done);
        if (eol != QStringLiteral("\n"))
            s.replacement.replace(u'\n', eol);
        out.text += s.replacement;
        done = s.end;
    }
    out.text += QStringView(text).sliced(done);
    return out;
}

} // namespace reins::tools
