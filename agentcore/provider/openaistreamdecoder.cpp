#include "openaistreamdecoder.h"

#include "providererror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace reins::provider {

protocol::TokenUsage OpenAiStreamDecoder::usageFrom(const QJsonObject &usage)
{
    protocol::TokenUsage u;
    u.inputTokens = usage.value(QLatin1String("prompt_tokens")).toInteger();
    u.outputTokens = usage.value(QLatin1String("completion_tokens")).toInteger();
    if (usage.contains(QLatin1String("prompt_cache_hit_tokens"))) { // DeepSeek
        u.cacheHitTokens = usage.value(QLatin1String("prompt_cache_hit_tokens")).toInteger();
        u.cacheMissTokens = usage.value(QLatin1String("prompt_cache_miss_tokens")).toInteger(u.inputTokens - u.cacheHitTokens);
    } else {
        u.cacheHitTokens = usage.value(QLatin1String("prompt_tokens_details"))
                               .toObject()
                               .value(QLatin1String("cached_tokens"))
                               .toInteger();
        u.cacheMissTokens = u.inputTokens - u.cacheHitTokens;
    }
    u.reasoningTokens = usage.value(QLatin1String("completion_tokens_details"))
                            .toObject()
                            .value(QLatin1String("reasoning_tokens"))
                            .toInteger();
    return u;
}

void OpenAiStreamDecoder::feed(const net::SseEvent &event, std::vector<StreamEvent> &out)
{
    if (m_done)
        return;
    if (event.data.trimmed() == QLatin1String("[DONE]")) {
        if (!m_finished && !m_calls.empty())
            return; // [DONE] without a finish reason: the calls are not known to be whole
        m_done = true;
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (!doc.isObject()) {
        out.push_back(StreamError{badResponse(QStringLiteral("a chunk that is not JSON (%1)").arg(parseError.errorString()))});
        return;
    }
    const QJsonObject chunk = doc.object();
    if (const QJsonValue error = chunk.value(QLatin1String("error")); error.isObject() || error.isString()) {
        out.push_back(StreamError{errorFromStreamBody(chunk)});
        return;
    }
    for (const QJsonValue &choiceValue : chunk.value(QLatin1String("choices")).toArray()) {
        const QJsonObject choice = choiceValue.toObject();
        if (choice.value(QLatin1String("index")).toInt(0) != 0)
            continue; // we ask for one choice
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        // DeepSeek and llama.cpp name it reasoning_content, Ollama reasoning.
        for (const char *key : {"reasoning_content", "reasoning"}) {
            const QString reasoning = delta.value(QLatin1String(key)).toString();
            if (!reasoning.isEmpty())
                out.push_back(ReasoningDelta{reasoning});
        }
        const QString content = delta.value(QLatin1String("content")).toString();
        if (!content.isEmpty())
            out.push_back(TextDelta{content});
        for (const QJsonValue &tcValue : delta.value(QLatin1String("tool_calls")).toArray()) {
            const QJsonObject tc = tcValue.toObject();
            const int index = tc.value(QLatin1String("index")).toInt(0);
            const QString id = tc.value(QLatin1String("id")).toString();
            const QJsonObject function = tc.value(QLatin1String("function")).toObject();
            auto slot = std::find_if(m_slots.begin(), m_slots.end(), [index](const auto &s) { return s.first == index; });
            const bool newCall = slot == m_slots.end()
                                 || (!id.isEmpty() && !m_calls[slot->second].id.isEmpty() && m_calls[slot->second].id != id);
            if (newCall) {
                m_calls.push_back(ToolCall{id, QString(), QString()});
                if (slot == m_slots.end())
                    m_slots.emplace_back(index, m_calls.size() - 1);
                else
                    slot->second = m_calls.size() - 1;
                slot = std::find_if(m_slots.begin(), m_slots.end(), [index](const auto &s) { return s.first == index; });
            }
            ToolCall &call = m_calls[slot->second];
            if (call.id.isEmpty())
                call.id = id;
            const QString name = function.value(QLatin1String("name")).toString();
            if (call.name.isEmpty())
                call.name = name;
            const QJsonValue arguments = function.value(QLatin1String("arguments"));
            if (arguments.isString())
                call.arguments += arguments.toString();
            else if (arguments.isObject()) // some local servers send the arguments as an object, whole
                call.arguments += QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
        }
        const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
        if (finish.isString() && !m_finished) {
            m_finished = true;
            flushCalls(out);
            out.push_back(Finished{finish.toString()});
        }
    }
    const QJsonValue usage = chunk.value(QLatin1String("usage"));
    if (usage.isObject())
        out.push_back(UsageReport{usageFrom(usage.toObject())});
}

void OpenAiStreamDecoder::flushCalls(std::vector<StreamEvent> &out)
{
    for (ToolCall &call : m_calls) {
        if (call.arguments.isEmpty())
            call.arguments = QStringLiteral("{}");
        out.push_back(ToolCallDone{std::move(call)});
    }
    m_calls.clear();
    m_slots.clear();
}

void OpenAiStreamDecoder::finish(std::vector<StreamEvent> &)
{
    // Servers that end the body without [DONE] after a finish reason are complete; calls never finished are
    // dropped: their arguments may be cut off, and a cut-off call is never executed.
    if (m_finished)
        m_done = true;
    m_calls.clear();
    m_slots.clear();
}

} // namespace reins::provider
