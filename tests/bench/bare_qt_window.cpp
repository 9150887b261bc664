// bare_qt_window: bench_window's second reference, a program linking Qt Widgets alone that opens a bare window of the
// workbench's size. It reports its start as bench_window's children do (one RESULT line of key=value CLOCK_MONOTONIC
// nanoseconds) and exits at its first frame. bench_window's own bare window is its binary, with every library of
// Reins loaded; this one shows what a Qt program starts in without them. Not a benchmark itself, so not named
// bench_*: packaging/dev bench runs those.

#include "startclock.h"

#include <QApplication>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <cstdlib>

namespace {

using reins::bench::monotonicNs;
using reins::bench::residentKb;

/// The first paint of the window, then back in the event loop: the frame.
class FirstFrame : public QObject
{
public:
    qint64 paintNs = 0;
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && paintNs == 0) {
            paintNs = monotonicNs();
            QTimer::singleShot(0, this, [this] {
                std::printf("RESULT main=%lld app=%lld window=%lld open=%lld jump=%lld show=%lld paint=%lld frame=%lld "
                            "rss=%lld widgets=1 resizes=0 answerResizes=0 layoutRequests=0 painted=1\n",
                            mainNs, appNs, windowNs, windowNs, windowNs, showNs, paintNs, monotonicNs(), residentKb());
                std::fflush(stdout);
                std::_Exit(0);
            });
        }
        return false;
    }
    qint64 mainNs = 0, appNs = 0, windowNs = 0, showNs = 0;
};

} // namespace

int main(int argc, char **argv)
{
    FirstFrame frame;
    frame.mainNs = monotonicNs();
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    frame.appNs = monotonicNs();
    QWidget window;
    window.resize(1560, 940);
    frame.windowNs = monotonicNs();
    app.installEventFilter(&frame);
    window.show();
    frame.showNs = monotonicNs();
    return app.exec();
}
