#pragma once

#include "tool.h"

namespace reins::tools {

/// apply_patch {patch}: the *** Begin Patch envelope, all or nothing across files.
class ApplyPatchTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return true; }
    Result<std::vector<FileChange>> plan(const QJsonObject &arguments, ToolContext &context) override;
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
