#pragma once

#include "core/api/Types.h"

#include <QObject>

class QWidget;

namespace clusterra {

class ApiClient;

// Cancels jobs the way the console always does: one question naming them (the first ten, so a
// selection that caught a job by mistake shows), then a cancel per job, and one message with
// how it went, the first refusal in full.
class JobCanceller : public QObject {
    Q_OBJECT
public:
    JobCanceller(ApiClient *api, QWidget *parent);
    void cancel(const QString &clusterId, const QList<JobInfo> &jobs);

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    // Every answer is in: time to read the jobs again.
    void finished();

private:
    ApiClient *m_api;
    QWidget *m_parent;
};

} // namespace clusterra
