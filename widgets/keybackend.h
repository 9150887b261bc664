#pragma once

// Where API keys are kept: the desktop keychain in the product, memory in tests. Every call answers later through
// `done`, never before it returns, as the keychain does — so code written against one behaves the same on the
// other.

#include <QString>

#include <functional>

namespace reins::widgets {

/// What a key store answered.
struct KeyReply
{
    enum class Status {
        Ok,
        NotFound,  ///< read: no key is stored under that name
        NoBackend, ///< no keychain service runs on this desktop
        Denied,    ///< the keychain is there but refused (locked, or the person said no)
        Failed,    ///< anything else; `detail` says what
    };
    Status status = Status::Ok;
    QString secret; ///< read: the key
    QString detail; ///< what the store said, for the message

    bool operator==(const KeyReply &) const = default;
};

/// A place to keep secrets by name.
class KeyBackend
{
public:
    using Done = std::function<void(const KeyReply &)>;

    virtual ~KeyBackend() = default;
    virtual void read(const QString &name, Done done) = 0;
    virtual void write(const QString &name, const QString &secret, Done done) = 0;
    virtual void remove(const QString &name, Done done) = 0;
};

} // namespace reins::widgets
