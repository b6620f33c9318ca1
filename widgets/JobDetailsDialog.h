#pragma once

#include "core/api/Types.h"

#include <QDialog>

namespace clusterra {

// Everything about one job: resources, times, exit code, reason, script and environment.
class JobDetailsDialog : public QDialog {
    Q_OBJECT
public:
    explicit JobDetailsDialog(const JobInfo &job, QWidget *parent = nullptr);
};

} // namespace clusterra
