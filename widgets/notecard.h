#pragma once

// A one-paragraph entry of the chat: what the person wrote, a checkpoint, a plan, an error with its next step, a
// warning, the end of a turn that did not simply finish.

#include "threadstate.h"

#include <QFrame>

class QLabel;

namespace reins::widgets {

class NoteCard : public QFrame
{
    Q_OBJECT
public:
    explicit NoteCard(const ThreadEntry &entry, QWidget *parent = nullptr);
    void update(const ThreadEntry &entry);
    QString text() const;

private:
    QLabel *m_label;
};

} // namespace reins::widgets
