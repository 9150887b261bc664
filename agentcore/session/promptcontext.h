#pragma once

#include <QString>

namespace reins::session {

/// The project's instructions: AGENTS.md files on the path from the workspace root down to the working folder,
/// root first (CLAUDE.md in a folder without AGENTS.md), each under a heading naming it, 32 KiB at most in all.
/// The text depends only on those files, so it is byte-identical from request to request.
QString projectInstructions(const QString &root, const QString &workingDirectory);

/// The system prompt: who the agent is, how to use the tools, where it works, then the project's instructions.
/// No date, time or anything else that changes between requests: provider prompt caches key on these bytes.
QString systemPrompt(const QString &root, const QString &instructions);

} // namespace reins::session
