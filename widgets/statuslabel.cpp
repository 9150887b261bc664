#include "statuslabel.h"

namespace reins::widgets {

StatusLabel::StatusLabel(QWidget *parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void StatusLabel::setMessage(const QString &text, Tone tone)
{
    m_tone = tone;
    setText(text);
    setVisible(!text.isEmpty());
    // GitHub's red and green for each background: both pass contrast on the app themes' windows.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QColor colour;
    switch (tone) {
    case Tone::Info: colour = palette().color(QPalette::PlaceholderText); break;
    case Tone::Good: colour = dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37); break;
    case Tone::Error: colour = dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e); break;
    }
    QPalette p = palette();
    p.setColor(QPalette::WindowText, colour);
    p.setColor(QPalette::Text, colour);
    setPalette(p);
}

} // namespace reins::widgets
