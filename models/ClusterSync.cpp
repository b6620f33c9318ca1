#include "models/ClusterSync.h"

#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "models/ClusterListModel.h"

namespace clusterra {

ClusterSync::ClusterSync(ApiClient *api, ClusterListModel *model, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_model(model) {
    m_timer.setInterval(3000);
    connect(&m_timer, &QTimer::timeout, this, &ClusterSync::refreshNow);
}

void ClusterSync::start() {
    refreshNow();
    m_timer.start();
}

void ClusterSync::refreshNow() {
    if (m_inFlight)
        return;
    m_inFlight = true;
    m_api->clusters().list(this, [this](const QList<ClusterInfo> &clusters, const ApiError &error) {
        m_inFlight = false;
        if (error.isError()) {
            Q_EMIT failed(error);
            return;
        }
        m_model->setClusters(clusters);
        if (!m_loaded) {
            m_loaded = true;
            Q_EMIT loaded();
        }
    });
}

} // namespace clusterra
