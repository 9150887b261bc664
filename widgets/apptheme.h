#pragma once

// Light and dark themes for the whole application: Qt's Fusion style with a palette of our own, so the window looks
// the same on every desktop, and the diff view's syntax colours follow (it reads the palette).

class QApplication;
class QString;

namespace reins::widgets {

void applyTheme(QApplication &app, bool dark);
/// "light", "dark", or "system": the desktop's own style and palette, as they were before any theme was applied.
void applyThemeName(QApplication &app, const QString &name);

} // namespace reins::widgets
