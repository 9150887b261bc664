#pragma once

// Highlights fenced code in the chat one line at a time: KSyntaxHighlighting's formats for a line, as runs of
// QTextCharFormat on top of the code's base format, with the state carried to the next line.

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QHash>
#include <QStringView>
#include <QTextCharFormat>

#include <vector>

namespace reins::widgets {

class CodeLineHighlighter : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    struct Run
    {
        int offset = 0;
        int length = 0;
        QTextCharFormat format;
    };

    /// The definition for a fence's language: names and aliases ("python", "cpp"), then the language as a file
    /// suffix ("py", "sh"); invalid when none fits. Remembered per language.
    static KSyntaxHighlighting::Definition definitionFor(const QString &language);

    void setTheme(const KSyntaxHighlighting::Theme &theme) override;
    /// The runs of `line` (those in the theme's default style left out), and the state the next line starts in.
    KSyntaxHighlighting::State highlight(QStringView line, const KSyntaxHighlighting::State &state,
                                         const QTextCharFormat &base, std::vector<Run> &runs);

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override;

private:
    QHash<quint16, QTextCharFormat> m_formats; ///< by KSH format id, for the current theme
    const QTextCharFormat *m_base = nullptr;
    std::vector<Run> *m_runs = nullptr;
};

} // namespace reins::widgets
