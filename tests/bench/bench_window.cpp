// bench_window: the workbench window opened on a recorded session, against a bare Qt window, side by side in the
// same run. Every measurement is a cold process start: the benchmark re-executes itself as the child.
//   bare:  QApplication and a QWidget of the window's size (1560×940), shown, until its first frame is painted; this
//          program, so every library of Reins is loaded. For information, the same bare window from a program that
//          links Qt Widgets alone (bare_qt_window) is measured too, and the ratios against it printed.
//   reins: as `reins --replay JOURNAL` starts: QApplication; the journal's read begun on another thread, the fonts
//          loaded meanwhile (the syntax repository after the first frame); the saved theme; the MainWindow; the journal
//          opened for replay (read by the real reader) and jumped to its end so that the whole session is shown; the
//          window shown, until its first frame is painted
// A frame is painted when the first paint event reaching the window (or any widget in it) has been handled and
// control is back in the event loop. The parent passes its CLOCK_MONOTONIC at launch; the child reports its own at
// each phase. After that frame the child reads its resident memory (VmRSS).
// The journals are written by session::Journal: per turn a message, an answer of Markdown with a code fence in ~20
// streamed pieces, its usage, a read_file and a run_command call (with streamed output), a checkpoint, the plan and
// the end of the turn — repeated until the event count is reached.
// `bench_window journal N` writes one journal (under $XDG_STATE_HOME) and `bench_window child reins PATH` opens it
// once, for profiling. Each figure is the median of fifteen starts (after one unreported warm-up), the kinds taking
// turns: on a 2-core machine one start's time swings by ±5 ms with the load, and seven left the ratio ±0.3 between
// runs. Targets (issue): (b) start to first paint with 5,000 events ≤ 2× the bare window; (c) resident memory with
// 10,000 events ≤ 150 MB above the bare window. A session of 40 events (about one turn) is measured too: the window's
// own cost, which no session size changes.

#include "appsettings.h"
#include "apptheme.h"
#include "chatview.h"
#include "mainwindow.h"
#include "replaycontroller.h"
#include "startclock.h"
#include "timelinemodel.h"
#include "warmup.h"

#include "session/journal.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

using namespace reins;

namespace {

constexpr int kWidth = 1560;
constexpr int kHeight = 940;
constexpr int kRuns = 15;

using bench::monotonicNs;
using bench::residentKb;

// ----------------------------------------------------------------------------------------------------------------
// The session

QString answer(int turn)
{
    const QString n = QString::number(turn);
    return QStringLiteral("I looked at `src/module%1/parser.cpp`. The **tokenizer** drops the last line when the file "
                          "does not end with a newline, so `parse()` returns one statement short — turn %1 of the "
                          "session. Here is the fix:\n\n"
                          "```cpp\n"
                          "QStringList splitLines%1(const QString &text)\n"
                          "{\n"
                          "    QStringList lines;\n"
                          "    qsizetype pos = 0;\n"
                          "    while (pos < text.size()) {\n"
                          "        const qsizetype end = text.indexOf(u'\\n', pos);\n"
                          "        lines.append(text.mid(pos, end < 0 ? -1 : end - pos));\n"
                          "        if (end < 0)\n"
                          "            break;\n"
                          "        pos = end + 1;\n"
                          "    }\n"
                          "    return lines;\n"
                          "}\n"
                          "```\n\n"
                          "Then I run the tests:\n\n"
                          "- `ctest -R parser_%1` for the unit tests\n"
                          "- the *integration* suite after that, see [the guide](https://example.com/tests/%1)\n")
        .arg(n);
}

QString fileContent(int turn)
{
    QString text;
    for (int line = 1; line <= 40; ++line)
        text += QStringLiteral("    int value_%1 = compute(%2, %1); // line %1 of module %2\n").arg(line).arg(turn);
    return text;
}

/// Writes a session of `count` events with the real journal writer; returns the journal's path.
std::optional<QString> writeSession(int count)
{
    using namespace protocol;
    auto journal = session::Journal::open(QStringLiteral("bench-%1").arg(count), {});
    if (!journal) {
        std::fprintf(stderr, "%s\n", qPrintable(journal.error().message));
        return std::nullopt;
    }
    qint64 seq = 0;
    qint64 time = 1'764'000'000'000;
    const auto add = [&](EventPayload payload, qint64 gapMs) {
        if (seq >= count)
            return;
        time += gapMs;
        journal->append(AgentEvent{++seq, time, std::move(payload)});
    };
    add(SessionStarted{QStringLiteral("bench-%1").arg(count), QStringLiteral("/home/dev/project"),
                        QStringLiteral("deepseek"), QStringLiteral("deepseek-chat"), ApprovalMode::AutoEdit},
         0);
    for (int turn = 1; seq < count; ++turn) {
        const QString turnId = QStringLiteral("t%1").arg(turn);
        const QString n = QString::number(turn);
        add(TurnStarted{turnId,
                        QStringLiteral("The parser in module %1 loses the last line; fix it and run its tests.").arg(n)},
             20'000);
        const QString text = answer(turn);
        constexpr int pieces = 20;
        for (int i = 0; i < pieces; ++i) {
            const qsizetype from = text.size() * i / pieces, to = text.size() * (i + 1) / pieces;
            add(AssistantDelta{text.mid(from, to - from)}, 40);
        }
        add(AssistantMessageDone{QStringLiteral("tool_calls"), false, {}}, 5);
        TokenUsage tokens;
        tokens.inputTokens = 12'000 + turn * 350;
        tokens.cacheHitTokens = 11'000 + turn * 300;
        tokens.cacheMissTokens = tokens.inputTokens - tokens.cacheHitTokens;
        tokens.outputTokens = 420;
        add(Usage{tokens, 0.0021, QStringLiteral("USD")}, 1);

        const QString readId = QStringLiteral("call_read_%1").arg(n);
        const QString path = QStringLiteral("src/module%1/parser.cpp").arg(n);
        add(ToolCallProposed{readId, QStringLiteral("read_file"), QJsonObject{{QStringLiteral("path"), path}}, {}}, 2);
        add(ToolStarted{readId, QStringLiteral("read_file")}, 1);
        add(ToolFinished{readId, ToolOutcome::Ok, fileContent(turn), std::nullopt, 3}, 3);

        const QString runId = QStringLiteral("call_run_%1").arg(n);
        const QString command = QStringLiteral("cmake --build build && ctest --test-dir build -R parser_%1").arg(n);
        add(ToolCallProposed{runId, QStringLiteral("run_command"), QJsonObject{{QStringLiteral("command"), command}}, {}},
            300);
        add(ToolStarted{runId, QStringLiteral("run_command")}, 2);
        QString all;
        for (int chunk = 0; chunk < 3; ++chunk) {
            QString output;
            for (int line = 0; line < 8; ++line)
                output += QStringLiteral("[%1/24] Building CXX object src/module%2/CMakeFiles/m%2.dir/file%1.cpp.o\n")
                              .arg(chunk * 8 + line + 1)
                              .arg(n);
            all += output;
            add(ToolOutput{runId, OutputStream::Stdout, output}, 400);
        }
        add(ToolFinished{runId, ToolOutcome::Ok, all + QStringLiteral("100% tests passed, 0 tests failed out of 12\n"),
                         0,
                          1250},
             50);
        add(CheckpointCreated{QStringLiteral("%1").arg(turn * 7919, 12, 16, QLatin1Char('0')), runId,
                               QStringLiteral("after run_command"), 1, false},
             30);
        std::vector<PlanItem> plan = {
            {QStringLiteral("Find why the last line of module %1 is lost").arg(n), PlanStatus::Done},
            {QStringLiteral("Fix splitLines"), PlanStatus::Done},
            {QStringLiteral("Run the parser tests"), PlanStatus::Done},
            {QStringLiteral("Run the integration suite"), PlanStatus::InProgress},
        };
        add(PlanUpdated{std::move(plan)}, 5);
        add(TurnCompleted{turnId, TurnEndReason::Done, {}}, 10);
    }
    const QString path = journal->path();
    if (auto synced = journal->sync(); !synced) {
        std::fprintf(stderr, "%s\n", qPrintable(synced.error().message));
        return std::nullopt;
    }
    return path;
}

// ----------------------------------------------------------------------------------------------------------------
// The child: one cold start, printed as `key=value` pairs of CLOCK_MONOTONIC nanoseconds and kB

/// Notes the first paint event reaching any widget of `window`, then, back in the event loop (the frame done),
/// reports and quits. On the way it counts what happened to the window's widgets until then (for a diagnosis).
class FirstFrame : public QObject
{
public:
    FirstFrame(QWidget *window, std::function<void()> done) : m_window(window), m_done(std::move(done)) {}
    qint64 paintNs = 0;
    qint64 resizes = 0;        ///< Resize events before the first frame
    qint64 answerResizes = 0;  ///< of them, to assistant cards (each re-lays out its answer)
    qint64 layoutRequests = 0; ///< LayoutRequest events before the first frame
    qint64 painted = 0;        ///< widgets painted in the first frame
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (!watched->isWidgetType() || static_cast<QWidget *>(watched)->window() != m_window || m_finished)
            return false;
        switch (event->type()) {
        case QEvent::Resize:
            ++resizes;
            if (watched->inherits("reins::widgets::AssistantCard"))
                ++answerResizes;
            break;
        case QEvent::LayoutRequest: ++layoutRequests; break;
        case QEvent::Paint:
            ++painted;
            if (paintNs == 0) {
                paintNs = monotonicNs();
                QTimer::singleShot(0, this, [this] {
                    m_finished = true;
                    m_done();
                });
            }
            break;
        default: break;
        }
        return false;
    }

private:
    QWidget *m_window;
    std::function<void()> m_done;
    bool m_finished = false;
};

int child(int argc, char **argv, qint64 mainNs)
{
    // argv: self child bare|reins [journal]
    const bool reinsMode = std::strcmp(argv[2], "reins") == 0;
    // The offscreen platform says this once for every card whose size hint changes: noise, not a finding.
    static const QtMessageHandler previous = qInstallMessageHandler(nullptr);
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (!message.contains(u"does not support propagateSizeHints"))
            previous(type, context, message);
    });
    QApplication app(argc, argv);
    const qint64 appNs = monotonicNs();
    std::map<QByteArray, qint64> figures{{"main", mainNs}, {"app", appNs}};
    std::unique_ptr<QWidget> window;
    int events = 0, cards = 0, rows = 0, answers = 0;
    if (reinsMode) {
        const QString journal = QString::fromLocal8Bit(argv[3]);
        static session::JournalReadAhead readAhead; // taken by openReplay; static: the child ends with _Exit
        readAhead = session::Journal::readInBackground(journal);
        static const widgets::WarmUp warmUp(widgets::WarmUp::Fonts::Here); // as main() does with a journal
        widgets::applyThemeName(app, widgets::AppSettings().theme());
        auto main = std::make_unique<widgets::MainWindow>();
        figures["window"] = monotonicNs();
        if (auto opened = main->openReplay(journal, std::move(readAhead)); !opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
            return 1;
        }
        figures["open"] = monotonicNs();
        main->replay()->jumpTo(main->replay()->stepCount());
        figures["jump"] = monotonicNs();
        events = main->replay()->stepCount();
        cards = main->chatView()->cardCount();
        for (int i = 0; i < cards; ++i)
            answers += main->chatView()->assistantCard(i) != nullptr;
        rows = main->timelineModel()->rowCount({});
        window = std::move(main);
    } else {
        window = std::make_unique<QWidget>();
        window->resize(kWidth, kHeight);
        figures["window"] = figures["open"] = figures["jump"] = monotonicNs();
    }
    FirstFrame frame(window.get(), [&] {
        figures["paint"] = frame.paintNs;
        figures["frame"] = monotonicNs();
        figures["rss"] = residentKb();
        figures["widgets"] = window->findChildren<QWidget *>().size() + 1;
        figures["resizes"] = frame.resizes;
        figures["answerResizes"] = frame.answerResizes;
        figures["layoutRequests"] = frame.layoutRequests;
        figures["painted"] = frame.painted;
        std::printf("RESULT events=%d cards=%d rows=%d answers=%d", events, cards, rows, answers);
        for (const auto &[key, value] : figures)
            std::printf(" %s=%lld", key.constData(), static_cast<long long>(value));
        std::printf("\n");
        std::fflush(stdout);
        // Measured: what follows (work queued behind the frame, tearing down) is not, and would only blur a profile.
        std::_Exit(0);
    });
    app.installEventFilter(&frame);
    window->show();
    figures["show"] = monotonicNs();
    app.exec();
    return 1; // the frame never came
}

// ----------------------------------------------------------------------------------------------------------------
// The parent

using Figures = std::map<QByteArray, qint64>;

/// Starts the child once (this program again, or with no arguments the Qt-only one); the figures with times
/// relative to the launch, in nanoseconds.
std::optional<Figures> start(const QStringList &args)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const qint64 launch = monotonicNs();
    if (args.isEmpty())
        process.start(QStringLiteral(REINS_BARE_QT_BINARY), {});
    else
        process.start(QCoreApplication::applicationFilePath(), QStringList{QStringLiteral("child")} + args);
    if (!process.waitForFinished(600'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "the child %s failed\n", qPrintable(args.join(u' ')));
        return std::nullopt;
    }
    Figures figures;
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        if (!line.startsWith("RESULT "))
            continue;
        for (const QByteArray &pair : line.mid(7).split(' ')) {
            const qsizetype eq = pair.indexOf('=');
            const QByteArray key = pair.left(eq);
            const qint64 value = pair.mid(eq + 1).toLongLong();
            static const QList<QByteArray> counts = {"events", "cards", "rows", "answers", "rss", "widgets", "resizes",
                                                     "answerResizes", "layoutRequests", "painted"};
            const bool absolute = counts.contains(key);
            figures[key] = absolute ? value : value - launch;
        }
    }
    if (!figures.contains("frame"))
        return std::nullopt;
    return figures;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

/// The median of one figure over runs, in the unit `scale` divides by.
double medianOf(const std::vector<Figures> &runs, const char *key, double scale)
{
    std::vector<double> values;
    for (const Figures &f : runs)
        values.push_back(double(f.at(key)) / scale);
    return median(values);
}

/// The median of the span between two figures, in milliseconds.
double spanMs(const std::vector<Figures> &runs, const char *from, const char *to)
{
    std::vector<double> values;
    for (const Figures &f : runs)
        values.push_back(double(f.at(to) - f.at(from)) / 1e6);
    return median(values);
}

void printPhases(const char *name, const std::vector<Figures> &runs)
{
    std::printf("    %-14s exec→main %6.1f  QApplication %6.1f  MainWindow %6.1f  journal read %6.1f  "
                "jumpTo(end) %6.1f  "
                "show %6.1f  →paint %6.1f  paint %6.1f ms\n",
                name, medianOf(runs, "main", 1e6), spanMs(runs, "main", "app"), spanMs(runs, "app", "window"),
                spanMs(runs, "window", "open"), spanMs(runs, "open", "jump"), spanMs(runs, "jump", "show"),
                spanMs(runs, "show", "paint"), spanMs(runs, "paint", "frame"));
}

} // namespace

int main(int argc, char **argv)
{
    const qint64 mainNs = monotonicNs(); // before anything else: the child's start is measured up to here
    // A benchmark runs anywhere: without a display, on Qt's offscreen platform (it paints all the same).
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (argc >= 3 && std::strcmp(argv[1], "child") == 0)
        return child(argc, argv, mainNs);
    if (argc >= 3 && std::strcmp(argv[1], "journal") == 0) { // `journal N`: write one, for profiling a child
        QCoreApplication app(argc, argv);
        const auto path = writeSession(std::max(1, std::atoi(argv[2])));
        if (path)
            std::printf("%s\n", qPrintable(*path));
        return path ? 0 : 1;
    }

    QTemporaryDir root;
    // The journals, and anything the window reads or writes (recent folders, settings), stay in the scratch folder.
    qputenv("XDG_STATE_HOME", QFile::encodeName(root.filePath(QStringLiteral("state"))));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(root.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(root.filePath(QStringLiteral("data"))));
    QCoreApplication app(argc, argv);

    const auto tiny = writeSession(40); // the window itself, with about one turn
    const auto small = writeSession(5'000);
    const auto large = writeSession(10'000);
    if (!tiny || !small || !large)
        return 1;

    const QStringList qtArgs; // the Qt-only program
    const QStringList bareArgs{QStringLiteral("bare")};
    const QStringList tinyArgs{QStringLiteral("reins"), *tiny};
    const QStringList smallArgs{QStringLiteral("reins"), *small};
    const QStringList largeArgs{QStringLiteral("reins"), *large};
    std::vector<Figures> qtOnly, bare, ours40, ours5k, ours10k;
    const std::vector<std::pair<const QStringList *, std::vector<Figures> *>> kinds{
        {&qtArgs, &qtOnly}, {&bareArgs, &bare}, {&tinyArgs, &ours40}, {&smallArgs, &ours5k}, {&largeArgs, &ours10k}};
    for (int run = -1; run < kRuns; ++run) { // run -1: the warm-up (page cache, font cache), not reported
        // Each run starts with the next kind, so that none always follows the same one.
        for (size_t k = 0; k < kinds.size(); ++k) {
            const auto &[args, runs] = kinds[(k + size_t(run + 1)) % kinds.size()];
            const auto figures = start(*args);
            if (!figures)
                return 1;
            if (run >= 0)
                runs->push_back(*figures);
        }
    }

    const auto count = [](const std::vector<Figures> &runs, const char *key) {
        return static_cast<long long>(runs.front().at(key));
    };
    std::printf("bench_window: a %d×%d window, cold process starts, medians of %d; sessions of 5,000 events (%lld chat "
                "cards, %lld timeline rows) and 10,000 events (%lld cards, %lld rows); journals %.1f MB and %.1f MB\n",
                kWidth, kHeight, kRuns, count(ours5k, "cards"),
                count(ours5k, "rows"), count(ours10k, "cards"),
                count(ours10k, "rows"), double(QFileInfo(*small).size()) / 1048576.0,
                double(QFileInfo(*large).size()) / 1048576.0);
    const double b = medianOf(bare, "frame", 1e6), s = medianOf(ours5k, "frame", 1e6),
                 l = medianOf(ours10k, "frame", 1e6);
    std::printf("  (b) start to first paint, 5,000 events    reins %8.1f ms   bare window %7.1f ms   ratio %6.2fx   "
                "(target ≤ 2.00x)\n",
                s, b, s / b);
    std::printf("      start to first paint, 10,000 events   reins %8.1f ms   bare window %7.1f ms   ratio %6.2fx   "
                "(for information)\n",
                l, b, l / b);
    const double t = medianOf(ours40, "frame", 1e6);
    std::printf("      start to first paint, 40 events       reins %8.1f ms   bare window %7.1f ms   ratio %6.2fx   "
                "(for information: the window itself; 5,000 events add %.1f ms to it)\n",
                t, b, t / b, s - t);
    // The bare window above is this program's: every library of Reins is loaded before its main. A program linking Qt
    // Widgets alone starts sooner; against it the ratios are these.
    const double q = medianOf(qtOnly, "frame", 1e6);
    std::printf("      against a bare window of a program linking Qt Widgets alone (%.1f ms): 5,000 events %.2fx, 40 "
                "events %.2fx; exec→main %.1f ms there, %.1f ms here (the libraries Reins loads)\n",
                q, s / q, t / q, medianOf(qtOnly, "main", 1e6), medianOf(bare, "main", 1e6));
    std::printf("      where the time goes (medians, ms; exec→main is from the launch):\n");
    printPhases("Qt-only bare", qtOnly);
    printPhases("bare", bare);
    printPhases("reins 40", ours40);
    printPhases("reins 5,000", ours5k);
    printPhases("reins 10,000", ours10k);
    std::printf("      until the first frame (reins 5,000 / 10,000): %lld / %lld widgets, %lld / %lld resize events "
                "(%lld / %lld to assistant cards, %lld / %lld cards of them), %lld / %lld layout requests; "
                "%lld / %lld widgets painted in the frame (bare: %lld)\n",
                count(ours5k, "widgets"), count(ours10k, "widgets"), count(ours5k, "resizes"),
                count(ours10k, "resizes"),
                count(ours5k, "answerResizes"), count(ours10k, "answerResizes"), count(ours5k, "answers"),
                count(ours10k, "answers"), count(ours5k, "layoutRequests"), count(ours10k, "layoutRequests"),
                count(ours5k, "painted"), count(ours10k, "painted"), count(bare, "painted"));
    const double rb = medianOf(bare, "rss", 1024), rs = medianOf(ours5k, "rss", 1024),
                 rl = medianOf(ours10k, "rss", 1024);
    std::printf("  (c) resident memory, 10,000 events        reins %8.1f MB   bare window %7.1f MB   above %6.1f MB   "
                "(target ≤ 150 MB above)\n",
                rl, rb, rl - rb);
    std::printf("      resident memory, 5,000 events         reins %8.1f MB   bare window %7.1f MB   above %6.1f MB   "
                "(for information)\n",
                rs, rb, rs - rb);
    const double rq = medianOf(qtOnly, "rss", 1024);
    std::printf("      against the Qt-only bare window (%.1f MB): 10,000 events %.1f MB above, 5,000 events %.1f MB above\n",
                rq, rl - rq, rs - rq);
    return 0;
}
