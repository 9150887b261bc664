#pragma once

#include "../net/httpstream.h"
#include "../net/sseparser.h"
#include "../protocol/agentevent.h"
#include "modeltypes.h"
#include "providerconfig.h"
#include "streamdecoder.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>

class QNetworkAccessManager;

namespace reins::provider {

/// One model request, streamed, with retries. Stream events are emitted as they arrive; finished() carries the
/// whole response, exactly once.
///
/// Retries happen only before any content arrived (429 honouring Retry-After; 500/502/503/504/529, connection
/// errors and timeouts with exponential backoff and jitter), so nothing the consumer saw is ever repeated. A
/// stream that breaks after content keeps its partial text and is marked incomplete; its unfinished tool calls
/// are dropped. The API key never appears in an error message.
class ModelCall : public QObject
{
    Q_OBJECT
public:
    ModelCall(ProviderConfig config, ModelRequest request, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ModelCall() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const ModelResponse &response() const { return m_response; }
    /// The request body of the latest attempt, as sent.
    const QByteArray &requestBody() const { return m_body; }

    /// The delay before retry `attempt` (1-based): exponential from the base, capped, with ±25 % jitter, or the
    /// server's Retry-After when it gave one.
    static qint64 backoffMs(const ProviderConfig &config, int attempt, std::optional<qint64> retryAfterMs,
                            QRandomGenerator &random);

Q_SIGNALS:
    void streamEvent(const reins::provider::StreamEvent &event);
    void retrying(const reins::protocol::Retry &retry);
    void finished(const reins::provider::ModelResponse &response);

private:
    void attempt();
    void onBody(const QByteArray &chunk);
    void onHttpFinished(const net::HttpOutcome &outcome);
    void handle(std::vector<StreamEvent> &events);
    void fail(ProviderError error);
    void complete();
    void dropHttp();

    ProviderConfig m_config;
    ModelRequest m_request;
    QNetworkAccessManager *m_network;
    std::unique_ptr<net::HttpStream> m_http;
    std::unique_ptr<StreamDecoder> m_decoder;
    net::SseParser m_parser;
    QTimer m_retryTimer;
    QByteArray m_body;
    ModelResponse m_response;
    std::optional<ProviderError> m_streamError;
    int m_attempt = 0;
    bool m_content = false;
    bool m_running = false;
};

} // namespace reins::provider
