#include "demo.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace reins::demo {

namespace {

// Copies every file under `from` (a resource folder or a real one) to `to`.
Result<void> copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(source);
        if (!QDir().mkpath(QFileInfo(target).path()))
            return fail(QStringLiteral("cannot create %1 for the demo").arg(QFileInfo(target).path()));
        QFile in(source);
        QFile out(target);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly) || out.write(in.readAll()) < 0)
            return fail(QStringLiteral("cannot copy the demo's %1").arg(QDir(from).relativeFilePath(source)));
        out.setPermissions(in.permissions() | QFileDevice::WriteOwner); // resources are read-only
    }
    return {};
}

} // namespace

Result<std::unique_ptr<Demo>> Demo::start(const QString &bundle)
{
    std::unique_ptr<Demo> demo(new Demo);
    if (!demo->m_folder.isValid())
        return fail(QStringLiteral("cannot create a temporary folder for the demo: %1").arg(demo->m_folder.errorString()));
    if (auto copied = copyTree(bundle + QStringLiteral("/project"), demo->workspace()); !copied)
        return std::unexpected(copied.error());
    QFile file(bundle + QStringLiteral("/scenario.json"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("the demo's session is missing (%1)").arg(file.fileName()));
    const QJsonObject scenario = QJsonDocument::fromJson(file.readAll()).object();
    demo->m_prompt = scenario.value(QLatin1String("prompt")).toString();
    demo->m_provider = scenario.value(QLatin1String("provider")).toString(QStringLiteral("deepseek"));
    demo->m_model = scenario.value(QLatin1String("model")).toString();
    if (!demo->m_server.listen() || !demo->m_server.loadScenario(scenario))
        return fail(QStringLiteral("the demo's model server could not start: %1")
                        .arg(demo->m_server.failures().join(QStringLiteral("; "))));
    return demo;
}

QString Demo::workspace() const
{
    return m_folder.path() + QStringLiteral("/corner-shop");
}

session::SessionConfig Demo::config() const
{
    session::SessionConfig config;
    if (auto defaults = provider::providerDefaults(m_provider))
        config.provider = *defaults;
    config.provider.baseUrl = QUrl(m_server.baseUrl());
    if (!m_model.isEmpty())
        config.provider.model = m_model;
    // The demo's server wants no key; a placeholder keeps the client's checks for one quiet.
    config.provider.apiKey = QStringLiteral("demo-without-a-key");
    config.approvalMode = protocol::ApprovalMode::Ask;
    config.interactive = true;
    return config;
}

} // namespace reins::demo
