#pragma once

#include "protocol/agentevent.h"

#include <cstdio>

/// Prints the events of `reins exec`: readable text on stdout (diagnostics on stderr), or with --json one JSON
/// event per line.
class EventPrinter
{
public:
    EventPrinter(bool json, std::FILE *out, std::FILE *err) : m_json(json), m_out(out), m_err(err) {}
    void print(const reins::protocol::AgentEvent &event);

private:
    enum class Mode { None, Text, Reasoning, Output };
    void switchTo(Mode mode);
    void line(std::FILE *f, const QString &text);

    bool m_json;
    std::FILE *m_out;
    std::FILE *m_err;
    Mode m_mode = Mode::None;
    bool m_atLineStart = true;
};
