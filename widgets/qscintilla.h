#pragma once

// QScintilla's headers, included the one way the project can: they use Qt's `signals` and `slots` keywords, which
// the project turns off (QT_NO_KEYWORDS, so that no other library's `signals` can clash). Include QScintilla only
// through this header.

#if !defined(signals) && !defined(slots)
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define REINS_QSCI_KEYWORDS_DEFINED
#endif

#include <Qsci/qscilexercustom.h>
#include <Qsci/qsciscintilla.h>
#include <Qsci/qsciscintillabase.h>
#include <Qsci/qscistyle.h>

#ifdef REINS_QSCI_KEYWORDS_DEFINED
#undef signals
#undef slots
#undef REINS_QSCI_KEYWORDS_DEFINED
#endif
