#pragma once

#include "tool.h"

namespace reins::tools {

/// update_plan {items: [{text, status}]}: the agent's plan, shown to the person.
class UpdatePlanTool : public Tool
{
public:
    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return false; }
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
};

} // namespace reins::tools
