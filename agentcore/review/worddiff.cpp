#include "worddiff.h"

#include <QHash>

#include <algorithm>
#include <cstdint>

namespace reins::review {

namespace {

constexpr qsizetype MaxTokens = 2000;

struct Token
{
    int start = 0;
    int length = 0;
    bool space = false;
    int id = 0; ///< equal tokens of both lines share an id: the table compares numbers, not strings
};

enum class CharClass { Word, Space, Other };

CharClass classOf(char32_t c)
{
    if (c == U'_' || QChar::isLetterOrNumber(c))
        return CharClass::Word;
    return QChar::isSpace(c) ? CharClass::Space : CharClass::Other;
}

std::vector<Token> tokenize(QStringView text)
{
    std::vector<Token> tokens;
    int i = 0;
    const int size = int(text.size());
    CharClass previous = CharClass::Other;
    while (i < size) {
        char32_t c = text[i].unicode();
        int width = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < size && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            width = 2;
        }
        const CharClass kind = classOf(c);
        // Words and whitespace grow into runs; every other character is a token of its own.
        if (!tokens.empty() && kind == previous && kind != CharClass::Other)
            tokens.back().length += width;
        else
            tokens.push_back({i, width, kind == CharClass::Space});
        previous = kind;
        i += width;
    }
    return tokens;
}

int nonSpaceUnits(const std::vector<Token> &tokens)
{
    int units = 0;
    for (const Token &token : tokens)
        units += token.space ? 0 : token.length;
    return units;
}

/// Per token of each side: whether it belongs to the longest common subsequence.
struct Matching
{
    std::vector<bool> oldKept, newKept;
};

void assignIds(QStringView line, std::vector<Token> &tokens, QHash<QStringView, int> &ids)
{
    for (Token &token : tokens) {
        const QStringView text = line.sliced(token.start, token.length);
        token.id = ids.value(text, -1);
        if (token.id < 0) {
            token.id = int(ids.size());
            ids.insert(text, token.id);
        }
    }
}

Matching longestCommon(const std::vector<Token> &a, const std::vector<Token> &b)
{
    const auto same = [&](size_t i, size_t j) { return a[i].id == b[j].id; };
    Matching m{std::vector<bool>(a.size()), std::vector<bool>(b.size())};
    // Common ends first: they cost nothing and keep the table small.
    size_t head = 0;
    while (head < a.size() && head < b.size() && same(head, head)) {
        m.oldKept[head] = true;
        m.newKept[head] = true;
        ++head;
    }
    size_t tailA = a.size(), tailB = b.size();
    while (tailA > head && tailB > head && same(tailA - 1, tailB - 1)) {
        m.oldKept[--tailA] = true;
        m.newKept[--tailB] = true;
    }

    // lcs[i][j]: the length of the longest common subsequence of a[i…] and b[j…] (middle part only).
    const size_t rows = tailA - head, columns = tailB - head;
    std::vector<std::uint16_t> lcs((rows + 1) * (columns + 1), 0);
    const auto at = [&](size_t i, size_t j) -> std::uint16_t & { return lcs[i * (columns + 1) + j]; };
    for (size_t i = rows; i-- > 0;)
        for (size_t j = columns; j-- > 0;)
            at(i, j) = same(head + i, head + j) ? std::uint16_t(at(i + 1, j + 1) + 1)
                                                : std::max(at(i + 1, j), at(i, j + 1));
    for (size_t i = 0, j = 0; i < rows && j < columns;) {
        if (same(head + i, head + j)) {
            m.oldKept[head + i++] = true;
            m.newKept[head + j++] = true;
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            ++i;
        } else {
            ++j;
        }
    }
    return m;
}

int keptNonSpaceUnits(const std::vector<Token> &tokens, const std::vector<bool> &kept)
{
    int units = 0;
    for (size_t i = 0; i < tokens.size(); ++i)
        units += kept[i] && !tokens[i].space ? tokens[i].length : 0;
    return units;
}

std::vector<TextRange> changedRanges(const std::vector<Token> &tokens, const std::vector<bool> &kept)
{
    std::vector<TextRange> ranges;
    size_t lastChanged = tokens.size(); // none yet
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (kept[i])
            continue;
        const int end = tokens[i].start + tokens[i].length;
        // Touching the previous range, or separated from it by one kept whitespace token: one mark, not two
        // ("foo bar" → "baz qux" reads as one change).
        const bool joins = lastChanged != tokens.size()
                           && (lastChanged + 1 == i || (lastChanged + 2 == i && tokens[i - 1].space));
        if (joins)
            ranges.back().length = end - ranges.back().start;
        else
            ranges.push_back({tokens[i].start, tokens[i].length});
        lastChanged = i;
    }
    return ranges;
}

} // namespace

WordDiff diffWords(QStringView oldLine, QStringView newLine)
{
    if (oldLine == newLine)
        return {};
    std::vector<Token> a = tokenize(oldLine);
    std::vector<Token> b = tokenize(newLine);
    if (qsizetype(a.size()) > MaxTokens || qsizetype(b.size()) > MaxTokens)
        return {};
    QHash<QStringView, int> ids;
    assignIds(oldLine, a, ids);
    assignIds(newLine, b, ids);
    const Matching m = longestCommon(a, b);
    // Both sides keep the same tokens, so counting one side is enough.
    const int shared = keptNonSpaceUnits(a, m.oldKept);
    if (6 * shared < nonSpaceUnits(a) + nonSpaceUnits(b))
        return {};
    return {changedRanges(a, m.oldKept), changedRanges(b, m.newKept)};
}

} // namespace reins::review
