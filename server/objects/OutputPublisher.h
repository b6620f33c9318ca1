#pragma once

#include <QObject>

namespace clusterra::server {

class ClusterService;
class EventLog;
class JobService;
class JobStore;
class StorageService;

// Seed 005: a finished job's output appears in the cluster's bucket under
// outputs/<owner's email>/<job id>/, for download like any other file. The job's own file
// stays where the job wrote it (logs keep streaming from there); the bucket gets a copy of
// the bytes it held when the job ended, up to `maxBytes` (a job could otherwise fill the
// store's disk with one sparse file; a bigger output is said to be left out, in an event).
class OutputPublisher : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultMaxBytes = qint64(1) << 30;

    OutputPublisher(JobStore &jobs, const JobService &service, ClusterService &clusters,
                    StorageService &storage, EventLog &events, qint64 maxBytes = kDefaultMaxBytes,
                    QObject *parent = nullptr);

    // The key a job's output file is published under.
    static QString keyFor(const QString &email, qint64 jobId, const QString &fileName);

private:
    void publish(qint64 jobId);

    JobStore &m_jobs;
    const JobService &m_service;
    ClusterService &m_clusters;
    StorageService &m_storage;
    EventLog &m_events;
    qint64 m_maxBytes;
};

} // namespace clusterra::server
