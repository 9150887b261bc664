#include "codelinehighlighter.h"

#include "syntaxlexer.h"

#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>

namespace reins::widgets {

using KSyntaxHighlighting::Definition;
using KSyntaxHighlighting::Format;
using KSyntaxHighlighting::Repository;
using KSyntaxHighlighting::State;
using KSyntaxHighlighting::Theme;

Definition CodeLineHighlighter::definitionFor(const QString &language)
{
    static QHash<QString, Definition> cache;
    const QString key = language.toLower();
    const auto known = cache.constFind(key);
    if (known != cache.cend())
        return known.value();
    Repository &repository = SyntaxLexer::repository();
    Definition found;
    if (!key.isEmpty()) {
        // Names and aliases first ("python", "cpp"), then the language as a file suffix ("py", "sh").
        found = repository.definitionForName(key);
        if (!found.isValid())
            found = repository.definitionForFileName(u"x." + key);
        if (!found.isValid() && (key == u"shell" || key == u"console" || key == u"shellsession"))
            found = repository.definitionForName(QStringLiteral("Bash"));
    }
    cache.insert(key, found);
    return found;
}

void CodeLineHighlighter::setTheme(const Theme &theme)
{
    AbstractHighlighter::setTheme(theme);
    m_formats.clear();
}

State CodeLineHighlighter::highlight(QStringView line, const State &state, const QTextCharFormat &base, std::vector<Run> &runs)
{
    m_base = &base;
    m_runs = &runs;
    runs.clear();
    return definition().isValid() ? highlightLine(line, state) : state;
}

void CodeLineHighlighter::applyFormat(int offset, int length, const Format &format)
{
    if (length <= 0 || !format.isValid() || format.isDefaultTextStyle(theme()))
        return;
    auto known = m_formats.find(format.id());
    if (known == m_formats.end()) {
        QTextCharFormat converted = *m_base;
        const Theme current = theme();
        if (format.hasTextColor(current))
            converted.setForeground(format.textColor(current));
        if (format.hasBackgroundColor(current))
            converted.setBackground(format.backgroundColor(current));
        if (format.isBold(current))
            converted.setFontWeight(QFont::Bold);
        converted.setFontItalic(format.isItalic(current));
        converted.setFontUnderline(format.isUnderline(current));
        converted.setFontStrikeOut(format.isStrikeThrough(current));
        known = m_formats.insert(format.id(), converted);
    }
    m_runs->push_back({offset, length, known.value()});
}

} // namespace reins::widgets
