#pragma once

// The JSON form of operations and events: {"type": "<snake_case name>", ...fields}. Events add "seq" and "time".
// Decoding is strict about types (a string where a number belongs is an error naming the field) and lenient
// about absence (a missing field keeps its default), so journals written by older versions still load.

#include "../error.h"
#include "agentevent.h"
#include "agentop.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace reins::protocol {

QJsonObject toJson(const AgentOp &op);
QJsonObject toJson(const AgentEvent &event);

Result<AgentOp> agentOpFromJson(const QJsonObject &json);
Result<AgentEvent> agentEventFromJson(const QJsonObject &json);

/// One event as one line of compact JSON, newline included: the journal's and `reins exec --json`'s format.
QByteArray toJsonLine(const AgentEvent &event);
/// Parses one line written by toJsonLine (the newline is optional).
Result<AgentEvent> agentEventFromJsonLine(QByteArrayView line);

/// The fast path of agentEventFromJsonLine for the commonest line of a journal, a streamed piece of an answer,
/// spelt exactly as toJsonLine writes it ({"seq":N,"text":"…","time":N,"type":"assistant_delta"}): read without a
/// QJsonObject. std::nullopt for any other line or spelling, which the general path then reads. Public for its test.
std::optional<AgentEvent> assistantDeltaFromJsonLine(QByteArrayView line);

/// The fast path for the other common lines: an event whose fields are all flat (strings, whole numbers, true or
/// false, enum names, each possibly absent or null), as toJsonLine spells it — one object, no whitespace, plain
/// identifiers as keys, numbers with no fraction or exponent and at most 15 digits — read into the event without a
/// QJsonObject. std::nullopt for anything else (nested values, an unknown key or type, a value of the wrong kind),
/// which the general path then reads and, where wrong, explains. Public for its test.
std::optional<AgentEvent> flatEventFromJsonLine(QByteArrayView line);

/// The "type" name of the payload, e.g. "tool_finished".
QString typeName(const EventPayload &payload);
QString typeName(const AgentOp &op);

} // namespace reins::protocol
