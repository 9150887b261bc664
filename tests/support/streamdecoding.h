#pragma once

#include "provider/streamdecoder.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace reins::test {

/// Runs `body` through a fresh SseParser and a decoder from `make`, `piece` bytes per read (0: all at once),
/// and returns every event, those from finish() included.
std::vector<provider::StreamEvent> decode(const std::function<std::unique_ptr<provider::StreamDecoder>()> &make,
                                          const QByteArray &body, qsizetype piece = 0, bool *complete = nullptr);

/// A readable one-line form of events, for failure messages.
QString describe(const std::vector<provider::StreamEvent> &events);

} // namespace reins::test
