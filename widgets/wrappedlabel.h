#pragma once

#include <QLabel>

#include <array>
#include <utility>

namespace reins::widgets {

/// A word-wrapped QLabel that lays its text out about once per width it is given. QLabel finds its size hints by
/// laying the whole text out at several trial widths, again for every height-for-width query, and forgets it all on
/// any polish or font change; with a chat of cards, that was much of a window's start. Here the minimum size takes no
/// layout (a few characters wide, one line high), the size hint is the height at the width the label has (or 60
/// characters before it has one), and heights are kept per width until the text, font or margins change.
class WrappedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit WrappedLabel(QWidget *parent = nullptr);
    explicit WrappedLabel(const QString &text, QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    int heightForWidth(int width) const override;

private:
    int horizontalMargins() const;
    int verticalMargins() const;
    void forgetIfChanged() const;
    int charWidth() const;
    int lineSpacing() const;

    // What the kept heights were measured for; any difference empties them.
    mutable QString m_text;
    mutable QFont m_font;
    mutable QMargins m_margins;
    mutable int m_margin = 0;
    mutable std::array<std::pair<int, int>, 4> m_heights{}; ///< (width, height), width 0 = unused
    mutable size_t m_next = 0;
    mutable int m_charWidth = 0;   ///< the font's average character width, 0 = not asked yet
    mutable int m_lineSpacing = 0;
};

} // namespace reins::widgets
