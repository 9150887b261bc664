#include "requestbuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace reins::provider {

namespace {

QJsonObject ephemeral()
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("ephemeral")}};
}

QJsonObject parseArguments(const QString &arguments)
{
    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
    return doc.isObject() ? doc.object() : QJsonObject();
}

} // namespace

QJsonObject chatCompletionsBody(const ProviderConfig &config, const ModelRequest &request)
{
    const bool deepseek = config.id == QLatin1String("deepseek");
    QJsonArray messages;
    if (!request.system.isEmpty())
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), request.system}});
    for (const ChatMessage &m : request.messages) {
        QJsonObject msg;
        switch (m.role) {
        case ChatMessage::Role::User:
            msg.insert(QStringLiteral("role"), QStringLiteral("user"));
            msg.insert(QStringLiteral("content"), m.content);
            break;
        case ChatMessage::Role::Assistant: {
            msg.insert(QStringLiteral("role"), QStringLiteral("assistant"));
            msg.insert(QStringLiteral("content"), m.content.isEmpty() && !m.toolCalls.empty() ? QJsonValue()
                                                                                             : QJsonValue(m.content));
            if (!m.toolCalls.empty()) {
                QJsonArray calls;
                for (const ToolCall &c : m.toolCalls)
                    calls.append(QJsonObject{{QStringLiteral("id"), c.id},
                                             {QStringLiteral("type"), QStringLiteral("function")},
                                             {QStringLiteral("function"),
                                              QJsonObject{{QStringLiteral("name"), c.name},
                                                          {QStringLiteral("arguments"), c.arguments}}}});
                msg.insert(QStringLiteral("tool_calls"), calls);
                // DeepSeek answers HTTP 400 "Missing reasoning_content field" without it.
                if (deepseek)
                    msg.insert(QStringLiteral("reasoning_content"), m.reasoning);
            }
            break;
        }
        case ChatMessage::Role::Tool:
            msg.insert(QStringLiteral("role"), QStringLiteral("tool"));
            msg.insert(QStringLiteral("tool_call_id"), m.toolCallId);
            msg.insert(QStringLiteral("content"), m.content);
            break;
        }
        messages.append(msg);
    }

    QJsonObject body{{QStringLiteral("model"), request.model},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), true},
                     {QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}}}};
    if (!request.tools.empty()) {
        QJsonArray tools;
        for (const ToolSchema &t : request.tools)
            tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"),
                                      QJsonObject{{QStringLiteral("name"), t.name},
                                                  {QStringLiteral("description"), t.description},
                                                  {QStringLiteral("parameters"), t.parameters}}}});
        body.insert(QStringLiteral("tools"), tools);
    }
    if (request.maxTokens)
        body.insert(config.id == QLatin1String("openai") ? QStringLiteral("max_completion_tokens")
                                                         : QStringLiteral("max_tokens"),
                    *request.maxTokens);
    if (deepseek && request.thinking)
        body.insert(QStringLiteral("thinking"),
                    QJsonObject{{QStringLiteral("type"), *request.thinking ? QStringLiteral("enabled")
                                                                           : QStringLiteral("disabled")}});
    if (!request.reasoningEffort.isEmpty())
        body.insert(QStringLiteral("reasoning_effort"), request.reasoningEffort);
    return body;
}

QJsonObject anthropicBody(const ModelRequest &request)
{
    QJsonArray messages;
    for (const ChatMessage &m : request.messages) {
        if (m.role == ChatMessage::Role::Assistant) {
            QJsonArray content;
            if (!m.reasoning.isEmpty() && !m.reasoningSignature.isEmpty())
                content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                           {QStringLiteral("thinking"), m.reasoning},
                                           {QStringLiteral("signature"), m.reasoningSignature}});
            if (!m.content.isEmpty())
                content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                           {QStringLiteral("text"), m.content}});
            for (const ToolCall &c : m.toolCalls)
                content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                           {QStringLiteral("id"), c.id},
                                           {QStringLiteral("name"), c.name},
                                           {QStringLiteral("input"), parseArguments(c.arguments)}});
            if (!content.isEmpty()) // the API refuses an empty assistant turn
                messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                            {QStringLiteral("content"), content}});
            continue;
        }
        QJsonObject block;
        if (m.role == ChatMessage::Role::User) {
            block = QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), m.content}};
        } else {
            block = QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_result")},
                                {QStringLiteral("tool_use_id"), m.toolCallId},
                                {QStringLiteral("content"), m.content}};
            if (m.isError)
                block.insert(QStringLiteral("is_error"), true);
        }
        // Tool results and user text of one turn go in one user message, as the API wants.
        if (!messages.isEmpty() && messages.last().toObject().value(QLatin1String("role")) == QLatin1String("user")) {
            QJsonObject last = messages.last().toObject();
            QJsonArray content = last.value(QLatin1String("content")).toArray();
            content.append(block);
            last.insert(QStringLiteral("content"), content);
            messages.replace(messages.size() - 1, last);
        } else {
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), QJsonArray{block}}});
        }
    }
    // Breakpoint on the latest user turn: everything before it is read from the cache next time.
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        QJsonObject msg = messages.at(i).toObject();
        if (msg.value(QLatin1String("role")) != QLatin1String("user"))
            continue;
        QJsonArray content = msg.value(QLatin1String("content")).toArray();
        QJsonObject lastBlock = content.last().toObject();
        lastBlock.insert(QStringLiteral("cache_control"), ephemeral());
        content.replace(content.size() - 1, lastBlock);
        msg.insert(QStringLiteral("content"), content);
        messages.replace(i, msg);
        break;
    }

    QJsonObject body{{QStringLiteral("model"), request.model},
                     {QStringLiteral("max_tokens"), request.maxTokens.value_or(16384)},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), true}};
    if (!request.system.isEmpty())
        body.insert(QStringLiteral("system"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                                     {QStringLiteral("text"), request.system},
                                                                     {QStringLiteral("cache_control"), ephemeral()}}});
    if (!request.tools.empty()) {
        QJsonArray tools;
        for (const ToolSchema &t : request.tools)
            tools.append(QJsonObject{{QStringLiteral("name"), t.name},
                                     {QStringLiteral("description"), t.description},
                                     {QStringLiteral("input_schema"), t.parameters}});
        QJsonObject last = tools.last().toObject();
        last.insert(QStringLiteral("cache_control"), ephemeral());
        tools.replace(tools.size() - 1, last);
        body.insert(QStringLiteral("tools"), tools);
    }
    if (request.thinking && *request.thinking) {
        const int budget = std::max(1024, request.maxTokens.value_or(16384) / 2);
        body.insert(QStringLiteral("thinking"), QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                                            {QStringLiteral("budget_tokens"), budget}});
    }
    return body;
}

HttpRequestSpec buildModelRequest(const ProviderConfig &config, const ModelRequest &request)
{
    HttpRequestSpec spec;
    spec.headers.append(Header("Content-Type", "application/json"));
    spec.headers.append(Header("Accept", "text/event-stream"));
    if (config.wire == WireFormat::AnthropicMessages) {
        spec.url = joinUrl(config.baseUrl, QStringLiteral("/v1/messages"));
        spec.headers.append(Header("x-api-key", config.apiKey.toUtf8()));
        spec.headers.append(Header("anthropic-version", "2023-06-01"));
        spec.body = QJsonDocument(anthropicBody(request)).toJson(QJsonDocument::Compact);
    } else {
        spec.url = joinUrl(config.baseUrl, QStringLiteral("/chat/completions"));
        if (!config.apiKey.isEmpty())
            spec.headers.append(Header("Authorization", "Bearer " + config.apiKey.toUtf8()));
        spec.body = QJsonDocument(chatCompletionsBody(config, request)).toJson(QJsonDocument::Compact);
    }
    return spec;
}

} // namespace reins::provider
