// fake-model-server SCENARIO.json [--port-file FILE]: serves a scenario on loopback, prints its base URL on
// stdout, and exits once every exchange was played (status 0 if nothing failed) or after 5 minutes.

#include "fakemodelserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: fake-model-server SCENARIO.json [--port-file FILE]\n");
        return 2;
    }
    reins::test::FakeModelServer server;
    if (!server.listen() || !server.loadScenarioFile(args[1])) {
        std::fprintf(stderr, "%s\n", qPrintable(server.failures().join(u'\n')));
        return 1;
    }
    std::printf("%s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    const qsizetype portFile = args.indexOf(QStringLiteral("--port-file"));
    if (portFile > 0 && portFile + 1 < args.size()) {
        QFile f(args[portFile + 1]);
        if (f.open(QIODevice::WriteOnly))
            f.write(server.baseUrl().toUtf8());
    }
    QObject::connect(&server, &reins::test::FakeModelServer::requestReceived, &app, [&] {
        if (server.remainingExchanges() == 0)
            QTimer::singleShot(2000, &app, [&] { app.exit(server.failures().isEmpty() ? 0 : 1); });
    });
    QTimer::singleShot(5 * 60 * 1000, &app, [&] { app.exit(3); });
    const int status = app.exec();
    for (const QString &failure : server.failures())
        std::fprintf(stderr, "fake-model-server: %s\n", qPrintable(failure));
    return status;
}
