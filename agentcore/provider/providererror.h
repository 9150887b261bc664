#pragma once

// Turning what a server or the network said into a ProviderError a person can act on.

#include "modeltypes.h"

#include <QByteArray>

namespace reins::provider {

/// The server sent something that is not the protocol (retryable: a proxy or a flaky server may do better).
ProviderError badResponse(const QString &detail);

/// An error object inside a stream: OpenAI's `{"error": {...}}` chunk or Anthropic's `error` event.
ProviderError errorFromStreamBody(const QJsonObject &body);

/// An HTTP error status with its body. `provider` is the name shown to the person ("DeepSeek").
ProviderError errorFromHttp(const QString &provider, int status, const QByteArray &body,
                            std::optional<qint64> retryAfterMs);

/// Parses a Retry-After header: delta-seconds or an HTTP date. `nowMs` is the current time for the date form.
std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowMs);

/// Replaces every occurrence of the secrets in `text` — whole, or a run of 8 or more of their characters as
/// servers echo masked keys ("sk-abc1****wxyz") — with "[redacted]".
QString redactSecrets(QString text, const QStringList &secrets);

} // namespace reins::provider
