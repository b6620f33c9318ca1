#include "models/EventFeed.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"
#include "models/EventListModel.h"

namespace clusterra {

EventFeed::EventFeed(ApiClient *api, EventListModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_sse(api) {
    connect(&m_sse, &SseClient::eventReceived, this, &EventFeed::onEvent);
    connect(&m_sse, &SseClient::stateChanged, this, &EventFeed::stateChanged);
}

void EventFeed::setCluster(const QString &clusterId) {
    if (clusterId == m_clusterId)
        return;
    m_clusterId = clusterId;
    m_sse.stop();
    m_model->clear();
    if (!clusterId.isEmpty())
        m_sse.start(ApiClient::clusterPath(clusterId) + QStringLiteral("/events/stream"));
}

void EventFeed::onEvent(const SseEvent &event) {
    const auto json = parseJson(event.data.toUtf8());
    if (!json.is_object())
        return;
    const EventInfo info = EventInfo::fromJson(json);
    m_model->append({info});
    if (info.kind.startsWith(QLatin1String("job.")))
        Q_EMIT jobsChanged();
    if (info.kind.startsWith(QLatin1String("cluster.")) ||
        info.kind.startsWith(QLatin1String("job.")))
        Q_EMIT clusterChanged();
}

} // namespace clusterra
