#include "core/api/Drafts.h"

#include "core/rules/ClusterRules.h"
#include "core/slurm/JobSubmit.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QVariant>

namespace clusterra {

nlohmann::json ClusterDraft::toJson() const {
    nlohmann::json j{
        {"name", toStd(name)}, {"cluster_type", toStd(clusterType)}, {"provider", toStd(provider)}};
    if (!description.isEmpty())
        j["description"] = toStd(description);
    if (provider == QLatin1String("aws")) {
        if (cloudAccountId)
            j["cloud_account_id"] = *cloudAccountId;
        j["region_name"] = toStd(region);
        j["subnet_id"] = toStd(subnetId);
        if (!vpcId.isEmpty())
            j["vpc_id"] = toStd(vpcId);
        j["instance_key_pair_name"] = toStd(keyPairName);
        j["node_type"] = toStd(nodeType);
        j["min_node_count"] = minNodes;
        j["max_node_count"] = maxNodes;
    }
    auto parts = nlohmann::json::array();
    for (const auto &p : partitions)
        parts.push_back({{"name", toStd(p.name)},
                         {"node_type", toStd(p.nodeType)},
                         {"min_node_count", p.minNodes},
                         {"max_node_count", p.maxNodes},
                         {"is_default", p.isDefault}});
    if (!parts.empty())
        j["partitions"] = std::move(parts);
    if (!tags.isEmpty()) {
        auto t = nlohmann::json::array();
        for (const auto &[k, v] : tags)
            t.push_back({{"key", toStd(k)}, {"value", toStd(v)}});
        j["tags"] = std::move(t);
    }
    if (deletionProtection)
        j["deletion_protection"] = true;
    return j;
}

nlohmann::json ClusterPatch::toJson() const {
    nlohmann::json out = nlohmann::json::object();
    if (description)
        out["description"] = toStd(*description);
    if (deletionProtection)
        out["deletion_protection"] = *deletionProtection;
    if (!partitions.isEmpty()) {
        auto list = nlohmann::json::array();
        for (const Scale &s : partitions)
            list.push_back({{"name", toStd(s.partition)},
                            {"min_node_count", s.minNodes},
                            {"max_node_count", s.maxNodes}});
        out["partitions"] = std::move(list);
    }
    return out;
}

QString ClusterPatch::partitionOf(const QString &field) const {
    static const QRegularExpression path(QStringLiteral(R"(^partitions\[(\d+)\]\.)"));
    const auto m = path.match(field);
    const int index = m.hasMatch() ? m.captured(1).toInt() : -1;
    return index >= 0 && index < partitions.size() ? partitions[index].partition : QString();
}

FieldErrors ClusterDraft::check() const {
    return rules::checkClusterCreate(toJson()).errors;
}

TextCheck checkSubmitText(const QString &text, JobKeys keys) {
    TextCheck out;
    const std::string s = text.toStdString();
    try {
        out.body = nlohmann::json::parse(s);
    } catch (const nlohmann::json::parse_error &e) {
        // Byte offset to line and column for a message next to the editor.
        const size_t at = qMin<size_t>(e.byte, s.size());
        int line = 1, column = 1;
        for (size_t i = 0; i + 1 < at; ++i) {
            if (s[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        out.body = nullptr;
        out.errors.append({QString(), QCoreApplication::translate(
                                          "Drafts", "Not valid JSON at line %1, column %2.")
                                          .arg(line)
                                          .arg(column)});
        return out;
    }
    if (out.body.is_object() && out.body.contains("template_id"))
        return out; // the server renders and checks templates
    const auto check = checkJobSubmit(out.body, keys);
    out.errors = check.errors;
    out.warnings = check.warnings;
    return out;
}

JobDraft draftFor(const nlohmann::json &storedRequest) {
    nlohmann::json job = storedRequest.is_object() ? storedRequest : nlohmann::json::object();
    const nlohmann::json script = job.value("script", nlohmann::json("#!/bin/bash\n"));
    job.erase("script");
    JobDraft draft;
    JobDraft::fromJson({{"script", script}, {"job", job}}, &draft);
    return draft;
}

nlohmann::json templateSubmission(const QString &templateId,
                                  const QList<QPair<QString, QVariant>> &values) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto &[name, value] : values) {
        switch (value.typeId()) {
        case QMetaType::Bool:
            params[toStd(name)] = value.toBool();
            break;
        case QMetaType::Int:
        case QMetaType::LongLong:
            params[toStd(name)] = value.toLongLong();
            break;
        case QMetaType::Double:
            params[toStd(name)] = value.toDouble();
            break;
        default:
            params[toStd(name)] = toStd(value.toString());
        }
    }
    return {{"template_id", toStd(templateId)}, {"params", std::move(params)}};
}

} // namespace clusterra
