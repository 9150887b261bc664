#pragma once

// Light and dark themes for the whole application: Qt's Fusion style with a palette of our own, so the window looks
// the same on every desktop, and the diff view's syntax colours follow (it reads the palette).

class QApplication;

namespace reins::widgets {

void applyTheme(QApplication &app, bool dark);

} // namespace reins::widgets
