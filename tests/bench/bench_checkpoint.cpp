// bench_checkpoint: Reins's checkpoint store against the shadow-git method other tools use, side by side in the
// same run, on a synthetic tree of 100,000 files:
//   (a) the first snapshot            — shadow: git --git-dir=S --work-tree=W add -A && git write-tree
//   (b) after the agent edited a file — ours: only that path examined; shadow: the same add -A && write-tree
//   (c) after an unknown change       — ours: a full rescan (stat cache); shadow: add -A && write-tree;
//                                       the medians of five rounds, alternating which side goes first
//   (d) a restore where 1,000 files differ — shadow: git read-tree T && git checkout-index -a -f
// Targets (issue 6): (b) ≤ 0.05×, (a) and (c) ≤ 1.0×, (d) ≤ 1.0×.

#include "checkpoint/checkpointstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

using namespace reins::checkpoint;

namespace {

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

bool git(const QStringList &args, const QString &workTree, const QString &gitDir, QByteArray *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(workTree);
    p.start(QStringLiteral("git"), QStringList{QStringLiteral("--git-dir=") + gitDir, QStringLiteral("--work-tree=") + workTree} + args);
    if (!p.waitForFinished(600'000) || p.exitCode() != 0) {
        std::fprintf(stderr, "git %s failed: %s\n", qPrintable(args.join(u' ')), p.readAllStandardError().constData());
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput().trimmed();
    return true;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(content);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int files = argc > 1 ? std::max(1000, atoi(argv[1])) : 100'000;
    QTemporaryDir root;
    const QString ws = root.filePath(QStringLiteral("ws"));
    const QString shadow = root.filePath(QStringLiteral("shadow.git"));
    const QString store = root.filePath(QStringLiteral("store"));
    QDir().mkpath(ws);
    std::printf("bench_checkpoint: %d files\n", files);
    const int perDir = 500;
    for (int i = 0; i < files; ++i) {
        const QString dir = ws + QStringLiteral("/d%1/s%2").arg(i / (perDir * 20)).arg(i / perDir);
        if (i % perDir == 0)
            QDir().mkpath(dir);
        writeFile(dir + QStringLiteral("/f%1.txt").arg(i), QByteArray("file ") + QByteArray::number(i) + QByteArray(200, 'x') + '\n');
    }
    writeFile(ws + QStringLiteral("/.gitignore"), "*.log\n");
    if (!git({QStringLiteral("init"), QStringLiteral("-q")}, ws, shadow))
        return 1;

    auto opened = CheckpointStore::open(ws, store);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    CheckpointStore &ours = **opened;
    SnapshotOptions options;
    options.session = QStringLiteral("bench");
    options.timeBudgetMs = 600'000;
    QElapsedTimer t;

    // (a)
    t.start();
    auto first = ours.snapshot(options);
    const double a = seconds(t);
    t.start();
    git({QStringLiteral("add"), QStringLiteral("-A")}, ws, shadow);
    git({QStringLiteral("write-tree")}, ws, shadow);
    const double aRef = seconds(t);
    if (!first) {
        std::fprintf(stderr, "%s\n", qPrintable(first.error().message));
        return 1;
    }

    // (b)
    const QString edited = QStringLiteral("d0/s0/f7.txt");
    writeFile(ws + u'/' + edited, "edited by the agent\n");
    options.changedPaths = QStringList{edited};
    t.start();
    auto second = ours.snapshot(options);
    const double b = seconds(t);
    t.start();
    QByteArray treeB;
    git({QStringLiteral("add"), QStringLiteral("-A")}, ws, shadow);
    git({QStringLiteral("write-tree")}, ws, shadow, &treeB);
    const double bRef = seconds(t);

    // (c): 1,000 files changed behind our back, five rounds with a different thousand each, alternating which
    // side goes first; the medians are compared (one round alone swings by a third on a shared disk). The last
    // round changes the files (d) restores: it goes back to the state before that round.
    constexpr int rounds = 5;
    std::vector<double> ours_c, ref_c;
    std::optional<Checkpoint> third = *second;
    QByteArray lastTree = treeB;
    std::optional<Checkpoint> restoreTarget;
    QByteArray restoreTree;
    options.changedPaths.reset();
    for (int round = rounds - 1; round >= 0 && third; --round) {
        restoreTarget = third;
        restoreTree = lastTree;
        for (int i = 0; i < 1000; ++i) {
            const int n = (i * 97 + round) % files;
            writeFile(ws + QStringLiteral("/d%1/s%2/f%3.txt").arg(n / (perDir * 20)).arg(n / perDir).arg(n),
                      "changed by a command\n" + QByteArray(round, '+'));
        }
        const auto runOurs = [&] {
            t.start();
            auto taken = ours.snapshot(options);
            ours_c.push_back(seconds(t));
            third = taken ? std::optional<Checkpoint>(*taken) : std::nullopt;
        };
        const auto runRef = [&] {
            t.start();
            git({QStringLiteral("add"), QStringLiteral("-A")}, ws, shadow);
            git({QStringLiteral("write-tree")}, ws, shadow, &lastTree);
            ref_c.push_back(seconds(t));
        };
        if (round % 2) {
            runRef();
            runOurs();
        } else {
            runOurs();
            runRef();
        }
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    const double c = median(ours_c);
    const double cRef = median(ref_c);

    // (d): back to the checkpoint before the last round: the 1,000 files differ
    if (!second || !third || !restoreTarget) {
        std::fprintf(stderr, "a snapshot failed\n");
        return 1;
    }
    t.start();
    auto undo = ours.restore(restoreTarget->id, QStringLiteral("bench"));
    const double d = seconds(t);
    // The shadow repository goes back to the same state: its tree before the last round. Ours is already there, so
    // first put the last round's 1,000 files back on disk for it.
    for (int i = 0; i < 1000; ++i) {
        const int n = (i * 97) % files;
        writeFile(ws + QStringLiteral("/d%1/s%2/f%3.txt").arg(n / (perDir * 20)).arg(n / perDir).arg(n), "changed by a command\n");
    }
    t.start();
    git({QStringLiteral("read-tree"), QString::fromLatin1(restoreTree)}, ws, shadow);
    git({QStringLiteral("checkout-index"), QStringLiteral("-a"), QStringLiteral("-f")}, ws, shadow);
    const double dRef = seconds(t);
    if (!undo) {
        std::fprintf(stderr, "a step failed\n");
        return 1;
    }

    const auto row = [](const char *name, double ours, double ref, double target) {
        std::printf("  %-44s reins %8.3f s   shadow git %8.3f s   ratio %6.3fx   (target ≤ %.2fx)\n", name, ours, ref,
                    ours / ref, target);
    };
    row("(a) first snapshot", a, aRef, 1.0);
    row("(b) after the agent edited a file", b, bRef, 0.05);
    row("(c) after an unknown change (median of 5)", c, cRef, 1.0);
    row("(d) restore, 1,000 files differ", d, dRef, 1.0);
    std::printf("  store size %.1f MB\n", double(ours.sizeOnDisk()) / 1e6);
    return 0;
}
