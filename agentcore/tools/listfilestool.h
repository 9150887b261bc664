#pragma once

#include "tool.h"

namespace reins::tools {

/// list_files {path?, depth?}: the files under a folder as git sees them (.gitignore at every level), hidden ones marked.
class ListFilesTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return false; }
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
