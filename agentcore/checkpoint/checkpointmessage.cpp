#include "checkpointmessage.h"

#include <QList>

namespace reins::checkpoint {

namespace {

constexpr QByteArrayView sessionKey = "Reins-Session";
constexpr QByteArrayView timeKey = "Reins-Time-Ms";
constexpr QByteArrayView filesChangedKey = "Reins-Files-Changed";
constexpr QByteArrayView partialKey = "Reins-Partial";
constexpr QByteArrayView skippedKey = "Reins-Skipped";
constexpr QByteArrayView nestedKey = "Reins-Nested-Repository";
constexpr QByteArrayView emptyFolderKey = "Reins-Empty-Folder";
constexpr QByteArrayView notCapturedKey = "Reins-Not-Captured";

// One line per value: only the bytes that would break the line (and '%' itself) are encoded, so ordinary names stay
// readable in `git log`.
QByteArray encode(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || byte == '%') {
            out += '%';
            out += QByteArray::number(byte, 16).rightJustified(2, '0').toUpper();
        } else {
            out += c;
        }
    }
    return out;
}

QString decode(QByteArrayView value)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(value.toByteArray()));
}

void addTrailer(QByteArray &text, QByteArrayView key, const QString &value)
{
    text += key;
    text += ": ";
    text += encode(value);
    text += '\n';
}

} // namespace

QByteArray CheckpointMessage::toText() const
{
    QByteArray text = encode(label);
    text += "\n\n";
    if (!session.isEmpty())
        addTrailer(text, sessionKey, session);
    addTrailer(text, timeKey, QString::number(timeMs));
    addTrailer(text, filesChangedKey, QString::number(filesChanged));
    if (partial)
        addTrailer(text, partialKey, QStringLiteral("yes"));
    for (const QString &line : skipped)
        addTrailer(text, skippedKey, line);
    for (const QString &path : nestedRepositories)
        addTrailer(text, nestedKey, path);
    for (const QString &path : emptyFolders)
        addTrailer(text, emptyFolderKey, path);
    for (const QString &path : notCaptured)
        addTrailer(text, notCapturedKey, path);
    return text;
}

CheckpointMessage CheckpointMessage::parse(const QByteArray &text)
{
    CheckpointMessage message;
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty())
        return message;
    message.label = decode(lines.first());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(": ");
        if (colon <= 0)
            continue;
        const QByteArrayView key = QByteArrayView(line).first(colon);
        const QByteArrayView raw = QByteArrayView(line).sliced(colon + 2);
        if (key == sessionKey)
            message.session = decode(raw);
        else if (key == timeKey)
            message.timeMs = raw.toLongLong();
        else if (key == filesChangedKey)
            message.filesChanged = raw.toInt();
        else if (key == partialKey)
            message.partial = raw == "yes";
        else if (key == skippedKey)
            message.skipped.append(decode(raw));
        else if (key == nestedKey)
            message.nestedRepositories.append(decode(raw));
        else if (key == emptyFolderKey)
            message.emptyFolders.append(decode(raw));
        else if (key == notCapturedKey)
            message.notCaptured.append(decode(raw));
    }
    return message;
}

} // namespace reins::checkpoint
