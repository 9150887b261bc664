#pragma once

// API keys by provider id, kept in the desktop keychain (service "reins") — never in a plaintext file or in the
// settings. Every call is asynchronous: the answer comes to a callback (dropped if its context object is gone) and
// as a signal. Errors are sentences a person can act on; "no keychain on this desktop" names the way out (an
// environment variable).

#include "error.h"
#include "keybackend.h"

#include <QObject>

#include <memory>
#include <optional>

namespace reins::widgets {

class KeyStore : public QObject
{
    Q_OBJECT
public:
    enum class Availability { Unknown, Available, Unavailable };

    using ReadResult = Result<std::optional<QString>>; ///< nullopt: no key is stored for that provider
    using ReadDone = std::function<void(const ReadResult &)>;
    using WriteDone = std::function<void(const Result<void> &)>;

    /// The desktop keychain, through QtKeychain.
    explicit KeyStore(QObject *parent = nullptr);
    /// Another backend: an in-memory one in tests.
    explicit KeyStore(std::unique_ptr<KeyBackend> backend, QObject *parent = nullptr);
    ~KeyStore() override;

    Availability availability() const { return m_availability; }
    /// Why keys cannot be kept here, in plain words; empty unless Unavailable.
    QString unavailableReason() const;
    /// Finds out whether a keychain answers (by reading a name that is never written); availabilityChanged()
    /// tells the outcome. Every other call also updates the availability from its answer.
    void probe();

    void readKey(const QString &providerId, QObject *context, ReadDone done);
    void writeKey(const QString &providerId, const QString &key, QObject *context, WriteDone done);
    /// Deleting a key that is not there succeeds.
    void deleteKey(const QString &providerId, QObject *context, WriteDone done);

    /// "No keychain service is running on this desktop (…). Put it in an environment variable instead, e.g.
    /// DEEPSEEK_API_KEY, and choose that variable here."
    static QString noKeychainMessage(const QString &providerId);

Q_SIGNALS:
    void availabilityChanged(reins::widgets::KeyStore::Availability availability);
    void keyRead(const QString &providerId, const reins::widgets::KeyStore::ReadResult &key);
    void keyWritten(const QString &providerId, const reins::Result<void> &outcome);
    void keyDeleted(const QString &providerId, const reins::Result<void> &outcome);

private:
    Result<void> outcome(const QString &providerId, const KeyReply &reply, const QString &doing);
    void noteAvailability(const KeyReply &reply);

    std::unique_ptr<KeyBackend> m_backend;
    Availability m_availability = Availability::Unknown;
};

} // namespace reins::widgets
