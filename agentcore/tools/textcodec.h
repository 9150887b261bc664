#pragma once

// Text files as the tools see them: decoded to a QString, with what is needed to write them back exactly as they
// were outside the edited part (byte order mark, encoding). Binary files and text that is not valid in its
// encoding are refused with a clear reason, never mangled.

#include "../error.h"

#include <QByteArray>
#include <QString>

namespace reins::tools {

struct DecodedText
{
    enum class Encoding { Utf8, Utf16LE, Utf16BE };
    Encoding encoding = Encoding::Utf8;
    bool bom = false;  ///< the file starts with a byte order mark (kept on write)
    QString text;      ///< without the byte order mark; line endings as in the file
};

/// True if the bytes look binary: a NUL byte in the first 8 KiB, without a UTF-16 byte order mark.
bool looksBinary(QByteArrayView bytes);

/// Decodes a file's bytes. Errors: binary content; invalid UTF-8 (with the offset of the first bad byte).
Result<DecodedText> decodeText(QByteArrayView bytes);

/// The bytes of `text` in the encoding (and with the byte order mark) of `like`.
QByteArray encodeText(const DecodedText &like, const QString &text);

/// The dominant line ending of `text`: "\r\n" when CRLF lines outnumber LF-only lines, else "\n".
QString lineEnding(QStringView text);

/// Cuts `text` to at most `maxBytes` of UTF-8: the head and the tail, cut on character boundaries, with a line in
/// the middle saying how many bytes were left out. Unchanged when it fits.
QString capText(const QString &text, qsizetype maxBytes);

} // namespace reins::tools
