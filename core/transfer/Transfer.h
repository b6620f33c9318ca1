#pragma once

#include "core/base/ApiError.h"

#include <QObject>

namespace clusterra {

// One file moving between this machine and a cluster's bucket. The transfer queue drives
// uploads and downloads through this: start once, cancel at any time (what was stored is kept
// for a later resume), progress while it runs, finished exactly once.
class Transfer : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void start() = 0;
    virtual void cancel() = 0;

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished(const clusterra::ApiError &error);
};

} // namespace clusterra
