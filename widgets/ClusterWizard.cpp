#include "widgets/ClusterWizard.h"

#include "widgets/Sizing.h"

#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "core/rules/ClusterRules.h"
#include "core/rules/FieldRules.h"
#include "models/EditModels.h"
#include "models/StateColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace clusterra {

namespace {
const QStringList kBasicFields{QStringLiteral("name"), QStringLiteral("cluster_type"),
                               QStringLiteral("description"), QStringLiteral("provider"),
                               QStringLiteral("secret")};
const QStringList kNetworkFields{
    QStringLiteral("region_name"),      QStringLiteral("subnet_id"),
    QStringLiteral("vpc_id"),           QStringLiteral("instance_key_pair_name"),
    QStringLiteral("cloud_account_id"), QStringLiteral("node_type"),
    QStringLiteral("min_node_count"),   QStringLiteral("max_node_count")};

QWizardPage *makePage(const QString &title, const QString &subtitle, const QString &name) {
    auto *p = new QWizardPage;
    p->setTitle(title);
    p->setSubTitle(subtitle);
    p->setObjectName(name);
    return p;
}
} // namespace

ClusterWizard::ClusterWizard(ApiClient *api, QWidget *parent)
    : QWizard(parent)
    , m_api(api)
    , m_partitions(new PartitionEditModel(this))
    , m_tags(new KeyValueModel(tr("Key"), tr("Value"), this)) {
    setObjectName(QStringLiteral("clusterWizard"));
    setWindowTitle(tr("New cluster"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("Create cluster"));
    resizeWithinScreen(this, {760, 560});
    buildPages();
    m_partitions->addRow({QStringLiteral("compute"), QStringLiteral("local"), 0, 1, true});
    connect(m_partitions, &QAbstractItemModel::dataChanged, this, &ClusterWizard::revalidate);
    connect(m_partitions, &QAbstractItemModel::rowsInserted, this, &ClusterWizard::revalidate);
    connect(m_partitions, &QAbstractItemModel::rowsRemoved, this, &ClusterWizard::revalidate);
    connect(m_tags, &QAbstractItemModel::dataChanged, this, &ClusterWizard::revalidate);
    connect(m_tags, &QAbstractItemModel::rowsRemoved, this, &ClusterWizard::revalidate);
    connect(this, &QWizard::currentIdChanged, this, &ClusterWizard::revalidate);
    revalidate();
}

QLabel *ClusterWizard::errorLabel(const QString &field, QWidget *parent) {
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("error_") + field);
    label->setWordWrap(true);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, stateColor(StateFilter::Failed, palette()));
    label->setPalette(p);
    label->hide();
    m_errorLabels.insert(field, label);
    return label;
}

void ClusterWizard::buildPages() {
    auto field = [this](QFormLayout *form, const QString &label, QWidget *w, const QString &path,
                        const QString &tip) {
        w->setToolTip(tip);
        w->setAccessibleName(label);
        auto *box = new QWidget;
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(w);
        v->addWidget(errorLabel(path, box));
        form->addRow(label, box);
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            connect(edit, &QLineEdit::textChanged, this, &ClusterWizard::revalidate);
        if (auto *combo = qobject_cast<QComboBox *>(w))
            connect(combo, &QComboBox::currentIndexChanged, this, &ClusterWizard::revalidate);
        if (auto *spin = qobject_cast<QSpinBox *>(w))
            connect(spin, &QSpinBox::valueChanged, this, &ClusterWizard::revalidate);
    };

    QWizardPage *basics =
        makePage(tr("Basics"), tr("Name the cluster and choose where its nodes come from."),
                 QStringLiteral("basicsPage"));
    auto *bf = new QFormLayout(basics);
    m_name = new QLineEdit(basics);
    m_name->setObjectName(QStringLiteral("clusterName"));
    m_name->setMaxLength(200);
    m_name->setPlaceholderText(tr("e.g. genomics-prod"));
    field(bf, tr("Na&me"), m_name, QStringLiteral("name"),
          tr("1–128 letters, digits and hyphens; starts and ends with a letter or digit; unique in "
             "your organisation"));
    m_type = new QComboBox(basics);
    m_type->setObjectName(QStringLiteral("clusterType"));
    m_type->addItem(QStringLiteral("Slurm"), QStringLiteral("slurm"));
    field(bf, tr("&Type"), m_type, QStringLiteral("cluster_type"),
          tr("The scheduler; Clusterra runs Slurm"));
    m_description = new QLineEdit(basics);
    m_description->setObjectName(QStringLiteral("clusterDescription"));
    field(bf, tr("&Description"), m_description, QStringLiteral("description"),
          tr("Optional, up to 512 characters"));
    m_provider = new QComboBox(basics);
    m_provider->setObjectName(QStringLiteral("clusterProvider"));
    m_provider->addItem(tr("This machine (local)"), QStringLiteral("local"));
    m_provider->addItem(tr("AWS"), QStringLiteral("aws"));
    field(bf, tr("&Provider"), m_provider, QStringLiteral("provider"), tr("Where the nodes run"));
    m_providerNote = new QLabel(basics);
    m_providerNote->setObjectName(QStringLiteral("providerNote"));
    m_providerNote->setWordWrap(true);
    m_providerNote->setTextFormat(Qt::PlainText);
    m_providerNote->setForegroundRole(QPalette::PlaceholderText);
    m_providerNote->hide();
    bf->addRow(QString(), m_providerNote);
    setPage(BasicsPage, basics);
    // Offer only what this server can deploy; the others stay listed, off, with the reason.
    m_api->clusters().providers(this,
                                [this](const QList<ProviderInfo> &providers, const ApiError &e) {
                                    if (!e.isError())
                                        applyProviders(providers);
                                });

    QWizardPage *network =
        makePage(tr("Network"), tr("Where the AWS nodes live. Needed for AWS clusters only."),
                 QStringLiteral("networkPage"));
    auto *nf = new QFormLayout(network);
    m_cloudAccount = new QLineEdit(network);
    m_cloudAccount->setObjectName(QStringLiteral("cloudAccount"));
    field(nf, tr("Cloud &account"), m_cloudAccount, QStringLiteral("cloud_account_id"),
          tr("The id of the connected AWS account"));
    m_region = new QLineEdit(network);
    m_region->setObjectName(QStringLiteral("region"));
    m_region->setPlaceholderText(QStringLiteral("us-east-1"));
    field(nf, tr("&Region"), m_region, QStringLiteral("region_name"),
          tr("AWS region, e.g. us-east-1"));
    m_subnet = new QLineEdit(network);
    m_subnet->setObjectName(QStringLiteral("subnet"));
    m_subnet->setPlaceholderText(QStringLiteral("subnet-0abc1234"));
    field(nf, tr("&Subnet"), m_subnet, QStringLiteral("subnet_id"), tr("VPC subnet for the nodes"));
    m_vpc = new QLineEdit(network);
    m_vpc->setObjectName(QStringLiteral("vpc"));
    m_vpc->setPlaceholderText(tr("inferred from the subnet"));
    field(nf, tr("&VPC"), m_vpc, QStringLiteral("vpc_id"), tr("Optional"));
    m_keyPair = new QLineEdit(network);
    m_keyPair->setObjectName(QStringLiteral("keyPair"));
    field(nf, tr("&Key pair"), m_keyPair, QStringLiteral("instance_key_pair_name"),
          tr("EC2 key pair for SSH access"));
    m_nodeType = new QLineEdit(network);
    m_nodeType->setObjectName(QStringLiteral("nodeType"));
    m_nodeType->setPlaceholderText(QStringLiteral("c6g.large"));
    field(nf, tr("Node &type"), m_nodeType, QStringLiteral("node_type"),
          tr("EC2 instance type of the head node"));
    m_minNodes = new QSpinBox(network);
    m_minNodes->setObjectName(QStringLiteral("minNodes"));
    m_minNodes->setRange(0, 100);
    field(nf, tr("M&in nodes"), m_minNodes, QStringLiteral("min_node_count"),
          tr("Autoscaler minimum"));
    m_maxNodes = new QSpinBox(network);
    m_maxNodes->setObjectName(QStringLiteral("maxNodes"));
    m_maxNodes->setRange(0, 100);
    m_maxNodes->setValue(4);
    field(nf, tr("Ma&x nodes"), m_maxNodes, QStringLiteral("max_node_count"),
          tr("Autoscaler ceiling, at most 100"));
    setPage(NetworkPage, network);

    QWizardPage *parts =
        makePage(tr("Partitions"),
                 tr("Slurm partitions: up to 20, at most 100 nodes each, exactly one default."),
                 QStringLiteral("partitionsPage"));
    auto *pl = new QVBoxLayout(parts);
    m_partitionView = new QTableView(parts);
    m_partitionView->setObjectName(QStringLiteral("partitionEditor"));
    m_partitionView->setAccessibleName(tr("Partitions"));
    m_partitionView->setModel(m_partitions);
    m_partitionView->horizontalHeader()->setStretchLastSection(true);
    pl->addWidget(m_partitionView);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add partition"), parts);
    add->setObjectName(QStringLiteral("addPartition"));
    connect(add, &QPushButton::clicked, this, [this] {
        m_partitions->addRow({QStringLiteral("part%1").arg(m_partitions->rowCount() + 1),
                              QStringLiteral("local"), 0, 1, false});
    });
    auto *remove = new QPushButton(tr("&Remove"), parts);
    remove->setObjectName(QStringLiteral("removePartition"));
    connect(remove, &QPushButton::clicked, this,
            [this] { m_partitions->removeRow(m_partitionView->currentIndex().row()); });
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    pl->addLayout(buttons);
    pl->addWidget(errorLabel(QStringLiteral("partitions"), parts));
    setPage(PartitionsPage, parts);

    QWizardPage *options = makePage(
        tr("Options"),
        tr("Tags help you find and account for clusters; protection prevents accidental deletion."),
        QStringLiteral("optionsPage"));
    auto *ol = new QVBoxLayout(options);
    auto *tagView = new QTableView(options);
    tagView->setObjectName(QStringLiteral("tagEditor"));
    tagView->setAccessibleName(tr("Tags"));
    tagView->setModel(m_tags);
    tagView->horizontalHeader()->setStretchLastSection(true);
    ol->addWidget(new QLabel(tr("Tags (up to 20):"), options));
    ol->addWidget(tagView);
    auto *tagButtons = new QHBoxLayout;
    auto *addTag = new QPushButton(tr("Add &tag"), options);
    addTag->setObjectName(QStringLiteral("addTag"));
    connect(addTag, &QPushButton::clicked, this, [this] { m_tags->addRow(); });
    auto *removeTag = new QPushButton(tr("Remove tag"), options);
    connect(removeTag, &QPushButton::clicked, this,
            [this, tagView] { m_tags->removeRow(tagView->currentIndex().row()); });
    tagButtons->addWidget(addTag);
    tagButtons->addWidget(removeTag);
    tagButtons->addStretch();
    ol->addLayout(tagButtons);
    ol->addWidget(errorLabel(QStringLiteral("tags"), options));
    m_protection = new QCheckBox(tr("&Deletion protection"), options);
    m_protection->setObjectName(QStringLiteral("deletionProtection"));
    m_protection->setToolTip(tr("The cluster cannot be deleted until this is turned off"));
    connect(m_protection, &QCheckBox::toggled, this, &ClusterWizard::revalidate);
    ol->addWidget(m_protection);
    setPage(OptionsPage, options);

    QWizardPage *review = makePage(
        tr("Review"),
        tr("Check the settings, then create the cluster. It appears at once as “preparing”."),
        QStringLiteral("reviewPage"));
    auto *rl = new QVBoxLayout(review);
    m_review = new QLabel(review);
    m_review->setObjectName(QStringLiteral("reviewSummary"));
    m_review->setTextFormat(Qt::RichText);
    m_review->setWordWrap(true);
    m_review->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rl->addWidget(m_review);
    m_reviewError = errorLabel(QStringLiteral("_review"), review);
    rl->addWidget(m_reviewError);
    rl->addStretch();
    setPage(ReviewPage, review);
}

void ClusterWizard::applyProviders(const QList<ProviderInfo> &providers) {
    auto *items = qobject_cast<QStandardItemModel *>(m_provider->model());
    if (!items)
        return;
    QStringList notes;
    for (int row = 0; row < m_provider->count(); ++row) {
        const QString name = m_provider->itemData(row).toString();
        const auto it = std::find_if(providers.cbegin(), providers.cend(),
                                     [&](const ProviderInfo &p) { return p.name == name; });
        // A provider the server does not list at all cannot deploy either.
        const bool available = it != providers.cend() && it->available;
        const QString reason =
            it == providers.cend() ? tr("This server has no such provider.") : it->reason;
        QStandardItem *item = items->item(row);
        item->setEnabled(available);
        item->setToolTip(available ? QString() : reason);
        if (!available) {
            notes << tr("%1: %2").arg(item->text(), reason);
            item->setText(tr("%1 — not available on this server").arg(item->text()));
        }
    }
    if (const QStandardItem *current = items->item(m_provider->currentIndex());
        current && !current->isEnabled()) {
        for (int row = 0; row < m_provider->count(); ++row) {
            if (items->item(row)->isEnabled()) {
                m_provider->setCurrentIndex(row);
                break;
            }
        }
    }
    m_providerNote->setText(notes.join(QLatin1Char('\n')));
    m_providerNote->setVisible(!notes.isEmpty());
}

ClusterDraft ClusterWizard::draft() const {
    ClusterDraft d;
    d.name = m_name->text().trimmed();
    d.clusterType = m_type->currentData().toString();
    d.description = m_description->text();
    d.provider = m_provider->currentData().toString();
    bool ok = false;
    const qint64 account = m_cloudAccount->text().toLongLong(&ok);
    if (ok)
        d.cloudAccountId = account;
    d.region = m_region->text().trimmed();
    d.subnetId = m_subnet->text().trimmed();
    d.vpcId = m_vpc->text().trimmed();
    d.keyPairName = m_keyPair->text().trimmed();
    d.nodeType = m_nodeType->text().trimmed();
    d.minNodes = m_minNodes->value();
    d.maxNodes = m_maxNodes->value();
    d.partitions = m_partitions->partitions();
    d.tags = m_tags->pairs();
    d.deletionProtection = m_protection->isChecked();
    return d;
}

int ClusterWizard::pageOfField(const QString &field) {
    const QString head = field.section(QLatin1Char('.'), 0, 0).section(QLatin1Char('['), 0, 0);
    if (kNetworkFields.contains(head))
        return NetworkPage;
    if (head == QLatin1String("partitions"))
        return PartitionsPage;
    if (head == QLatin1String("tags") || head == QLatin1String("deletion_protection"))
        return OptionsPage;
    if (kBasicFields.contains(head))
        return BasicsPage;
    return ReviewPage;
}

QString ClusterWizard::fieldError(const QString &field) const {
    const QLabel *l = m_errorLabels.value(field);
    return l && !l->isHidden() ? l->text() : QString();
}

void ClusterWizard::revalidate() {
    m_errors = draft().check();
    // A server refusal of the name stays next to it until the user changes the name.
    if (m_serverError.type == ErrorType::ClusterNameInUse &&
        m_name->text().trimmed() == m_refusedName)
        m_errors.prepend({QStringLiteral("name"), m_serverError.message});
    for (auto it = m_errorLabels.begin(); it != m_errorLabels.end(); ++it) {
        const bool grouped =
            it.key() == QLatin1String("partitions") || it.key() == QLatin1String("tags");
        FieldErrors mine = grouped ? rules::errorsFor(m_errors, it.key()) : FieldErrors{};
        if (!grouped) {
            for (const auto &e : std::as_const(m_errors))
                if (e.field == it.key())
                    mine.append(e);
        }
        QStringList lines;
        for (const auto &e : std::as_const(mine)) {
            QString where;
            if (grouped && e.field != it.key()) {
                const int row =
                    e.field.section(QLatin1Char('['), 1).section(QLatin1Char(']'), 0, 0).toInt() +
                    1;
                where = tr("Row %1, %2: ").arg(row).arg(e.field.section(QLatin1Char('.'), -1));
            }
            lines << where + e.message;
        }
        it.value()->setText(lines.join(QLatin1Char('\n')));
        it.value()->setVisible(!lines.isEmpty() && it.key() != QLatin1String("_review"));
    }
    if (m_review && currentId() == ReviewPage) {
        const ClusterDraft d = draft();
        QString html = tr("<b>%1</b> — Slurm on %2<br/>").arg(d.name.toHtmlEscaped(), d.provider);
        if (!d.description.isEmpty())
            html += d.description.toHtmlEscaped() + QStringLiteral("<br/>");
        if (d.provider == QLatin1String("aws"))
            html += tr("Region %1, subnet %2, key pair %3, nodes %4–%5<br/>")
                        .arg(d.region, d.subnetId, d.keyPairName)
                        .arg(d.minNodes)
                        .arg(d.maxNodes);
        html += tr("Partitions:") + QStringLiteral("<ul>");
        for (const auto &p : d.partitions)
            html += QStringLiteral("<li>%1 (%2, %3–%4 nodes)%5</li>")
                        .arg(p.name.toHtmlEscaped(), p.nodeType.toHtmlEscaped())
                        .arg(p.minNodes)
                        .arg(p.maxNodes)
                        .arg(p.isDefault ? tr(" — default") : QString());
        html += QStringLiteral("</ul>");
        html += tr("Tags: %1 · Deletion protection: %2")
                    .arg(d.tags.size())
                    .arg(d.deletionProtection ? tr("on") : tr("off"));
        m_review->setText(html);
    }
}

int ClusterWizard::nextId() const {
    if (currentId() == BasicsPage)
        return m_provider->currentData().toString() == QLatin1String("aws") ? NetworkPage
                                                                            : PartitionsPage;
    return QWizard::nextId();
}

bool ClusterWizard::validateCurrentPage() {
    revalidate();
    const int here = currentId();
    for (const auto &e : std::as_const(m_errors)) {
        if (pageOfField(e.field) == here)
            return false;
    }
    return QWizard::validateCurrentPage();
}

void ClusterWizard::setPageMessage(const QString &text) {
    m_reviewError->setText(text);
    m_reviewError->setVisible(!text.isEmpty());
}

void ClusterWizard::showServerError(const ApiError &error) {
    m_serverError = error;
    m_refusedName = m_name->text().trimmed();
    const int target = error.field.isEmpty() ? int(ReviewPage) : pageOfField(error.field);
    while (currentId() != target && currentId() != startId() && visitedIds().contains(target))
        back();
    revalidate();
    if (QLabel *label = m_errorLabels.value(error.field)) {
        label->setText(error.message);
        label->show();
    } else {
        setPageMessage(error.message);
    }
    if (target == BasicsPage && error.field == QLatin1String("name")) {
        m_name->setFocus();
        m_name->selectAll();
    }
}

void ClusterWizard::accept() {
    if (m_submitting)
        return;
    const FieldErrors errors = draft().check();
    if (!errors.isEmpty()) {
        showServerError(ApiError::validation(errors));
        return;
    }
    m_submitting = true;
    setPageMessage(tr("Creating…"));
    button(QWizard::FinishButton)->setEnabled(false);
    m_api->clusters().create(draft().toJson(), this,
                             [this](const ClusterInfo &cluster, const ApiError &error) {
                                 m_submitting = false;
                                 button(QWizard::FinishButton)->setEnabled(true);
                                 if (error.isError()) {
                                     showServerError(error);
                                     return;
                                 }
                                 setPageMessage(QString());
                                 Q_EMIT created(cluster);
                                 QWizard::accept();
                             });
}

} // namespace clusterra
