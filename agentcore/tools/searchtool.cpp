#include "searchtool.h"

#include "../workspace/filewalker.h"
#include "../workspace/workspace.h"
#include "textcodec.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace reins::tools {

namespace {

constexpr int kMaxLineLength = 300;
constexpr qint64 kMaxFileSize = 4 * 1024 * 1024;

QString formatMatch(const QString &path, int line, QStringView text)
{
    QStringView shown = text;
    if (shown.endsWith(u'\r'))
        shown.chop(1);
    QString out = QStringLiteral("%1:%2:").arg(path).arg(line);
    if (shown.size() > kMaxLineLength)
        out += shown.first(kMaxLineLength) + QStringLiteral(" […]");
    else
        out += shown;
    return out;
}

QString summarise(const QStringList &matches, int total)
{
    if (total == 0)
        return QStringLiteral("No matches.\n");
    QString out = matches.join(u'\n') + u'\n';
    if (total > matches.size())
        out += QStringLiteral("[… %1 more matches left out; narrow the pattern, path or glob]\n").arg(total - matches.size());
    return out;
}

} // namespace

QString SearchTool::name() const
{
    return QStringLiteral("search");
}

provider::ToolSchema SearchTool::schema() const
{
    return {name(),
            QStringLiteral("Search the workspace's files for a regular expression (ignored files are skipped). "
                           "Results are path:line:text."),
            jsonObject(R"json({"type":"object","properties":{
                "pattern":{"type":"string","description":"Regular expression"},
                "path":{"type":"string","description":"Folder or file to search, relative (default: the root)"},
                "glob":{"type":"string","description":"Only files whose name matches this glob, e.g. *.cpp"}},
                "required":["pattern"],"additionalProperties":false})json")};
}

QString SearchTool::ripgrep()
{
    if (qEnvironmentVariable("REINS_SEARCH") == QLatin1String("builtin"))
        return {};
    return QStandardPaths::findExecutable(QStringLiteral("rg"));
}

void SearchTool::start(const QJsonObject &arguments, ToolContext &context, std::function<void(ToolResult)> done)
{
    auto pattern = stringArgument(arguments, "pattern");
    if (!pattern)
        return done(ToolResult::failure(pattern.error().message));
    const QRegularExpression check(*pattern);
    if (!check.isValid())
        return done(ToolResult::failure(QStringLiteral("the pattern is not a valid regular expression: %1")
                                            .arg(check.errorString())));
    const QString path = arguments.value(QLatin1String("path")).toString();
    auto relative = context.workspace->resolve(path.isEmpty() ? QStringLiteral(".") : path);
    if (!relative)
        return done(ToolResult::failure(relative.error().message));
    // Both backends follow a link given as the start (ripgrep always follows the paths it is given), so a link is
    // refused here, like a folder on the way that leads outside.
    auto info = context.workspace->stat(*relative);
    if (!info)
        return done(ToolResult::failure(info.error().message));
    if (!info->exists)
        return done(ToolResult::failure(QStringLiteral("%1 does not exist in the workspace").arg(*relative)));
    if (info->isSymlink)
        return done(ToolResult::failure(
            QStringLiteral("%1 is a symbolic link; search the path it points to instead").arg(*relative)));
    const QString glob = arguments.value(QLatin1String("glob")).toString();
    const QString root = context.workspace->root();

    const QString rg = ripgrep();
    if (rg.isEmpty())
        return done(searchBuiltIn(root, *relative, *pattern, glob));

    // --no-config: a user's or repository's ripgrep config could add --pre (run a program per file).
    // --null: "path\0line:text", parsed and formatted as the built-in search does (same cut of long lines, no CR).
    // --engine=auto: PCRE2 for what the default engine lacks (look-around), as QRegularExpression accepts it.
    // --max-filesize: the built-in search's limit.
    QStringList args{QStringLiteral("--no-config"), QStringLiteral("--line-number"), QStringLiteral("--no-heading"),
                     QStringLiteral("--with-filename"), QStringLiteral("--null"), QStringLiteral("--color=never"),
                     QStringLiteral("--hidden"), QStringLiteral("--no-require-git"), QStringLiteral("--sort=path"),
                     QStringLiteral("--engine=auto"), QStringLiteral("--max-filesize=%1").arg(kMaxFileSize),
                     QStringLiteral("--glob=!.git")};
    if (!glob.isEmpty())
        args << QStringLiteral("--glob=") + glob;
    args << QStringLiteral("--regexp=") + *pattern << QStringLiteral("--") << *relative;
    auto *process = new QProcess();
    m_process = process;
    process->setWorkingDirectory(root);
    process->setStandardInputFile(QProcess::nullDevice());
    QObject::connect(process, &QProcess::finished, process, [process, done](int exitCode, QProcess::ExitStatus status) {
        process->deleteLater();
        const QString out = QString::fromUtf8(process->readAllStandardOutput());
        if (status != QProcess::NormalExit)
            return done(ToolResult::failure(QStringLiteral("the search was stopped")));
        if (exitCode == 1)
            return done(ToolResult{true, QStringLiteral("No matches.\n"), std::nullopt, {}});
        if (exitCode != 0 && out.isEmpty())
            return done(ToolResult::failure(QStringLiteral("ripgrep failed: ")
                                            + QString::fromUtf8(process->readAllStandardError()).trimmed()));
        QStringList matches;
        int total = 0;
        for (QStringView line : QStringView(out).split(u'\n', Qt::SkipEmptyParts)) {
            // Lines without the NUL are notices ("binary file matches"), not matches.
            const qsizetype nul = line.indexOf(QChar(0));
            const qsizetype colon = line.indexOf(u':', nul + 1);
            if (nul < 0 || colon < 0)
                continue;
            ++total;
            if (matches.size() < kMaxMatches) {
                QStringView file = line.first(nul);
                if (file.startsWith(u"./"))
                    file = file.sliced(2);
                matches.append(formatMatch(file.toString(), line.sliced(nul + 1, colon - nul - 1).toInt(),
                                           line.sliced(colon + 1)));
            }
        }
        done(ToolResult{true, summarise(matches, total), std::nullopt, {}});
    });
    process->start(rg, args);
}

void SearchTool::cancel()
{
    if (m_process)
        m_process->kill();
}

ToolResult SearchTool::searchBuiltIn(const QString &root, const QString &start, const QString &pattern,
                                     const QString &glob)
{
    const QRegularExpression re(pattern);
    QStringList matches;
    int total = 0;
    const auto searchFile = [&](const QString &path) {
        QFile file(root + u'/' + path);
        if (file.size() > kMaxFileSize || !file.open(QIODevice::ReadOnly))
            return;
        const QByteArray bytes = file.readAll();
        if (looksBinary(bytes))
            return;
        // Decoded as ripgrep does: byte order mark dropped, UTF-16 transcoded, invalid UTF-8 searched anyway.
        auto decoded = decodeText(bytes);
        const QString text = decoded ? decoded->text : QString::fromUtf8(bytes);
        int line = 1;
        qsizetype from = 0;
        while (from < text.size()) { // an empty file has no line, nor is there one after a final newline
            qsizetype end = text.indexOf(u'\n', from);
            if (end < 0)
                end = text.size();
            const QStringView content = QStringView(text).sliced(from, end - from);
            if (re.matchView(content).hasMatch()) {
                ++total;
                if (matches.size() < kMaxMatches)
                    matches.append(formatMatch(path, line, content));
            }
            if (end == text.size())
                break;
            from = end + 1;
            ++line;
        }
    };
    const QFileInfo startInfo(root + u'/' + start);
    if (startInfo.isFile()) {
        searchFile(start);
    } else {
        workspace::WalkOptions options;
        options.start = start == QLatin1String(".") ? QString() : start;
        workspace::walk(root, options, [&](const workspace::WalkEntry &e) {
            if (e.isDir || e.isSymlink)
                return true;
            const QString fileName = e.path.mid(e.path.lastIndexOf(u'/') + 1);
            if (!glob.isEmpty() && !workspace::globMatch(glob, glob.contains(u'/') ? e.path : fileName))
                return true;
            searchFile(e.path);
            return true;
        });
    }
    return ToolResult{true, summarise(matches, total), std::nullopt, {}};
}

} // namespace reins::tools
