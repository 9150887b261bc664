#include "syntaxlexer.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QMimeDatabase>
#include <QPalette>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>

#include <pthread.h>
#include <sched.h>

namespace reins::widgets {

using KSyntaxHighlighting::Definition;
using KSyntaxHighlighting::Format;
using KSyntaxHighlighting::Repository;
using KSyntaxHighlighting::State;
using KSyntaxHighlighting::Theme;

namespace {

// QScintilla reserves 32–39 for the default, line number, brace and control-character styles.
constexpr int kFirstReserved = QsciScintillaBase::STYLE_DEFAULT;
constexpr int kLastReserved = QsciScintillaBase::STYLE_LASTPREDEFINED;

// Decodes one line as QScintilla stores it, recording where each UTF-16 unit starts in the bytes. Invalid UTF-8
// becomes one U+FFFD per byte, so the table stays exact whatever the file holds.
QString decodeUtf8(const QByteArray &bytes, std::vector<int> &byteOffsets)
{
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    QString text;
    text.reserve(bytes.size());
    byteOffsets.clear();
    const int size = int(bytes.size());
    int i = 0;
    while (i < size) {
        const auto lead = static_cast<unsigned char>(bytes[i]);
        int length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        char32_t code = length == 1 ? lead : lead & (0x7F >> length);
        bool valid = length > 0 && i + length <= size;
        for (int k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(bytes[i + k]);
            valid = (next & 0xC0) == 0x80;
            code = (code << 6) | (next & 0x3F);
        }
        valid = valid && code >= kMinimum[length] && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
        if (!valid) {
            length = 1;
            code = 0xFFFD;
        }
        if (QChar::requiresSurrogates(code)) {
            // Both halves map to the character's first byte: a format never starts between them.
            byteOffsets.insert(byteOffsets.end(), 2, i);
            text.append(QChar(QChar::highSurrogate(code)));
            text.append(QChar(QChar::lowSurrogate(code)));
        } else {
            byteOffsets.push_back(i);
            text.append(QChar(char16_t(code)));
        }
        i += length;
    }
    byteOffsets.push_back(size);
    return text;
}

QString decodeLatin1(const QByteArray &bytes, std::vector<int> &byteOffsets)
{
    byteOffsets.resize(bytes.size() + 1);
    for (std::size_t i = 0; i < byteOffsets.size(); ++i)
        byteOffsets[i] = int(i);
    return QString::fromLatin1(bytes);
}

} // namespace

SyntaxLexer::SyntaxLexer(QObject *parent)
    : QsciLexerCustom(parent)
    , m_formats(1)
    , m_language("None")
{
    QsciLexer::setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTheme(themeFor(QGuiApplication::palette()));
}

SyntaxLexer::~SyntaxLexer() = default;

namespace {

// The repository and how it is (being) made; every access under the mutex, the wait outside it.
struct RepositoryLoad
{
    std::mutex mutex;
    std::shared_future<Repository *> ready;
    std::unique_ptr<Repository> owned; // deleted at exit, as the function-local static it replaces was
};

RepositoryLoad &repositoryLoad()
{
    static RepositoryLoad load;
    return load;
}

Repository *makeRepository()
{
    auto repository = std::make_unique<Repository>();
    // A QObject belongs to the thread that made it; the repository is used on the GUI thread.
    if (QCoreApplication *app = QCoreApplication::instance(); app && repository->thread() != app->thread())
        repository->moveToThread(app->thread());
    return repository.release();
}

} // namespace

void SyntaxLexer::loadRepositoryInBackground()
{
    RepositoryLoad &load = repositoryLoad();
    const std::lock_guard lock(load.mutex);
    if (load.ready.valid())
        return;
    load.ready = std::async(std::launch::async, [&load] {
                     // Nothing shown before the first frame needs it: it takes a core only when one is idle.
                     sched_param none{};
                     pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
                     Repository *repository = makeRepository();
                     const std::lock_guard owning(load.mutex);
                     load.owned.reset(repository);
                     return repository;
                 }).share();
}

bool SyntaxLexer::repositoryLoadBegun()
{
    RepositoryLoad &load = repositoryLoad();
    const std::lock_guard lock(load.mutex);
    return load.ready.valid();
}

void SyntaxLexer::finishBackgroundLoad()
{
    RepositoryLoad &load = repositoryLoad();
    std::shared_future<Repository *> ready;
    {
        const std::lock_guard lock(load.mutex);
        ready = load.ready;
    }
    if (ready.valid())
        ready.wait();
}

Repository &SyntaxLexer::repository()
{
    RepositoryLoad &load = repositoryLoad();
    std::shared_future<Repository *> ready;
    {
        const std::lock_guard lock(load.mutex);
        if (!load.ready.valid()) { // nothing begun: made here, on this thread
            std::promise<Repository *> made;
            load.owned.reset(makeRepository());
            made.set_value(load.owned.get());
            load.ready = made.get_future().share();
        }
        ready = load.ready;
    }
    return *ready.get();
}

Theme SyntaxLexer::themeFor(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    return repository().defaultTheme(dark ? Repository::DarkTheme : Repository::LightTheme);
}

void SyntaxLexer::setDefinitionFor(const QString &fileName, const QByteArray &firstBytes)
{
    Definition found = repository().definitionForFileName(fileName);
    if (!found.isValid()) {
        // Content decides for files without a telling name: a shebang, an XML prolog, a mode line.
        const QMimeType mime = QMimeDatabase().mimeTypeForFileNameAndData(fileName, firstBytes);
        QStringList names{mime.name()};
        names += mime.aliases();
        names += mime.allAncestors();
        for (const QString &name : std::as_const(names)) {
            // Every text file descends from text/plain; that says nothing about its syntax.
            if (name == QLatin1String("text/plain") || name == QLatin1String("application/octet-stream"))
                continue;
            found = repository().definitionForMimeType(name);
            if (found.isValid())
                break;
        }
    }
    setDefinition(found);
}

void SyntaxLexer::setDefinition(const Definition &definition)
{
    if (definition == this->definition())
        return;
    AbstractHighlighter::setDefinition(definition);
    m_language = definition.isValid() ? definition.name().toUtf8() : QByteArrayLiteral("None");
    forgetStyles();
    invalidateAll();
}

void SyntaxLexer::forgetStyles()
{
    // Style numbers are handed out as formats first appear, so the numbers in use mean nothing any more.
    m_formats.assign(1, Format());
    m_styleForFormatId.clear();
}

void SyntaxLexer::setTheme(const Theme &theme)
{
    AbstractHighlighter::setTheme(theme);
    if (m_formats.size() > 1) {
        // Whether a format looks like plain text (and so shares style 0) depends on the theme.
        forgetStyles();
        invalidateAll();
    }
    QsciLexer::setDefaultColor(defaultColor(0));
    QsciLexer::setDefaultPaper(defaultPaper(0));
    // QsciLexer caches each style's look on first use, so a new theme is pushed to every style in use.
    setColor(defaultColor(0), QsciScintillaBase::STYLE_DEFAULT);
    setFont(defaultFont(0), QsciScintillaBase::STYLE_DEFAULT);
    pushStyle(0);
}

const char *SyntaxLexer::language() const
{
    return m_language.constData();
}

QString SyntaxLexer::description(int style) const
{
    if (style == 0)
        return QStringLiteral("Default");
    return formatName(style);
}

QString SyntaxLexer::formatName(int style) const
{
    if (style <= 0 || style >= int(m_formats.size()) || !m_formats[style].isValid())
        return {};
    return m_formats[style].name();
}

QColor SyntaxLexer::defaultColor(int style) const
{
    const Theme current = theme();
    if (!current.isValid())
        return QsciLexerCustom::defaultColor(style);
    if (style > 0 && style < int(m_formats.size()) && m_formats[style].hasTextColor(current))
        return m_formats[style].textColor(current);
    return QColor::fromRgba(current.textColor(Theme::Normal));
}

QColor SyntaxLexer::defaultPaper(int style) const
{
    const Theme current = theme();
    if (!current.isValid())
        return QsciLexerCustom::defaultPaper(style);
    if (style > 0 && style < int(m_formats.size()) && m_formats[style].hasBackgroundColor(current))
        return m_formats[style].backgroundColor(current);
    return QColor::fromRgba(current.editorColor(Theme::BackgroundColor));
}

QFont SyntaxLexer::defaultFont(int style) const
{
    QFont font = QsciLexerCustom::defaultFont(style);
    const Theme current = theme();
    if (!current.isValid())
        return font;
    if (style > 0 && style < int(m_formats.size()) && m_formats[style].isValid()) {
        const Format &format = m_formats[style];
        font.setBold(format.isBold(current));
        font.setItalic(format.isItalic(current));
        font.setUnderline(format.isUnderline(current));
        font.setStrikeOut(format.isStrikeThrough(current));
    } else {
        font.setBold(current.isBold(Theme::Normal));
        font.setItalic(current.isItalic(Theme::Normal));
        font.setUnderline(current.isUnderline(Theme::Normal));
        font.setStrikeOut(current.isStrikeThrough(Theme::Normal));
    }
    return font;
}

int SyntaxLexer::styleBitsNeeded() const
{
    return 8;
}

void SyntaxLexer::setEditor(QsciScintilla *editor)
{
    if (this->editor())
        disconnect(this->editor(), &QsciScintillaBase::SCN_MODIFIED, this, nullptr);
    QsciLexerCustom::setEditor(editor);
    if (editor) {
        connect(editor, &QsciScintillaBase::SCN_MODIFIED, this,
                [this](int position, int type, const char *text, int length, int linesAdded) {
                    onModified(position, type, text, length, linesAdded);
                });
    }
    invalidateAll();
}

int SyntaxLexer::linesStyledLastTime() const
{
    return m_linesStyled;
}

long SyntaxLexer::send(unsigned int message, unsigned long wParam, long lParam) const
{
    return editor()->SendScintilla(message, wParam, lParam);
}

void SyntaxLexer::invalidateAll()
{
    const std::size_t lines = editor() ? std::size_t(std::max(1L, send(QsciScintillaBase::SCI_GETLINECOUNT))) : 0;
    m_states.assign(lines, State());
    m_dirty.assign(lines, true);
    if (editor()) {
        // Everything is unstyled now: Scintilla asks again for what it shows next time it paints.
        startStyling(0);
        editor()->viewport()->update();
    }
}

void SyntaxLexer::onModified(int position, int type, const char *, int, int linesAdded)
{
    if (!(type & (QsciScintillaBase::SC_MOD_INSERTTEXT | QsciScintillaBase::SC_MOD_DELETETEXT)))
        return;
    const auto line = std::size_t(send(QsciScintillaBase::SCI_LINEFROMPOSITION, position));
    const std::size_t added = std::size_t(std::abs(linesAdded));
    if (line >= m_states.size() || (linesAdded < 0 && line + added >= m_states.size())) {
        invalidateAll();
        return;
    }
    // The line holding the old line's end keeps its stored end state, so the restyle can tell when the
    // highlighting below is the same as before: new lines go in before it, removed lines come out before it.
    if (linesAdded > 0) {
        m_states.insert(m_states.begin() + line, added, State());
        m_dirty.insert(m_dirty.begin() + line, added, true);
    } else if (linesAdded < 0) {
        m_states.erase(m_states.begin() + line, m_states.begin() + line + added);
        m_dirty.erase(m_dirty.begin() + line, m_dirty.begin() + line + added);
    }
    m_dirty[line] = true;
}

void SyntaxLexer::styleText(int start, int end)
{
    m_linesStyled = 0;
    if (!editor())
        return;
    const int lineCount = int(send(QsciScintillaBase::SCI_GETLINECOUNT));
    if (int(m_states.size()) != lineCount)
        invalidateAll(); // the document was swapped or a change went unnoticed: trust nothing
    int line = int(send(QsciScintillaBase::SCI_LINEFROMPOSITION, start));
    const int last = int(send(QsciScintillaBase::SCI_LINEFROMPOSITION, std::max(start, end - 1)));
    // A line can only be highlighted after the one before it.
    while (line > 0 && m_dirty[line - 1])
        --line;

    State state = line > 0 ? m_states[line - 1] : State();
    bool stateChanged = false;
    while (line < lineCount) {
        if (!m_dirty[line] && !stateChanged) {
            // Unchanged text after an unchanged state: this line and the clean ones after it are still right.
            const auto next = std::find(m_dirty.begin() + line, m_dirty.begin() + last + 1, true);
            if (next == m_dirty.begin() + last + 1) {
                line = last + 1;
                break;
            }
            line = int(next - m_dirty.begin());
            state = m_states[line - 1];
            continue;
        }
        const State next = highlightEditorLine(line, state);
        ++m_linesStyled;
        stateChanged = next != m_states[line];
        m_states[line] = next;
        m_dirty[line] = false;
        state = next;
        ++line;
        // Past the requested range, go on only while the change ripples into lines that were right before.
        if (line > last && (!stateChanged || (line < lineCount && m_dirty[line])))
            break;
    }
    // Tell Scintilla that everything up to the next line needing work is styled, even the lines skipped.
    while (line < lineCount && !m_dirty[line])
        ++line;
    startStyling(line < lineCount ? int(send(QsciScintillaBase::SCI_POSITIONFROMLINE, line))
                                  : int(send(QsciScintillaBase::SCI_GETLENGTH)));
}

State SyntaxLexer::highlightEditorLine(int line, const State &previous)
{
    const long begin = send(QsciScintillaBase::SCI_POSITIONFROMLINE, line);
    const long end = send(QsciScintillaBase::SCI_GETLINEENDPOSITION, line);
    const long next = line + 1 < send(QsciScintillaBase::SCI_GETLINECOUNT)
        ? send(QsciScintillaBase::SCI_POSITIONFROMLINE, line + 1)
        : send(QsciScintillaBase::SCI_GETLENGTH);
    QByteArray bytes(end - begin + 1, '\0');
    editor()->SendScintilla(QsciScintillaBase::SCI_GETTEXTRANGE, begin, end, bytes.data());
    bytes.chop(1);
    const QString text = editor()->isUtf8() ? decodeUtf8(bytes, m_byteOffsets) : decodeLatin1(bytes, m_byteOffsets);

    m_runs.clear();
    State result = previous;
    if (definition().isValid())
        result = AbstractHighlighter::highlightLine(text, previous);

    startStyling(int(begin));
    long styled = begin;
    const int units = int(m_byteOffsets.size()) - 1;
    for (const Run &run : m_runs) {
        const long from = std::max(styled, begin + m_byteOffsets[std::clamp(run.offset, 0, units)]);
        const long to = begin + m_byteOffsets[std::clamp(run.offset + run.length, 0, units)];
        if (to <= from)
            continue;
        if (from > styled)
            setStyling(int(from - styled), 0);
        setStyling(int(to - from), run.style);
        styled = to;
    }
    if (next > styled)
        setStyling(int(next - styled), 0); // the rest, and the line end, in the default style
    return result;
}

void SyntaxLexer::applyFormat(int offset, int length, const Format &format)
{
    const int style = styleFor(format);
    if (style != 0 && length > 0)
        m_runs.push_back({offset, length, style});
}

int SyntaxLexer::styleFor(const Format &format)
{
    if (!format.isValid() || format.isDefaultTextStyle(theme()))
        return 0;
    const auto known = m_styleForFormatId.constFind(format.id());
    if (known != m_styleForFormatId.cend())
        return known.value();
    int style = int(m_formats.size());
    if (style == kFirstReserved)
        style = kLastReserved + 1;
    if (style > QsciScintillaBase::STYLE_MAX)
        return 0; // out of style numbers: the rest look like plain text rather than like another format
    m_formats.resize(style + 1);
    m_formats[style] = format;
    m_styleForFormatId.insert(format.id(), style);
    pushStyle(style);
    return style;
}

void SyntaxLexer::pushStyle(int style)
{
    setColor(defaultColor(style), style);
    setPaper(defaultPaper(style), style);
    setFont(defaultFont(style), style);
}

} // namespace reins::widgets
