#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace clusterra {

struct PlannedUpload {
    QString localPath;
    QString key;
    qint64 size = 0;
};

struct UploadPlanResult {
    QList<PlannedUpload> uploads;
    QStringList refused; // "path: why", for what cannot be uploaded as dropped
};

// Turns dropped or chosen local paths into (file, key) pairs under `prefix` (which ends in
// "/"): files keep their name, folders are walked and keep their relative layout. Keys the
// storage rules would refuse (for `email`) are reported instead of attempted.
UploadPlanResult planUploads(const QStringList &localPaths, const QString &prefix,
                             const QString &email, bool isAdmin);

} // namespace clusterra
