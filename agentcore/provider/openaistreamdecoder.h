#pragma once

#include "streamdecoder.h"

namespace reins::provider {

/// Chat Completions streams (OpenAI, DeepSeek, Ollama, llama.cpp and other compatible servers).
///
/// Tool calls arrive as deltas keyed by `index`: `id`, `type` and `function.name` in the first fragment,
/// `function.arguments` in pieces to be concatenated. A new `id` at an index already in use starts a new call
/// (Ollama sends parallel calls all at index 0). Calls are yielded, in the order they began, when the choice
/// finishes — so a stream that breaks first yields none.
class OpenAiStreamDecoder : public StreamDecoder
{
public:
    void feed(const net::SseEvent &event, std::vector<StreamEvent> &out) override;
    void finish(std::vector<StreamEvent> &out) override;
    bool complete() const override { return m_done; }

    /// Maps a Chat Completions `usage` object (OpenAI or DeepSeek fields) to token counts.
    static protocol::TokenUsage usageFrom(const QJsonObject &usage);

private:
    void flushCalls(std::vector<StreamEvent> &out);

    std::vector<ToolCall> m_calls;        ///< in order of their first fragment
    std::vector<std::pair<int, std::size_t>> m_slots; ///< index → position in m_calls of the call open there
    bool m_finished = false;
    bool m_done = false;
};

} // namespace reins::provider
