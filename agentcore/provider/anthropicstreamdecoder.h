#pragma once

#include "streamdecoder.h"

#include <map>

namespace reins::provider {

/// Anthropic Messages streams: message_start, content_block_start/delta/stop, message_delta, message_stop,
/// ping (anywhere) and error events. Tool input arrives as `input_json_delta` fragments, concatenated and
/// checked once at content_block_stop. Usage counts in message_delta are cumulative.
class AnthropicStreamDecoder : public StreamDecoder
{
public:
    void feed(const net::SseEvent &event, std::vector<StreamEvent> &out) override;
    void finish(std::vector<StreamEvent> &out) override;
    bool complete() const override { return m_done; }

private:
    struct Block
    {
        QString type; ///< text, tool_use, thinking, redacted_thinking
        QString id;
        QString name;
        QString json;      ///< tool_use input, concatenated
        QString signature; ///< thinking
    };
    void readUsage(const QJsonObject &usage);
    protocol::TokenUsage usage() const;

    std::map<int, Block> m_blocks;
    bool m_started = false;
    bool m_done = false;
    QString m_stopReason;
    qint64 m_input = 0, m_cacheRead = 0, m_cacheWrite = 0, m_output = 0;
};

} // namespace reins::provider
