#pragma once

// The embedded demo: the bundled sample project copied to a temporary workspace, and the bundled scripted session
// served by a model server inside Reins on loopback. The session runs through the real client path — HTTP, SSE,
// tools, approvals, checkpoints, the cost meter — with no key and no network.

#include "../error.h"
#include "../session/agentsession.h"
#include "scriptedmodelserver.h"

#include <QTemporaryDir>

#include <memory>

namespace reins::demo {

class Demo
{
public:
    /// Copies the sample project and starts the server. `bundle` holds project/ and scenario.json (the built-in
    /// resources by default).
    static Result<std::unique_ptr<Demo>> start(const QString &bundle = QStringLiteral(":/demo"));

    QString workspace() const;
    /// What the person "types" to begin: the scenario's first message.
    QString prompt() const { return m_prompt; }
    /// A session configuration pointing at the demo's server.
    session::SessionConfig config() const;
    ScriptedModelServer &server() { return m_server; }

private:
    Demo() = default;

    QTemporaryDir m_folder;
    ScriptedModelServer m_server;
    QString m_prompt;
    QString m_provider;
    QString m_model;
};

} // namespace reins::demo
