#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTcpServer>

class QTcpSocket;

namespace reins::demo {

/// A request the server received.
struct RecordedRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; ///< names in lower case
    QByteArray body;
    QJsonObject json; ///< the body parsed, when it is a JSON object
};

/// A real HTTP/1.1 server on 127.0.0.1 that plays a scripted scenario. The tests' fake model server, and the model
/// behind the embedded demo, which runs the real client path with no key and no network: for each expected request in order,
/// optional checks on what arrived (method, path, headers, a JSON subset of the body), then a status, headers and
/// either SSE events (with delays, keep-alive comments, raw bytes, byte-by-byte splitting, a final hang or a
/// mid-stream disconnect) as a chunked response, or a plain body. Every request is recorded; every mismatch is
/// collected in failures() rather than thrown, so tests assert on it.
///
/// Scenario JSON: {"exchanges": [{"expect": {"method", "path", "headers": {}, "json": {}}, "status": 200,
///   "headers": {}, "events": [{"data": <string|object>, "event": "name", "comment": "text", "raw": "bytes",
///   "delayMs": 0}], "body": <string|object>, "lineEnding": "\n", "splitBytes": 0, "hangMs": 0,
///   "disconnect": false}]}
class ScriptedModelServer : public QObject
{
    Q_OBJECT
public:
    explicit ScriptedModelServer(QObject *parent = nullptr);
    ~ScriptedModelServer() override;

    /// Listens on an ephemeral loopback port. False with failures() explaining when it cannot.
    bool listen();
    /// Loads a scenario; exchanges are played in order, one per request.
    bool loadScenario(const QJsonObject &scenario);
    bool loadScenarioFile(const QString &path);

    QString baseUrl() const; ///< "http://127.0.0.1:PORT"
    quint16 port() const { return m_server.serverPort(); }
    const QList<RecordedRequest> &requests() const { return m_requests; }
    QStringList failures() const { return m_failures; }
    int remainingExchanges() const { return int(m_exchanges.size() - m_next); }
    /// Every request of the scenario arrived and nothing failed.
    bool finishedCleanly() const { return m_failures.isEmpty() && remainingExchanges() == 0; }

    /// True if `actual` contains everything in `expected` (objects: every key, recursively; arrays: the same
    /// length and each element contained; other values equal). `path` and `why` describe the first difference.
    static bool jsonContains(const QJsonValue &actual, const QJsonValue &expected, const QString &path, QString *why);

Q_SIGNALS:
    void requestReceived(int index);

private:
    struct Connection;
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const RecordedRequest &request);
    void check(int index, const QJsonObject &expect, const RecordedRequest &request);

    QTcpServer m_server;
    QList<QJsonObject> m_exchanges;
    qsizetype m_next = 0;
    QList<RecordedRequest> m_requests;
    QStringList m_failures;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace reins::demo
