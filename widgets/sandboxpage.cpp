#include "sandboxpage.h"

#include "appsettings.h"
#include "statuslabel.h"

#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>

namespace reins::widgets {

SandboxPage::SandboxPage(AppSettings *settings, exec::SandboxStatus status, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_sandbox(std::move(status))
    , m_commands(new QCheckBox(tr("Run &commands in the sandbox in every mode, not only in full auto"), this))
    , m_network(new QCheckBox(tr("Let sandboxed commands use the &network"), this))
    , m_status(new StatusLabel(this))
{
    auto *intro = new QLabel(tr("The sandbox runs a command with the whole file system read-only except the "
                                "workspace (its .git stays read-only too), with a private /tmp, and stops "
                                "everything it started when Reins quits."),
                             this);
    intro->setWordWrap(true);
    auto *networkNote = new StatusLabel(this);
    networkNote->setContentsMargins(24, 0, 0, 0);
    networkNote->setMessage(tr("Off: commands in the sandbox never reach the network, so package installs and "
                               "downloads fail there. On: a command that needs the network has it — after you "
                               "approve it, in every mode."));
    m_commands->setChecked(m_settings->sandboxCommands());
    m_network->setChecked(m_settings->sandboxNetwork());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(6);
    layout->addWidget(m_commands);
    layout->addWidget(m_network);
    layout->addWidget(networkNote);
    layout->addSpacing(10);
    layout->addWidget(m_status);
    layout->addStretch(1);
    connect(m_network, &QCheckBox::toggled, this, &SandboxPage::describe);
    describe();
}

void SandboxPage::describe()
{
    if (m_sandbox.available)
        m_status->setMessage(tr("This machine can sandbox commands: %1.").arg(m_sandbox.describe(m_network->isChecked())),
                             StatusLabel::Tone::Good);
    else
        m_status->setMessage(tr("This machine cannot sandbox commands: %1. Until it can, commands run unconfined "
                                "after your approval, and full auto asks before each one.")
                                 .arg(m_sandbox.reason),
                             StatusLabel::Tone::Error);
}

void SandboxPage::save()
{
    m_settings->setSandboxCommands(m_commands->isChecked());
    m_settings->setSandboxNetwork(m_network->isChecked());
}

} // namespace reins::widgets
