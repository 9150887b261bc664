#pragma once

// A session as a document to keep or share: Markdown, or one self-contained HTML file (styles inline, no scripts,
// no external resources). Secrets are redacted: the keys given, and anything shaped like a common API token.

#include "threadstate.h"

#include <QString>
#include <QStringList>

namespace reins::widgets {

QString exportMarkdown(const ThreadState &state, const QStringList &secrets = {});
QString exportHtml(const ThreadState &state, const QStringList &secrets = {});
/// Token-shaped text (sk-…, ghp_…, AKIA…, xoxb-…, "Bearer …") and the given secrets replaced by a mark.
QString redacted(const QString &text, const QStringList &secrets);

} // namespace reins::widgets
