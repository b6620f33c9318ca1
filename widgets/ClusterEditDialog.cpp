#include "widgets/ClusterEditDialog.h"

#include "widgets/ErrorLabel.h"

#include "widgets/Sizing.h"

#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "core/rules/ClusterRules.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace clusterra {

ClusterEditDialog::ClusterEditDialog(ApiClient *api, const ClusterInfo &cluster, Focus focus,
                                     QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_cluster(cluster) {
    setObjectName(QStringLiteral("clusterEditDialog"));
    setWindowTitle(focus == ScaleFocus ? tr("Scale %1").arg(cluster.name)
                                       : tr("Edit %1").arg(cluster.name));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_description = new QLineEdit(cluster.description, this);
    m_description->setObjectName(QStringLiteral("editDescription"));
    m_description->setMaxLength(rules::kDescriptionMax);
    m_description->setPlaceholderText(tr("What the cluster is for, who to ask"));
    m_description->setToolTip(tr("Optional, up to %1 characters").arg(rules::kDescriptionMax));
    form->addRow(tr("&Description:"), m_description);
    m_protection = new QCheckBox(tr("Deletion &protection"), this);
    m_protection->setObjectName(QStringLiteral("editProtection"));
    m_protection->setChecked(cluster.deletionProtection);
    m_protection->setToolTip(tr("While on, nobody can delete the cluster, not even an "
                                "administrator, until it is turned off again."));
    form->addRow(QString(), m_protection);
    layout->addLayout(form);

    auto *scaleTitle = new QLabel(tr("<b>Partitions</b> — nodes kept up (minimum) and the most "
                                     "the cluster may grow to (maximum)"),
                                  this);
    scaleTitle->setWordWrap(true);
    layout->addWidget(scaleTitle);
    m_table = new QTableWidget(int(cluster.partitions.size()), 4, this);
    m_table->setObjectName(QStringLiteral("editPartitions"));
    m_table->setAccessibleName(tr("Partitions"));
    m_table->setHorizontalHeaderLabels({tr("Partition"), tr("Node type"), tr("Min"), tr("Max")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int row = 0; row < cluster.partitions.size(); ++row) {
        const PartitionInfo &p = cluster.partitions[row];
        m_table->setItem(
            row, 0, new QTableWidgetItem(p.isDefault ? tr("%1 (default)").arg(p.name) : p.name));
        m_table->setItem(row, 1, new QTableWidgetItem(p.nodeType));
        PartitionRow r{p.name, p.minNodes, p.maxNodes, new QSpinBox(m_table),
                       new QSpinBox(m_table)};
        for (QSpinBox *box : {r.minBox, r.maxBox})
            box->setRange(0, rules::kNodesPerPartitionMax);
        r.minBox->setValue(p.minNodes);
        r.maxBox->setValue(p.maxNodes);
        r.minBox->setObjectName(QStringLiteral("min_") + p.name);
        r.maxBox->setObjectName(QStringLiteral("max_") + p.name);
        r.minBox->setAccessibleName(tr("Minimum nodes of %1").arg(p.name));
        r.maxBox->setAccessibleName(tr("Maximum nodes of %1").arg(p.name));
        r.maxBox->setToolTip(
            tr("At most %1 nodes per partition").arg(rules::kNodesPerPartitionMax));
        // The maximum never goes below the minimum: the pair the server would refuse cannot
        // be entered.
        r.maxBox->setMinimum(p.minNodes);
        QSpinBox *maxBox = r.maxBox;
        connect(r.minBox, &QSpinBox::valueChanged, maxBox,
                [maxBox](int v) { maxBox->setMinimum(v); });
        for (QSpinBox *box : {r.minBox, r.maxBox})
            connect(box, &QSpinBox::valueChanged, this, &ClusterEditDialog::updateButtons);
        m_table->setCellWidget(row, 2, r.minBox);
        m_table->setCellWidget(row, 3, r.maxBox);
        m_rows.append(r);
    }
    layout->addWidget(m_table, 1);
    if (cluster.provider == QLatin1String("slurm")) {
        // An existing Slurm's partitions are its own configuration; Clusterra only reads them.
        m_table->setEnabled(false);
        auto *why = new QLabel(tr("The partitions of an existing Slurm are set in its own "
                                  "configuration; Clusterra reads them and cannot scale them."),
                               this);
        why->setObjectName(QStringLiteral("editScaleUnavailable"));
        why->setWordWrap(true);
        layout->addWidget(why);
    }
    m_error = makeErrorLabel(QStringLiteral("editError"), this);
    layout->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("editSave"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ClusterEditDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_description, &QLineEdit::textChanged, this, &ClusterEditDialog::updateButtons);
    connect(m_protection, &QCheckBox::toggled, this, &ClusterEditDialog::updateButtons);
    resizeWithinScreen(this, {560, 420});
    if (focus == ScaleFocus && !m_rows.isEmpty() && m_table->isEnabled())
        m_rows.first().maxBox->setFocus();
    else
        m_description->setFocus();
    updateButtons();
}

ClusterPatch ClusterEditDialog::patch() const {
    ClusterPatch out;
    if (m_description->text() != m_cluster.description)
        out.description = m_description->text();
    if (m_protection->isChecked() != m_cluster.deletionProtection)
        out.deletionProtection = m_protection->isChecked();
    for (const PartitionRow &r : m_rows) {
        if (r.minBox->value() != r.min || r.maxBox->value() != r.max)
            out.partitions.append({r.name, r.minBox->value(), r.maxBox->value()});
    }
    return out;
}

void ClusterEditDialog::updateButtons() {
    QPushButton *save = m_buttons->button(QDialogButtonBox::Save);
    const bool changed = !patch().isEmpty();
    save->setEnabled(changed && !m_busy);
    save->setText(m_busy ? tr("Saving…") : tr("Save"));
    save->setToolTip(changed ? QString() : tr("Nothing has changed yet."));
}

void ClusterEditDialog::save() {
    const ClusterPatch body = patch();
    if (body.isEmpty() || m_busy)
        return;
    m_busy = true;
    m_error->hide();
    updateButtons();
    m_api->clusters().update(m_cluster.id, body.toJson(), this,
                             [this](const ClusterInfo &updated, const ApiError &e) {
                                 m_busy = false;
                                 updateButtons();
                                 if (e.isError()) {
                                     showError(e);
                                     return;
                                 }
                                 Q_EMIT saved(updated);
                                 accept();
                             });
}

void ClusterEditDialog::showError(const ApiError &error) {
    // "partitions[2].max_node_count" names a row; the partition's own name reads better.
    QString text = error.message;
    if (const QString name = patch().partitionOf(error.field); !name.isEmpty()) {
        for (const PartitionRow &r : std::as_const(m_rows)) {
            if (r.name != name)
                continue;
            QSpinBox *box =
                error.field.endsWith(QLatin1String(".min_node_count")) ? r.minBox : r.maxBox;
            box->setFocus();
            box->selectAll();
        }
        text = tr("Partition %1: %2").arg(name, error.message);
    } else if (error.field == QLatin1String("description")) {
        m_description->setFocus();
        text = tr("Description: %1").arg(error.message);
    }
    m_error->setText(text);
    m_error->show();
}

QString ClusterEditDialog::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

} // namespace clusterra
