#pragma once

// Value types of a conversation with a model, independent of any provider's wire format.

#include "../error.h"
#include "../protocol/types.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <optional>
#include <variant>
#include <vector>

namespace reins::provider {

/// One tool call the model made. `arguments` is the JSON text exactly as the model produced it.
struct ToolCall
{
    QString id;
    QString name;
    QString arguments;

    bool operator==(const ToolCall &) const = default;
};

/// One message of the conversation sent to the model.
struct ChatMessage
{
    enum class Role { User, Assistant, Tool };
    Role role = Role::User;
    QString content;
    QString reasoning;          ///< Assistant: its reasoning (DeepSeek needs it back after tool calls)
    QString reasoningSignature; ///< Assistant: Anthropic's signature of its thinking block
    std::vector<ToolCall> toolCalls; ///< Assistant
    QString toolCallId;         ///< Tool: the call this is the result of
    bool isError = false;       ///< Tool: the call failed

    bool operator==(const ChatMessage &) const = default;
};

/// A tool the model may call: its name, what it does, and a JSON Schema of its arguments.
struct ToolSchema
{
    QString name;
    QString description;
    QJsonObject parameters;

    bool operator==(const ToolSchema &) const = default;
};

/// Everything one model request says. The system prompt and tools come first and stay byte-identical across
/// requests so that provider prompt caches hit.
struct ModelRequest
{
    QString model;
    QString system;
    std::vector<ToolSchema> tools;
    std::vector<ChatMessage> messages;
    std::optional<int> maxTokens;
    std::optional<bool> thinking;   ///< DeepSeek thinking mode / Anthropic extended thinking
    QString reasoningEffort;        ///< DeepSeek / OpenAI: low, high, max…; empty leaves the server's default

    bool operator==(const ModelRequest &) const = default;
};

/// Why a model request failed, and whether trying again can help.
struct ProviderError
{
    QString message;         ///< a sentence saying what happened and what to do; never contains the API key
    QString code;            ///< "http_429", "network", "idle_timeout", "no_content_timeout", "cancelled",
                             ///< "context_overflow", "auth", "server_error", "bad_response"
    int httpStatus = 0;
    bool retryable = false;
    std::optional<qint64> retryAfterMs; ///< the server's Retry-After

    bool operator==(const ProviderError &) const = default;
};

// ---- what a stream yields, in order ------------------------------------------------------------------

struct TextDelta
{
    QString text;
    bool operator==(const TextDelta &) const = default;
};
struct ReasoningDelta
{
    QString text;
    bool operator==(const ReasoningDelta &) const = default;
};
/// Anthropic's signature over the thinking block, to be sent back with it.
struct ReasoningSignature
{
    QString signature;
    bool operator==(const ReasoningSignature &) const = default;
};
/// A tool call whose arguments arrived whole. Calls cut off by a broken stream are never yielded.
struct ToolCallDone
{
    ToolCall call;
    bool operator==(const ToolCallDone &) const = default;
};
struct UsageReport
{
    protocol::TokenUsage usage;
    bool operator==(const UsageReport &) const = default;
};
/// The model ended its answer; the provider's reason (stop, length, tool_calls, end_turn, …).
struct Finished
{
    QString reason;
    bool operator==(const Finished &) const = default;
};
/// The server reported an error inside the stream (Anthropic `error` events, OpenAI `{"error": …}` chunks).
struct StreamError
{
    ProviderError error;
    bool operator==(const StreamError &) const = default;
};

using StreamEvent =
    std::variant<TextDelta, ReasoningDelta, ReasoningSignature, ToolCallDone, UsageReport, Finished, StreamError>;

/// The whole of one model response, assembled from its stream.
struct ModelResponse
{
    QString text;
    QString reasoning;
    QString reasoningSignature;
    std::vector<ToolCall> toolCalls;
    QString finishReason;
    std::optional<protocol::TokenUsage> usage; ///< absent when the stream broke before the server reported it
    bool incomplete = false;                   ///< the stream broke after content: text kept, answer unfinished
    std::optional<ProviderError> error;

    bool operator==(const ModelResponse &) const = default;
};

} // namespace reins::provider
