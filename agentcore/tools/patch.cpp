#include "patch.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>

#include <optional>

namespace reins::tools {

namespace {

constexpr QLatin1String kBeginPatch("*** Begin Patch");
constexpr QLatin1String kEndPatch("*** End Patch");
constexpr QLatin1String kAddFile("*** Add File:");
constexpr QLatin1String kDeleteFile("*** Delete File:");
constexpr QLatin1String kUpdateFile("*** Update File:");
constexpr QLatin1String kMoveTo("*** Move to:");
constexpr QLatin1String kEndOfFile("*** End of File");

// Error messages quote patch and file text; a runaway line must not drown the message.
QString clip(const QString &text, qsizetype max = 120)
{
    return text.size() <= max ? text : text.left(max) + QStringLiteral("…");
}

struct PatchLine
{
    QString text;   ///< without the line break (and without a '\r' before it)
    int number = 0; ///< 1-based, in the text as given, so errors point at what the model wrote
};

std::unexpected<Error> failAt(int line, const QString &what)
{
    return fail(QStringLiteral("patch line %1: %2").arg(line).arg(what));
}

void dropBlankEdges(std::vector<PatchLine> &lines)
{
    while (!lines.empty() && lines.back().text.trimmed().isEmpty())
        lines.pop_back();
    while (!lines.empty() && lines.front().text.trimmed().isEmpty())
        lines.erase(lines.begin());
}

// Models sometimes pass the patch the way they would type it into a shell (`<<'EOF'` … `EOF`) or quote it in
// a Markdown fence; neither wrapper is part of the patch, so both are peeled off (in any nesting).
void stripWrappers(std::vector<PatchLine> &lines)
{
    static const QRegularExpression heredoc(
        QStringLiteral(R"(^(?:\S+\s+)?<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1$)"));
    while (lines.size() >= 2) {
        const QString first = lines.front().text.trimmed();
        const QString last = lines.back().text.trimmed();
        if (first == kBeginPatch)
            return;
        const QRegularExpressionMatch m = heredoc.match(first);
        const bool fenced = first.startsWith(QLatin1String("```")) && last == QLatin1String("```");
        if (!fenced && !(m.hasMatch() && last == m.captured(2)))
            return;
        lines.pop_back();
        lines.erase(lines.begin());
        dropBlankEdges(lines);
    }
}

// The text after a marker such as "*** Add File:"; markers are matched ignoring case and surrounding spaces.
std::optional<QString> markerValue(const QString &trimmed, QLatin1String marker)
{
    if (!trimmed.startsWith(marker, Qt::CaseInsensitive))
        return std::nullopt;
    return trimmed.mid(marker.size()).trimmed();
}

// Lines that end an Update's hunks, even indented: the next section, or the end of the patch.
bool isFileMarker(const QString &trimmed)
{
    for (QLatin1String marker : {kAddFile, kDeleteFile, kUpdateFile, kMoveTo})
        if (trimmed.startsWith(marker, Qt::CaseInsensitive))
            return true;
    return trimmed.compare(kEndPatch, Qt::CaseInsensitive) == 0;
}

// The text after "@@": one separating space dropped, indentation kept (it may be what tells two lines apart).
QString contextHint(const QString &line)
{
    QString hint = line.mid(line.indexOf(QLatin1String("@@")) + 2);
    if (hint.startsWith(u' '))
        hint.remove(0, 1);
    while (!hint.isEmpty() && hint.back().isSpace())
        hint.chop(1);
    // A unified-diff range ("@@ -3,7 +3,8 @@ int main()") locates nothing here; only its trailing context does.
    static const QRegularExpression range(QStringLiteral(R"(^-\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)$)"));
    if (const QRegularExpressionMatch m = range.match(hint); m.hasMatch())
        return m.captured(1);
    return hint;
}

class Parser
{
public:
    Parser(std::vector<PatchLine> lines, size_t begin, size_t end)
        : m_lines(std::move(lines)), m_i(begin), m_end(end)
    {
    }

    Result<std::vector<PatchOperation>> run()
    {
        using Kind = PatchOperation::Kind;
        while (m_i < m_end) {
            const PatchLine &line = m_lines[m_i];
            const QString t = line.text.trimmed();
            PatchOperation op;
            std::optional<QString> path;
            if (t.isEmpty()) {
                ++m_i;
                continue;
            }
            if ((path = markerValue(t, kAddFile)))
                op.kind = Kind::Add;
            else if ((path = markerValue(t, kDeleteFile)))
                op.kind = Kind::Delete;
            else if ((path = markerValue(t, kUpdateFile)))
                op.kind = Kind::Update;
            else if (t.startsWith(kMoveTo, Qt::CaseInsensitive))
                return failAt(line.number, QStringLiteral("'*** Move to:' must directly follow '*** Update File:'"));
            else if (t.compare(kEndPatch, Qt::CaseInsensitive) == 0)
                return failAt(line.number, QStringLiteral("'*** End Patch' must be the last line of the patch"));
            else
                return failAt(line.number, QStringLiteral("expected '*** Add File: ', '*** Delete File: ' or "
                                                          "'*** Update File: ', found '%1'").arg(clip(t)));
            if (auto ok = checkPath(*path, line.number); !ok)
                return std::unexpected(ok.error());
            op.path = *path;
            ++m_i;
            if (op.kind == Kind::Add)
                op.content = addedContent();
            if (op.kind == Kind::Update)
                if (auto ok = parseUpdate(op, line.number); !ok)
                    return std::unexpected(ok.error());
            m_ops.push_back(std::move(op));
        }
        if (m_ops.empty())
            return fail(QStringLiteral("the patch contains no file operations"));
        return std::move(m_ops);
    }

private:
    Result<void> checkPath(const QString &path, int line)
    {
        if (path.isEmpty())
            return failAt(line, QStringLiteral("expected a path after '%1'").arg(m_lines[m_i].text.trimmed()));
        QString p = path;
        p.replace(u'\\', u'/');
        const bool drive = p.size() >= 2 && p.at(0).isLetter() && p.at(1) == u':';
        if (p.startsWith(u'/') || p.startsWith(u'~') || drive)
            return failAt(line, QStringLiteral("absolute path '%1' is not allowed; paths must be relative to the "
                                               "workspace").arg(clip(path)));
        if (p.split(u'/').contains(QLatin1String("..")))
            return failAt(line, QStringLiteral("path '%1' contains '..'; paths must stay inside the workspace")
                                    .arg(clip(path)));
        // Two sections for one file would apply against each other's results; codex refuses this too.
        const QString key = QDir::cleanPath(p);
        if (const auto it = m_seen.constFind(key); it != m_seen.cend())
            return failAt(line, QStringLiteral("'%1' appears twice in the patch (first on line %2); put all changes "
                                               "to one file in one section").arg(clip(path)).arg(*it));
        m_seen.insert(key, line);
        return {};
    }

    QString addedContent()
    {
        QStringList content;
        for (; m_i < m_end; ++m_i) {
            const QString &raw = m_lines[m_i].text;
            if (raw.startsWith(u'+'))
                content.append(raw.mid(1));
            else if (raw.trimmed().isEmpty() && nextContentStartsWithPlus())
                content.append(QString()); // models drop the '+' of blank lines; between '+' lines that is all it means
            else
                break;
        }
        return content.isEmpty() ? QString() : content.join(u'\n') + u'\n';
    }

    bool nextContentStartsWithPlus() const
    {
        for (size_t j = m_i + 1; j < m_end; ++j)
            if (!m_lines[j].text.trimmed().isEmpty())
                return m_lines[j].text.startsWith(u'+');
        return false;
    }

    Result<void> parseUpdate(PatchOperation &op, int headerLine)
    {
        if (m_i < m_end) {
            if (const auto target = markerValue(m_lines[m_i].text.trimmed(), kMoveTo)) {
                // A move onto itself is no move; refusing it as a duplicate path would only confuse.
                if (QDir::cleanPath(*target) != QDir::cleanPath(op.path)) {
                    if (auto ok = checkPath(*target, m_lines[m_i].number); !ok)
                        return ok;
                    op.moveTo = *target;
                }
                ++m_i;
            }
        }
        int hunkLine = 0; // where the open hunk starts; 0 while none is open
        const auto closeHunk = [&]() -> Result<void> {
            const int start = std::exchange(hunkLine, 0);
            if (start && op.hunks.back().oldLines.isEmpty() && op.hunks.back().newLines.isEmpty())
                return failAt(start, QStringLiteral("empty hunk: expected lines starting with ' ', '-' or '+'"));
            return {};
        };
        for (; m_i < m_end; ++m_i) {
            const PatchLine &l = m_lines[m_i];
            const QString t = l.text.trimmed();
            if (!hunkLine && t.isEmpty())
                continue; // blank lines between hunks
            if (isFileMarker(t))
                break;
            const QChar c = l.text.isEmpty() ? u' ' : l.text.at(0);
            const bool diffLine = c == u' ' || c == u'-' || c == u'+';
            const bool endOfFile = t.compare(kEndOfFile, Qt::CaseInsensitive) == 0;
            if (endOfFile || (!diffLine && t.startsWith(QLatin1String("@@")))) {
                if (endOfFile && !hunkLine)
                    return failAt(l.number, QStringLiteral("'*** End of File' must follow the lines of a hunk"));
                if (endOfFile)
                    op.hunks.back().endOfFile = true;
                if (auto ok = closeHunk(); !ok)
                    return ok;
                if (!endOfFile) {
                    op.hunks.push_back(PatchHunk{contextHint(l.text), {}, {}, false});
                    hunkLine = l.number;
                }
                continue;
            }
            // An empty line is an empty context line: models drop the leading space of blank context lines.
            const bool blank = t.isEmpty() && c != u' ';
            if (!diffLine && !blank)
                return failAt(l.number, QStringLiteral("expected a hunk line starting with ' ', '-' or '+' (or '@@', "
                                                       "'*** End of File'), found '%1'").arg(clip(l.text)));
            if (!hunkLine) {
                if (!op.hunks.empty())
                    return failAt(l.number, QStringLiteral("expected '@@' to start the next hunk, found '%1'")
                                                .arg(clip(l.text)));
                op.hunks.emplace_back(); // the first hunk may omit its "@@" line
                hunkLine = l.number;
            }
            const QString body = blank ? QString() : l.text.mid(1);
            if (c != u'+')
                op.hunks.back().oldLines.append(body);
            if (c != u'-')
                op.hunks.back().newLines.append(body);
        }
        if (auto ok = closeHunk(); !ok)
            return ok;
        if (op.hunks.empty())
            return failAt(headerLine, QStringLiteral("'*** Update File: %1' has no hunks; expected '@@' or lines "
                                                     "starting with ' ', '-' or '+'").arg(clip(op.path)));
        return {};
    }

    std::vector<PatchLine> m_lines;
    size_t m_i;
    size_t m_end;
    std::vector<PatchOperation> m_ops;
    QHash<QString, int> m_seen; ///< cleaned path → line that named it
};

struct TextLine
{
    QString text;   ///< without its line break
    QString ending; ///< "\n", "\r\n", or empty for a last line without one
};

enum class Tolerance { Exact, TrailingSpace, SurroundingSpace };

bool sameLine(QStringView fileLine, QStringView patchLine, Tolerance tolerance)
{
    const auto rightTrimmed = [](QStringView s) {
        while (!s.isEmpty() && s.back().isSpace())
            s.chop(1);
        return s;
    };
    switch (tolerance) {
    case Tolerance::Exact:
        return fileLine == patchLine;
    case Tolerance::TrailingSpace:
        return rightTrimmed(fileLine) == rightTrimmed(patchLine);
    case Tolerance::SurroundingSpace:
        return fileLine.trimmed() == patchLine.trimmed();
    }
    return false;
}

// The first place at or after `from` where `pattern` occurs, trying each tolerance over the whole range before
// loosening, so a looser match never wins over an exact one further down. An end-of-file hunk tries the very end
// first.
std::optional<qsizetype> seek(const std::vector<TextLine> &lines, const QStringList &pattern, qsizetype from,
                              bool endOfFile)
{
    const qsizetype last = qsizetype(lines.size()) - pattern.size();
    if (pattern.isEmpty() || last < from)
        return std::nullopt;
    const auto matchesAt = [&](qsizetype at, Tolerance tolerance) {
        for (qsizetype k = 0; k < pattern.size(); ++k)
            if (!sameLine(lines[size_t(at + k)].text, pattern.at(k), tolerance))
                return false;
        return true;
    };
    constexpr Tolerance tolerances[] = {Tolerance::Exact, Tolerance::TrailingSpace, Tolerance::SurroundingSpace};
    if (endOfFile)
        for (Tolerance tolerance : tolerances)
            if (matchesAt(last, tolerance))
                return last;
    for (Tolerance tolerance : tolerances)
        for (qsizetype at = from; at <= last; ++at)
            if (matchesAt(at, tolerance))
                return at;
    return std::nullopt;
}

// Writes the new lines of a hunk matched at `start`. Lines the hunk keeps (its context: a longest common
// subsequence of old and new lines) are copied from the file, so a tolerant match never rewrites their whitespace
// or line ending.
void emitReplacement(const std::vector<TextLine> &lines, qsizetype start, const QStringList &oldLines,
                     const QStringList &newLines, const QString &eol, std::vector<TextLine> &out)
{
    const qsizetype m = oldLines.size();
    const qsizetype n = newLines.size();
    const bool pairable = m * n <= 4'000'000; // beyond that, a huge hunk is simply written as given
    std::vector<int> lcs(pairable ? size_t((m + 1) * (n + 1)) : 0, 0);
    const auto at = [&](qsizetype i, qsizetype j) -> int & { return lcs[size_t(i * (n + 1) + j)]; };
    if (pairable)
        for (qsizetype i = m - 1; i >= 0; --i)
            for (qsizetype j = n - 1; j >= 0; --j)
                at(i, j) = oldLines.at(i) == newLines.at(j) ? at(i + 1, j + 1) + 1
                                                            : std::max(at(i + 1, j), at(i, j + 1));
    qsizetype i = 0;
    for (qsizetype j = 0; j < n; ++j) {
        while (pairable && i < m && oldLines.at(i) != newLines.at(j) && at(i + 1, j) >= at(i, j + 1))
            ++i;
        if (pairable && i < m && oldLines.at(i) == newLines.at(j))
            out.push_back(lines[size_t(start + i++)]);
        else
            out.push_back({newLines.at(j), eol});
    }
}

QString notFound(size_t hunk, const QStringList &oldLines)
{
    constexpr qsizetype shown = 20;
    QStringList quoted;
    for (qsizetype k = 0; k < std::min(shown, oldLines.size()); ++k)
        quoted.append(clip(oldLines.at(k), 200));
    if (oldLines.size() > shown)
        quoted.append(QStringLiteral("… (%1 more lines)").arg(oldLines.size() - shown));
    return QStringLiteral("hunk %1: could not find these lines in the file:\n").arg(hunk + 1) + quoted.join(u'\n');
}

} // namespace

Result<std::vector<PatchOperation>> parsePatch(const QString &patch)
{
    std::vector<PatchLine> lines;
    const QStringList raw = patch.split(u'\n');
    for (qsizetype k = 0; k < raw.size(); ++k) {
        QString text = raw.at(k);
        if (text.endsWith(u'\r'))
            text.chop(1);
        lines.push_back({std::move(text), int(k + 1)});
    }
    dropBlankEdges(lines);
    stripWrappers(lines);
    if (lines.empty())
        return fail(QStringLiteral("the patch is empty; expected '*** Begin Patch'"));
    const PatchLine &first = lines.front();
    if (first.text.trimmed().compare(kBeginPatch, Qt::CaseInsensitive) != 0)
        return failAt(first.number, QStringLiteral("expected '*** Begin Patch', found '%1'").arg(clip(first.text)));
    const PatchLine &last = lines.back();
    if (lines.size() < 2 || last.text.trimmed().compare(kEndPatch, Qt::CaseInsensitive) != 0)
        return failAt(last.number, QStringLiteral("expected '*** End Patch' as the last line, found '%1'")
                                       .arg(clip(last.text)));
    const size_t end = lines.size() - 1;
    return Parser(std::move(lines), 1, end).run();
}

Result<QString> applyHunks(const QString &text, const std::vector<PatchHunk> &hunks)
{
    // Lines keep their own break, so untouched ones are written back byte for byte; the patch's lines get the
    // dominant break. An empty text counts as ending in a break, so additions to it end with one.
    std::vector<TextLine> lines;
    qsizetype crlf = 0;
    qsizetype lf = 0;
    for (qsizetype start = 0; start < text.size();) {
        const qsizetype nl = text.indexOf(u'\n', start);
        if (nl < 0) {
            lines.push_back({text.mid(start), QString()});
            break;
        }
        const bool cr = nl > start && text.at(nl - 1) == u'\r';
        ++(cr ? crlf : lf);
        lines.push_back({text.mid(start, nl - start - (cr ? 1 : 0)),
                         cr ? QStringLiteral("\r\n") : QStringLiteral("\n")});
        start = nl + 1;
    }
    const QString eol = crlf > lf ? QStringLiteral("\r\n") : QStringLiteral("\n");
    const bool finalNewline = text.isEmpty() || text.endsWith(u'\n');
    const qsizetype lineCount = qsizetype(lines.size());

    std::vector<TextLine> out;
    out.reserve(lines.size());
    qsizetype pos = 0; // hunks are found in order, each after the previous one's end; all before `pos` is written
    for (size_t h = 0; h < hunks.size(); ++h) {
        const PatchHunk &hunk = hunks[h];
        qsizetype from = pos;
        std::optional<qsizetype> hintAt;
        if (!hunk.contextHint.isEmpty()) {
            hintAt = seek(lines, QStringList{hunk.contextHint}, pos, false);
            if (!hintAt)
                return fail(QStringLiteral("hunk %1: could not find the context line '@@ %2' in the file")
                                .arg(h + 1).arg(clip(hunk.contextHint)));
            from = *hintAt + 1;
        }
        QStringList oldLines = hunk.oldLines;
        QStringList newLines = hunk.newLines;
        std::optional<qsizetype> found;
        if (oldLines.isEmpty()) {
            // Codex appends a lone pure addition at the end of the file; with an anchor it goes right there.
            found = (hunk.endOfFile || (hunks.size() == 1 && hunk.contextHint.isEmpty())) ? lineCount : from;
        } else {
            found = seek(lines, oldLines, from, hunk.endOfFile);
            if (!found && hintAt) // models often repeat the "@@" line as the hunk's first context line
                found = seek(lines, oldLines, *hintAt, hunk.endOfFile);
            // A trailing empty old line often stands for the file's final line break, or for a blank line the
            // model put between two sections of the patch; neither is a line of the file.
            while (!found && oldLines.size() > 1 && oldLines.last().isEmpty()) {
                oldLines.removeLast();
                if (!newLines.isEmpty() && newLines.last().isEmpty())
                    newLines.removeLast();
                found = seek(lines, oldLines, from, hunk.endOfFile);
            }
            if (!found)
                return fail(notFound(h, hunk.oldLines));
        }
        out.insert(out.end(), lines.begin() + pos, lines.begin() + *found);
        emitReplacement(lines, *found, oldLines, newLines, eol, out);
        pos = *found + oldLines.size();
    }
    out.insert(out.end(), lines.begin() + pos, lines.end());

    // Only the last line may lack a break, and only if the file's last line lacked one.
    QString result;
    result.reserve(text.size());
    for (size_t k = 0; k < out.size(); ++k)
        result += out[k].text + (k + 1 == out.size() && !finalNewline ? QString()
                                 : out[k].ending.isEmpty()            ? eol
                                                                      : out[k].ending);
    return result;
}

} // namespace reins::tools
