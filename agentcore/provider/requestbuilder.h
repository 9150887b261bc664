#pragma once

#include "modeltypes.h"
#include "providerconfig.h"

namespace reins::provider {

/// The HTTP request for one streamed model call in the provider's wire format. JSON objects are written with
/// sorted keys, so the same conversation prefix gives the same bytes every time (provider prompt caches hit).
HttpRequestSpec buildModelRequest(const ProviderConfig &config, const ModelRequest &request);

/// Chat Completions body. DeepSeek: an assistant message that made tool calls carries its reasoning_content.
QJsonObject chatCompletionsBody(const ProviderConfig &config, const ModelRequest &request);

/// Anthropic Messages body, with cache_control breakpoints on the tools, the system prompt and the latest turn.
QJsonObject anthropicBody(const ModelRequest &request);

} // namespace reins::provider
