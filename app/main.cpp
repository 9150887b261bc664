// reins: the workbench window, and the headless subcommands. Wiring and command-line parsing only.

#include "appsettings.h"
#include "apptheme.h"
#include "demoautopilot.h"
#include "checkpointcommand.h"
#include "diffview.h"
#include "execcommand.h"
#include "mainwindow.h"
#include "provider/providerconfig.h"
#include "versioninfo.h"
#include "warmup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

const char kUsage[] = R"(Usage:
  reins [FOLDER] [--provider NAME [--model M] [--base-url URL] [--api-key-env VAR]]
        [--demo [--demo-play STOP] | --replay JOURNAL]
        [--theme system|light|dark] [--diff-layout side-by-side|inline] [--screenshot FILE [--screenshot-delay MS]]
                      open the workbench window, on FOLDER if given
  reins exec --workspace DIR --provider NAME [OPTIONS] PROMPT
                      run one turn of the agent headless and print its events
                      (reins exec --help for the options)
  reins checkpoint {list|create|diff A [B]|restore ID [--dry-run]} --workspace DIR [--json]
                      list, take, compare and restore the workspace's checkpoints
  reins --version     print the versions of Reins and of the libraries it is linked with
  reins --help        print this help

Window options:
  --provider NAME           deepseek, openai, anthropic, ollama, llamacpp or openai-compatible: sessions on the
                            folder use it (the key from its environment variable, e.g. DEEPSEEK_API_KEY)
  --model M, --base-url URL, --api-key-env VAR   as for reins exec
  --demo                    start the embedded demo (no key, no network); without a provider the window offers it
  --demo-play STOP          the demo answers its own approvals, with a pause to watch, and stops for you at STOP:
                            edit (its first approval), command (the edit accepted), end, or restore (played to
                            the end, then the turn undone from its first checkpoint)
  --replay JOURNAL          open a session journal for replay: step or play it, nothing is executed
  --theme NAME              system, light or dark (default: the one chosen in Settings → Appearance)
  --diff-layout NAME        side-by-side (the default) or inline
  --screenshot FILE         save a PNG of the main window once it has started, then quit
  --screenshot-delay MS     wait this long after start-up before the screenshot (default 700)
)";

void setIdentity()
{
    // Settings, state and data go to XDG directories named "reins" (QSettings and QStandardPaths read these).
    QCoreApplication::setOrganizationName(QStringLiteral("reins"));
    QCoreApplication::setApplicationName(QStringLiteral("reins"));
    QCoreApplication::setApplicationVersion(QStringLiteral(REINS_VERSION));
}

int runWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    setIdentity();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Reins, a workbench for coding agents"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a PNG, then quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"), QStringLiteral("Milliseconds to wait."),
                                   QStringLiteral("MS"), QStringLiteral("700"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                                   QStringLiteral("NAME"), QStringLiteral("system"));
    const QCommandLineOption diffLayout(QStringLiteral("diff-layout"), QStringLiteral("side-by-side or inline."),
                                        QStringLiteral("NAME"), QStringLiteral("side-by-side"));
    const QCommandLineOption providerOption(QStringLiteral("provider"), QStringLiteral("The model provider."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("The model."), QStringLiteral("M"));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"), QStringLiteral("The provider's URL."),
                                     QStringLiteral("URL"));
    const QCommandLineOption keyEnv(QStringLiteral("api-key-env"), QStringLiteral("The key's variable."),
                                    QStringLiteral("VAR"));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Start the embedded demo."));
    const QCommandLineOption replay(QStringLiteral("replay"), QStringLiteral("Replay a session journal."),
                                    QStringLiteral("JOURNAL"));
    const QCommandLineOption demoPlay(QStringLiteral("demo-play"),
                                      QStringLiteral("The demo answers its own approvals up to edit, command, end or restore."),
                                      QStringLiteral("STOP"));
    parser.addOptions({screenshot, delay, theme, diffLayout, providerOption, model, baseUrl, keyEnv, demo, replay, demoPlay});
    parser.addPositionalArgument(QStringLiteral("folder"), QStringLiteral("The folder to open."));
    if (!parser.parse(app.arguments())) {
        std::fprintf(stderr, "reins: %s\n\n%s", qPrintable(parser.errorText()), kUsage);
        return 2;
    }
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "reins: unexpected argument '%s'\n\n%s", qPrintable(parser.positionalArguments()[1]),
                     kUsage);
        return 2;
    }

    bool delayOk = false;
    const int ms = parser.value(delay).toInt(&delayOk);
    if (!delayOk || ms < 0) {
        std::fprintf(stderr, "reins: --screenshot-delay takes a number of milliseconds\n");
        return 2;
    }

    const QString themeName = parser.value(theme);
    if (themeName != u"system" && themeName != u"light" && themeName != u"dark") {
        std::fprintf(stderr, "reins: --theme takes system, light or dark\n");
        return 2;
    }
    const QString layoutName = parser.value(diffLayout);
    if (layoutName != u"side-by-side" && layoutName != u"inline") {
        std::fprintf(stderr, "reins: --diff-layout takes side-by-side or inline\n");
        return 2;
    }
    // What the start needs and can do on other threads begins now, overlapping the window's construction: the
    // journal to replay, fonts and the syntax repository.
    reins::session::JournalReadAhead readAhead;
    if (parser.isSet(replay))
        readAhead = reins::session::Journal::readInBackground(parser.value(replay));
    const reins::widgets::WarmUp warmUp(readAhead.valid() ? reins::widgets::WarmUp::Fonts::Here
                                                          : reins::widgets::WarmUp::Fonts::InBackground);
    // The theme given here, else the one chosen in Settings → Appearance; before the window, which is then built
    // in it once rather than polished again.
    reins::widgets::applyThemeName(app, parser.isSet(theme) ? themeName : reins::widgets::AppSettings().theme());
    reins::widgets::MainWindow window;
    if (layoutName == u"inline")
        window.setDiffLayout(reins::widgets::DiffView::Layout::Inline);
    if (parser.isSet(providerOption)) {
        auto config = reins::provider::providerDefaults(parser.value(providerOption));
        if (!config) {
            std::fprintf(stderr, "reins: %s\n", qPrintable(config.error().message));
            return 2;
        }
        if (parser.isSet(baseUrl))
            config->baseUrl = QUrl(parser.value(baseUrl));
        if (parser.isSet(model))
            config->model = parser.value(model);
        const QString variable = parser.isSet(keyEnv) ? parser.value(keyEnv) : config->apiKeyEnv;
        if (!variable.isEmpty())
            config->apiKey = qEnvironmentVariable(variable.toLocal8Bit().constData());
        if (config->baseUrl.isEmpty() || config->model.isEmpty()) {
            std::fprintf(stderr, "reins: the provider %s needs --base-url and --model\n", qPrintable(config->id));
            return 2;
        }
        reins::session::SessionConfig session;
        session.provider = *config;
        window.setProvider(session);
    }
    if (!parser.positionalArguments().isEmpty() && !window.openFolder(parser.positionalArguments().first())) {
        std::fprintf(stderr, "reins: cannot open '%s': not a readable folder\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    // Without a provider on the command line, the one chosen in Settings (its key from the keychain or its
    // variable); without either, the window offers the demo.
    if (!parser.isSet(providerOption) && !parser.isSet(demo) && !parser.isSet(demoPlay) && !parser.isSet(replay))
        window.loadProviderFromSettings();
    window.show();
    if (parser.isSet(replay)) {
        if (auto opened = window.openReplay(parser.value(replay), std::move(readAhead)); !opened) {
            std::fprintf(stderr, "reins: %s\n", qPrintable(opened.error().message));
            return 2;
        }
    }
    if (parser.isSet(demoPlay)) {
        const auto stop = reins::widgets::DemoAutopilot::stopFromName(parser.value(demoPlay));
        if (!stop) {
            std::fprintf(stderr, "reins: --demo-play takes edit, command, end or restore\n");
            return 2;
        }
        new reins::widgets::DemoAutopilot(&window, *stop);
    }
    if (parser.isSet(demo) || parser.isSet(demoPlay)) {
        if (auto started = window.startDemo(); !started) {
            std::fprintf(stderr, "reins: the demo could not start: %s\n", qPrintable(started.error().message));
            return 1;
        }
    }

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(ms, &window, [&window, &app, file] {
            if (!window.grab().save(file, "PNG")) {
                std::fprintf(stderr, "reins: could not write the screenshot to '%s'\n", qPrintable(file));
                app.exit(1);
                return;
            }
            app.exit(0);
        });
    }
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    const char *first = argc > 1 ? argv[1] : "";
    if (std::strcmp(first, "--version") == 0 || std::strcmp(first, "-v") == 0) {
        QCoreApplication app(argc, argv); // no display needed
        setIdentity();
        std::fputs(qPrintable(reins::widgets::versionReport()), stdout);
        return 0;
    }
    if (std::strcmp(first, "exec") == 0)
        return runExec(argc, argv);
    if (std::strcmp(first, "checkpoint") == 0)
        return runCheckpoint(argc, argv);
    if (std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0 || std::strcmp(first, "help") == 0) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    return runWindow(argc, argv);
}
