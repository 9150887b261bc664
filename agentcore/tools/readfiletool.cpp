#include "readfiletool.h"

#include "../workspace/workspace.h"
#include "textcodec.h"

namespace reins::tools {

namespace {
constexpr int kDefaultLimit = 2000;
constexpr int kMaxLineLength = 2000;
} // namespace

QString ReadFileTool::name() const
{
    return QStringLiteral("read_file");
}

provider::ToolSchema ReadFileTool::schema() const
{
    return {name(),
            QStringLiteral("Read a text file of the workspace. Lines come numbered (\"  12\\tcode\"); the numbers are "
                           "not part of the file. Large files come in pages: pass offset (1-based first line) and "
                           "limit (number of lines, default 2000) to read on."),
            jsonObject(R"json({"type":"object","properties":{
                "path":{"type":"string","description":"File path, relative to the workspace root"},
                "offset":{"type":"integer","description":"First line to read, 1-based (default 1)"},
                "limit":{"type":"integer","description":"How many lines to read (default 2000)"}},
                "required":["path"],"additionalProperties":false})json")};
}

void ReadFileTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto path = stringArgument(arguments, "path");
    if (!path)
        return done(ToolResult::failure(path.error().message));
    auto relative = context.workspace->resolve(*path);
    if (!relative)
        return done(ToolResult::failure(relative.error().message));
    const int offset = std::max(1, arguments.value(QLatin1String("offset")).toInt(1));
    const int limit = std::clamp(arguments.value(QLatin1String("limit")).toInt(kDefaultLimit), 1, 100'000);
    auto bytes = context.workspace->readFile(*relative);
    if (!bytes)
        return done(ToolResult::failure(bytes.error().message));
    auto decoded = decodeText(*bytes);
    if (!decoded)
        return done(ToolResult::failure(QStringLiteral("%1: %2").arg(*relative, decoded.error().message)));
    context.files->remember(*relative, *bytes);

    const QStringView text = decoded->text;
    if (text.isEmpty())
        return done(ToolResult{true, QStringLiteral("(%1 is empty)").arg(*relative), std::nullopt, {}});
    QString out;
    int line = 1;
    int shown = 0;
    qsizetype start = 0;
    int total = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(u'\n', start);
        const bool last = end < 0;
        if (last)
            end = text.size();
        if (last && start == end)
            break; // the final newline does not start another line
        ++total;
        if (line >= offset && shown < limit) {
            QStringView content = text.sliced(start, end - start);
            if (content.endsWith(u'\r'))
                content.chop(1);
            out += QStringLiteral("%1\t").arg(line, 6);
            if (content.size() > kMaxLineLength)
                out += content.first(kMaxLineLength) + QStringLiteral(" [… line cut at %1 characters]").arg(kMaxLineLength);
            else
                out += content;
            out += u'\n';
            ++shown;
        }
        ++line;
        start = end + 1;
        if (last)
            break;
    }
    if (offset > total)
        return done(ToolResult::failure(
            QStringLiteral("%1 has %2 lines; offset %3 is past the end").arg(*relative).arg(total).arg(offset)));
    if (offset > 1 || offset + shown - 1 < total)
        out += QStringLiteral("[lines %1–%2 of %3%4]\n")
                   .arg(offset)
                   .arg(offset + shown - 1)
                   .arg(total)
                   .arg(offset + shown - 1 < total
                            ? QStringLiteral("; read on with offset=%1").arg(offset + shown)
                            : QString());
    done(ToolResult{true, out, std::nullopt, {}});
}

} // namespace reins::tools
