#pragma once

// A sentence under a field: what happened, in a colour that reads on the light and the dark theme alike. Hidden
// while it has nothing to say; selectable, so an error can be copied into a search or a bug report.

#include <QLabel>

namespace reins::widgets {

class StatusLabel : public QLabel
{
    Q_OBJECT
public:
    enum class Tone { Info, Good, Error };

    explicit StatusLabel(QWidget *parent = nullptr);

    void setMessage(const QString &text, Tone tone = Tone::Info);
    void clearMessage() { setMessage({}); }
    Tone tone() const { return m_tone; }

private:
    Tone m_tone = Tone::Info;
};

} // namespace reins::widgets
