#include "widgets/ClusterActions.h"

#include "core/api/Drafts.h"
#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "widgets/ClusterEditDialog.h"
#include "widgets/DeleteClusterDialog.h"

#include <QAction>
#include <QMenu>
#include <QWidget>

namespace clusterra {

ClusterActions::ClusterActions(ApiClient *api, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_api(api)
    , m_dialogParent(dialogParent)
    , m_edit(new QAction(tr("&Edit description…"), this))
    , m_scale(new QAction(tr("&Scale partitions…"), this))
    , m_protect(new QAction(tr("Deletion &protection"), this))
    , m_retry(new QAction(tr("&Retry deployment"), this))
    , m_delete(new QAction(tr("&Delete cluster…"), this)) {
    m_edit->setObjectName(QStringLiteral("actionEditCluster"));
    m_scale->setObjectName(QStringLiteral("actionScaleCluster"));
    m_protect->setObjectName(QStringLiteral("actionProtectCluster"));
    m_retry->setObjectName(QStringLiteral("actionRetryCluster"));
    m_delete->setObjectName(QStringLiteral("actionDeleteCluster"));
    m_protect->setCheckable(true);
    connect(m_edit, &QAction::triggered, this, [this] { openEdit(false); });
    connect(m_scale, &QAction::triggered, this, [this] { openEdit(true); });
    connect(m_protect, &QAction::triggered, this, &ClusterActions::setProtection);
    connect(m_retry, &QAction::triggered, this, &ClusterActions::retry);
    connect(m_delete, &QAction::triggered, this, [this] { openDelete(); });
    updateActions();
}

void ClusterActions::setCluster(const ClusterInfo *cluster) {
    m_cluster = cluster ? std::optional<ClusterInfo>(*cluster) : std::nullopt;
    updateActions();
}

void ClusterActions::setAdmin(bool admin) {
    m_admin = admin;
    updateActions();
}

void ClusterActions::setProviders(const QList<ProviderInfo> &providers) {
    m_unavailable.clear();
    for (const ProviderInfo &p : providers)
        if (!p.available)
            m_unavailable.insert(p.name, p.reason);
    updateActions();
}

void ClusterActions::addTo(QMenu *menu) const {
    menu->setToolTipsVisible(true); // the reasons an action is off
    menu->addAction(m_edit);
    menu->addAction(m_scale);
    menu->addAction(m_protect);
    menu->addSeparator();
    menu->addAction(m_retry);
    menu->addAction(m_delete);
}

void ClusterActions::updateActions() {
    const QList<QAction *> all{m_edit, m_scale, m_protect, m_retry, m_delete};
    QString blocked;
    if (!m_cluster)
        blocked = tr("Select a cluster first.");
    else if (!m_admin)
        blocked = tr("Only an administrator of your organisation can change clusters.");
    else if (m_cluster->state == QLatin1String("deleting"))
        blocked = tr("The cluster is being deleted.");
    m_protect->setChecked(m_cluster && m_cluster->deletionProtection);
    if (!blocked.isEmpty()) {
        for (QAction *a : all) {
            a->setEnabled(false);
            a->setToolTip(blocked);
        }
        return;
    }
    m_edit->setEnabled(true);
    m_edit->setToolTip(
        tr("Change the description or deletion protection of %1").arg(m_cluster->name));
    const bool slurm = m_cluster->provider == QLatin1String("slurm");
    m_scale->setEnabled(!slurm && !m_cluster->partitions.isEmpty());
    m_scale->setToolTip(slurm ? tr("The partitions of an existing Slurm are set in its own "
                                   "configuration.")
                              : tr("Change how many nodes each partition keeps and may grow to"));
    m_protect->setEnabled(true);
    m_protect->setToolTip(
        m_cluster->deletionProtection
            ? tr("On: nobody can delete %1 until this is turned off.").arg(m_cluster->name)
            : tr("Off: turn on so that %1 cannot be deleted by mistake.").arg(m_cluster->name));
    const bool failed = m_cluster->state == QLatin1String("failed");
    const QString unavailable = m_unavailable.value(m_cluster->provider);
    m_retry->setEnabled(failed && unavailable.isEmpty() && !m_retrying);
    m_retry->setToolTip(
        !failed                  ? tr("Only a cluster whose deployment failed is deployed again.")
        : !unavailable.isEmpty() ? tr("It would fail the same way: %1").arg(unavailable)
        : m_retrying             ? tr("Asking the server to deploy it again…")
                     : tr("Deploy %1 again with the same settings").arg(m_cluster->name));
    m_delete->setEnabled(true);
    m_delete->setToolTip(m_cluster->deletionProtection
                             ? tr("Deletion protection is on; the dialog offers to turn it off.")
                             : tr("Cancel the cluster's jobs and delete it"));
}

ClusterEditDialog *ClusterActions::openEdit(bool scale) {
    if (!m_cluster || !(scale ? m_scale : m_edit)->isEnabled())
        return nullptr;
    auto *d = new ClusterEditDialog(m_api, *m_cluster,
                                    scale ? ClusterEditDialog::ScaleFocus
                                          : ClusterEditDialog::DescriptionFocus,
                                    m_dialogParent);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &ClusterEditDialog::saved, this, [this](const ClusterInfo &c) {
        Q_EMIT changed(c);
        Q_EMIT statusMessage(tr("Cluster %1 updated").arg(c.name));
    });
    d->open();
    return d;
}

DeleteClusterDialog *ClusterActions::openDelete() {
    if (!m_cluster || !m_delete->isEnabled())
        return nullptr;
    auto *d = new DeleteClusterDialog(m_api, *m_cluster, m_dialogParent);
    d->setAttribute(Qt::WA_DeleteOnClose);
    const QString name = m_cluster->name;
    connect(d, &DeleteClusterDialog::deletionStarted, this, [this, name](const QString &id) {
        Q_EMIT deletionStarted(id);
        Q_EMIT statusMessage(
            tr("Cluster %1 is being deleted; it goes once its jobs have stopped").arg(name));
    });
    d->open();
    return d;
}

void ClusterActions::retry() {
    if (!m_cluster || !m_retry->isEnabled())
        return;
    const QString name = m_cluster->name;
    m_retrying = true; // one retry at a time, whatever the cluster poll says meanwhile
    updateActions();
    m_api->clusters().retry(
        m_cluster->id, this, [this, name](const ClusterInfo &c, const ApiError &e) {
            m_retrying = false;
            updateActions();
            if (e.isError()) {
                Q_EMIT statusMessage(tr("Cannot deploy %1 again: %2").arg(name, e.message));
                return;
            }
            Q_EMIT changed(c);
            Q_EMIT statusMessage(tr("Cluster %1 is being deployed again").arg(name));
        });
}

void ClusterActions::setProtection(bool on) {
    if (!m_cluster)
        return;
    const QString name = m_cluster->name;
    m_api->clusters().update(
        m_cluster->id,
        ClusterPatch{.description = {}, .deletionProtection = on, .partitions = {}}.toJson(), this,
        [this, name, on](const ClusterInfo &c, const ApiError &e) {
            if (e.isError()) {
                updateActions(); // back to what the server has
                Q_EMIT statusMessage(
                    tr("Cannot change deletion protection of %1: %2").arg(name, e.message));
                return;
            }
            Q_EMIT changed(c);
            Q_EMIT statusMessage(on ? tr("Deletion protection of %1 is on").arg(name)
                                    : tr("Deletion protection of %1 is off").arg(name));
        });
}

} // namespace clusterra
