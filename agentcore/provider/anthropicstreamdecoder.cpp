#include "anthropicstreamdecoder.h"

#include "providererror.h"

#include <QJsonDocument>

namespace reins::provider {

void AnthropicStreamDecoder::readUsage(const QJsonObject &usage)
{
    // Fields present are cumulative totals; absent ones keep their last value.
    const auto read = [&usage](const char *key, qint64 &target) {
        const QJsonValue v = usage.value(QLatin1String(key));
        if (v.isDouble())
            target = v.toInteger();
    };
    read("input_tokens", m_input);
    read("cache_read_input_tokens", m_cacheRead);
    read("cache_creation_input_tokens", m_cacheWrite);
    read("output_tokens", m_output);
}

protocol::TokenUsage AnthropicStreamDecoder::usage() const
{
    protocol::TokenUsage u;
    // Anthropic's input_tokens excludes the cached parts: the whole input is the sum.
    u.inputTokens = m_input + m_cacheRead + m_cacheWrite;
    u.cacheHitTokens = m_cacheRead;
    u.cacheMissTokens = m_input + m_cacheWrite;
    u.cacheWriteTokens = m_cacheWrite;
    u.outputTokens = m_output;
    return u;
}

void AnthropicStreamDecoder::feed(const net::SseEvent &event, std::vector<StreamEvent> &out)
{
    if (m_done)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (!doc.isObject()) {
        out.push_back(StreamError{badResponse(QStringLiteral("an event that is not JSON (%1)").arg(parseError.errorString()))});
        return;
    }
    const QJsonObject data = doc.object();
    QString type = data.value(QLatin1String("type")).toString();
    if (type.isEmpty())
        type = event.event;

    if (type == QLatin1String("message_start")) {
        m_started = true;
        readUsage(data.value(QLatin1String("message")).toObject().value(QLatin1String("usage")).toObject());
    } else if (type == QLatin1String("content_block_start")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject cb = data.value(QLatin1String("content_block")).toObject();
        Block block;
        block.type = cb.value(QLatin1String("type")).toString();
        block.id = cb.value(QLatin1String("id")).toString();
        block.name = cb.value(QLatin1String("name")).toString();
        if (block.type == QLatin1String("text")) {
            const QString text = cb.value(QLatin1String("text")).toString();
            if (!text.isEmpty())
                out.push_back(TextDelta{text});
        } else if (block.type == QLatin1String("thinking")) {
            const QString thinking = cb.value(QLatin1String("thinking")).toString();
            if (!thinking.isEmpty())
                out.push_back(ReasoningDelta{thinking});
        } else if (block.type == QLatin1String("tool_use")) {
            // The input usually streams as fragments; a non-empty initial input is the whole input.
            const QJsonObject input = cb.value(QLatin1String("input")).toObject();
            if (!input.isEmpty())
                block.json = QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
        }
        m_blocks[index] = block;
    } else if (type == QLatin1String("content_block_delta")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject delta = data.value(QLatin1String("delta")).toObject();
        const QString deltaType = delta.value(QLatin1String("type")).toString();
        Block &block = m_blocks[index];
        if (deltaType == QLatin1String("text_delta")) {
            const QString text = delta.value(QLatin1String("text")).toString();
            if (!text.isEmpty())
                out.push_back(TextDelta{text});
        } else if (deltaType == QLatin1String("input_json_delta")) {
            block.json += delta.value(QLatin1String("partial_json")).toString();
        } else if (deltaType == QLatin1String("thinking_delta")) {
            const QString thinking = delta.value(QLatin1String("thinking")).toString();
            if (!thinking.isEmpty())
                out.push_back(ReasoningDelta{thinking});
        } else if (deltaType == QLatin1String("signature_delta")) {
            block.signature += delta.value(QLatin1String("signature")).toString();
        }
    } else if (type == QLatin1String("content_block_stop")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const auto it = m_blocks.find(index);
        if (it == m_blocks.end())
            return;
        Block block = std::move(it->second);
        m_blocks.erase(it);
        if (block.type == QLatin1String("tool_use")) {
            out.push_back(ToolCallDone{ToolCall{block.id, block.name,
                                                block.json.trimmed().isEmpty() ? QStringLiteral("{}") : block.json}});
        } else if (block.type == QLatin1String("thinking") && !block.signature.isEmpty()) {
            out.push_back(ReasoningSignature{block.signature});
        }
    } else if (type == QLatin1String("message_delta")) {
        const QString stop = data.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason")).toString();
        if (!stop.isEmpty())
            m_stopReason = stop;
        readUsage(data.value(QLatin1String("usage")).toObject());
    } else if (type == QLatin1String("message_stop")) {
        m_done = true;
        out.push_back(UsageReport{usage()});
        out.push_back(Finished{m_stopReason});
    } else if (type == QLatin1String("error")) {
        out.push_back(StreamError{errorFromStreamBody(data)});
    }
    // ping and unknown event types are ignored, as Anthropic's versioning policy asks.
}

void AnthropicStreamDecoder::finish(std::vector<StreamEvent> &out)
{
    // A broken stream was still billed for its input (and the output so far): report what is known.
    if (m_started && !m_done)
        out.push_back(UsageReport{usage()});
    m_blocks.clear();
}

} // namespace reins::provider
