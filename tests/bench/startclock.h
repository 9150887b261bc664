#pragma once

// What a measured start reads of itself, shared by bench_window's children and bare_qt_window: the time on the clock
// the parent reads too, and the resident memory.

#include <QFile>

#include <ctime>

namespace reins::bench {

/// CLOCK_MONOTONIC, in nanoseconds: the same clock in every process, so a child's times compare with its launch.
inline qint64 monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

/// VmRSS of this process, in kB; -1 where /proc cannot be read.
inline qint64 residentKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace reins::bench
