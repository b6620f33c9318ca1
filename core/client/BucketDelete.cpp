#include "core/client/BucketDelete.h"

#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"

#include <memory>

namespace clusterra {

void planDeletion(ApiClient &api, const QString &clusterId, const QStringList &files,
                  const QStringList &folders, QObject *ctx,
                  std::function<void(const DeletionPlan &)> done) {
    auto plan = std::make_shared<DeletionPlan>();
    plan->keys = files;
    auto next = std::make_shared<std::function<void(qsizetype)>>();
    // The pending listing's callback owns the chain; the chain points back only weakly.
    *next = [=, &api, weak = std::weak_ptr(next)](qsizetype i) {
        if (i == folders.size())
            return done(*plan);
        const QString folder = folders[i];
        api.files().listAll(
            clusterId, folder, ctx,
            [=, self = weak.lock()](const QList<FileEntry> &found, const ApiError &e) {
                if (e.isError())
                    plan->unlisted << QStringLiteral("%1: %2").arg(folder, e.message);
                else
                    for (const FileEntry &f : found)
                        plan->keys << f.key;
                (*self)(i + 1);
            });
    };
    (*next)(0);
}

void deleteKeys(ApiClient &api, const QString &clusterId, const QStringList &keys, QObject *ctx,
                std::function<void(const DeletionOutcome &)> done) {
    if (keys.isEmpty())
        return done({});
    auto left = std::make_shared<qsizetype>(keys.size());
    auto outcome = std::make_shared<DeletionOutcome>();
    for (const QString &key : keys)
        api.files().remove(clusterId, key, ctx, [=](const ApiError &e) {
            if (e.isError())
                outcome->failures << QStringLiteral("%1: %2").arg(key, e.message);
            else
                ++outcome->deleted;
            if (--*left == 0)
                done(*outcome);
        });
}

} // namespace clusterra
