#include "providerspage.h"

#include "keystore.h"
#include "provider/modellist.h"
#include "provider/providerconfig.h"
#include "statuslabel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace reins::widgets {

namespace {

using Tone = StatusLabel::Tone;

// A base URL Reins can send requests to, or why not.
QString urlProblem(const QUrl &url, const QString &name)
{
    if (url.isEmpty())
        return ProvidersPage::tr("%1 needs a base URL, such as http://localhost:8000/v1.").arg(name);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return ProvidersPage::tr("“%1” is not a web address Reins can use for %2: it should start with http:// or "
                                 "https://.")
            .arg(url.toString(), name);
    return {};
}

} // namespace

ProvidersPage::ProvidersPage(AppSettings *settings, KeyStore *keys, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_keys(keys)
    , m_active(settings->activeProvider())
    , m_provider(new QComboBox(this))
    , m_use(new QCheckBox(tr("&Use this provider for new sessions"), this))
    , m_baseUrl(new QLineEdit(this))
    , m_model(new QComboBox(this))
    , m_fetch(new QPushButton(tr("&Fetch models"), this))
    , m_fetchStatus(new StatusLabel(this))
    , m_keyPlace(new QButtonGroup(this))
    , m_keychain(new QRadioButton(tr("Desktop &keychain"), this))
    , m_environment(new QRadioButton(tr("&Environment variable"), this))
    , m_noKey(new QRadioButton(tr("No key (a local server)"), this))
    , m_keyVariable(new QLineEdit(this))
    , m_keychainNote(new StatusLabel(this))
    , m_key(new QLineEdit(this))
    , m_keyStatus(new StatusLabel(this))
{
    auto *intro = new QLabel(tr("Reins talks to one model provider at a time. Set up the ones you use, and choose "
                                "the one new sessions start with."),
                             this);
    intro->setWordWrap(true);
    for (const QString &id : provider::providerIds())
        m_provider->addItem(providerLabel(id), id);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_key->setEchoMode(QLineEdit::Password);
    m_keyPlace->addButton(m_keychain, int(KeySource::Keychain));
    m_keyPlace->addButton(m_environment, int(KeySource::Environment));
    m_keyPlace->addButton(m_noKey, int(KeySource::None));

    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_fetch);
    auto *modelField = new QVBoxLayout; // the status right under the field, not in a row of its own
    modelField->addLayout(modelRow);
    modelField->addWidget(m_fetchStatus);
    auto *variableRow = new QHBoxLayout;
    variableRow->addWidget(m_environment);
    variableRow->addWidget(m_keyVariable, 1);
    auto *place = new QVBoxLayout;
    place->addWidget(m_keychain);
    place->addWidget(m_keychainNote);
    place->addLayout(variableRow);
    place->addWidget(m_noKey);
    auto *keyField = new QVBoxLayout;
    keyField->addWidget(m_key);
    keyField->addWidget(m_keyStatus);
    const auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(label(tr("&Provider:"), m_provider), m_provider);
    form->addRow(QString(), m_use);
    form->addRow(label(tr("Base &URL:"), m_baseUrl), m_baseUrl);
    form->addRow(label(tr("&Model:"), m_model), modelField);
    form->addRow(tr("Key kept in:"), place);
    form->addRow(label(tr("API ke&y:"), m_key), keyField);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addStretch(1);

    // Down the form; the variable's name right after its option, before the next option.
    QWidget *order[] = {m_provider, m_use, m_baseUrl, m_model, m_fetch, m_keychain, m_environment, m_keyVariable,
                        m_noKey, m_key};
    for (size_t i = 1; i < std::size(order); ++i)
        setTabOrder(order[i - 1], order[i]);

    connect(m_provider, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_loading)
            showProvider(m_provider->itemData(index).toString());
    });
    connect(m_use, &QCheckBox::toggled, this, [this](bool on) {
        if (m_loading)
            return;
        m_active = on ? m_current : QString();
        refreshProviderNames();
    });
    connect(m_baseUrl, &QLineEdit::textEdited, this, [this](const QString &text) {
        draft(m_current).settings.baseUrl = QUrl(text.trimmed());
    });
    connect(m_model, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (!m_loading)
            draft(m_current).settings.model = text.trimmed();
    });
    connect(m_fetch, &QPushButton::clicked, this, &ProvidersPage::fetchModels);
    connect(m_keyPlace, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (m_loading || !on)
            return;
        draft(m_current).settings.keySource = KeySource(id);
        readStoredKey(m_current);
        refreshKey();
    });
    connect(m_keyVariable, &QLineEdit::textEdited, this, [this](const QString &text) {
        draft(m_current).settings.keyEnv = text.trimmed();
        refreshKey();
    });
    connect(m_key, &QLineEdit::textEdited, this, [this](const QString &text) {
        Draft &d = draft(m_current);
        d.key = text.trimmed(); // pasted keys often bring a newline or a space
        d.keyEdited = true;
    });
    connect(m_keys, &KeyStore::availabilityChanged, this, [this] { refreshKey(); });
    if (m_keys->availability() == KeyStore::Availability::Unknown)
        m_keys->probe();

    refreshProviderNames();
    showProvider(m_active.isEmpty() ? provider::providerIds().first() : m_active);
}

ProvidersPage::~ProvidersPage() = default;

ProvidersPage::Draft &ProvidersPage::draft(const QString &id)
{
    auto it = m_drafts.find(id);
    if (it == m_drafts.end()) {
        const ProviderSettings saved = m_settings->provider(id);
        it = m_drafts.emplace(id, Draft{saved, saved.keySource}).first;
    }
    return it->second;
}

void ProvidersPage::showProvider(const QString &id)
{
    if (!provider::providerIds().contains(id))
        return;
    m_current = id;
    readStoredKey(id);
    refresh();
}

void ProvidersPage::refreshProviderNames()
{
    for (int i = 0; i < m_provider->count(); ++i) {
        const QString id = m_provider->itemData(i).toString();
        m_provider->setItemText(i, id == m_active ? tr("%1 — in use").arg(providerLabel(id)) : providerLabel(id));
    }
}

void ProvidersPage::refresh()
{
    const Draft &d = draft(m_current);
    const auto defaults = provider::providerDefaults(m_current);
    m_loading = true;
    m_provider->setCurrentIndex(m_provider->findData(m_current));
    m_use->setChecked(m_active == m_current);
    m_baseUrl->setText(d.settings.baseUrl.toString());
    m_baseUrl->setPlaceholderText(defaults && !defaults->baseUrl.isEmpty() ? defaults->baseUrl.toString()
                                                                          : tr("http://localhost:8000/v1"));
    m_model->clear();
    m_model->addItems(d.models);
    m_model->setCurrentText(d.settings.model);
    m_model->lineEdit()->setPlaceholderText(tr("Type the model's name, or fetch the list"));
    m_fetchStatus->setMessage(d.fetchMessage, d.fetchFailed ? Tone::Error : Tone::Info);
    m_loading = false;
    refreshKey();
}

void ProvidersPage::refreshKey()
{
    Draft &d = draft(m_current);
    const bool noKeychain = m_keys->availability() == KeyStore::Availability::Unavailable;
    if (noKeychain && d.settings.keySource == KeySource::Keychain)
        d.settings.keySource = KeySource::Environment; // the one place left that keeps the key out of plain files
    m_loading = true;
    m_keyPlace->button(int(d.settings.keySource))->setChecked(true);
    m_keychain->setEnabled(!noKeychain);
    m_keychainNote->setMessage(noKeychain ? KeyStore::noKeychainMessage(m_current) : QString(), Tone::Error);
    m_keyVariable->setText(d.settings.keyEnv);
    m_keyVariable->setEnabled(d.settings.keySource == KeySource::Environment);
    m_key->setEnabled(d.settings.keySource == KeySource::Keychain);
    m_key->setText(d.settings.keySource == KeySource::Keychain ? d.key : QString());
    m_loading = false;

    switch (d.settings.keySource) {
    case KeySource::Keychain:
        m_key->setPlaceholderText(tr("Paste the API key"));
        if (!d.keyError.isEmpty())
            m_keyStatus->setMessage(d.keyError, Tone::Error);
        else if (d.keyReading)
            m_keyStatus->setMessage(tr("Reading the key from the desktop keychain…"));
        else
            m_keyStatus->setMessage(d.storedKey.isEmpty() ? tr("Saving stores the key in the desktop keychain, "
                                                               "not in a file.")
                                                          : tr("The key is kept in the desktop keychain."));
        break;
    case KeySource::Environment: {
        m_key->setPlaceholderText(tr("Read from %1 when a session starts").arg(d.settings.keyEnv));
        const bool set = !d.settings.keyEnv.isEmpty() && qEnvironmentVariableIsSet(d.settings.keyEnv.toLocal8Bit());
        if (d.settings.keyEnv.isEmpty())
            m_keyStatus->setMessage(tr("Name the variable that holds the key."), Tone::Error);
        else if (set)
            m_keyStatus->setMessage(tr("%1 is set in the environment Reins started from.").arg(d.settings.keyEnv),
                                    Tone::Good);
        else
            m_keyStatus->setMessage(tr("%1 is not set in the environment Reins started from. Set it (for example "
                                       "in ~/.profile) and start Reins again.")
                                        .arg(d.settings.keyEnv));
        break;
    }
    case KeySource::None:
        m_key->setPlaceholderText(tr("No key is sent"));
        m_keyStatus->setMessage(tr("Reins sends no key: right for a local server such as Ollama or llama.cpp."));
        break;
    }
}

void ProvidersPage::readStoredKey(const QString &id)
{
    Draft &d = draft(id);
    if (d.settings.keySource != KeySource::Keychain || d.keyRead || d.keyReading
        || m_keys->availability() == KeyStore::Availability::Unavailable)
        return;
    d.keyReading = true;
    m_keys->readKey(id, this, [this, id](const KeyStore::ReadResult &key) {
        Draft &d = draft(id);
        d.keyReading = false;
        d.keyRead = true;
        if (!key) {
            d.keyError = key.error().message;
        } else {
            d.storedKey = key->value_or(QString());
            if (!d.keyEdited)
                d.key = d.storedKey;
        }
        if (id == m_current)
            refreshKey();
    });
}

void ProvidersPage::fetchModels()
{
    Draft &d = draft(m_current);
    const QString name = providerLabel(m_current);
    auto config = provider::providerDefaults(m_current);
    if (!config)
        return;
    config->baseUrl = d.settings.baseUrl;
    if (const QString problem = urlProblem(config->baseUrl, name); !problem.isEmpty()) {
        d.fetchMessage = problem;
        d.fetchFailed = true;
        m_fetchStatus->setMessage(problem, Tone::Error);
        return;
    }
    config->apiKey = d.settings.keySource == KeySource::Environment
                         ? qEnvironmentVariable(d.settings.keyEnv.toLocal8Bit().constData())
                         : d.key;
    config->connectTimeoutMs = 15'000; // someone is waiting on a button
    config->idleTimeoutMs = 30'000;
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_fetch->setEnabled(false);
    d.fetchMessage = tr("Asking %1 for its models…").arg(name);
    d.fetchFailed = false;
    m_fetchStatus->setMessage(d.fetchMessage);
    auto *list = new provider::ModelList(*config, m_network, this);
    const QString id = m_current;
    connect(list, &provider::ModelList::finished, this, [this, list, id](const Result<QStringList> &models) {
        list->deleteLater();
        onModelsFetched(id, models);
    });
    list->start();
}

void ProvidersPage::onModelsFetched(const QString &id, const Result<QStringList> &models)
{
    m_fetch->setEnabled(true);
    Draft &d = draft(id);
    const QString name = providerLabel(id);
    d.fetchFailed = !models;
    if (!models) {
        QString text = models.error().message;
        if (!text.contains(name))
            text = tr("%1 did not send a model list: %2.").arg(name, text);
        if (!text.contains(tr("Settings")))
            text += tr(" Check the base URL and the key, then press Fetch models again.");
        d.fetchMessage = text;
    } else {
        d.models = *models;
        if (d.settings.model.isEmpty() && !models->isEmpty())
            d.settings.model = models->first();
        d.fetchMessage = models->isEmpty()       ? tr("%1 lists no models. Type the model's name.").arg(name)
                         : models->size() == 1 ? tr("%1 offers one model: %2.").arg(name, models->first())
                                               : tr("%1 offers %2 models. Pick one from the list.")
                                                     .arg(name)
                                                     .arg(models->size());
    }
    if (id == m_current) {
        refresh();
        if (models && !models->isEmpty())
            m_model->setFocus();
    }
}

QString ProvidersPage::problem() const
{
    for (const auto &[id, d] : m_drafts) {
        const QString name = providerLabel(id);
        if (!d.settings.baseUrl.isEmpty() || id == m_active)
            if (QString p = urlProblem(d.settings.baseUrl, name); !p.isEmpty())
                return p;
        if (d.settings.keySource == KeySource::Environment && d.settings.keyEnv.isEmpty())
            return tr("Name the environment variable that holds the %1 key, or choose another place for it.")
                .arg(name);
    }
    if (!m_active.isEmpty()) {
        const ProviderSettings p = m_drafts.contains(m_active) ? m_drafts.at(m_active).settings
                                                                : m_settings->provider(m_active);
        if (p.model.isEmpty())
            return tr("Choose a model for %1: type its name, or press Fetch models and pick one.")
                .arg(providerLabel(m_active));
    }
    return {};
}

void ProvidersPage::saveSettings()
{
    for (auto &[id, d] : m_drafts) {
        m_settings->setProvider(d.settings);
        d.savedSource = d.settings.keySource;
    }
    m_settings->setActiveProvider(m_active);
}

void ProvidersPage::saveKeys(std::function<void(const Result<void> &)> done)
{
    struct Pending
    {
        int left = 0;
        Result<void> first;
        std::function<void(const Result<void> &)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    QStringList ids;
    const bool keychain = m_keys->availability() != KeyStore::Availability::Unavailable;
    for (const auto &[id, d] : m_drafts) {
        const bool changed = d.settings.keySource == KeySource::Keychain && d.keyEdited && d.key != d.storedKey;
        // A key moved to an environment variable leaves the keychain: no copy of the secret stays behind in a place
        // the person no longer sees in Settings.
        const bool moved = keychain && d.settings.keySource == KeySource::Environment
                           && d.savedSource == KeySource::Keychain;
        if (changed || moved)
            ids.append(id);
    }
    pending->left = int(ids.size());
    if (ids.isEmpty()) {
        pending->done({});
        return;
    }
    for (const QString &id : ids) {
        const Draft &d = m_drafts.at(id);
        const QString key = d.settings.keySource == KeySource::Keychain ? d.key : QString();
        auto answered = [this, id, key, pending](const Result<void> &result) {
            if (result) {
                Draft &d = draft(id);
                d.storedKey = key;
                d.keyEdited = false;
            } else if (pending->first) {
                pending->first = result;
            }
            if (id == m_current)
                refreshKey();
            if (--pending->left == 0)
                pending->done(pending->first); // last: it may close the dialog
        };
        if (key.isEmpty())
            m_keys->deleteKey(id, this, answered);
        else
            m_keys->writeKey(id, key, this, answered);
    }
}

} // namespace reins::widgets
