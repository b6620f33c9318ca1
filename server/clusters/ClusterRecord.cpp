#include "server/clusters/ClusterRecord.h"

#include "core/util/Json.h"

namespace clusterra::server {

QString ClusterRecord::defaultPartition() const {
    for (const auto &p : spec.value("partitions", nlohmann::json::array())) {
        if (p.value("is_default", false))
            return toQ(p.value("name", std::string()));
    }
    return {};
}

const nlohmann::json *ClusterRecord::partition(const QString &name) const {
    const auto it = spec.find("partitions");
    if (it == spec.end())
        return nullptr;
    for (const auto &p : *it) {
        if (toQ(p.value("name", std::string())) == name)
            return &p;
    }
    return nullptr;
}

} // namespace clusterra::server
