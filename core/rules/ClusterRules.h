#pragma once

#include "core/base/ApiError.h"

#include <QStringList>
#include <nlohmann/json.hpp>

namespace clusterra::rules {

// Limits of seed 000 (create-cluster reference) and seed 003 (tags, deletion protection).
inline constexpr int kClusterNameMax = 128;
inline constexpr int kClusterNameAwsRecommendedMax = 27;
inline constexpr int kSecretMin = 24;
inline constexpr int kSecretMax = 32;
inline constexpr int kPartitionsMax = 20;
inline constexpr int kNodesPerPartitionMax = 100;
inline constexpr int kTagsMax = 20;
inline constexpr int kTagTextMax = 128;
inline constexpr int kDescriptionMax = 512;

struct ClusterCheck {
    FieldErrors errors;
    QStringList warnings;
    // The request with defaults filled in: provider, partition flags, one default partition.
    nlohmann::json normalized;
    bool ok() const { return errors.isEmpty(); }
};

// Body of POST /v1/clusters. Never throws; reports every broken rule with its JSON path.
ClusterCheck checkClusterCreate(const nlohmann::json &body);
// Body of PATCH /v1/clusters/{id}: description, deletion protection, tags, partition scaling.
// `existing` is the stored cluster (for partition names and current min/max).
ClusterCheck checkClusterUpdate(const nlohmann::json &body, const nlohmann::json &existing);

} // namespace clusterra::rules
