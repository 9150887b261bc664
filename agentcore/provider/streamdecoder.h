#pragma once

#include "../net/sseparser.h"
#include "modeltypes.h"

#include <vector>

namespace reins::provider {

/// Turns one provider's server-sent events into StreamEvents. Pure: no I/O, so it is tested alone and the same
/// stream split anywhere yields the same events.
class StreamDecoder
{
public:
    virtual ~StreamDecoder() = default;
    virtual void feed(const net::SseEvent &event, std::vector<StreamEvent> &out) = 0;
    /// The body ended. A decoder may report what it still knows (Anthropic's input usage) but never a tool call
    /// whose arguments were cut off.
    virtual void finish(std::vector<StreamEvent> &out) = 0;
    /// The provider's end marker arrived (`[DONE]`, `message_stop`).
    virtual bool complete() const = 0;
};

} // namespace reins::provider
