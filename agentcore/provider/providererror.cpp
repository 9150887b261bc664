#include "providererror.h"

#include <QDateTime>
#include <QTimeZone>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

namespace reins::provider {

namespace {

// The human part of an error body: error.message, a string error, or the raw text (shortened).
QString serverMessage(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonValue error = doc.object().value(QLatin1String("error"));
        if (error.isObject()) {
            const QString message = error.toObject().value(QLatin1String("message")).toString();
            if (!message.isEmpty())
                return message;
        }
        if (error.isString())
            return error.toString();
        const QString message = doc.object().value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            return message;
    }
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

bool looksLikeContextOverflow(const QString &message)
{
    static const QRegularExpression pattern(
        QStringLiteral("context[ _]length|context window|maximum context|prompt is too long|too many tokens|"
                       "context_length_exceeded|exceeds the context|input is too long"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(message).hasMatch();
}

} // namespace

ProviderError badResponse(const QString &detail)
{
    return ProviderError{QStringLiteral("The server sent %1; this is not the streaming protocol expected. If it "
                                        "persists, check the base URL.")
                             .arg(detail),
                         QStringLiteral("bad_response"), 0, true, std::nullopt};
}

ProviderError errorFromStreamBody(const QJsonObject &body)
{
    const QJsonValue errorValue = body.value(QLatin1String("error"));
    const QJsonObject error = errorValue.toObject();
    const QString type = error.value(QLatin1String("type")).toString();
    QString message = errorValue.isString() ? errorValue.toString() : error.value(QLatin1String("message")).toString();
    if (message.isEmpty())
        message = type.isEmpty() ? QStringLiteral("unknown error") : type;
    ProviderError e;
    e.code = type.isEmpty() ? QStringLiteral("stream_error") : type;
    // Anthropic: overloaded_error and api_error are the server's trouble; OpenAI-style servers say server_error.
    e.retryable = type == QLatin1String("overloaded_error") || type == QLatin1String("api_error")
                  || type == QLatin1String("server_error") || type == QLatin1String("rate_limit_error");
    if (looksLikeContextOverflow(message)) {
        e.code = QStringLiteral("context_overflow");
        e.retryable = false;
        e.message = QStringLiteral("The conversation no longer fits the model's context window (%1). Compact it with "
                                   "/compact or start a new session.")
                        .arg(message);
        return e;
    }
    e.message = QStringLiteral("The server reported an error during the answer: %1").arg(message);
    return e;
}

ProviderError errorFromHttp(const QString &provider, int status, const QByteArray &body,
                            std::optional<qint64> retryAfterMs)
{
    const QString said = serverMessage(body);
    const QString detail = said.isEmpty() ? QString() : QStringLiteral(": ") + said;
    ProviderError e;
    e.httpStatus = status;
    e.code = QStringLiteral("http_%1").arg(status);
    if (status == 401 || status == 403) {
        e.code = QStringLiteral("auth");
        e.message = QStringLiteral("%1 rejected the API key (HTTP %2)%3. Check the key in Settings → Providers or "
                                   "the environment variable it is read from.")
                        .arg(provider)
                        .arg(status)
                        .arg(detail);
    } else if (status == 429) {
        e.retryable = true;
        e.retryAfterMs = retryAfterMs;
        e.message = QStringLiteral("%1 is rate-limiting requests (HTTP 429)%2.").arg(provider, detail);
    } else if (status == 500 || status == 502 || status == 503 || status == 504 || status == 529) {
        e.retryable = true;
        e.retryAfterMs = retryAfterMs;
        e.message = QStringLiteral("%1 had a server error (HTTP %2)%3.").arg(provider).arg(status).arg(detail);
    } else if (looksLikeContextOverflow(said)) {
        e.code = QStringLiteral("context_overflow");
        e.message = QStringLiteral("The conversation no longer fits the model's context window (HTTP %1%2). Compact "
                                   "it with /compact or start a new session.")
                        .arg(status)
                        .arg(detail);
    } else if (status == 402) {
        e.message = QStringLiteral("%1 refused the request for lack of credit (HTTP 402)%2. Top up the account, or "
                                   "choose another provider.")
                        .arg(provider, detail);
    } else if (status == 404) {
        e.message = QStringLiteral("%1 does not know this model or endpoint (HTTP 404)%2. Check the model name and "
                                   "the base URL.")
                        .arg(provider, detail);
    } else {
        e.message = QStringLiteral("%1 refused the request (HTTP %2)%3.").arg(provider).arg(status).arg(detail);
    }
    return e;
}

std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowMs)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(qint64(seconds * 1000));
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(trimmed), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::UTC);
    return std::max<qint64>(0, when.toMSecsSinceEpoch() - nowMs);
}

QString redactSecrets(QString text, const QStringList &secrets)
{
    static const QString kRedacted = QStringLiteral("[redacted]");
    for (const QString &secret : secrets) {
        if (secret.size() < 4)
            continue;
        text.replace(secret, kRedacted);
        if (secret.size() < 8)
            continue;
        // Any run of 8 characters of the secret, and the token around it.
        static const QRegularExpression token(QStringLiteral("[A-Za-z0-9_\\-\\*]{8,}"));
        QString result;
        qsizetype last = 0;
        for (auto it = token.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const QString word = m.captured();
            bool leaks = false;
            for (qsizetype i = 0; i + 8 <= word.size() && !leaks; ++i)
                leaks = !word.sliced(i, 8).contains(u'*') && secret.contains(word.sliced(i, 8));
            if (leaks) {
                result += QStringView(text).sliced(last, m.capturedStart() - last) + kRedacted;
                last = m.capturedEnd();
            }
        }
        if (last > 0)
            text = result + QStringView(text).sliced(last);
    }
    return text;
}

} // namespace reins::provider
