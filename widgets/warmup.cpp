#include "warmup.h"

#include "syntaxlexer.h"

#include <QFontDatabase>

namespace reins::widgets {

WarmUp::WarmUp()
{
    // QFontDatabase is thread-safe; the first query fills the one database every thread shares.
    m_fonts = std::async(std::launch::async, [] { (void)QFontDatabase::families(); });
    SyntaxLexer::loadRepositoryInBackground();
}

WarmUp::~WarmUp()
{
    // Neither may still be running when the application (and its font database) goes away.
    m_fonts.wait();
    (void)SyntaxLexer::repository();
}

} // namespace reins::widgets
