// bench_chatstream: streaming a model's Markdown answer into the chat, token by token, against appending the same
// tokens to a QPlainTextEdit, side by side in the same run:
//   reins      — the chat itself: each token an assistant_delta event applied to a ThreadState and shown by the
//                ChatView (its answer card renders Markdown incrementally, highlights code, grows with its text and
//                the chat keeps the end in view)
//   reference  — QPlainTextEdit: moveCursor(End) + insertPlainText (no Markdown at all)
// Both process events every 1,000 tokens, so layout and painting happen as in a live chat, and both keep the end
// in view. Measured: process CPU time. 200,000 tokens, then 400,000 (the first half is the same text).
// Targets (issue): ≤ 3× the reference's CPU; doubling the tokens at most 2.2× the time.

#include "assistantcard.h"
#include "chatview.h"
#include "threadstate.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QRandomGenerator>

#include <cstdio>
#include <ctime>
#include <functional>

using namespace reins;
using reins::widgets::AssistantCard;
using reins::widgets::ChatView;

namespace {

constexpr int kEventsEvery = 1000;

double cpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

/// A long answer as a model writes it: headings, prose with inline markup, lists, code in a few languages.
QString answer(qsizetype size)
{
    static const QStringList kWords = {
        QStringLiteral("the"),     QStringLiteral("session"), QStringLiteral("returns"),  QStringLiteral("a"),
        QStringLiteral("value"),   QStringLiteral("when"),    QStringLiteral("patch"),    QStringLiteral("applies"),
        QStringLiteral("config"),  QStringLiteral("file"),    QStringLiteral("path"),     QStringLiteral("and"),
        QStringLiteral("updates"), QStringLiteral("tests"),   QStringLiteral("should"),   QStringLiteral("pass"),
        QStringLiteral("because"), QStringLiteral("of"),      QStringLiteral("workspace"), QStringLiteral("to"),
    };
    static const QStringList kCode[] = {
        {QStringLiteral("```cpp"), QStringLiteral("auto result = session.apply(patch); // keep the journal"),
         QStringLiteral("if (!result) {"), QStringLiteral("    return std::unexpected(result.error());"),
         QStringLiteral("}"), QStringLiteral("```")},
        {QStringLiteral("```python"), QStringLiteral("def apply(patch, path=\"src/main.py\"):"),
         QStringLiteral("    with open(path) as f:  # read it first"), QStringLiteral("        return patch.run(f.read())"),
         QStringLiteral("```")},
        {QStringLiteral("```json"), QStringLiteral("{\"model\": \"gpt\", \"max_tokens\": 4096,"),
         QStringLiteral(" \"tools\": [\"read_file\", \"apply_patch\"]}"), QStringLiteral("```")},
        {QStringLiteral("```bash"), QStringLiteral("cmake --build build --target reins -j2 && ctest --test-dir build"),
         QStringLiteral("git diff --stat HEAD~1"), QStringLiteral("```")},
    };
    QRandomGenerator random(2024);
    const auto sentence = [&](int words) -> QString {
        QString text;
        for (int i = 0; i < words; ++i) {
            const QString &word = kWords[random.bounded(int(kWords.size()))];
            if (i > 0)
                text += u' ';
            switch (random.bounded(24)) {
            case 0:
                text += u"**" + word + u"**";
                break;
            case 1:
                text += u"`" + word + u"()`";
                break;
            case 2:
                text += u"*" + word + u"*";
                break;
            case 3:
                text += u"[" + word + u"](https://example.com/" + word + u")";
                break;
            default:
                text += word;
            }
        }
        return text + u". ";
    };
    QString text;
    for (int section = 0; text.size() < size; ++section) {
        switch (section % 6) {
        case 0:
            text += u"## Part " + QString::number(section / 6 + 1) + u"\n\n";
            break;
        case 1:
        case 4:
            for (int i = 0, n = 2 + random.bounded(4); i < n; ++i)
                text += sentence(8 + random.bounded(12));
            text += u"\n\n";
            break;
        case 2:
            for (int i = 0, n = 2 + random.bounded(5); i < n; ++i)
                text += (section % 12 == 2 ? QStringLiteral("- ") : QString::number(i + 1) + u". ") + sentence(6 + random.bounded(8))
                    + u"\n";
            text += u"\n";
            break;
        case 3:
        case 5:
            for (const QString &line : kCode[random.bounded(4)])
                text += line + u"\n";
            text += u"\n";
            break;
        }
    }
    return text;
}

/// The answer cut into `count` tokens of 1 to 7 characters, about 4 on average.
QList<QStringView> tokens(const QString &text, int count)
{
    QRandomGenerator random(11);
    QList<QStringView> result;
    result.reserve(count);
    qsizetype at = 0;
    while (result.size() < count && at < text.size()) {
        const qsizetype size = std::min<qsizetype>(1 + random.bounded(7), text.size() - at);
        result.append(QStringView(text).sliced(at, size));
        at += size;
    }
    return result;
}

/// CPU seconds in all, and in event processing (layout, painting) alone.
struct Time
{
    double total = 0;
    double events = 0;
};

/// CPU seconds for feeding `count` tokens to `feed`, processing events as a live chat would.
Time measure(const QList<QStringView> &all, int count, const std::function<void(QStringView)> &feed,
             const std::function<void()> &atEvents, const std::function<void()> &atEnd)
{
    QCoreApplication::processEvents();
    Time time;
    const auto events = [&] {
        const double before = cpuSeconds();
        atEvents();
        QCoreApplication::processEvents();
        time.events += cpuSeconds() - before;
    };
    const double start = cpuSeconds();
    for (int i = 0; i < count; ++i) {
        feed(all[i]);
        if ((i + 1) % kEventsEvery == 0)
            events();
    }
    atEnd();
    events();
    time.total = cpuSeconds() - start;
    return time;
}

struct Result
{
    Time ours;
    Time reference;
    qint64 rendered = 0;
    qsizetype characters = 0;
};

Result run(const QList<QStringView> &all, int count)
{
    Result result;
    for (int i = 0; i < count; ++i)
        result.characters += all[i].size();
    {
        QPlainTextEdit edit;
        edit.resize(900, 700);
        edit.show();
        result.reference = measure(
            all, count,
            [&](QStringView token) {
                edit.moveCursor(QTextCursor::End);
                edit.insertPlainText(token.toString());
            },
            [] {}, [] {});
    }
    {
        ChatView chat;
        chat.resize(900, 700);
        chat.show();
        ThreadState state;
        qint64 seq = 0;
        const auto apply = [&](protocol::EventPayload payload) {
            const protocol::AgentEvent event{++seq, 0, std::move(payload)};
            state.apply(event);
            chat.apply(event, state);
        };
        apply(protocol::TurnStarted{QStringLiteral("t1"), QStringLiteral("Explain the session code")});
        result.ours = measure(
            all, count, [&](QStringView token) { apply(protocol::AssistantDelta{token.toString()}); }, [] {},
            [&] { apply(protocol::AssistantMessageDone{}); });
        AssistantCard *card = nullptr;
        for (int i = 0; i < chat.cardCount() && !card; ++i)
            card = chat.assistantCard(i);
        result.rendered = card ? card->renderedCharacters() : 0;
    }
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int small = argc > 1 ? std::max(10'000, atoi(argv[1])) : 200'000;
    const int large = 2 * small;

    const QString text = answer(qsizetype(large) * 4 + 1000);
    const QList<QStringView> all = tokens(text, large);
    std::printf("bench_chatstream: %d and %d tokens of Markdown (1–7 chars, ~4 on average: headings, prose with inline "
                "markup, lists, cpp/python/json/bash fences), token by token, events every %d tokens\n",
                small, large, kEventsEvery);

    const Result first = run(all, small);
    const Result second = run(all, large);
    const auto row = [](int count, const Result &r) {
        std::printf("  %3dk tokens   reins %7.3f s CPU   QPlainTextEdit %7.3f s CPU   ratio %5.2fx   (target ≤ 3.00x)\n"
                    "                (events: reins %.3f s, QPlainTextEdit %.3f s; Markdown rendered %.2f chars per char)\n",
                    count / 1000, r.ours.total, r.reference.total, r.ours.total / r.reference.total, r.ours.events,
                    r.reference.events, double(r.rendered) / double(r.characters));
    };
    row(small, first);
    row(large, second);
    std::printf("  doubling      reins %5.2fx   QPlainTextEdit %5.2fx   (target ≤ 2.20x)\n",
                second.ours.total / first.ours.total, second.reference.total / first.reference.total);
    return 0;
}
