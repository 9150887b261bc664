#pragma once

#include "tool.h"

namespace reins::tools {

/// write_file {path, content}: creates or replaces a whole file.
class WriteFileTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return true; }
    Result<std::vector<FileChange>> plan(const QJsonObject &arguments, ToolContext &context) override;
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
