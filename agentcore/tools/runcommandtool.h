#pragma once

#include "../exec/commandrunner.h"
#include "tool.h"

#include <memory>

namespace reins::tools {

/// run_command {command, cwd?, timeout_ms?}: a shell command in the workspace, through the CommandRunner.
class RunCommandTool : public Tool
{
public:
    static constexpr int kDefaultTimeoutMs = 120'000;
    static constexpr int kMaxTimeoutMs = 30 * 60'000;

    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return true; }
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
    void cancel() override;

private:
    std::unique_ptr<exec::CommandRunner> m_runner;
};

} // namespace reins::tools
