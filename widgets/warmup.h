#pragma once

#include <future>

namespace reins::widgets {

/// Begins, on other threads, the parts of a window's start that need no GUI thread, so that they overlap building
/// the window instead of adding to it: the font database (fontconfig reads its configuration and font lists, ~5 ms
/// here) and the syntax-highlighting repository (~5 ms). Whatever needs them first waits for what is not done yet.
/// Make one right after the QApplication; its destructor waits for the work, so it must go before the application.
class WarmUp
{
public:
    WarmUp();
    ~WarmUp();
    WarmUp(const WarmUp &) = delete;
    WarmUp &operator=(const WarmUp &) = delete;

private:
    std::future<void> m_fonts;
};

} // namespace reins::widgets
