#pragma once

#include "core/api/Types.h"
#include "core/client/SseClient.h"

#include <QObject>

namespace clusterra {

class ApiClient;
class EventListModel;

// The live events of one cluster: the SSE stream (resuming by sequence number) into an
// EventListModel, and signals that tell the job table and cluster list to refresh.
class EventFeed : public QObject {
    Q_OBJECT
public:
    EventFeed(ApiClient *api, EventListModel *model, QObject *parent = nullptr);
    void setCluster(const QString &clusterId);
    SseClient::State state() const { return m_sse.state(); }

Q_SIGNALS:
    void jobsChanged();
    void clusterChanged();
    void stateChanged(clusterra::SseClient::State state);

private:
    void onEvent(const SseEvent &event);

    EventListModel *m_model;
    SseClient m_sse;
    QString m_clusterId;
};

} // namespace clusterra
