#include "recentfolders.h"

#include <QDir>
#include <QSettings>

namespace reins::widgets {

namespace {
const QString kKey = QStringLiteral("workspaces/recent");
}

QStringList RecentFolders::folders() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFolders::add(const QString &folder)
{
    const QString clean = QDir::cleanPath(QDir(folder).absolutePath());
    QStringList list = folders();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaximum)
        list.removeLast();
    QSettings().setValue(kKey, list);
}

void RecentFolders::clear()
{
    QSettings().remove(kKey);
}

} // namespace reins::widgets
