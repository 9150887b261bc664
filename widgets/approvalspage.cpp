#include "approvalspage.h"

#include "appsettings.h"
#include "statuslabel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace reins::widgets {

namespace {

using protocol::ApprovalMode;
using policy::Rule;
using policy::RuleAction;

struct ModeText
{
    ApprovalMode mode;
    const char *title;
    const char *explanation;
};

constexpr ModeText kModes[] = {
    {ApprovalMode::ReadOnly, QT_TRANSLATE_NOOP("ApprovalsPage", "&Read only"),
     QT_TRANSLATE_NOOP("ApprovalsPage", "The agent reads and searches; every edit and every command that changes "
                                        "something is refused.")},
    {ApprovalMode::Ask, QT_TRANSLATE_NOOP("ApprovalsPage", "As&k"),
     QT_TRANSLATE_NOOP("ApprovalsPage", "Reading is free; each edit and each command that is not read-only waits "
                                        "for your approval.")},
    {ApprovalMode::AutoEdit, QT_TRANSLATE_NOOP("ApprovalsPage", "Auto-&edit"),
     QT_TRANSLATE_NOOP("ApprovalsPage", "Edits in the workspace go ahead (each one a checkpoint you can undo); "
                                        "commands still wait for your approval.")},
    {ApprovalMode::FullAuto, QT_TRANSLATE_NOOP("ApprovalsPage", "&Full auto"),
     QT_TRANSLATE_NOOP("ApprovalsPage", "Edits go ahead and commands run in the sandbox without asking; a command "
                                        "that must leave the sandbox still asks.")},
};

constexpr RuleAction kActions[] = {RuleAction::Allow, RuleAction::Ask, RuleAction::Deny};

} // namespace

ApprovalsPage::ApprovalsPage(AppSettings *settings, QString workspace, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_workspace(std::move(workspace))
    , m_modes(new QButtonGroup(this))
    , m_list(new QListWidget(this))
    , m_action(new QComboBox(this))
    , m_pattern(new QLineEdit(this))
    , m_delete(new QPushButton(tr("&Delete rule"), this))
    , m_status(new StatusLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *modeTitle = new QLabel(tr("<b>Approval mode for new sessions</b>"), this);
    layout->addWidget(modeTitle);
    for (const ModeText &m : kModes) {
        auto *button = new QRadioButton(tr(m.title), this);
        m_modes->addButton(button, int(m.mode));
        auto *explanation = new StatusLabel(this);
        explanation->setContentsMargins(24, 0, 0, 4); // under the button's text, not its circle
        explanation->setMessage(tr(m.explanation));
        layout->addWidget(button);
        layout->addWidget(explanation);
    }
    m_modes->button(int(m_settings->approvalMode()))->setChecked(true);

    layout->addSpacing(8);
    layout->addWidget(new QLabel(m_workspace.isEmpty() ? tr("<b>Saved rules</b> (for all workspaces; open a folder "
                                                             "to see its own rules too)")
                                                       : tr("<b>Saved rules</b> for %1 and for all workspaces")
                                                             .arg(m_workspace.toHtmlEscaped()),
                                 this));
    layout->addWidget(m_list, 1);
    for (RuleAction a : kActions)
        m_action->addItem(a == RuleAction::Allow ? tr("allow") : a == RuleAction::Ask ? tr("ask") : tr("deny"));
    auto *editor = new QHBoxLayout;
    auto *actionLabel = new QLabel(tr("Ac&tion:"), this);
    actionLabel->setBuddy(m_action);
    auto *patternLabel = new QLabel(tr("&Pattern:"), this);
    patternLabel->setBuddy(m_pattern);
    editor->addWidget(actionLabel);
    editor->addWidget(m_action);
    editor->addWidget(patternLabel);
    editor->addWidget(m_pattern, 1);
    editor->addWidget(m_delete);
    layout->addLayout(editor);
    layout->addWidget(m_status);

    auto loaded = policy::RuleSet::load(m_settings->rulesFile(), m_workspace);
    if (!loaded) {
        m_status->setMessage(loaded.error().message, StatusLabel::Tone::Error);
    } else {
        for (const Rule &r : loaded->rules())
            if (!m_workspace.isEmpty() || r.scope == policy::RuleScope::Global)
                m_items.push_back({r, r});
    }
    fillList();

    connect(m_list, &QListWidget::currentRowChanged, this, &ApprovalsPage::showSelected);
    connect(m_action, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (Item *item = selected(); item && !m_loading && index >= 0) {
            item->now->action = kActions[index];
            m_list->currentItem()->setText(item->now->describe());
        }
    });
    connect(m_pattern, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (Item *item = selected()) {
            item->now->pattern = text.trimmed();
            m_list->currentItem()->setText(item->now->describe());
        }
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (Item *item = selected()) {
            item->now.reset();
            const int row = m_list->currentRow();
            fillList();
            m_list->setCurrentRow(std::min(row, m_list->count() - 1));
        }
    });
}

QRadioButton *ApprovalsPage::modeButton(protocol::ApprovalMode mode) const
{
    return qobject_cast<QRadioButton *>(m_modes->button(int(mode)));
}

protocol::ApprovalMode ApprovalsPage::mode() const
{
    return ApprovalMode(m_modes->checkedId());
}

void ApprovalsPage::fillList()
{
    m_list->clear();
    for (size_t i = 0; i < m_items.size(); ++i) {
        if (!m_items[i].now)
            continue;
        auto *item = new QListWidgetItem(m_items[i].now->describe(), m_list);
        item->setData(Qt::UserRole, qulonglong(i));
    }
    if (m_list->count() == 0 && m_status->tone() != StatusLabel::Tone::Error)
        m_status->setMessage(tr("No saved rules. When you approve an action “always”, its rule appears here."));
    showSelected();
}

ApprovalsPage::Item *ApprovalsPage::selected()
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? &m_items[item->data(Qt::UserRole).toULongLong()] : nullptr;
}

void ApprovalsPage::showSelected()
{
    const Item *item = selected();
    m_loading = true;
    m_action->setEnabled(item);
    m_pattern->setEnabled(item);
    m_delete->setEnabled(item);
    m_action->setCurrentIndex(item ? int(std::ranges::find(kActions, item->now->action) - kActions) : -1);
    m_pattern->setText(item ? item->now->pattern : QString());
    m_loading = false;
}

QString ApprovalsPage::problem() const
{
    for (const Item &item : m_items)
        if (item.now && item.now->pattern.isEmpty())
            return tr("A rule needs a pattern: a command prefix such as “npm test”, or a path such as “src/**”. "
                      "Type one, or delete the rule.");
    return {};
}

Result<void> ApprovalsPage::save()
{
    m_settings->setApprovalMode(mode());
    if (std::ranges::all_of(m_items, [](const Item &i) { return i.now == i.original; }))
        return {};
    // Applied to the file as it is now: rules saved by a session since this page opened stay.
    auto current = policy::RuleSet::load(m_settings->rulesFile(), m_workspace);
    if (!current)
        return std::unexpected(current.error());
    std::vector<Rule> rules = current->rules();
    for (const Item &item : m_items) {
        if (item.now == item.original)
            continue;
        auto it = std::ranges::find(rules, item.original);
        if (it == rules.end())
            continue; // already gone from the file
        if (item.now)
            *it = *item.now;
        else
            rules.erase(it);
    }
    policy::RuleSet set;
    for (const Rule &r : rules)
        set.add(r);
    if (auto saved = set.save(m_settings->rulesFile(), m_workspace); !saved)
        return saved;
    for (Item &item : m_items)
        item.original = item.now.value_or(item.original);
    std::erase_if(m_items, [](const Item &i) { return !i.now; });
    fillList();
    return {};
}

} // namespace reins::widgets
