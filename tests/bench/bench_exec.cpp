// bench_exec: `reins exec` through a scripted session of 10 read_file turns and a final answer against the fake
// model server, timed as a whole process: wall time, CPU time (user + system) and peak RSS. The reference measured
// in the same run is `reins --version`: the same binary starting and exiting, so the ratio shows what the agent
// itself costs on top of loading Qt.
//
// Targets (issue 4): ≤ 0.25 s CPU and ≤ 50 MB peak RSS for the session.

#include "fakemodelserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

namespace {

struct Sample
{
    double wallS = 0;
    double cpuS = 0;
    double rssMb = 0;
    int exitCode = -1;
};

// fork/exec/wait4 so that the rusage is exactly the child's.
Sample runChild(const QStringList &args, QCoreApplication &app)
{
    QList<QByteArray> storage;
    std::vector<char *> argv;
    storage.append(QByteArray(REINS_BINARY));
    for (const QString &a : args)
        storage.append(a.toUtf8());
    for (QByteArray &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::execv(argv[0], argv.data());
        _exit(127);
    }
    Sample s;
    int status = 0;
    rusage usage{};
    // Keep serving the fake server while the child runs.
    for (;;) {
        const pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid)
            break;
        app.processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    s.wallS = double(timer.nsecsElapsed()) / 1e9;
    s.cpuS = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    s.rssMb = double(usage.ru_maxrss) / 1024.0;
    s.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return s;
}

QJsonObject readExchange(int i)
{
    const QString args = QStringLiteral("{\"path\":\"src/file%1.cpp\"}").arg(i);
    QJsonArray events{
        QJsonObject{{QStringLiteral("data"), QJsonDocument::fromJson(QStringLiteral(
            R"({"choices":[{"delta":{"content":"Reading file %1."}}]})").arg(i).toUtf8()).object()}},
        QJsonObject{{QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("choices"),
                                  QJsonArray{QJsonObject{{QStringLiteral("delta"),
                                                          QJsonObject{{QStringLiteral("tool_calls"),
                                                                       QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                                                              {QStringLiteral("id"), QStringLiteral("c%1").arg(i)},
                                                                                              {QStringLiteral("function"),
                                                                                               QJsonObject{{QStringLiteral("name"), QStringLiteral("read_file")},
                                                                                                           {QStringLiteral("arguments"), args}}}}}}}},
                                                         {QStringLiteral("finish_reason"), QStringLiteral("tool_calls")}}}}}}},
        QJsonObject{{QStringLiteral("data"), QJsonDocument::fromJson(
            R"({"choices":[],"usage":{"prompt_tokens":3000,"completion_tokens":30,"prompt_cache_hit_tokens":2800,"prompt_cache_miss_tokens":200}})").object()}},
        QJsonObject{{QStringLiteral("data"), QStringLiteral("[DONE]")}}};
    return QJsonObject{{QStringLiteral("events"), events}};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir home, ws;
    QDir().mkpath(ws.filePath(QStringLiteral("src")));
    for (int i = 0; i < 10; ++i) {
        QFile f(ws.filePath(QStringLiteral("src/file%1.cpp").arg(i)));
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        for (int line = 0; line < 200; ++line)
            f.write(QStringLiteral("int function_%1_%2(int x) { return x * %2 + %1; }\n").arg(i).arg(line).toUtf8());
    }
    qputenv("XDG_STATE_HOME", home.filePath(QStringLiteral("state")).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("DEEPSEEK_API_KEY", "sk-bench");
    qunsetenv("DISPLAY");

    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    std::vector<double> wall, cpu, rss, refWall, refCpu, refRss;
    for (int r = 0; r < runs; ++r) {
        reins::test::FakeModelServer server;
        QJsonArray exchanges;
        for (int i = 0; i < 10; ++i)
            exchanges.append(readExchange(i));
        exchanges.append(QJsonDocument::fromJson(
            R"({"events":[{"data":{"choices":[{"delta":{"content":"All ten files read."},"finish_reason":"stop"}]}},{"data":"[DONE]"}]})").object());
        if (!server.listen() || !server.loadScenario(QJsonObject{{QStringLiteral("exchanges"), exchanges}}))
            return 1;
        const Sample s = runChild({QStringLiteral("exec"), QStringLiteral("--workspace"), ws.path(), QStringLiteral("--provider"),
                                   QStringLiteral("deepseek"), QStringLiteral("--base-url"), server.baseUrl(),
                                   QStringLiteral("--json"), QStringLiteral("Read every file under src/")},
                                  app);
        if (s.exitCode != 0 || !server.finishedCleanly()) {
            std::fprintf(stderr, "run %d failed: exit %d, %s\n", r, s.exitCode, qPrintable(server.failures().join(u'\n')));
            return 1;
        }
        wall.push_back(s.wallS);
        cpu.push_back(s.cpuS);
        rss.push_back(s.rssMb);
        const Sample ref = runChild({QStringLiteral("--version")}, app);
        refWall.push_back(ref.wallS);
        refCpu.push_back(ref.cpuS);
        refRss.push_back(ref.rssMb);
    }
    const double c = median(cpu), m = median(rss), w = median(wall);
    const double rc = median(refCpu), rm = median(refRss), rw = median(refWall);
    std::printf("bench_exec: reins exec, 10 read_file steps + answer, median of %d runs\n", runs);
    std::printf("  session:    wall %.3f s   cpu %.3f s   peak rss %.1f MB\n", w, c, m);
    std::printf("  reference:  wall %.3f s   cpu %.3f s   peak rss %.1f MB   (reins --version, same run)\n", rw, rc, rm);
    std::printf("  ratio:      wall %.2fx    cpu %.2fx    rss %.2fx\n", w / rw, c / std::max(rc, 1e-3), m / rm);
    std::printf("  targets:    cpu %.3f / 0.250 s (%.2f of target)   rss %.1f / 50 MB (%.2f of target)\n", c, c / 0.25, m, m / 50.0);
    return 0;
}
