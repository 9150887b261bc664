#pragma once

#include "tool.h"

namespace reins::tools {

/// edit_file {path, old_string, new_string, replace_all?}: replaces text, forgiving whitespace drift where the match stays unique.
class EditFileTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return true; }
    Result<std::vector<FileChange>> plan(const QJsonObject &arguments, ToolContext &context) override;
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
