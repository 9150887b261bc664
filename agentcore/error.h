#pragma once

#include <QString>

#include <expected>

namespace reins {

/// An error a person can act on. `retryable` says whether trying the same thing again may succeed
/// (a dropped connection, an overloaded server), as opposed to a request that is wrong in itself.
struct Error
{
    QString message;
    bool retryable = false;

    bool operator==(const Error &) const = default;
};

template<typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(QString message, bool retryable = false)
{
    return std::unexpected(Error{std::move(message), retryable});
}

} // namespace reins
