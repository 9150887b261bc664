#include "versioninfo.h"

#include "gitlibrary.h"

#include <ksyntaxhighlighting_version.h>
#include <Qsci/qsciglobal.h>

#include <QtVersion>

namespace reins::widgets {

QList<ComponentVersion> linkedVersions()
{
    return {
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("KF6 SyntaxHighlighting"), QStringLiteral(KSYNTAXHIGHLIGHTING_VERSION_STRING)},
        {QStringLiteral("QScintilla"), QStringLiteral(QSCINTILLA_VERSION_STR)},
        {QStringLiteral("libgit2"), GitLibrary::version()},
    };
}

QString versionReport()
{
    QString report = QStringLiteral("Reins %1\n").arg(QStringLiteral(REINS_VERSION));
    for (const ComponentVersion &c : linkedVersions())
        report += c.name + u' ' + c.version + u'\n';
    return report;
}

} // namespace reins::widgets
