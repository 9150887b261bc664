#pragma once

// Settings → Appearance: the theme — the desktop's colours, or Reins's own light or dark palette.

#include <QWidget>

class QButtonGroup;
class QRadioButton;

namespace reins::widgets {

class AppearancePage : public QWidget
{
    Q_OBJECT
public:
    explicit AppearancePage(const QString &theme, QWidget *parent = nullptr);

    /// "system", "light" or "dark".
    QString theme() const;
    QRadioButton *themeButton(const QString &theme) const;

private:
    QButtonGroup *m_themes;
};

} // namespace reins::widgets
