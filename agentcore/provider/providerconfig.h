#pragma once

#include "../error.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace reins::provider {

/// The two wire formats Reins speaks.
enum class WireFormat { ChatCompletions, AnthropicMessages };

/// How to reach one provider, and how patient to be with it.
struct ProviderConfig
{
    QString id;          ///< deepseek, openai, anthropic, ollama, llamacpp, openai-compatible
    QString displayName; ///< shown in messages: "DeepSeek"
    WireFormat wire = WireFormat::ChatCompletions;
    QUrl baseUrl;
    QString apiKey;      ///< never logged, never in an event or an error message
    QString apiKeyEnv;   ///< the environment variable the key is read from by default
    QString model;       ///< the default model; free text

    int connectTimeoutMs = 30'000;
    int idleTimeoutMs = 90'000;         ///< no bytes at all for this long: the connection is dead
    int noContentTimeoutMs = 600'000;   ///< bytes (keep-alives) but no content yet for this long
    int maxRetries = 5;
    int retryBaseDelayMs = 1'000;
    int retryMaxDelayMs = 60'000;

    bool operator==(const ProviderConfig &) const = default;
};

/// The known provider ids, in the order the user sees them.
QStringList providerIds();

/// The defaults of provider `id` (base URL, wire format, key variable, default model), or an error naming the
/// valid ids.
Result<ProviderConfig> providerDefaults(const QString &id);

using Header = QPair<QByteArray, QByteArray>;

/// An HTTP request ready to send: URL, headers (the key among them) and body.
struct HttpRequestSpec
{
    QByteArray method = "POST";
    QUrl url;
    QList<Header> headers;
    QByteArray body;
};

/// `base` + `path`, keeping any path the base already has ("http://h/v1" + "/models" → "http://h/v1/models").
QUrl joinUrl(const QUrl &base, const QString &path);

/// GET of the server's model list (`/models`, Anthropic `/v1/models`).
HttpRequestSpec modelListRequest(const ProviderConfig &config);
/// The model ids of a `/models` response body, or why it could not be read.
Result<QStringList> parseModelList(const QByteArray &body);

} // namespace reins::provider
