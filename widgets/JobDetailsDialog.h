#pragma once

#include "core/api/Types.h"

#include <QDialog>

namespace clusterra {

// Everything about one job: resources, times, exit code, reason, script and environment.
class JobDetailsDialog : public QDialog {
    Q_OBJECT
public:
    explicit JobDetailsDialog(const JobInfo &job, QWidget *parent = nullptr);

Q_SIGNALS:
    // The dialog closes as it asks; the window does the rest (a cancel still asks first).
    void viewLogRequested(const clusterra::JobInfo &job);
    void duplicateRequested(const clusterra::JobInfo &job);
    void cancelRequested(const clusterra::JobInfo &job);
};

} // namespace clusterra
