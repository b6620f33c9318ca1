#pragma once

#include "core/api/JobDraft.h"
#include "core/base/ApiError.h"

#include <QList>
#include <QPair>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

// What the console's forms fill in. Core turns drafts into request bodies and checks them with
// the same rules as the server, so widgets neither build nor parse JSON.
namespace clusterra {

struct PartitionDraft {
    QString name;
    QString nodeType;
    int minNodes = 0;
    int maxNodes = 1;
    bool isDefault = false;
};

struct ClusterDraft {
    QString name;
    QString clusterType = QStringLiteral("slurm");
    QString provider = QStringLiteral("local");
    QString description;
    // AWS
    std::optional<qint64> cloudAccountId;
    QString region;
    QString subnetId;
    QString vpcId;
    QString keyPairName;
    QString nodeType;
    int minNodes = 0;
    int maxNodes = 1;
    QList<PartitionDraft> partitions;
    QList<QPair<QString, QString>> tags;
    bool deletionProtection = false;

    nlohmann::json toJson() const;
    // Every rule of the server's create check, by field path.
    FieldErrors check() const;
};

// A change to an existing cluster: only what is set here is sent (PATCH /v1/clusters/{id}).
struct ClusterPatch {
    struct Scale {
        QString partition;
        int minNodes = 0;
        int maxNodes = 0;
    };
    std::optional<QString> description;
    std::optional<bool> deletionProtection;
    QList<Scale> partitions;

    bool isEmpty() const { return !description && !deletionProtection && partitions.isEmpty(); }
    nlohmann::json toJson() const;
    // The partition a refusal's field names ("partitions[1].max_node_count" → its name).
    QString partitionOf(const QString &field) const;
};

struct TextCheck {
    nlohmann::json body; // null when the text is not JSON
    FieldErrors errors;
    QStringList warnings;
};

// Raw JSON typed by a user: syntax errors with line and column, then the v0.0.44 rules for a
// cluster taking `keys`.
TextCheck checkSubmitText(const QString &text, JobKeys keys = JobKeys::LocalExecutor);
// A job's stored request as a draft for the form ("Duplicate").
JobDraft draftFor(const nlohmann::json &storedRequest);
// Template parameter values from a form, as the API wants them.
nlohmann::json templateSubmission(const QString &templateId,
                                  const QList<QPair<QString, QVariant>> &values);

} // namespace clusterra
