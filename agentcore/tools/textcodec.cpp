#include "textcodec.h"

#include <QStringDecoder>
#include <QStringEncoder>

namespace reins::tools {

bool looksBinary(QByteArrayView bytes)
{
    if (bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF"))
        return false;
    return bytes.first(std::min<qsizetype>(bytes.size(), 8192)).contains('\0');
}

Result<DecodedText> decodeText(QByteArrayView bytes)
{
    DecodedText out;
    QStringDecoder::Encoding encoding = QStringDecoder::Utf8;
    qsizetype skip = 0;
    if (bytes.startsWith("\xEF\xBB\xBF")) {
        out.bom = true;
        skip = 3;
    } else if (bytes.startsWith("\xFF\xFE")) {
        out.bom = true;
        out.encoding = DecodedText::Encoding::Utf16LE;
        encoding = QStringDecoder::Utf16LE;
        skip = 2;
    } else if (bytes.startsWith("\xFE\xFF")) {
        out.bom = true;
        out.encoding = DecodedText::Encoding::Utf16BE;
        encoding = QStringDecoder::Utf16BE;
        skip = 2;
    } else if (looksBinary(bytes)) {
        return fail(QStringLiteral("this is a binary file (it contains NUL bytes); it cannot be read or edited as text"));
    }
    QStringDecoder decoder(encoding, QStringDecoder::Flag::Stateless);
    out.text = decoder.decode(bytes.sliced(skip));
    if (decoder.hasError()) {
        // Find the first invalid byte for the message: decode prefixes would be quadratic, so scan UTF-8 by hand.
        qsizetype offset = skip;
        if (encoding == QStringDecoder::Utf8) {
            const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
            for (qsizetype i = skip; i < bytes.size();) {
                const unsigned char c = p[i];
                const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
                bool ok = len > 0 && i + len <= bytes.size();
                for (int k = 1; ok && k < len; ++k)
                    ok = (p[i + k] & 0xC0) == 0x80;
                if (!ok) {
                    offset = i;
                    break;
                }
                i += len;
            }
        }
        return fail(QStringLiteral("this file is not valid %1 text (first bad byte at offset %2); it was left "
                                   "untouched rather than risk mangling it")
                        .arg(encoding == QStringDecoder::Utf8 ? QStringLiteral("UTF-8") : QStringLiteral("UTF-16"))
                        .arg(offset));
    }
    return out;
}

QByteArray encodeText(const DecodedText &like, const QString &text)
{
    switch (like.encoding) {
    case DecodedText::Encoding::Utf16LE:
    case DecodedText::Encoding::Utf16BE: {
        QStringEncoder encoder(like.encoding == DecodedText::Encoding::Utf16LE ? QStringEncoder::Utf16LE
                                                                                : QStringEncoder::Utf16BE,
                               QStringEncoder::Flag::Stateless);
        QByteArray bytes = encoder.encode(text);
        if (like.bom)
            bytes.prepend(like.encoding == DecodedText::Encoding::Utf16LE ? "\xFF\xFE" : "\xFE\xFF");
        return bytes;
    }
    case DecodedText::Encoding::Utf8:
        break;
    }
    QByteArray bytes = text.toUtf8();
    if (like.bom)
        bytes.prepend("\xEF\xBB\xBF");
    return bytes;
}

QString lineEnding(QStringView text)
{
    qsizetype crlf = 0, lf = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\n') {
            if (i > 0 && text[i - 1] == u'\r')
                ++crlf;
            else
                ++lf;
        }
    }
    return crlf > lf ? QStringLiteral("\r\n") : QStringLiteral("\n");
}

QString capText(const QString &text, qsizetype maxBytes)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= maxBytes)
        return text;
    const qsizetype half = maxBytes / 2;
    // Move the cuts off continuation bytes (10xxxxxx) so no character is split.
    qsizetype headEnd = half;
    while (headEnd > 0 && (uchar(utf8[headEnd]) & 0xC0) == 0x80)
        --headEnd;
    qsizetype tailStart = utf8.size() - half;
    while (tailStart < utf8.size() && (uchar(utf8[tailStart]) & 0xC0) == 0x80)
        ++tailStart;
    const qsizetype omitted = tailStart - headEnd;
    return QString::fromUtf8(utf8.first(headEnd))
           + QStringLiteral("\n[… %1 bytes left out …]\n").arg(omitted)
           + QString::fromUtf8(utf8.sliced(tailStart));
}

} // namespace reins::tools
