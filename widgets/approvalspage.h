#pragma once

// Settings → Approvals: the mode new sessions start in, and the saved approval rules — this workspace's and the
// global ones — to correct or delete. Edits are applied on save to the rules file as it is then, so a rule a
// running session saved meanwhile is kept.

#include "error.h"
#include "policy/rules.h"
#include "protocol/types.h"

#include <QWidget>

#include <optional>
#include <vector>

class QButtonGroup;
class QComboBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace reins::widgets {

class AppSettings;
class StatusLabel;

class ApprovalsPage : public QWidget
{
    Q_OBJECT
public:
    /// `workspace` empty: only the global rules are shown.
    ApprovalsPage(AppSettings *settings, QString workspace, QWidget *parent = nullptr);

    protocol::ApprovalMode mode() const;
    QRadioButton *modeButton(protocol::ApprovalMode mode) const;
    QListWidget *ruleList() const { return m_list; }
    QComboBox *actionBox() const { return m_action; }
    QLineEdit *patternEdit() const { return m_pattern; }
    QPushButton *deleteButton() const { return m_delete; }

    /// Why the rules cannot be saved as they are; empty when they can.
    QString problem() const;
    /// Stores the mode in the settings and writes changed rules to the rules file.
    Result<void> save();

private:
    /// A rule as loaded and as edited here; `now` empty once deleted.
    struct Item
    {
        policy::Rule original;
        std::optional<policy::Rule> now;
    };

    void fillList();
    void showSelected();
    Item *selected();

    AppSettings *m_settings;
    QString m_workspace;
    std::vector<Item> m_items;
    bool m_loading = false;

    QButtonGroup *m_modes;
    QListWidget *m_list;
    QComboBox *m_action;
    QLineEdit *m_pattern;
    QPushButton *m_delete;
    StatusLabel *m_status;
};

} // namespace reins::widgets
