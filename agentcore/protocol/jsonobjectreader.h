#pragma once

// A fast path for reading one JSON object, the shape of every journal line. Qt's parser appends to a QString one
// character at a time as soon as a string holds an escape, and every tool output holds "\n"; this reader converts
// runs of plain bytes in bulk instead. It answers only where it is certain to give exactly what Qt gives, and
// leaves everything else — invalid JSON, and the corners where Qt is lenient or peculiar — to Qt.

#include <QByteArrayView>
#include <QJsonObject>

#include <optional>

namespace reins::protocol {

/// The object in `text` (one JSON text whose value is an object, JSON whitespace around it allowed): equal, value
/// type for value type (integers stay integers) and in key order, to QJsonDocument::fromJson(text).object(), or
/// std::nullopt. Texts without a single escape, or shorter than 512 bytes, go to Qt's own parser, which is faster
/// there (building a QJsonObject through its public API costs more per member than Qt's parser does); the rest go
/// to parseJsonObject. std::nullopt when `text` is not such a text or parseJsonObject leaves it to Qt.
std::optional<QJsonObject> readJsonObject(QByteArrayView text);

/// The same, always by this reader's own parser: what readJsonObject uses for long texts with escapes. std::nullopt
/// also where Qt would answer but this parser does not: raw control characters or unknown escapes in strings (Qt
/// takes them), lone surrogate escapes, keys with characters from U+D800 up (Qt orders those differently from
/// QJsonObject::insert), a string starting with a raw byte order mark (Qt drops it), subnormal numbers, number
/// spellings outside the JSON grammar, a leading byte order mark, nesting deeper than 64.
std::optional<QJsonObject> parseJsonObject(QByteArrayView text);

/// The JSON string starting at text[*pos] (its opening quote), as QJsonDocument would decode it, with *pos moved
/// past its closing quote; or std::nullopt, *pos unchanged, where this reader leaves the string to Qt (as above).
std::optional<QString> readJsonString(QByteArrayView text, qsizetype *pos);

} // namespace reins::protocol
