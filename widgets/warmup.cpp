#include "warmup.h"

#include "syntaxlexer.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QTimer>

namespace reins::widgets {

WarmUp::WarmUp(Fonts fonts)
{
    // QFontDatabase is thread-safe; the first query fills the one database every thread shares.
    if (fonts == Fonts::Here)
        (void)QFontDatabase::families();
    else
        m_fonts = std::async(std::launch::async, [] { (void)QFontDatabase::families(); });
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this); // for the first paint, anywhere
}

bool WarmUp::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        // After the frame this paint belongs to: the timer fires once control is back in the event loop.
        QTimer::singleShot(0, this, [this] {
            QCoreApplication::instance()->removeEventFilter(this);
            SyntaxLexer::loadRepositoryInBackground();
        });
    }
    return QObject::eventFilter(watched, event);
}

WarmUp::~WarmUp()
{
    // Neither may still be running when the application (and its font database) goes away.
    if (m_fonts.valid())
        m_fonts.wait();
    SyntaxLexer::finishBackgroundLoad();
}

} // namespace reins::widgets
