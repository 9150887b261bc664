#include "markdownlines.h"

namespace reins::widgets::markdown {

int indentOf(QStringView line)
{
    int indent = 0;
    for (const QChar c : line) {
        if (c == u' ')
            ++indent;
        else if (c == u'\t')
            indent += 4 - indent % 4;
        else
            break;
    }
    return indent;
}

QStringView stripIndent(QStringView line, int columns)
{
    qsizetype i = 0;
    while (i < line.size() && columns > 0 && line[i] == u' ') {
        ++i;
        --columns;
    }
    return line.sliced(i);
}

bool isBlank(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.isSpace(); });
}

bool isThematicBreak(QStringView line)
{
    const QStringView trimmed = line.trimmed();
    if (trimmed.isEmpty() || !(trimmed[0] == u'-' || trimmed[0] == u'*' || trimmed[0] == u'_'))
        return false;
    int count = 0;
    for (const QChar c : trimmed) {
        if (c == trimmed[0])
            ++count;
        else if (!c.isSpace())
            return false;
    }
    return count >= 3;
}

qsizetype listMarkerEnd(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 9 && line[i].isDigit())
        ++i;
    if (i > 0 && i < line.size() && (line[i] == u'.' || line[i] == u')'))
        ++i;
    else if (i == 0 && !line.isEmpty() && (line[0] == u'-' || line[0] == u'*' || line[0] == u'+'))
        i = 1;
    else
        return 0;
    return i < line.size() && (line[i] == u' ' || line[i] == u'\t') ? i + 1 : 0;
}

bool isTopLevelListItem(QStringView line)
{
    return listMarkerEnd(line) > 0 && !isThematicBreak(line);
}

bool beginsTopLevelListItem(QStringView line)
{
    const qsizetype end = listMarkerEnd(line);
    return end > 0 && end < line.size() && !line[end].isSpace() && line[end] != u'-' && line[end] != u'*'
        && line[end] != u'_';
}

bool isHeadingLine(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == u' ')
        ++i;
    return i < line.size() && line[i] == u'#';
}

bool isMarkupCharacter(QChar c)
{
    static constexpr QStringView kMarkup = u"*_`~[])<>\\|#\n";
    return kMarkup.contains(c);
}

} // namespace reins::widgets::markdown
