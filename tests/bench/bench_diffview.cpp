// bench_diffview: the diff review view against `git diff`, side by side in the same run. A change of 20,000 lines
// (10,000 removed, 10,000 added) over 200 files, between two checkpoints:
//   reins: the store's diff of the two checkpoints, the review built, the view shown, until its first paint with
//          the first file's panes filled and the file list complete (files beyond the first are prepared lazily)
//   git:   `git diff A B` writing the same patch to a file
// Each the median of five runs; the first (cold) run of the view is printed too. Target (issue 7): ≤ 2×.

#include "checkpoint/checkpointstore.h"
#include "diffpane.h"
#include "diffview.h"
#include "review/reviewsources.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace reins;

namespace {

constexpr int fileCount = 200;
constexpr int linesPerFile = 400;
constexpr int changedEvery = 8; // 50 changed lines a file: 100 diff lines, 20,000 in all

QByteArray source(int file, bool changed)
{
    QByteArray text;
    text.reserve(linesPerFile * 48);
    for (int line = 1; line <= linesPerFile; ++line) {
        if (changed && line % changedEvery == 0)
            text += "    total_" + QByteArray::number(line) + " += compute(" + QByteArray::number(file) + ", "
                    + QByteArray::number(line * 3) + ");  // changed\n";
        else
            text += "    int value_" + QByteArray::number(line) + " = " + QByteArray::number(line * file) + ";\n";
    }
    return "int function_" + QByteArray::number(file) + "() {\n" + text + "}\n";
}

bool writeTree(const QString &root, bool changed)
{
    for (int file = 0; file < fileCount; ++file) {
        const QString path = root + QStringLiteral("/src/m%1/file%2.cpp").arg(file / 20).arg(file);
        QDir().mkpath(QFileInfo(path).path());
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(source(file, changed)) < 0)
            return false;
    }
    return true;
}

bool git(const QString &cwd, const QStringList &args, const QString &outputFile = QString())
{
    QProcess p;
    p.setWorkingDirectory(cwd);
    if (!outputFile.isEmpty())
        p.setStandardOutputFile(outputFile);
    p.start(QStringLiteral("git"), args);
    return p.waitForFinished(120'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool commit(const QString &cwd, const QString &message)
{
    return git(cwd, {QStringLiteral("-c"), QStringLiteral("user.name=bench"), QStringLiteral("-c"),
                     QStringLiteral("user.email=bench@example.invalid"), QStringLiteral("commit"), QStringLiteral("-qam"),
                     message});
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Paint events on a pane's viewport, counted.
class PaintWatch : public QObject
{
public:
    bool painted = false;
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            painted = true;
        return false;
    }
};

} // namespace

int main(int argc, char **argv)
{
    // A benchmark runs anywhere: without a display, on Qt's offscreen platform (it paints all the same).
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir root;
    const QString ws = root.filePath(QStringLiteral("ws"));
    QDir().mkpath(ws);
    if (!writeTree(ws, false) || !git(ws, {QStringLiteral("init"), QStringLiteral("-q")})
        || !git(ws, {QStringLiteral("add"), QStringLiteral("-A")}) || !commit(ws, QStringLiteral("A"))) {
        std::fprintf(stderr, "cannot set up the git repository\n");
        return 1;
    }
    auto opened = checkpoint::CheckpointStore::open(ws, root.filePath(QStringLiteral("store")));
    if (!opened)
        return 1;
    checkpoint::CheckpointStore &store = **opened;
    checkpoint::SnapshotOptions options;
    options.session = QStringLiteral("bench");
    options.timeBudgetMs = 600'000;
    auto a = store.snapshot(options);
    if (!a || !writeTree(ws, true) || !commit(ws, QStringLiteral("B")))
        return 1;
    auto b = store.snapshot(options);
    if (!b)
        return 1;

    const QString patch = root.filePath(QStringLiteral("git.patch"));
    std::vector<double> ours, reference;
    double cold = 0;
    int listed = 0;
    qsizetype patchBytes = 0;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        if (!git(ws, {QStringLiteral("diff"), QStringLiteral("--no-color"), QStringLiteral("HEAD~1"), QStringLiteral("HEAD")},
                 patch))
            return 1;
        reference.push_back(double(t.nsecsElapsed()) / 1e9);
        patchBytes = QFileInfo(patch).size();

        t.start();
        auto review = review::reviewCheckpoints(store, a->id, b->id);
        if (!review)
            return 1;
        widgets::DiffView view;
        view.resize(1400, 900);
        PaintWatch watch;
        view.newPane()->viewport()->installEventFilter(&watch);
        view.setReview(std::move(*review), QStringLiteral("Since checkpoint"));
        view.show();
        while (!watch.painted)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        if (run == 0)
            cold = seconds;
        ours.push_back(seconds);
        listed = view.fileList()->topLevelItemCount();
        if (view.newPane()->lines() < 10)
            return 1;
    }
    const double o = median(ours), r = median(reference);
    std::printf("bench_diffview: %d files, 20,000 changed lines; git's patch %.1f KB; file list %d entries\n",
                fileCount, double(patchBytes) / 1024.0, listed);
    std::printf("  load to first paint   reins %7.3f s (cold %0.3f s)   git diff %7.3f s   ratio %6.3fx   (target ≤ 2.00x)\n",
                o, cold, r, o / r);
    return listed == fileCount ? 0 : 1;
}
