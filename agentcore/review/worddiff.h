#pragma once

// Marks inside a changed line: which words of the old line went and which words of the new line came, for the diff
// view to highlight on top of the line's own colour.

#include <QStringView>

#include <vector>

namespace reins::review {

/// A stretch of a line, in UTF-16 units (QString indices).
struct TextRange
{
    int start = 0;
    int length = 0;
    bool operator==(const TextRange &) const = default;
};

/// The changed stretches of both lines, each side in order of position.
struct WordDiff
{
    std::vector<TextRange> oldRanges, newRanges;
    bool operator==(const WordDiff &) const = default;
};

/// What changed within a changed line: tokens are runs of letters/digits/underscore, runs of whitespace, and
/// single other characters; tokens outside a longest common subsequence form the ranges (adjacent ones merged,
/// also across a single whitespace token between two changed tokens). When the lines share less than a third of
/// their non-whitespace characters, both results are empty: the whole line changed and word marks would be noise.
/// Bounded cost: lines over 2,000 tokens give empty results.
/// "Share": 2 × (non-whitespace units in common tokens) < (non-whitespace units of both lines) / 3. A character
/// outside the BMP (a surrogate pair) is one character, never split.
WordDiff diffWords(QStringView oldLine, QStringView newLine);

} // namespace reins::review
