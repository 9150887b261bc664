#pragma once

#include "tool.h"

namespace reins::tools {

/// read_file {path, offset?, limit?}: a text file with line numbers, paged; binary files refused.
class ReadFileTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return false; }
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
