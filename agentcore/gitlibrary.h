#pragma once

#include <QString>

namespace reins {

/// Keeps libgit2 initialised for as long as it lives. libgit2 counts init/shutdown pairs, so any number of
/// owners may coexist; every object that calls into libgit2 holds one.
class GitLibrary
{
public:
    GitLibrary();
    ~GitLibrary();
    GitLibrary(const GitLibrary &) = delete;
    GitLibrary &operator=(const GitLibrary &) = delete;

    /// The version of the libgit2 actually loaded at run time, e.g. "1.9.0".
    static QString version();
};

} // namespace reins
