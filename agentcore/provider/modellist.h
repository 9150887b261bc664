#pragma once

#include "../error.h"
#include "../net/httpstream.h"
#include "providerconfig.h"

#include <QObject>

namespace reins::provider {

/// Asks a server which models it offers (`GET /models`; Anthropic `GET /v1/models`).
class ModelList : public QObject
{
    Q_OBJECT
public:
    ModelList(ProviderConfig config, QNetworkAccessManager *network, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const reins::Result<QStringList> &models);

private:
    ProviderConfig m_config;
    net::HttpStream m_http;
    QByteArray m_body;
};

} // namespace reins::provider
