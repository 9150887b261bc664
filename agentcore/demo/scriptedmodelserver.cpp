#include "scriptedmodelserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace reins::demo {

namespace {

QByteArray chunk(const QByteArray &bytes)
{
    return QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n";
}

QByteArray reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 529: return "Overloaded";
    default: return "Status";
    }
}

QByteArray asBytes(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return value.toString().toUtf8();
}

// One step of a response being played: wait, then write (or close).
struct Step
{
    int delayMs = 0;
    QByteArray bytes;
    bool close = false;  ///< close the connection here
};

void play(QPointer<QTcpSocket> socket, std::shared_ptr<QList<Step>> steps, qsizetype index)
{
    if (!socket || index >= steps->size())
        return;
    const Step &step = steps->at(index);
    auto run = [socket, steps, index] {
        if (!socket)
            return;
        const Step &s = steps->at(index);
        if (!s.bytes.isEmpty()) {
            socket->write(s.bytes);
            socket->flush();
        }
        if (s.close) {
            socket->flush();
            socket->disconnectFromHost();
            return;
        }
        play(socket, steps, index + 1);
    };
    if (step.delayMs > 0)
        QTimer::singleShot(step.delayMs, socket, run);
    else
        run();
}

} // namespace

ScriptedModelServer::ScriptedModelServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedModelServer::onNewConnection);
}

ScriptedModelServer::~ScriptedModelServer()
{
    // Sockets still open (a scenario that hangs) are children of m_server, which outlives m_buffers: cut them
    // loose first so that their "disconnected" does not reach a half-destroyed server.
    for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>()) {
        socket->disconnect(this);
        socket->abort();
    }
}

bool ScriptedModelServer::listen()
{
    if (m_server.listen(QHostAddress::LocalHost, 0))
        return true;
    m_failures.append(QStringLiteral("cannot listen on 127.0.0.1: ") + m_server.errorString());
    return false;
}

QString ScriptedModelServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort());
}

bool ScriptedModelServer::loadScenario(const QJsonObject &scenario)
{
    const QJsonValue exchanges = scenario.value(QLatin1String("exchanges"));
    if (!exchanges.isArray()) {
        m_failures.append(QStringLiteral("scenario has no 'exchanges' array"));
        return false;
    }
    for (const QJsonValue &e : exchanges.toArray())
        m_exchanges.append(e.toObject());
    return true;
}

bool ScriptedModelServer::loadScenarioFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_failures.append(QStringLiteral("cannot read scenario %1: %2").arg(path, file.errorString()));
        return false;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject()) {
        m_failures.append(QStringLiteral("scenario %1 is not a JSON object: %2").arg(path, error.errorString()));
        return false;
    }
    return loadScenario(doc.object());
}

void ScriptedModelServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void ScriptedModelServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        RecordedRequest request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return; // the body is still coming
        request.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        request.json = QJsonDocument::fromJson(request.body).object();
        respond(socket, request);
    }
}

bool ScriptedModelServer::jsonContains(const QJsonValue &actual, const QJsonValue &expected, const QString &path,
                                   QString *why)
{
    if (expected.isObject()) {
        if (!actual.isObject()) {
            *why = QStringLiteral("%1: expected an object").arg(path);
            return false;
        }
        const QJsonObject a = actual.toObject();
        const QJsonObject e = expected.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!a.contains(it.key())) {
                *why = QStringLiteral("%1.%2: missing").arg(path, it.key());
                return false;
            }
            if (!jsonContains(a.value(it.key()), it.value(), path + u'.' + it.key(), why))
                return false;
        }
        return true;
    }
    if (expected.isArray()) {
        const QJsonArray a = actual.toArray();
        const QJsonArray e = expected.toArray();
        if (!actual.isArray() || a.size() != e.size()) {
            *why = QStringLiteral("%1: expected an array of %2 elements, got %3")
                       .arg(path)
                       .arg(e.size())
                       .arg(QString::fromUtf8(asBytes(actual)));
            return false;
        }
        for (qsizetype i = 0; i < e.size(); ++i)
            if (!jsonContains(a.at(i), e.at(i), path + QStringLiteral("[%1]").arg(i), why))
                return false;
        return true;
    }
    if (actual != expected) {
        *why = QStringLiteral("%1: expected %2, got %3")
                   .arg(path, QString::fromUtf8(asBytes(QJsonArray{expected})),
                        QString::fromUtf8(asBytes(QJsonArray{actual})));
        return false;
    }
    return true;
}

void ScriptedModelServer::check(int index, const QJsonObject &expect, const RecordedRequest &request)
{
    const auto failure = [&](const QString &what) {
        m_failures.append(QStringLiteral("request %1 (%2 %3): %4")
                              .arg(index)
                              .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path), what));
    };
    const QString method = expect.value(QLatin1String("method")).toString();
    if (!method.isEmpty() && method.toLatin1() != request.method)
        failure(QStringLiteral("expected method %1").arg(method));
    const QString path = expect.value(QLatin1String("path")).toString();
    if (!path.isEmpty() && path.toLatin1() != request.path)
        failure(QStringLiteral("expected path %1").arg(path));
    const QJsonObject headers = expect.value(QLatin1String("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        const QByteArray got = request.headers.value(it.key().toLatin1().toLower());
        if (got != it.value().toString().toUtf8())
            failure(QStringLiteral("header %1: expected '%2', got '%3'")
                        .arg(it.key(), it.value().toString(), QString::fromUtf8(got)));
    }
    if (expect.contains(QLatin1String("json"))) {
        QString why;
        if (!jsonContains(request.json, expect.value(QLatin1String("json")), QStringLiteral("body"), &why))
            failure(why);
    }
}

void ScriptedModelServer::respond(QTcpSocket *socket, const RecordedRequest &request)
{
    const int index = int(m_requests.size());
    m_requests.append(request);
    auto steps = std::make_shared<QList<Step>>();
    if (m_next >= m_exchanges.size()) {
        m_failures.append(QStringLiteral("request %1 (%2 %3): no exchange left in the scenario")
                              .arg(index)
                              .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path)));
        const QByteArray body = R"({"error":{"message":"scripted model server: no exchange left in the scenario"}})";
        steps->append({0, "HTTP/1.1 599 Unscripted\r\nContent-Type: application/json\r\nContent-Length: "
                              + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body, true});
        play(socket, steps, 0);
        Q_EMIT requestReceived(index);
        return;
    }
    const QJsonObject exchange = m_exchanges.at(m_next++);
    check(index, exchange.value(QLatin1String("expect")).toObject(), request);

    const int status = exchange.value(QLatin1String("status")).toInt(200);
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    const QJsonObject headers = exchange.value(QLatin1String("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        head += it.key().toUtf8() + ": " + it.value().toString().toUtf8() + "\r\n";
    head += "Connection: close\r\n";

    if (exchange.contains(QLatin1String("body")) || !exchange.contains(QLatin1String("events"))) {
        const QByteArray body = asBytes(exchange.value(QLatin1String("body")));
        if (!headers.contains(QLatin1String("Content-Type")))
            head += "Content-Type: application/json\r\n";
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
        steps->append({0, head + body, true});
    } else {
        if (!headers.contains(QLatin1String("Content-Type")))
            head += "Content-Type: text/event-stream\r\n";
        head += "Transfer-Encoding: chunked\r\n\r\n";
        steps->append({0, head, false});
        const QByteArray eol = exchange.value(QLatin1String("lineEnding")).toString(QStringLiteral("\n")).toUtf8();
        const int split = exchange.value(QLatin1String("splitBytes")).toInt(0);
        for (const QJsonValue &eventValue : exchange.value(QLatin1String("events")).toArray()) {
            const QJsonObject event = eventValue.toObject();
            QByteArray text;
            if (event.contains(QLatin1String("raw"))) {
                text = event.value(QLatin1String("raw")).toString().toUtf8();
            } else if (event.contains(QLatin1String("comment"))) {
                text = ": " + event.value(QLatin1String("comment")).toString().toUtf8() + eol + eol;
            } else {
                if (event.contains(QLatin1String("event")))
                    text += "event: " + event.value(QLatin1String("event")).toString().toUtf8() + eol;
                for (const QByteArray &line : asBytes(event.value(QLatin1String("data"))).split('\n'))
                    text += "data: " + line + eol;
                text += eol;
            }
            const int delay = event.value(QLatin1String("delayMs")).toInt(0);
            if (split > 0) {
                for (qsizetype i = 0; i < text.size(); i += split)
                    steps->append({i == 0 ? delay : 0, chunk(text.mid(i, split)), false});
            } else {
                steps->append({delay, chunk(text), false});
            }
        }
        const int hang = exchange.value(QLatin1String("hangMs")).toInt(0);
        if (exchange.value(QLatin1String("disconnect")).toBool())
            steps->append({hang, QByteArray(), true}); // no terminating chunk: a broken stream
        else
            steps->append({hang, "0\r\n\r\n", true});
    }
    play(socket, steps, 0);
    Q_EMIT requestReceived(index);
}

} // namespace reins::demo
