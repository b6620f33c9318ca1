#pragma once

#include "core/api/Types.h"

#include <QHash>
#include <QObject>
#include <optional>

class QAction;
class QMenu;
class QWidget;

namespace clusterra {

class ApiClient;
class ClusterEditDialog;
class DeleteClusterDialog;

// What an administrator can do to the selected cluster: edit its description, scale its
// partitions, switch deletion protection, deploy it again after a failure, delete it. One set
// of actions for the Cluster menu, the sidebar's context menu and Overview's Actions button;
// each is enabled only when it can act, and its tooltip says why when it cannot.
class ClusterActions : public QObject {
    Q_OBJECT
public:
    ClusterActions(ApiClient *api, QWidget *dialogParent);

    // The cluster the actions act on (none: nothing selected).
    void setCluster(const ClusterInfo *cluster);
    void setAdmin(bool admin);
    // What the server can deploy: a cluster whose provider cannot is not offered a retry.
    void setProviders(const QList<ProviderInfo> &providers);
    void addTo(QMenu *menu) const;

    QAction *editAction() const { return m_edit; }
    QAction *scaleAction() const { return m_scale; }
    QAction *protectAction() const { return m_protect; }
    QAction *retryAction() const { return m_retry; }
    QAction *deleteAction() const { return m_delete; }

    ClusterEditDialog *openEdit(bool scale);
    DeleteClusterDialog *openDelete();
    void retry();
    void setProtection(bool on);

Q_SIGNALS:
    // The server's answer to a change: the cluster as it is now.
    void changed(const clusterra::ClusterInfo &cluster);
    void deletionStarted(const QString &clusterId);
    void statusMessage(const QString &text);

private:
    void updateActions();

    ApiClient *m_api;
    QWidget *m_dialogParent;
    std::optional<ClusterInfo> m_cluster;
    bool m_admin = false;
    bool m_retrying = false;               // a retry is on its way: not a second one
    QHash<QString, QString> m_unavailable; // provider -> why it cannot deploy
    QAction *m_edit;
    QAction *m_scale;
    QAction *m_protect;
    QAction *m_retry;
    QAction *m_delete;
};

} // namespace clusterra
