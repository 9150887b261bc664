#include "memorykeybackend.h"

#include <QTimer>

namespace reins::widgets {

MemoryKeyBackend::MemoryKeyBackend(bool available) : m_available(available) {}

void MemoryKeyBackend::answer(Done done, KeyReply reply)
{
    if (!m_available)
        reply = {KeyReply::Status::NoBackend, {}, QStringLiteral("no keychain in this test")};
    QTimer::singleShot(0, &m_context, [done = std::move(done), reply] { done(reply); });
}

void MemoryKeyBackend::read(const QString &name, Done done)
{
    const auto it = m_keys.constFind(name);
    answer(std::move(done), it == m_keys.constEnd() ? KeyReply{KeyReply::Status::NotFound, {}, {}}
                                                    : KeyReply{KeyReply::Status::Ok, *it, {}});
}

void MemoryKeyBackend::write(const QString &name, const QString &secret, Done done)
{
    if (m_available)
        m_keys.insert(name, secret);
    answer(std::move(done), {});
}

void MemoryKeyBackend::remove(const QString &name, Done done)
{
    if (m_available)
        m_keys.remove(name);
    answer(std::move(done), {});
}

} // namespace reins::widgets
