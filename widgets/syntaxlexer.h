#pragma once

#include "qscintilla.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QByteArray>
#include <QHash>

#include <vector>

class QPalette;

namespace reins::widgets {

/// A QScintilla lexer whose highlighting comes from KSyntaxHighlighting: the definition is chosen by file name
/// or content, colours come from a KSH theme, and the highlighter state at the end of every line is kept so that
/// an edit restyles only the lines whose highlighting it changes.
class SyntaxLexer : public QsciLexerCustom, private KSyntaxHighlighting::AbstractHighlighter
{
    Q_OBJECT
    Q_INTERFACES(KSyntaxHighlighting::AbstractHighlighter)
public:
    explicit SyntaxLexer(QObject *parent = nullptr);
    ~SyntaxLexer() override;

    /// Picks the definition by file name, falling back to content (first bytes: shebang, mode lines, via
    /// Repository::definitionForFileName then definitionForMimeType(QMimeDatabase().mimeTypeForFileNameAndData)).
    void setDefinitionFor(const QString &fileName, const QByteArray &firstBytes = {});
    void setDefinition(const KSyntaxHighlighting::Definition &definition) override;
    /// Colours and font attributes (bold/italic/underline) come from the KSH theme; default paper/colour too.
    void setTheme(const KSyntaxHighlighting::Theme &theme) override;
    using KSyntaxHighlighting::AbstractHighlighter::definition;
    using KSyntaxHighlighting::AbstractHighlighter::theme;

    /// The KSH default theme for a palette: dark when the window colour is dark (Repository::DarkTheme/LightTheme).
    static KSyntaxHighlighting::Theme themeFor(const QPalette &palette);
    /// The one repository of definitions, shared by every lexer (loading it is expensive: ~5 ms). Waits for the
    /// load begun by loadRepositoryInBackground(), or loads it here if none was begun.
    static KSyntaxHighlighting::Repository &repository();
    /// Begins loading the repository on another thread, at idle priority, so that a window's start does not wait for
    /// it; at most once. Needs the QCoreApplication (the repository is handed to its thread).
    static void loadRepositoryInBackground();
    /// Waits for a load begun by loadRepositoryInBackground(); nothing when none was begun.
    static void finishBackgroundLoad();
    /// Whether the repository is loaded or being loaded.
    static bool repositoryLoadBegun();

    const char *language() const override;
    QString description(int style) const override;
    void styleText(int start, int end) override;
    QColor defaultColor(int style) const override;
    QColor defaultPaper(int style) const override;
    QFont defaultFont(int style) const override;
    /// All 8 bits: QsciLexerCustom asks for 5 (32 styles), too few for a rich definition.
    int styleBitsNeeded() const override;
    void setEditor(QsciScintilla *editor) override;

    /// Lines highlighted by the last styleText() call: for tests and to prove restyling is incremental.
    int linesStyledLastTime() const;
    /// The KSH format name for a QScintilla style number ("" for the default style): for tests/golden files.
    QString formatName(int style) const;

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override;

private:
    /// A format applied to part of the line being highlighted, in UTF-16 code units of that line.
    struct Run
    {
        int offset = 0;
        int length = 0;
        int style = 0;
    };

    long send(unsigned int message, unsigned long wParam = 0, long lParam = 0) const;
    int styleFor(const KSyntaxHighlighting::Format &format);
    void pushStyle(int style);
    KSyntaxHighlighting::State highlightEditorLine(int line, const KSyntaxHighlighting::State &previous);
    void onModified(int position, int modificationType, const char *text, int length, int linesAdded);
    void invalidateAll();
    void forgetStyles();

    /// Highlighter state at the end of each editor line.
    std::vector<KSyntaxHighlighting::State> m_states;
    /// Lines whose text changed (or that were never highlighted) since their state was stored.
    std::vector<bool> m_dirty;
    /// Formats by QScintilla style number; index 0 (the default style) holds an invalid format.
    std::vector<KSyntaxHighlighting::Format> m_formats;
    QHash<int, int> m_styleForFormatId;
    std::vector<Run> m_runs;
    /// For the line being highlighted: the byte offset of each UTF-16 position (one entry past the end).
    std::vector<int> m_byteOffsets;
    QByteArray m_language;
    int m_linesStyled = 0;
};

} // namespace reins::widgets
