#include "models/JobSync.h"

#include "core/client/ApiClient.h"
#include "core/client/JobCalls.h"
#include "models/JobTableModel.h"

namespace clusterra {

JobSync::JobSync(ApiClient *api, JobTableModel *model, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_model(model) {
    m_timer.setInterval(3000);
    connect(&m_timer, &QTimer::timeout, this, &JobSync::refreshNow);
}

void JobSync::setCluster(const QString &clusterId) {
    if (clusterId == m_clusterId)
        return;
    ++m_generation;
    m_clusterId = clusterId;
    m_cursor.clear();
    m_loaded = false;
    m_inFlight = false;
    m_model->clear();
    m_timer.stop();
    if (clusterId.isEmpty())
        return;
    m_loadClock.start();
    fetch();
    m_timer.start();
}

void JobSync::refreshNow() {
    if (m_clusterId.isEmpty())
        return;
    if (m_inFlight) {
        m_again = true; // coalesce bursts of events into one more request
        return;
    }
    fetch();
}

void JobSync::fetch() {
    m_inFlight = true;
    const int generation = m_generation;
    m_api->jobs().list(m_clusterId, m_cursor, this,
                       [this, generation](const JobPage &page, const ApiError &error) {
                           if (generation != m_generation)
                               return; // an answer for a cluster we left
                           m_inFlight = false;
                           if (error.isError()) {
                               if (!m_failing) {
                                   m_failing = true;
                                   Q_EMIT failed(error);
                               }
                               return;
                           }
                           if (m_failing) {
                               m_failing = false;
                               Q_EMIT recovered();
                           }
                           m_model->upsert(page.jobs);
                           if (!page.cursor.isEmpty())
                               m_cursor = page.cursor;
                           if (page.hasMore || m_again) {
                               m_again = false;
                               fetch();
                               return;
                           }
                           if (!m_loaded) {
                               m_loaded = true;
                               Q_EMIT loaded(m_loadClock.elapsed());
                           }
                       });
}

} // namespace clusterra
