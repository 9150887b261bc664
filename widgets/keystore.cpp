#include "keystore.h"

#include "appsettings.h"
#include "qtkeychainbackend.h"

#include <QPointer>

namespace reins::widgets {

namespace {
// Read by probe() only: its absence is the answer of a working keychain.
const QString kProbeName = QStringLiteral("reins-keychain-probe");

// `done`, called unless a `context` was given and is gone by the time the keychain answers.
template<typename Done>
auto guarded(QObject *context, Done done)
{
    return [context = QPointer(context), bound = context != nullptr, done = std::move(done)](const auto &result) {
        if (done && (!bound || context))
            done(result);
    };
}
} // namespace

KeyStore::KeyStore(QObject *parent) : KeyStore(std::make_unique<QtKeychainBackend>(QStringLiteral("reins")), parent) {}

KeyStore::KeyStore(std::unique_ptr<KeyBackend> backend, QObject *parent)
    : QObject(parent), m_backend(std::move(backend))
{
}

KeyStore::~KeyStore() = default;

QString KeyStore::noKeychainMessage(const QString &providerId)
{
    return tr("No keychain service is running on this desktop (Secret Service or KWallet), so Reins cannot store "
              "the key safely. Put it in an environment variable instead, e.g. %1, and choose that variable here.")
        .arg(defaultKeyVariable(providerId));
}

QString KeyStore::unavailableReason() const
{
    return m_availability == Availability::Unavailable ? noKeychainMessage(QStringLiteral("deepseek")) : QString();
}

void KeyStore::noteAvailability(const KeyReply &reply)
{
    Availability now = m_availability;
    if (reply.status == KeyReply::Status::NoBackend)
        now = Availability::Unavailable;
    else if (reply.status != KeyReply::Status::Failed)
        now = Availability::Available; // it answered, even if with "not found" or "denied"
    if (now == m_availability)
        return;
    m_availability = now;
    Q_EMIT availabilityChanged(now);
}

Result<void> KeyStore::outcome(const QString &providerId, const KeyReply &reply, const QString &doing)
{
    noteAvailability(reply);
    const QString name = providerLabel(providerId);
    switch (reply.status) {
    case KeyReply::Status::Ok:
    case KeyReply::Status::NotFound: return {};
    case KeyReply::Status::NoBackend: return fail(noKeychainMessage(providerId));
    case KeyReply::Status::Denied:
        return fail(tr("The desktop keychain refused to %1 the key for %2 (it may be locked). Unlock it and try "
                       "again.")
                        .arg(doing, name));
    case KeyReply::Status::Failed: break;
    }
    return fail(tr("The desktop keychain could not %1 the key for %2: %3. Try again, or keep the key in an "
                   "environment variable instead.")
                    .arg(doing, name, reply.detail.isEmpty() ? tr("no reason given") : reply.detail));
}

void KeyStore::probe()
{
    m_backend->read(kProbeName, [self = QPointer(this)](const KeyReply &reply) {
        if (self)
            self->noteAvailability(reply);
    });
}

void KeyStore::readKey(const QString &providerId, QObject *context, ReadDone done)
{
    auto answer = [self = QPointer(this), providerId, done = guarded(context, std::move(done))](const KeyReply &reply) {
        if (!self)
            return;
        ReadResult result = std::nullopt;
        if (auto ok = self->outcome(providerId, reply, tr("read")); !ok)
            result = std::unexpected(ok.error());
        else if (reply.status == KeyReply::Status::Ok)
            result = reply.secret;
        Q_EMIT self->keyRead(providerId, result);
        done(result);
    };
    m_backend->read(providerId, std::move(answer));
}

void KeyStore::writeKey(const QString &providerId, const QString &key, QObject *context, WriteDone done)
{
    auto answer = [self = QPointer(this), providerId, done = guarded(context, std::move(done))](const KeyReply &reply) {
        if (!self)
            return;
        const Result<void> result = self->outcome(providerId, reply, tr("store"));
        Q_EMIT self->keyWritten(providerId, result);
        done(result);
    };
    m_backend->write(providerId, key, std::move(answer));
}

void KeyStore::deleteKey(const QString &providerId, QObject *context, WriteDone done)
{
    auto answer = [self = QPointer(this), providerId, done = guarded(context, std::move(done))](const KeyReply &reply) {
        if (!self)
            return;
        const Result<void> result = self->outcome(providerId, reply, tr("delete"));
        Q_EMIT self->keyDeleted(providerId, result);
        done(result);
    };
    m_backend->remove(providerId, std::move(answer));
}

} // namespace reins::widgets
