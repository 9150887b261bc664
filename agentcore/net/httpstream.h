#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace reins::net {

/// How one HTTP exchange ended.
struct HttpOutcome
{
    enum class Kind {
        Complete,         ///< the body arrived whole (any status)
        NetworkError,     ///< connection refused, reset, DNS, TLS…
        ConnectTimeout,   ///< the request could not be sent in time
        IdleTimeout,      ///< no byte at all for too long
        NoContentTimeout, ///< bytes (keep-alives) but no content for too long
        Cancelled,
    };
    Kind kind = Kind::Complete;
    int status = 0;            ///< HTTP status, 0 if none arrived
    QByteArray errorBody;      ///< for statuses >= 300: the body (first 64 KiB)
    QByteArray retryAfter;     ///< the Retry-After header, if any
    QString detail;            ///< for network errors: what Qt said
    bool bodyStarted = false;  ///< any body byte of a 2xx response was delivered
};

/// One streamed HTTP request over QNetworkAccessManager with three clocks: a connect timeout, an idle timeout
/// (no bytes at all) and a no-content timeout (bytes such as keep-alive comments, but nothing the caller counts
/// as content: the caller stops it with markContent()). A 2xx body is delivered as it arrives; any other body is
/// collected into the outcome. cancel() works at any moment, and finished() is emitted exactly once.
class HttpStream : public QObject
{
    Q_OBJECT
public:
    struct Timeouts
    {
        int connectMs = 30'000;
        int idleMs = 90'000;
        int noContentMs = 600'000;
    };

    HttpStream(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~HttpStream() override;

    void start(const QByteArray &method, const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
               const QByteArray &body, Timeouts timeouts);
    /// The caller saw real content: the no-content clock stops.
    void markContent();
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }

Q_SIGNALS:
    void bodyData(const QByteArray &chunk);
    void finished(const reins::net::HttpOutcome &outcome);

private:
    void onReadyRead();
    void onFinished();
    void end(HttpOutcome::Kind kind, const QString &detail = {});
    void touch();

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_connectTimer;
    QTimer m_idleTimer;
    QTimer m_noContentTimer;
    HttpOutcome m_outcome;
    bool m_success = false; ///< status is 2xx: deliver the body as it comes
};

} // namespace reins::net
