#include "promptcontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace reins::session {

namespace {
constexpr qsizetype kMaxInstructionBytes = 32 * 1024;
}

QString projectInstructions(const QString &root, const QString &workingDirectory)
{
    const QString cleanRoot = QDir::cleanPath(root);
    QString cwd = QDir::cleanPath(workingDirectory.isEmpty() ? root : workingDirectory);
    if (cwd != cleanRoot && !cwd.startsWith(cleanRoot + u'/'))
        cwd = cleanRoot;
    QStringList folders{cleanRoot};
    const QString below = cwd.mid(cleanRoot.size());
    QString current = cleanRoot;
    for (const QString &part : below.split(u'/', Qt::SkipEmptyParts)) {
        current += u'/' + part;
        folders.append(current);
    }
    QByteArray out;
    bool truncated = false;
    for (const QString &folder : folders) {
        QString file = folder + QStringLiteral("/AGENTS.md");
        if (!QFileInfo(file).isFile())
            file = folder + QStringLiteral("/CLAUDE.md");
        QFile f(file);
        if (!QFileInfo(file).isFile() || !f.open(QIODevice::ReadOnly))
            continue;
        const QString relative = QDir(cleanRoot).relativeFilePath(file);
        QByteArray part = "## " + relative.toUtf8() + "\n\n" + f.read(kMaxInstructionBytes).trimmed() + "\n\n";
        if (out.size() + part.size() > kMaxInstructionBytes) {
            part.truncate(kMaxInstructionBytes - out.size());
            // Do not end in the middle of a UTF-8 sequence.
            while (!part.isEmpty() && (uchar(part.back()) & 0xC0) == 0x80)
                part.chop(1);
            if (!part.isEmpty() && uchar(part.back()) >= 0xC0)
                part.chop(1);
            truncated = true;
        }
        out += part;
        if (truncated)
            break;
    }
    QString text = QString::fromUtf8(out).trimmed();
    if (truncated)
        text += QStringLiteral("\n\n[project instructions cut at 32 KiB]");
    return text;
}

QString systemPrompt(const QString &root, const QString &instructions)
{
    QString prompt = QStringLiteral(
        "You are a coding agent working in a software project for a person who watches, reviews and approves your "
        "work in Reins. Be accurate and brief.\n\n"
        "How to work:\n"
        "- Look before you change anything: list_files, search and read_file. Never guess file contents.\n"
        "- For a task of several steps, record a short plan with update_plan and keep it current.\n"
        "- Change files with edit_file (old_string copied exactly from read_file output, without the line "
        "numbers, with enough context to be unique), apply_patch for changes across files, write_file for new "
        "files.\n"
        "- Run builds and tests with run_command. Commands have no input; do not start interactive programs.\n"
        "- Some actions need the person's approval; if one is denied, read the reason and adapt — do not retry the "
        "same action.\n"
        "- Tool errors explain what went wrong and what to do; follow them.\n"
        "- When the task is done, say what you changed and how you checked it, in a few sentences.\n\n"
        "Environment: Linux, bash. The workspace root is %1; paths in tool calls are relative to it. You cannot "
        "read or write outside it, nor inside .git.")
                         .arg(root);
    if (!instructions.isEmpty())
        prompt += QStringLiteral("\n\n# Project instructions\n\n") + instructions;
    return prompt;
}

} // namespace reins::session
