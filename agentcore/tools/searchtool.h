#pragma once

#include "tool.h"

#include <QPointer>
#include <QProcess>

namespace reins::tools {

/// search {pattern, path?, glob?}: a regular expression over the files git would see; ripgrep when installed
/// (REINS_SEARCH=builtin forces the built-in search), else built in. Results are "path:line:text", sorted by path,
/// capped with a count of what was left out.
class SearchTool : public Tool
{
public:
    static constexpr int kMaxMatches = 200;

    QString name() const override;
    provider::ToolSchema schema() const override;
    bool mutates() const override { return false; }
    void start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done) override;
    void cancel() override;

    /// The ripgrep executable, or empty when it is not installed or disabled.
    static QString ripgrep();

private:
    ToolResult searchBuiltIn(const QString &root, const QString &start, const QString &pattern, const QString &glob);
    QPointer<QProcess> m_process;
};

} // namespace reins::tools
