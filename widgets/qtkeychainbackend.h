#pragma once

// The desktop keychain through QtKeychain: Secret Service (GNOME Keyring, KeePassXC…) or KWallet. Never the
// library's plaintext fallback — a key is stored safely or not at all.

#include "keybackend.h"

#include <QObject>

namespace reins::widgets {

class QtKeychainBackend : public KeyBackend
{
public:
    /// `service` groups Reins's entries in the keychain ("reins").
    explicit QtKeychainBackend(QString service);

    void read(const QString &name, Done done) override;
    void write(const QString &name, const QString &secret, Done done) override;
    void remove(const QString &name, Done done) override;

    /// How QtKeychain's error code and text map to a status. Public so it is tested without a keychain: a desktop
    /// with the Secret Service library but no service running reports a D-Bus failure as a generic error, which is
    /// "no keychain" to the person all the same.
    static KeyReply::Status classify(int keychainError, const QString &message);

private:
    QString m_service;
    QObject m_context; ///< receives the jobs' answers; going away with the backend drops answers still to come
};

} // namespace reins::widgets
