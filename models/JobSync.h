#pragma once

#include "core/base/ApiError.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace clusterra {

class ApiClient;
class JobTableModel;

// Keeps a JobTableModel in step with one cluster: a full load (paged), then incremental
// refreshes with updated_since every few seconds, and at once when an event says so.
class JobSync : public QObject {
    Q_OBJECT
public:
    JobSync(ApiClient *api, JobTableModel *model, QObject *parent = nullptr);

    void setCluster(const QString &clusterId);
    QString clusterId() const { return m_clusterId; }
    void refreshNow();
    void setInterval(int ms) { m_timer.setInterval(ms); }
    bool isLoaded() const { return m_loaded; }

Q_SIGNALS:
    void loaded(qint64 elapsedMs);
    void failed(const clusterra::ApiError &error);
    void recovered();

private:
    void fetch();

    ApiClient *m_api;
    JobTableModel *m_model;
    QString m_clusterId;
    QString m_cursor;
    QTimer m_timer;
    QElapsedTimer m_loadClock;
    bool m_inFlight = false;
    bool m_again = false;
    bool m_loaded = false;
    bool m_failing = false;
    int m_generation = 0;
};

} // namespace clusterra
