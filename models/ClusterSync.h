#pragma once

#include "core/base/ApiError.h"

#include <QObject>
#include <QTimer>

namespace clusterra {

class ApiClient;
class ClusterListModel;

// Polls the cluster list (and refreshes at once when an event announces a change).
class ClusterSync : public QObject {
    Q_OBJECT
public:
    ClusterSync(ApiClient *api, ClusterListModel *model, QObject *parent = nullptr);
    void start();
    void refreshNow();
    bool isLoaded() const { return m_loaded; }

Q_SIGNALS:
    void loaded();
    void failed(const clusterra::ApiError &error);

private:
    ApiClient *m_api;
    ClusterListModel *m_model;
    QTimer m_timer;
    bool m_loaded = false;
    bool m_inFlight = false;
};

} // namespace clusterra
