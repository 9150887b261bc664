#pragma once

#include <QObject>

#include <future>

namespace reins::widgets {

/// Begins the parts of a window's start that need no GUI thread, so that they overlap building the window instead of
/// adding to it, or come after its first frame: the font database (fontconfig reads its configuration and font
/// lists, ~5 ms here) now, and the syntax-highlighting repository (~5 ms, on an idle-priority thread) once the first
/// frame is painted — nothing before it highlights, and begun earlier, even at idle priority, it slowed the start
/// (measured: the fonts took 6–13 ms beside it, 6–7 ms without). Whatever needs either first waits for
/// what is not done yet. Make one right after the QApplication; its destructor waits for the work, so it must go
/// before the application.
class WarmUp : public QObject
{
    Q_OBJECT
public:
    enum class Fonts {
        /// On a thread of their own: the window's first millisecond of building overlaps them, then it waits.
        InBackground,
        /// On this thread, now: better when another core is already busy for the start (a journal being read),
        /// where a fonts thread would share that core and the window would wait longer for it (measured: 4 ms
        /// sooner with a 5,000-event journal, paired runs).
        Here,
    };
    explicit WarmUp(Fonts fonts = Fonts::InBackground);
    ~WarmUp() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::future<void> m_fonts;
    bool m_painted = false;
};

} // namespace reins::widgets
