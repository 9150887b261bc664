#pragma once

// Keys kept in memory, for tests and for anything that must not touch the person's keychain. It answers on the
// next turn of the event loop, like the real keychain, and can play a desktop that has no keychain at all.

#include "keybackend.h"

#include <QHash>
#include <QObject>

namespace reins::widgets {

class MemoryKeyBackend : public KeyBackend
{
public:
    /// `available` false: every call answers NoBackend, as on a desktop with no Secret Service or KWallet.
    explicit MemoryKeyBackend(bool available = true);

    void read(const QString &name, Done done) override;
    void write(const QString &name, const QString &secret, Done done) override;
    void remove(const QString &name, Done done) override;

    const QHash<QString, QString> &keys() const { return m_keys; }
    void setAvailable(bool available) { m_available = available; }

private:
    void answer(Done done, KeyReply reply);

    bool m_available;
    QHash<QString, QString> m_keys;
    QObject m_context;
};

} // namespace reins::widgets
