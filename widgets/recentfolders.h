#pragma once

#include <QStringList>

namespace reins::widgets {

/// The folders opened most recently, newest first, kept in the user's Reins settings.
class RecentFolders
{
public:
    static constexpr int kMaximum = 10;

    QStringList folders() const;
    /// Moves `folder` to the front (adding it if new) and drops the oldest beyond kMaximum.
    void add(const QString &folder);
    void clear();
};

} // namespace reins::widgets
