#include "apptheme.h"

#include "themestyle.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <optional>

namespace reins::widgets {

namespace {

// The desktop's look, kept the first time a theme replaces it, so that "system" can bring it back.
struct SystemLook
{
    QString style;
    QPalette palette;
};

std::optional<SystemLook> &savedLook()
{
    static std::optional<SystemLook> look;
    return look;
}

SystemLook &systemLook(QApplication &app)
{
    std::optional<SystemLook> &look = savedLook();
    if (!look)
        look = SystemLook{app.style()->name(), app.palette()};
    return *look;
}

} // namespace

void applyThemeName(QApplication &app, const QString &name)
{
    if (name == u"light" || name == u"dark") {
        applyTheme(app, name == u"dark");
        return;
    }
    if (!savedLook())
        return; // no theme applied yet: the application has the desktop's look already, and nothing is re-polished
    const SystemLook &look = systemLook(app);
    app.setStyle(QStyleFactory::create(look.style));
    app.setPalette(look.palette);
}

void applyTheme(QApplication &app, bool dark)
{
    systemLook(app); // remembered before it changes
    app.setStyle(new ThemeStyle);
    QPalette p;
    if (dark) {
        const QColor window(0x1f, 0x23, 0x28), base(0x16, 0x1a, 0x1f), text(0xe6, 0xed, 0xf3);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0x2b, 0x31, 0x37));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, base);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x94, 0x9e));
        p.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x58, 0xa6, 0xff));
        p.setColor(QPalette::Mid, QColor(0x30, 0x36, 0x3d));
        p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x16));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6e, 0x76, 0x81));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6e, 0x76, 0x81));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6e, 0x76, 0x81));
    } else {
        p = app.style()->standardPalette();
        p.setColor(QPalette::Window, QColor(0xf6, 0xf8, 0xfa));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::Highlight, QColor(0x09, 0x69, 0xda));
        p.setColor(QPalette::PlaceholderText, QColor(0x6e, 0x77, 0x81));
    }
    app.setPalette(p);
}

} // namespace reins::widgets
