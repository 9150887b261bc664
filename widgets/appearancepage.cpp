#include "appearancepage.h"

#include <QButtonGroup>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace reins::widgets {

namespace {
const QStringList kThemes{QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};
} // namespace

AppearancePage::AppearancePage(const QString &theme, QWidget *parent) : QWidget(parent), m_themes(new QButtonGroup(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<b>Theme</b>"), this));
    const QString titles[] = {tr("&System: the desktop's colours"), tr("&Light"), tr("&Dark")};
    for (int i = 0; i < kThemes.size(); ++i) {
        auto *button = new QRadioButton(titles[i], this);
        m_themes->addButton(button, i);
        layout->addWidget(button);
    }
    m_themes->button(std::max(0, int(kThemes.indexOf(theme))))->setChecked(true);
    auto *note = new QLabel(tr("The whole window changes when you press OK or Apply, and Reins starts in this theme "
                               "from then on."),
                            this);
    note->setWordWrap(true);
    layout->addSpacing(8);
    layout->addWidget(note);
    layout->addStretch(1);
}

QString AppearancePage::theme() const
{
    return kThemes.value(m_themes->checkedId(), kThemes.first());
}

QRadioButton *AppearancePage::themeButton(const QString &theme) const
{
    return qobject_cast<QRadioButton *>(m_themes->button(int(kThemes.indexOf(theme))));
}

} // namespace reins::widgets
