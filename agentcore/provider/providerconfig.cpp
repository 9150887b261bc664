#include "providerconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace reins::provider {

namespace {

struct Known
{
    const char *id;
    const char *name;
    WireFormat wire;
    const char *baseUrl;
    const char *keyEnv;
    const char *model;
};

constexpr Known kKnown[] = {
    {"deepseek", "DeepSeek", WireFormat::ChatCompletions, "https://api.deepseek.com", "DEEPSEEK_API_KEY",
     "deepseek-flash"},
    {"openai", "OpenAI", WireFormat::ChatCompletions, "https://api.openai.com/v1", "OPENAI_API_KEY", ""},
    {"anthropic", "Anthropic", WireFormat::AnthropicMessages, "https://api.anthropic.com", "ANTHROPIC_API_KEY",
     "claude-sonnet-4-5"},
    {"ollama", "Ollama", WireFormat::ChatCompletions, "http://localhost:11434/v1", "", ""},
    {"llamacpp", "llama.cpp", WireFormat::ChatCompletions, "http://127.0.0.1:8080/v1", "", ""},
    {"openai-compatible", "The server", WireFormat::ChatCompletions, "", "OPENAI_API_KEY", ""},
};

} // namespace

QStringList providerIds()
{
    QStringList ids;
    for (const Known &k : kKnown)
        ids.append(QLatin1String(k.id));
    return ids;
}

Result<ProviderConfig> providerDefaults(const QString &id)
{
    for (const Known &k : kKnown) {
        if (id != QLatin1String(k.id))
            continue;
        ProviderConfig c;
        c.id = id;
        c.displayName = QString::fromUtf8(k.name);
        c.wire = k.wire;
        c.baseUrl = QUrl(QString::fromLatin1(k.baseUrl));
        c.apiKeyEnv = QString::fromLatin1(k.keyEnv);
        c.model = QString::fromLatin1(k.model);
        return c;
    }
    return fail(QStringLiteral("unknown provider '%1'; choose one of %2").arg(id, providerIds().join(QStringLiteral(", "))));
}

QUrl joinUrl(const QUrl &base, const QString &path)
{
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

HttpRequestSpec modelListRequest(const ProviderConfig &config)
{
    HttpRequestSpec spec;
    spec.method = "GET";
    if (config.wire == WireFormat::AnthropicMessages) {
        spec.url = joinUrl(config.baseUrl, QStringLiteral("/v1/models"));
        spec.headers.append(Header("x-api-key", config.apiKey.toUtf8()));
        spec.headers.append(Header("anthropic-version", "2023-06-01"));
    } else {
        spec.url = joinUrl(config.baseUrl, QStringLiteral("/models"));
        if (!config.apiKey.isEmpty())
            spec.headers.append(Header("Authorization", "Bearer " + config.apiKey.toUtf8()));
    }
    return spec;
}

Result<QStringList> parseModelList(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue data = doc.object().value(QLatin1String("data"));
    if (!data.isArray())
        return fail(QStringLiteral("the server's model list has no 'data' array"));
    QStringList ids;
    for (const QJsonValue &model : data.toArray()) {
        const QString id = model.toObject().value(QLatin1String("id")).toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    return ids;
}

} // namespace reins::provider
