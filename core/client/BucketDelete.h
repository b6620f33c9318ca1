#pragma once

#include "core/client/ApiClient.h"

#include <functional>

namespace clusterra {

// Deleting from a cluster's bucket, where a folder is the files under its prefix: the
// workflow the Files page runs, below the widgets so any client can run it the same way.

// What a deletion would remove: every key of the files chosen and of what the folders hold,
// listed first so a confirmation names the real count. A folder whose listing failed is named
// in `unlisted` ("folder: why") and none of its files are in `keys`: never silently left out.
struct DeletionPlan {
    QStringList keys;
    QStringList unlisted;
};
// Folders are listed one after another (a big selection is not a burst of listings).
void planDeletion(ApiClient &api, const QString &clusterId, const QStringList &files,
                  const QStringList &folders, QObject *ctx,
                  std::function<void(const DeletionPlan &)> done);

struct DeletionOutcome {
    int deleted = 0;
    QStringList failures; // "key: why"
};
// Deletes every key (all at once; each answer is counted), then reports.
void deleteKeys(ApiClient &api, const QString &clusterId, const QStringList &keys, QObject *ctx,
                std::function<void(const DeletionOutcome &)> done);

} // namespace clusterra
