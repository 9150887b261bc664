#pragma once

// Settings → Sandbox: whether commands run in the sandbox outside full-auto too, whether the sandbox lets them use
// the network, and whether this machine can sandbox at all (and if not, why).

#include "exec/sandbox.h"

#include <QWidget>

class QCheckBox;

namespace reins::widgets {

class AppSettings;
class StatusLabel;

class SandboxPage : public QWidget
{
    Q_OBJECT
public:
    /// `status`: what exec::sandboxStatus() found; tests pass one of their own.
    SandboxPage(AppSettings *settings, exec::SandboxStatus status, QWidget *parent = nullptr);

    QCheckBox *commandsBox() const { return m_commands; }
    QCheckBox *networkBox() const { return m_network; }
    StatusLabel *statusLabel() const { return m_status; }
    void save();

private:
    void describe();

    AppSettings *m_settings;
    exec::SandboxStatus m_sandbox;
    QCheckBox *m_commands;
    QCheckBox *m_network;
    StatusLabel *m_status;
};

} // namespace reins::widgets
