#include "updateplantool.h"

#include <QJsonArray>

namespace reins::tools {

QString UpdatePlanTool::name() const
{
    return QStringLiteral("update_plan");
}

provider::ToolSchema UpdatePlanTool::schema() const
{
    return {name(),
            QStringLiteral("Record your plan for the task as a short list of steps, each pending, in_progress or done. "
                           "Send the whole list every time; keep one step in_progress."),
            jsonObject(R"json({"type":"object","properties":{
                "items":{"type":"array","items":{"type":"object","properties":{
                    "text":{"type":"string"},
                    "status":{"type":"string","enum":["pending","in_progress","done"]}},
                    "required":["text","status"]}}},
                "required":["items"],"additionalProperties":false})json")};
}

void UpdatePlanTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    const QJsonValue items = arguments.value(QLatin1String("items"));
    if (!items.isArray())
        return done(ToolResult::failure(QStringLiteral("'items' must be an array of {text, status}")));
    std::vector<protocol::PlanItem> plan;
    int index = 0;
    for (const QJsonValue &value : items.toArray()) {
        const QJsonObject item = value.toObject();
        const QString text = item.value(QLatin1String("text")).toString().trimmed();
        const auto status = protocol::enumFromName<protocol::PlanStatus>(item.value(QLatin1String("status")).toString());
        if (text.isEmpty() || !status)
            return done(ToolResult::failure(
                QStringLiteral("item %1 needs a non-empty 'text' and a 'status' of pending, in_progress or done").arg(index)));
        plan.push_back({text, *status});
        ++index;
    }
    if (context.planUpdated)
        context.planUpdated(plan);
    done(ToolResult{true, QStringLiteral("Plan updated (%1 steps).").arg(plan.size()), std::nullopt, {}});
}

} // namespace reins::tools
