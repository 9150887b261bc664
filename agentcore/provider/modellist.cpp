#include "modellist.h"

#include "providererror.h"

namespace reins::provider {

ModelList::ModelList(ProviderConfig config, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_http(network)
{
    connect(&m_http, &net::HttpStream::bodyData, this, [this](const QByteArray &chunk) {
        m_http.markContent();
        m_body += chunk;
    });
    connect(&m_http, &net::HttpStream::finished, this, [this](const net::HttpOutcome &outcome) {
        if (outcome.kind != net::HttpOutcome::Kind::Complete) {
            Q_EMIT finished(fail(redactSecrets(QStringLiteral("Could not list the models of %1 at %2: %3")
                                                   .arg(m_config.displayName, m_config.baseUrl.toDisplayString(),
                                                        outcome.detail.isEmpty() ? QStringLiteral("no answer")
                                                                                 : outcome.detail),
                                               {m_config.apiKey})));
            return;
        }
        if (outcome.status < 200 || outcome.status >= 300) {
            const ProviderError e = errorFromHttp(m_config.displayName, outcome.status, outcome.errorBody, {});
            Q_EMIT finished(fail(redactSecrets(e.message, {m_config.apiKey})));
            return;
        }
        Q_EMIT finished(parseModelList(m_body));
    });
}

void ModelList::start()
{
    m_body.clear();
    const HttpRequestSpec spec = modelListRequest(m_config);
    m_http.start(spec.method, spec.url, spec.headers, spec.body,
                 {m_config.connectTimeoutMs, m_config.idleTimeoutMs, m_config.idleTimeoutMs});
}

} // namespace reins::provider
