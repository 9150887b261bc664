#include "execcommand.h"

#include "eventprinter.h"
#include "session/agentsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace reins;

namespace {

const char kExecUsage[] =
    "Usage: reins exec --workspace DIR --provider {deepseek|openai|anthropic|ollama|llamacpp|openai-compatible}\n"
    "                  [--base-url URL] [--model M] [--api-key-env VAR]\n"
    "                  [--approval {read-only|ask|auto-edit|full-auto}] [--json] [--max-steps N]\n"
    "                  [--resume SESSION] PROMPT\n"
    "PROMPT '-' reads the prompt from stdin. Actions that need approval are denied (no one can approve).\n";

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    (void)::write(g_signalPipe[1], &c, 1);
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "reins exec: %s\n\n%s", qPrintable(message), kExecUsage);
    return 2;
}

} // namespace

int runExec(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("reins"));
    QCoreApplication::setApplicationName(QStringLiteral("reins"));

    QCommandLineParser parser;
    const QCommandLineOption workspace(QStringLiteral("workspace"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption providerOption(QStringLiteral("provider"), QString(), QStringLiteral("NAME"));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"), QString(), QStringLiteral("URL"));
    const QCommandLineOption model(QStringLiteral("model"), QString(), QStringLiteral("M"));
    const QCommandLineOption keyEnv(QStringLiteral("api-key-env"), QString(), QStringLiteral("VAR"));
    const QCommandLineOption approval(QStringLiteral("approval"), QString(), QStringLiteral("MODE"), QStringLiteral("ask"));
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption maxSteps(QStringLiteral("max-steps"), QString(), QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption resume(QStringLiteral("resume"), QString(), QStringLiteral("SESSION"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    parser.addOptions({workspace, providerOption, baseUrl, model, keyEnv, approval, json, maxSteps, resume, help});
    QStringList args = app.arguments();
    args.removeAt(1); // "exec"
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(kExecUsage, stdout);
        return 0;
    }
    if (!parser.isSet(workspace))
        return usageError(QStringLiteral("--workspace is required"));
    if (!parser.isSet(providerOption))
        return usageError(QStringLiteral("--provider is required"));
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("give exactly one PROMPT (or '-' to read it from stdin)"));

    auto config = provider::providerDefaults(parser.value(providerOption));
    if (!config)
        return usageError(config.error().message);
    if (parser.isSet(baseUrl)) {
        const QUrl url(parser.value(baseUrl));
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return usageError(QStringLiteral("--base-url must be an http:// or https:// URL"));
        config->baseUrl = url;
    }
    if (config->baseUrl.isEmpty())
        return usageError(QStringLiteral("the provider %1 needs --base-url").arg(config->id));
    if (parser.isSet(model))
        config->model = parser.value(model);
    if (config->model.isEmpty())
        return usageError(QStringLiteral("choose a model with --model (the server's GET /models lists them)"));
    const QString keyVariable = parser.isSet(keyEnv) ? parser.value(keyEnv) : config->apiKeyEnv;
    if (!keyVariable.isEmpty())
        config->apiKey = qEnvironmentVariable(keyVariable.toLocal8Bit().constData());
    const bool local = config->id == QLatin1String("ollama") || config->id == QLatin1String("llamacpp");
    if (config->apiKey.isEmpty() && !local && (parser.isSet(keyEnv) || config->id != QLatin1String("openai-compatible")))
        return usageError(QStringLiteral("no API key: set the environment variable %1 (or name another with --api-key-env)")
                              .arg(keyVariable));
    const auto mode = protocol::enumFromName<protocol::ApprovalMode>(parser.value(approval));
    if (!mode)
        return usageError(QStringLiteral("--approval must be read-only, ask, auto-edit or full-auto"));
    bool stepsOk = false;
    const int steps = parser.value(maxSteps).toInt(&stepsOk);
    if (!stepsOk || steps < 1)
        return usageError(QStringLiteral("--max-steps must be a positive number"));

    QString prompt = parser.positionalArguments().first();
    if (prompt == QLatin1String("-")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read the prompt from stdin"));
        prompt = QString::fromUtf8(in.readAll());
    }
    if (prompt.trimmed().isEmpty())
        return usageError(QStringLiteral("the prompt is empty"));

    session::SessionConfig sessionConfig;
    sessionConfig.provider = *config;
    sessionConfig.approvalMode = *mode;
    sessionConfig.maxSteps = steps;
    sessionConfig.interactive = false;
    const QString root = QDir(parser.value(workspace)).absolutePath();
    const QString cwd = QDir::currentPath();
    sessionConfig.workingDirectory = cwd.startsWith(root) ? cwd : root;
    if (config->id == QLatin1String("deepseek"))
        sessionConfig.contextWindowTokens = 1'000'000;

    auto session = session::AgentSession::create(sessionConfig, root, parser.value(resume));
    if (!session) {
        std::fprintf(stderr, "reins exec: %s\n", qPrintable(session.error().message));
        return 1;
    }

    EventPrinter printer(parser.isSet(json), stdout, stderr);
    for (const protocol::AgentEvent &e : (*session)->events())
        if (std::holds_alternative<protocol::SessionStarted>(e.payload) || std::holds_alternative<protocol::Warning>(e.payload))
            if (e.seq > (*session)->events().front().seq || parser.value(resume).isEmpty())
                printer.print(e); // this run's opening events (a resumed journal's history is not printed again)
    int status = 1;
    QString reason = QStringLiteral("the turn did not end");
    QObject::connect(session->get(), &session::AgentSession::event, &app, [&](const protocol::AgentEvent &e) {
        printer.print(e);
        if (const auto *done = std::get_if<protocol::TurnCompleted>(&e.payload)) {
            status = done->reason == protocol::TurnEndReason::Done ? 0 : 1;
            reason = done->message.isEmpty() ? enumName(done->reason) : done->message;
        }
    });
    QObject::connect(session->get(), &session::AgentSession::idle, &app, [&app] { app.quit(); });

    // Ctrl-C interrupts the turn cleanly (the journal records it) instead of killing the process mid-write.
    if (::pipe(g_signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&] {
            char c;
            (void)::read(g_signalPipe[0], &c, 1);
            (*session)->submit(protocol::Interrupt{});
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }

    (*session)->submit(protocol::UserTurn{prompt});
    app.exec();

    const ThreadState &state = (*session)->state();
    const auto &u = state.totalUsage;
    QString cost = state.requestsWithoutCost > 0 && state.totalCost == 0
                       ? QStringLiteral("cost unknown")
                       : QStringLiteral("%1 %2%3").arg(state.totalCost, 0, 'f', 6).arg(state.currency,
                                                                                        state.requestsWithoutCost > 0 ? QStringLiteral(" (some requests unpriced)") : QString());
    if (!parser.isSet(json))
        std::fprintf(stderr, "tokens: %lld in (%lld from cache), %lld out; %s; session %s\n", (long long)u.inputTokens,
                     (long long)u.cacheHitTokens, (long long)u.outputTokens, qPrintable(cost),
                     qPrintable((*session)->sessionId()));
    if (status != 0)
        std::fprintf(stderr, "reins exec: %s\n", qPrintable(reason));
    return status;
}
