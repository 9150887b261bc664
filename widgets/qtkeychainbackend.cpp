#include "qtkeychainbackend.h"

#include <qt6keychain/keychain.h>

#include <QTimer>

namespace reins::widgets {

namespace {

// QKeychain::isAvailable() asks D-Bus for KWallet with a half-second timeout each time: ask once per process.
bool keychainLibraryUsable()
{
    static const bool usable = QKeychain::isAvailable();
    return usable;
}

} // namespace

QtKeychainBackend::QtKeychainBackend(QString service) : m_service(std::move(service)) {}

KeyReply::Status QtKeychainBackend::classify(int keychainError, const QString &message)
{
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoError: return KeyReply::Status::Ok;
    case QKeychain::EntryNotFound: return KeyReply::Status::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return KeyReply::Status::NoBackend;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser: return KeyReply::Status::Denied;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError: break;
    }
    // libsecret and the KWallet path report an unreachable service as OtherError with GIO's or D-Bus's words.
    static const char *const unreachable[] = {"org.freedesktop.secrets", "d-bus", "dbus", "message bus",
                                              "could not connect", "no keyring daemon", "autolaunch"};
    for (const char *words : unreachable)
        if (message.contains(QLatin1String(words), Qt::CaseInsensitive))
            return KeyReply::Status::NoBackend;
    return KeyReply::Status::Failed;
}

void QtKeychainBackend::read(const QString &name, Done done)
{
    if (!keychainLibraryUsable()) {
        QTimer::singleShot(0, &m_context, [done] { done({KeyReply::Status::NoBackend, {}, {}}); });
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service); // deletes itself once finished
    job->setKey(name);
    QObject::connect(job, &QKeychain::Job::finished, &m_context, [job, done](QKeychain::Job *) {
        const KeyReply::Status status = classify(job->error(), job->errorString());
        done({status, status == KeyReply::Status::Ok ? job->textData() : QString(), job->errorString()});
    });
    job->start();
}

void QtKeychainBackend::write(const QString &name, const QString &secret, Done done)
{
    if (!keychainLibraryUsable()) {
        QTimer::singleShot(0, &m_context, [done] { done({KeyReply::Status::NoBackend, {}, {}}); });
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(name);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, &m_context, [done](QKeychain::Job *j) {
        done({classify(j->error(), j->errorString()), {}, j->errorString()});
    });
    job->start();
}

void QtKeychainBackend::remove(const QString &name, Done done)
{
    if (!keychainLibraryUsable()) {
        QTimer::singleShot(0, &m_context, [done] { done({KeyReply::Status::NoBackend, {}, {}}); });
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(name);
    QObject::connect(job, &QKeychain::Job::finished, &m_context, [done](QKeychain::Job *j) {
        done({classify(j->error(), j->errorString()), {}, j->errorString()});
    });
    job->start();
}

} // namespace reins::widgets
