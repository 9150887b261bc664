#include "modelcall.h"
#include "../overloaded.h"

#include "anthropicstreamdecoder.h"
#include "openaistreamdecoder.h"
#include "providererror.h"
#include "requestbuilder.h"

#include <QDateTime>

#include <cmath>

namespace reins::provider {


ModelCall::ModelCall(ProviderConfig config, ModelRequest request, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_request(std::move(request))
    , m_network(network)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer); // Retry-After is a lower bound; a coarse timer may fire early
    connect(&m_retryTimer, &QTimer::timeout, this, &ModelCall::attempt);
}

ModelCall::~ModelCall() = default;

qint64 ModelCall::backoffMs(const ProviderConfig &config, int attempt, std::optional<qint64> retryAfterMs,
                            QRandomGenerator &random)
{
    if (retryAfterMs)
        return std::min<qint64>(*retryAfterMs, 10 * 60 * 1000);
    const double exp = double(config.retryBaseDelayMs) * std::pow(2.0, attempt - 1);
    const double capped = std::min(exp, double(config.retryMaxDelayMs));
    const double jitter = 0.75 + 0.5 * random.generateDouble();
    return qint64(capped * jitter);
}

void ModelCall::start()
{
    m_running = true;
    m_attempt = 0;
    m_response = ModelResponse();
    m_body = buildModelRequest(m_config, m_request).body;
    attempt();
}

void ModelCall::attempt()
{
    ++m_attempt;
    m_parser = net::SseParser();
    m_streamError.reset();
    if (m_config.wire == WireFormat::AnthropicMessages)
        m_decoder = std::make_unique<AnthropicStreamDecoder>();
    else
        m_decoder = std::make_unique<OpenAiStreamDecoder>();
    m_http = std::make_unique<net::HttpStream>(m_network);
    connect(m_http.get(), &net::HttpStream::bodyData, this, &ModelCall::onBody);
    connect(m_http.get(), &net::HttpStream::finished, this, &ModelCall::onHttpFinished);
    const HttpRequestSpec spec = buildModelRequest(m_config, m_request);
    m_http->start(spec.method, spec.url, spec.headers, spec.body,
                  {m_config.connectTimeoutMs, m_config.idleTimeoutMs, m_config.noContentTimeoutMs});
}

void ModelCall::onBody(const QByteArray &chunk)
{
    std::vector<net::SseEvent> sse;
    m_parser.feed(chunk, sse);
    std::vector<StreamEvent> events;
    for (const net::SseEvent &e : sse)
        m_decoder->feed(e, events);
    handle(events);
}

void ModelCall::handle(std::vector<StreamEvent> &events)
{
    for (StreamEvent &event : events) {
        bool isContent = false;
        std::visit(Overloaded{
                       [&](const TextDelta &e) {
                           m_response.text += e.text;
                           isContent = true;
                       },
                       [&](const ReasoningDelta &e) {
                           m_response.reasoning += e.text;
                           isContent = true;
                       },
                       [&](const ReasoningSignature &e) { m_response.reasoningSignature += e.signature; },
                       [&](const ToolCallDone &e) {
                           m_response.toolCalls.push_back(e.call);
                           isContent = true;
                       },
                       [&](const UsageReport &e) { m_response.usage = e.usage; },
                       [&](const Finished &e) { m_response.finishReason = e.reason; },
                       [&](StreamError &e) {
                           e.error.message = redactSecrets(e.error.message, {m_config.apiKey});
                           if (!m_streamError)
                               m_streamError = e.error;
                       },
                   },
                   event);
        if (isContent && !m_content) {
            m_content = true;
            if (m_http)
                m_http->markContent();
        }
        if (std::holds_alternative<StreamError>(event) && !m_content) {
            // An error before any content: not shown, the retry logic decides at the end of the attempt.
            continue;
        }
        Q_EMIT streamEvent(event);
    }
    if (m_streamError && m_http && m_http->isRunning())
        m_http->cancel(); // nothing useful follows an error event
}

void ModelCall::onHttpFinished(const net::HttpOutcome &outcome)
{
    using Kind = net::HttpOutcome::Kind;
    if (outcome.kind == Kind::Cancelled && !m_streamError) {
        m_response.incomplete = m_content;
        m_response.error = ProviderError{QStringLiteral("Cancelled."), QStringLiteral("cancelled"), 0, false, {}};
        complete();
        return;
    }
    std::vector<StreamEvent> events;
    m_decoder->finish(events);
    handle(events);

    // After a finish reason the answer is whole, even if the server then dropped the connection before its
    // usage chunk or end marker.
    const bool answered = !m_response.finishReason.isEmpty()
                          && (outcome.kind != Kind::Complete || (outcome.status >= 200 && outcome.status < 300));
    std::optional<ProviderError> error = m_streamError;
    if (!error && answered) {
        complete();
        return;
    }
    if (!error) {
        switch (outcome.kind) {
        case Kind::Complete:
            if (outcome.status < 200 || outcome.status >= 300) {
                error = errorFromHttp(m_config.displayName, outcome.status, outcome.errorBody,
                                      parseRetryAfter(outcome.retryAfter, QDateTime::currentMSecsSinceEpoch()));
            } else if (!m_decoder->complete()) {
                error = ProviderError{QStringLiteral("The connection to %1 ended before the answer was complete.")
                                          .arg(m_config.displayName),
                                      QStringLiteral("network"), outcome.status, true, {}};
            }
            break;
        case Kind::NetworkError:
            error = ProviderError{QStringLiteral("Could not reach %1 at %2: %3. Check the network and the base URL.")
                                      .arg(m_config.displayName, m_config.baseUrl.toDisplayString(), outcome.detail),
                                  QStringLiteral("network"), outcome.status, true, {}};
            break;
        case Kind::ConnectTimeout:
            error = ProviderError{QStringLiteral("%1 did not accept the connection within %2 s.")
                                      .arg(m_config.displayName)
                                      .arg(m_config.connectTimeoutMs / 1000.0),
                                  QStringLiteral("connect_timeout"), 0, true, {}};
            break;
        case Kind::IdleTimeout:
            error = ProviderError{QStringLiteral("%1 sent nothing for %2 s; the connection was given up.")
                                      .arg(m_config.displayName)
                                      .arg(m_config.idleTimeoutMs / 1000.0),
                                  QStringLiteral("idle_timeout"), outcome.status, true, {}};
            break;
        case Kind::NoContentTimeout:
            error = ProviderError{QStringLiteral("%1 kept the connection open but sent no answer for %2 s.")
                                      .arg(m_config.displayName)
                                      .arg(m_config.noContentTimeoutMs / 1000.0),
                                  QStringLiteral("no_content_timeout"), outcome.status, true, {}};
            break;
        case Kind::Cancelled:
            break; // an error event made us stop reading; m_streamError is set
        }
    }
    if (!error) {
        complete();
        return;
    }
    error->message = redactSecrets(error->message, {m_config.apiKey});
    if (!m_content && error->retryable && m_attempt <= m_config.maxRetries) {
        static QRandomGenerator random = QRandomGenerator::securelySeeded();
        const qint64 delay = backoffMs(m_config, m_attempt, error->retryAfterMs, random);
        m_response = ModelResponse();
        dropHttp();
        Q_EMIT retrying(protocol::Retry{m_attempt, m_config.maxRetries, delay, error->message});
        m_retryTimer.start(int(delay));
        return;
    }
    fail(*error);
}

void ModelCall::fail(ProviderError error)
{
    m_response.incomplete = m_content;
    // Tool calls are yielded only when whole; after a failure none is trusted.
    if (m_response.finishReason.isEmpty())
        m_response.toolCalls.clear();
    m_response.error = std::move(error);
    complete();
}

void ModelCall::complete()
{
    if (!m_running)
        return;
    m_running = false;
    m_retryTimer.stop();
    dropHttp();
    Q_EMIT finished(m_response);
}

void ModelCall::dropHttp()
{
    // Deferred: we may be inside one of its signals.
    if (m_http) {
        m_http->disconnect(this);
        m_http.release()->deleteLater();
    }
}

void ModelCall::cancel()
{
    if (!m_running)
        return;
    if (m_http && m_http->isRunning()) {
        m_http->cancel(); // → onHttpFinished(Cancelled)
        return;
    }
    m_retryTimer.stop(); // waiting between attempts
    m_response.error = ProviderError{QStringLiteral("Cancelled."), QStringLiteral("cancelled"), 0, false, {}};
    complete();
}

} // namespace reins::provider
