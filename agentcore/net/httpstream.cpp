#include "httpstream.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace reins::net {

namespace {
constexpr qsizetype kMaxErrorBody = 64 * 1024;
}

HttpStream::HttpStream(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    for (QTimer *t : {&m_connectTimer, &m_idleTimer, &m_noContentTimer})
        t->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] { end(HttpOutcome::Kind::ConnectTimeout); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { end(HttpOutcome::Kind::IdleTimeout); });
    connect(&m_noContentTimer, &QTimer::timeout, this, [this] { end(HttpOutcome::Kind::NoContentTimeout); });
}

HttpStream::~HttpStream()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpStream::start(const QByteArray &method, const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                       const QByteArray &body, Timeouts timeouts)
{
    Q_ASSERT(!m_reply);
    m_outcome = HttpOutcome();
    m_success = false;
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    // Our own clocks decide; Qt's transfer timeout would cut a long, silent inference.
    request.setTransferTimeout(0);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    m_reply = m_network->sendCustomRequest(request, method, body);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        m_connectTimer.stop();
        touch();
    });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &HttpStream::touch);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpStream::onFinished);
    m_connectTimer.start(timeouts.connectMs);
    m_idleTimer.setInterval(timeouts.idleMs);
    m_idleTimer.start();
    m_noContentTimer.start(timeouts.noContentMs);
}

void HttpStream::touch()
{
    if (m_reply)
        m_idleTimer.start();
}

void HttpStream::markContent()
{
    m_noContentTimer.stop();
}

void HttpStream::cancel()
{
    end(HttpOutcome::Kind::Cancelled);
}

void HttpStream::onReadyRead()
{
    touch();
    if (!m_reply)
        return;
    if (m_outcome.status == 0) {
        m_outcome.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_success = m_outcome.status >= 200 && m_outcome.status < 300;
        m_outcome.retryAfter = m_reply->rawHeader("Retry-After");
    }
    const QByteArray chunk = m_reply->readAll();
    if (chunk.isEmpty())
        return;
    if (m_success) {
        m_outcome.bodyStarted = true;
        Q_EMIT bodyData(chunk);
    } else if (m_outcome.errorBody.size() < kMaxErrorBody) {
        m_outcome.errorBody += chunk.left(kMaxErrorBody - m_outcome.errorBody.size());
    }
}

void HttpStream::onFinished()
{
    if (!m_reply)
        return;
    onReadyRead();
    if (!m_reply)
        return;
    if (m_outcome.status == 0)
        m_outcome.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_outcome.retryAfter.isEmpty())
        m_outcome.retryAfter = m_reply->rawHeader("Retry-After");
    const QNetworkReply::NetworkError error = m_reply->error();
    // An HTTP error status is a complete answer; only transport failures are network errors.
    const bool transportFailure = error != QNetworkReply::NoError
                                  && (m_outcome.status == 0 || error < QNetworkReply::ContentAccessDenied);
    if (transportFailure)
        end(HttpOutcome::Kind::NetworkError, m_reply->errorString());
    else
        end(HttpOutcome::Kind::Complete);
}

void HttpStream::end(HttpOutcome::Kind kind, const QString &detail)
{
    if (!m_reply)
        return;
    m_connectTimer.stop();
    m_idleTimer.stop();
    m_noContentTimer.stop();
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (!reply->isFinished())
        reply->abort();
    reply->deleteLater();
    m_outcome.kind = kind;
    m_outcome.detail = detail;
    Q_EMIT finished(m_outcome);
}

} // namespace reins::net
