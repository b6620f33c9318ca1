#include "core/rules/ClusterRules.h"

#include "core/rules/FieldRules.h"
#include "core/rules/IdentityRules.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QSet>
#include <array>

namespace clusterra::rules {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("ClusterRules", text);
}

constexpr const char *kClusterTypes[] = {"slurm"};
constexpr const char *kProviders[] = {"local", "aws", "slurm"};
constexpr const char *kSlurmApiVersions[] = {"auto",    "v0.0.44", "v0.0.43", "v0.0.42",
                                             "v0.0.41", "v0.0.40", "v0.0.38"};
constexpr const char *kUserMappings[] = {"per_user", "shared"};

constexpr const char *kNamePattern = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
constexpr const char *kNameHint = QT_TRANSLATE_NOOP(
    "FieldRules", "may contain only letters, digits and hyphens, and must start and end with a "
                  "letter or digit.");

const std::array kClusterRules{
    FieldRule{.key = "name",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = kClusterNameMax,
              .pattern = kNamePattern,
              .patternHint = kNameHint},
    FieldRule{
        .key = "cluster_type", .kind = Kind::String, .required = true, .allowed = kClusterTypes},
    FieldRule{.key = "provider", .kind = Kind::String, .allowed = kProviders},
    FieldRule{.key = "cloud_account_id",
              .kind = Kind::Integer,
              .required = true,
              .scope = AwsOnly,
              .minimum = 1},
    FieldRule{.key = "description", .kind = Kind::String, .maxLength = kDescriptionMax},
    FieldRule{.key = "secret",
              .kind = Kind::String,
              .minLength = kSecretMin,
              .maxLength = kSecretMax,
              .pattern = "[!-~]+",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "may contain only printable ASCII characters "
                                                  "without spaces.")},
    FieldRule{.key = "partitions", .kind = Kind::Array, .maxLength = kPartitionsMax},
    FieldRule{.key = "node_type",
              .kind = Kind::String,
              .required = true,
              .scope = AwsOnly,
              .pattern = "[a-z][a-z0-9-]*\\.[a-z0-9-]+",
              .patternHint = QT_TRANSLATE_NOOP("FieldRules", "must be an EC2 instance type such as "
                                                             "p3.2xlarge.")},
    FieldRule{.key = "instance_key_pair_name",
              .kind = Kind::String,
              .required = true,
              .scope = AwsOnly,
              .minLength = 1,
              .maxLength = 255},
    FieldRule{.key = "subnet_id",
              .kind = Kind::String,
              .required = true,
              .scope = AwsOnly,
              .pattern = "subnet-[0-9a-f]{8,17}",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be a subnet id such as subnet-0abc1234.")},
    FieldRule{.key = "region_name",
              .kind = Kind::String,
              .required = true,
              .scope = AwsOnly,
              .pattern = "[a-z]{2}(?:-gov)?-[a-z]+-[0-9]",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be an AWS region such as us-east-1.")},
    FieldRule{.key = "vpc_id",
              .kind = Kind::String,
              .scope = AwsOnly,
              .pattern = "vpc-[0-9a-f]{8,17}",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be a VPC id such as vpc-0abc1234.")},
    FieldRule{.key = "min_node_count",
              .kind = Kind::Integer,
              .required = true,
              .scope = AwsOnly,
              .minimum = 0,
              .maximum = kNodesPerPartitionMax},
    FieldRule{.key = "max_node_count",
              .kind = Kind::Integer,
              .required = true,
              .scope = AwsOnly,
              .minimum = 1,
              .maximum = kNodesPerPartitionMax},
    FieldRule{.key = "tags", .kind = Kind::Array, .maxLength = kTagsMax},
    FieldRule{.key = "deletion_protection", .kind = Kind::Boolean},
    FieldRule{.key = "slurm", .kind = Kind::Object, .required = true, .scope = SlurmOnly},
};

const std::array kPartitionRules{
    FieldRule{.key = "name",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = 64,
              .pattern = "[A-Za-z][A-Za-z0-9_-]*",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must start with a letter and contain only "
                                                  "letters, digits, '_' and '-'.")},
    FieldRule{.key = "node_type",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = 64,
              .pattern = "[A-Za-z0-9][A-Za-z0-9._-]*",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be a node type such as c6g.xlarge.")},
    FieldRule{.key = "min_node_count",
              .kind = Kind::Integer,
              .minimum = 0,
              .maximum = kNodesPerPartitionMax},
    FieldRule{.key = "max_node_count",
              .kind = Kind::Integer,
              .required = true,
              .minimum = 1,
              .maximum = kNodesPerPartitionMax},
    FieldRule{.key = "is_default", .kind = Kind::Boolean},
};

const std::array kTagRules{
    FieldRule{.key = "key",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = kTagTextMax},
    FieldRule{.key = "value", .kind = Kind::String, .maxLength = kTagTextMax},
};

const std::array kSlurmRules{
    FieldRule{.key = "rest_url",
              .kind = Kind::String,
              .required = true,
              .pattern = "https?://[^\\s/]+(?:/\\S*)?",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be an http:// or https:// URL of "
                                                  "slurmrestd.")},
    // Both travel in HTTP headers to slurmrestd: nothing that could end a header line.
    FieldRule{.key = "user_name",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = kMaxLinuxUserLength,
              .pattern = kLinuxUserPattern,
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be a Linux user name other than root "
                                                  "(lower-case letters, digits, . _ -).")},
    FieldRule{.key = "token",
              .kind = Kind::String,
              .required = true,
              .minLength = 1,
              .maxLength = 8192,
              .pattern = "[!-~]+",
              .patternHint =
                  QT_TRANSLATE_NOOP("FieldRules", "must be printable ASCII without spaces, as "
                                                  "scontrol token prints it.")},
    FieldRule{.key = "api_version", .kind = Kind::String, .allowed = kSlurmApiVersions},
    // Whose name jobs run under: each submitter's (the token must be root's or SlurmUser's, which
    // may act for others) or user_name's for everyone, which has to be said here explicitly.
    FieldRule{.key = "user_mapping", .kind = Kind::String, .allowed = kUserMappings},
};

const std::array kPatchRules{
    FieldRule{.key = "description", .kind = Kind::String, .maxLength = kDescriptionMax},
    FieldRule{.key = "deletion_protection", .kind = Kind::Boolean},
    FieldRule{.key = "tags", .kind = Kind::Array, .maxLength = kTagsMax},
    FieldRule{.key = "partitions", .kind = Kind::Array, .maxLength = kPartitionsMax},
};

const std::array kPartitionPatchRules{
    FieldRule{.key = "name", .kind = Kind::String, .required = true, .minLength = 1},
    FieldRule{.key = "min_node_count",
              .kind = Kind::Integer,
              .minimum = 0,
              .maximum = kNodesPerPartitionMax},
    FieldRule{.key = "max_node_count",
              .kind = Kind::Integer,
              .minimum = 1,
              .maximum = kNodesPerPartitionMax},
};

unsigned scopeOf(const QString &provider) {
    if (provider == QLatin1String("aws"))
        return AwsOnly;
    if (provider == QLatin1String("slurm"))
        return SlurmOnly;
    return LocalOnly;
}

bool containsUrl(const QString &s) {
    return s.contains(QLatin1String("http://"), Qt::CaseInsensitive) ||
           s.contains(QLatin1String("https://"), Qt::CaseInsensitive);
}

void checkTags(const nlohmann::json &tags, FieldErrors &errors) {
    if (!tags.is_array())
        return;
    QSet<QString> seen;
    for (size_t i = 0; i < tags.size(); ++i) {
        const QString path = indexPath(QStringLiteral("tags"), qsizetype(i));
        const FieldErrors before = errors;
        checkObject(tags[i], path, kTagRules, AnyProvider, errors);
        if (errors.size() != before.size())
            continue;
        const QString key = stringOr(tags[i], "key");
        const QString value = stringOr(tags[i], "value");
        if (key.startsWith(QLatin1String("clusterra:"), Qt::CaseInsensitive))
            errors.append({path + QStringLiteral(".key"),
                           tr("must not start with \"clusterra:\", which is reserved.")});
        else if (containsUrl(key))
            errors.append(
                {path + QStringLiteral(".key"), tr("must not contain http:// or https://.")});
        if (containsUrl(value))
            errors.append(
                {path + QStringLiteral(".value"), tr("must not contain http:// or https://.")});
        if (seen.contains(key))
            errors.append(
                {path + QStringLiteral(".key"), tr("repeats the tag key \"%1\".").arg(key)});
        seen.insert(key);
    }
}

void checkPartitions(nlohmann::json &partitions, FieldErrors &errors) {
    QSet<QString> names;
    int defaults = 0;
    for (size_t i = 0; i < partitions.size(); ++i) {
        auto &p = partitions[i];
        const QString path = indexPath(QStringLiteral("partitions"), qsizetype(i));
        const qsizetype before = errors.size();
        checkObject(p, path, kPartitionRules, AnyProvider, errors);
        if (errors.size() != before)
            continue;
        const QString name = stringOr(p, "name");
        if (names.contains(name.toLower()))
            errors.append(
                {path + QStringLiteral(".name"),
                 tr("repeats the partition name \"%1\"; names must be unique.").arg(name)});
        names.insert(name.toLower());
        const qint64 min = intMember(p, "min_node_count").value_or(0);
        const qint64 max = intMember(p, "max_node_count").value_or(0);
        if (max < min)
            errors.append({path + QStringLiteral(".max_node_count"),
                           tr("must be at least min_node_count (%1).").arg(min)});
        p["min_node_count"] = min;
        const bool isDefault = boolOr(p, "is_default", false);
        p["is_default"] = isDefault;
        if (isDefault && ++defaults > 1)
            errors.append({path + QStringLiteral(".is_default"),
                           tr("only one partition can be the default.")});
    }
    if (defaults == 0 && !partitions.empty())
        partitions[0]["is_default"] = true;
}
} // namespace

ClusterCheck checkClusterCreate(const nlohmann::json &body) {
    ClusterCheck check;
    if (!body.is_object()) {
        check.errors.append({QString(), tr("The request body must be a JSON object.")});
        return check;
    }
    check.normalized = body;
    const QString provider = stringOr(body, "provider", QStringLiteral("local"));
    check.normalized["provider"] = toStd(provider);
    const unsigned scope = scopeOf(provider);
    checkObject(body, QString(), kClusterRules, scope, check.errors);

    if (const auto it = body.find("slurm");
        scope == SlurmOnly && it != body.end() && it->is_object())
        checkObject(*it, QStringLiteral("slurm"), kSlurmRules, AnyProvider, check.errors);
    if (const auto it = body.find("tags"); it != body.end())
        checkTags(*it, check.errors);
    if (const auto min = intMember(body, "min_node_count"), max = intMember(body, "max_node_count");
        min && max && *max < *min)
        check.errors.append({QStringLiteral("max_node_count"),
                             tr("must be at least min_node_count (%1).").arg(*min)});

    auto &partitions = check.normalized["partitions"];
    if (partitions.is_null())
        partitions = nlohmann::json::array();
    if (partitions.is_array()) {
        if (scope == AwsOnly && partitions.empty())
            check.errors.append(
                {QStringLiteral("partitions"), tr("AWS clusters need at least one partition.")});
        if (scope == SlurmOnly && !partitions.empty())
            check.errors.append({QStringLiteral("partitions"),
                                 tr("are read from Slurm for existing Slurm clusters; leave them "
                                    "out.")});
        if (scope == LocalOnly && partitions.empty())
            partitions.push_back({{"name", "local"},
                                  {"node_type", "local"},
                                  {"min_node_count", 0},
                                  {"max_node_count", 1},
                                  {"is_default", true}});
        checkPartitions(partitions, check.errors);
    }
    if (!check.normalized.contains("deletion_protection"))
        check.normalized["deletion_protection"] = false;
    if (!check.normalized.contains("tags"))
        check.normalized["tags"] = nlohmann::json::array();

    const QString name = stringOr(body, "name");
    if (scope == AwsOnly && name.size() > kClusterNameAwsRecommendedMax)
        check.warnings << tr("Names longer than %1 characters may exceed the CloudFormation stack "
                             "name limit.")
                              .arg(kClusterNameAwsRecommendedMax);
    return check;
}

ClusterCheck checkClusterUpdate(const nlohmann::json &body, const nlohmann::json &existing) {
    ClusterCheck check;
    check.normalized = existing;
    checkObject(body, QString(), kPatchRules, AnyProvider, check.errors);
    if (!check.errors.isEmpty())
        return check;
    if (const auto it = body.find("tags"); it != body.end()) {
        checkTags(*it, check.errors);
        check.normalized["tags"] = *it;
    }
    if (body.contains("description"))
        check.normalized["description"] = body["description"];
    if (body.contains("deletion_protection"))
        check.normalized["deletion_protection"] = body["deletion_protection"];
    const auto patches = body.find("partitions");
    if (patches == body.end())
        return check;
    auto &stored = check.normalized["partitions"];
    for (size_t i = 0; i < patches->size(); ++i) {
        const auto &patch = (*patches)[i];
        const QString path = indexPath(QStringLiteral("partitions"), qsizetype(i));
        const qsizetype before = check.errors.size();
        checkObject(patch, path, kPartitionPatchRules, AnyProvider, check.errors);
        if (check.errors.size() != before)
            continue;
        const std::string name = patch["name"].get<std::string>();
        auto target = std::find_if(stored.begin(), stored.end(),
                                   [&](const auto &p) { return p.value("name", "") == name; });
        if (target == stored.end()) {
            check.errors.append(
                {path + QStringLiteral(".name"), tr("names no partition of this cluster.")});
            continue;
        }
        const qint64 min = intMember(patch, "min_node_count")
                               .value_or(intMember(*target, "min_node_count").value_or(0));
        const qint64 max = intMember(patch, "max_node_count")
                               .value_or(intMember(*target, "max_node_count").value_or(1));
        if (max < min) {
            check.errors.append({path + QStringLiteral(".max_node_count"),
                                 tr("must be at least min_node_count (%1).").arg(min)});
            continue;
        }
        (*target)["min_node_count"] = min;
        (*target)["max_node_count"] = max;
    }
    return check;
}

} // namespace clusterra::rules
