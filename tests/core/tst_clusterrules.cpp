#include "core/rules/ClusterRules.h"
#include "core/rules/FieldRules.h"

#include <QTest>

using namespace clusterra;
using nlohmann::json;

namespace {
json localCluster() {
    return {{"name", "research-1"}, {"cluster_type", "slurm"}};
}

json awsCluster() {
    return {{"name", "gpu-east"},
            {"cluster_type", "slurm"},
            {"provider", "aws"},
            {"cloud_account_id", 7},
            {"node_type", "p3.2xlarge"},
            {"instance_key_pair_name", "ops-key"},
            {"subnet_id", "subnet-0abc1234"},
            {"region_name", "us-east-1"},
            {"min_node_count", 0},
            {"max_node_count", 10},
            {"partitions",
             json::array({{{"name", "gpu"}, {"node_type", "p3.2xlarge"}, {"max_node_count", 4}}})}};
}

json partitions(int n) {
    json out = json::array();
    for (int i = 0; i < n; ++i)
        out.push_back(
            {{"name", "p" + std::to_string(i)}, {"node_type", "c6g.large"}, {"max_node_count", 2}});
    return out;
}

json tags(int n) {
    json out = json::array();
    for (int i = 0; i < n; ++i)
        out.push_back({{"key", "k" + std::to_string(i)}, {"value", "v"}});
    return out;
}

// Applies `patch` (a JSON merge of top-level members; null removes) to `base`.
json with(json base, const json &patch) {
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it->is_null())
            base.erase(it.key());
        else
            base[it.key()] = *it;
    }
    return base;
}
} // namespace

class TestClusterRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Every rule of seed 000 (and seed 003's tags) as a row: body -> field at fault.
    void rejects_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("messagePart");
        auto row = [](const char *name, const json &body, const char *field, const char *part) {
            QTest::newRow(name) << QByteArray::fromStdString(body.dump())
                                << QString::fromLatin1(field) << QString::fromUtf8(part);
        };
        const json local = localCluster();
        const json aws = awsCluster();
        row("name missing", with(local, {{"name", nullptr}}), "name", "required");
        row("name empty", with(local, {{"name", ""}}), "name", "empty");
        row("name 129 chars", with(local, {{"name", std::string(129, 'a')}}), "name", "1 to 128");
        row("name underscore", with(local, {{"name", "my_cluster"}}), "name",
            "letters, digits and hyphens");
        row("name starts with hyphen", with(local, {{"name", "-abc"}}), "name", "start and end");
        row("name ends with hyphen", with(local, {{"name", "abc-"}}), "name", "start and end");
        row("name with space", with(local, {{"name", "a b"}}), "name", "hyphens");
        row("name not string", with(local, {{"name", 5}}), "name", "must be a string");
        row("cluster_type missing", with(local, {{"cluster_type", nullptr}}), "cluster_type",
            "required");
        row("cluster_type pbs", with(local, {{"cluster_type", "pbs"}}), "cluster_type",
            "\"slurm\"");
        row("provider unknown", with(local, {{"provider", "gcp"}}), "provider", "one of");
        row("secret too short", with(local, {{"secret", std::string(23, 'x')}}), "secret",
            "24 to 32");
        row("secret too long", with(local, {{"secret", std::string(33, 'x')}}), "secret",
            "24 to 32");
        row("secret with space",
            with(local, {{"secret", std::string(12, 'x') + " " + std::string(12, 'y')}}), "secret",
            "printable");
        row("description too long", with(local, {{"description", std::string(513, 'd')}}),
            "description", "512");
        row("unknown field", with(local, {{"colour", "red"}}), "colour", "not a known field");
        row("aws field on local", with(local, {{"subnet_id", "subnet-0abc1234"}}), "subnet_id",
            "only valid for AWS");
        row("cloud account on local", with(local, {{"cloud_account_id", 3}}), "cloud_account_id",
            "only valid for AWS");
        row("aws node_type missing", with(aws, {{"node_type", nullptr}}), "node_type", "required");
        row("aws key pair missing", with(aws, {{"instance_key_pair_name", nullptr}}),
            "instance_key_pair_name", "required");
        row("aws subnet missing", with(aws, {{"subnet_id", nullptr}}), "subnet_id", "required");
        row("aws subnet malformed", with(aws, {{"subnet_id", "sub-1"}}), "subnet_id", "subnet id");
        row("aws region missing", with(aws, {{"region_name", nullptr}}), "region_name", "required");
        row("aws region malformed", with(aws, {{"region_name", "east"}}), "region_name",
            "AWS region");
        row("aws vpc malformed", with(aws, {{"vpc_id", "vpc1"}}), "vpc_id", "VPC id");
        row("aws cloud account missing", with(aws, {{"cloud_account_id", nullptr}}),
            "cloud_account_id", "required");
        row("aws min above max", with(aws, {{"min_node_count", 5}, {"max_node_count", 2}}),
            "max_node_count", "at least min_node_count");
        row("aws max over 100", with(aws, {{"max_node_count", 101}}), "max_node_count",
            "between 1 and 100");
        row("aws no partitions", with(aws, {{"partitions", json::array()}}), "partitions",
            "at least one partition");
        row("21 partitions", with(local, {{"partitions", partitions(21)}}), "partitions",
            "at most 20");
        row("partition name missing",
            with(local,
                 {{"partitions", json::array({{{"node_type", "x"}, {"max_node_count", 1}}})}}),
            "partitions[0].name", "required");
        row("partition node_type missing",
            with(local, {{"partitions", json::array({{{"name", "a"}, {"max_node_count", 1}}})}}),
            "partitions[0].node_type", "required");
        row("partition max missing",
            with(local, {{"partitions", json::array({{{"name", "a"}, {"node_type", "x"}}})}}),
            "partitions[0].max_node_count", "required");
        row("partition max 101",
            with(local,
                 {{"partitions",
                   json::array({{{"name", "a"}, {"node_type", "x"}, {"max_node_count", 101}}})}}),
            "partitions[0].max_node_count", "between 1 and 100");
        row("partition min negative",
            with(local, {{"partitions", json::array({{{"name", "a"},
                                                      {"node_type", "x"},
                                                      {"min_node_count", -1},
                                                      {"max_node_count", 1}}})}}),
            "partitions[0].min_node_count", "between 0 and 100");
        row("partition min above max",
            with(local, {{"partitions", json::array({{{"name", "a"},
                                                      {"node_type", "x"},
                                                      {"min_node_count", 3},
                                                      {"max_node_count", 2}}})}}),
            "partitions[0].max_node_count", "at least min_node_count");
        {
            json ps = partitions(3);
            ps[2]["name"] = "P0";
            row("partition names unique", with(local, {{"partitions", ps}}), "partitions[2].name",
                "unique");
        }
        {
            json ps = partitions(3);
            ps[0]["is_default"] = true;
            ps[2]["is_default"] = true;
            row("two defaults", with(local, {{"partitions", ps}}), "partitions[2].is_default",
                "only one");
        }
        row("21 tags", with(local, {{"tags", tags(21)}}), "tags", "at most 20");
        row("tag key empty", with(local, {{"tags", json::array({{{"key", ""}, {"value", "v"}}})}}),
            "tags[0].key", "empty");
        row("tag key 129", with(local, {{"tags", json::array({{{"key", std::string(129, 'k')}}})}}),
            "tags[0].key", "1 to 128");
        row("tag key reserved", with(local, {{"tags", json::array({{{"key", "clusterra:x"}}})}}),
            "tags[0].key", "reserved");
        row("tag value url",
            with(local, {{"tags", json::array({{{"key", "a"}, {"value", "see https://x"}}})}}),
            "tags[0].value", "http");
        row("tag keys unique",
            with(local, {{"tags", json::array({{{"key", "a"}}, {{"key", "a"}}})}}), "tags[1].key",
            "repeats");
        row("deletion_protection not bool", with(local, {{"deletion_protection", "yes"}}),
            "deletion_protection", "true or false");
        row("slurm block missing", with(local, {{"provider", "slurm"}}), "slurm", "required");
        row("slurm url bad",
            with(local, {{"provider", "slurm"},
                         {"slurm", {{"rest_url", "ftp://x"}, {"user_name", "u"}, {"token", "t"}}}}),
            "slurm.rest_url", "http");
        // user_name and token become slurmrestd's request headers: no line ends, no root.
        const auto slurmWith = [&](const char *key, const char *value) {
            nlohmann::json s{{"rest_url", "http://h:6820"}, {"user_name", "svc"}, {"token", "t"}};
            s[key] = value;
            return with(local, {{"provider", "slurm"}, {"slurm", s}});
        };
        row("slurm user CRLF", slurmWith("user_name", "svc\r\nX-Evil: 1"), "slurm.user_name",
            "Linux user name");
        row("slurm user root", slurmWith("user_name", "root"), "slurm.user_name",
            "other than root");
        row("slurm token LF", slurmWith("token", "abc\ndef"), "slurm.token", "printable");
        row("slurm token space", slurmWith("token", "abc def"), "slurm.token", "printable");
    }

    void rejects() {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, messagePart);
        const auto check = rules::checkClusterCreate(json::parse(body.toStdString()));
        QVERIFY2(!check.ok(), "expected a validation error");
        const auto errors = rules::errorsFor(check.errors, field);
        QVERIFY2(!errors.isEmpty(), qPrintable(QStringLiteral("no error on %1; got %2: %3")
                                                   .arg(field, check.errors.first().field,
                                                        check.errors.first().message)));
        QVERIFY2(errors.first().message.contains(messagePart, Qt::CaseInsensitive),
                 qPrintable(errors.first().message));
    }

    void accepts_data() {
        QTest::addColumn<QByteArray>("body");
        auto row = [](const char *name, const json &body) {
            QTest::newRow(name) << QByteArray::fromStdString(body.dump());
        };
        row("minimal local", localCluster());
        row("one char name", with(localCluster(), {{"name", "a"}}));
        row("128 char name", with(localCluster(), {{"name", std::string(128, 'a')}}));
        row("aws full", awsCluster());
        row("secret 24", with(localCluster(), {{"secret", std::string(24, 's')}}));
        row("secret 32", with(localCluster(), {{"secret", std::string(32, 's')}}));
        row("20 partitions", with(localCluster(), {{"partitions", partitions(20)}}));
        row("20 tags", with(localCluster(), {{"tags", tags(20)}}));
        row("max 100",
            with(localCluster(),
                 {{"partitions",
                   json::array({{{"name", "a"}, {"node_type", "x"}, {"max_node_count", 100}}})}}));
        row("slurm",
            with(localCluster(),
                 {{"provider", "slurm"},
                  {"slurm",
                   {{"rest_url", "http://127.0.0.1:6820"}, {"user_name", "u"}, {"token", "t"}}}}));
    }

    void accepts() {
        QFETCH(QByteArray, body);
        const auto check = rules::checkClusterCreate(json::parse(body.toStdString()));
        QVERIFY2(check.ok(), check.ok()
                                 ? ""
                                 : qPrintable(check.errors.first().field + QStringLiteral(": ") +
                                              check.errors.first().message));
    }

    void firstPartitionBecomesDefault() {
        const auto check =
            rules::checkClusterCreate(with(localCluster(), {{"partitions", partitions(3)}}));
        QVERIFY(check.ok());
        QCOMPARE(check.normalized["partitions"][0]["is_default"].get<bool>(), true);
        QCOMPARE(check.normalized["partitions"][1]["is_default"].get<bool>(), false);
        QCOMPARE(check.normalized["partitions"][1]["min_node_count"].get<int>(), 0);
    }

    void localGetsADefaultPartition() {
        const auto check = rules::checkClusterCreate(localCluster());
        QCOMPARE(check.normalized["partitions"].size(), size_t(1));
        QCOMPARE(check.normalized["provider"].get<std::string>(), std::string("local"));
    }

    void awsLongNameWarns() {
        const auto check =
            rules::checkClusterCreate(with(awsCluster(), {{"name", std::string(28, 'a')}}));
        QVERIFY(check.ok());
        QCOMPARE(check.warnings.size(), 1);
    }

    void updateScalesPartition() {
        const auto created =
            rules::checkClusterCreate(with(localCluster(), {{"partitions", partitions(2)}}));
        auto check = rules::checkClusterUpdate(
            {{"partitions", json::array({{{"name", "p1"}, {"max_node_count", 7}}})}},
            created.normalized);
        QVERIFY(check.ok());
        QCOMPARE(check.normalized["partitions"][1]["max_node_count"].get<int>(), 7);
        check = rules::checkClusterUpdate(
            {{"partitions", json::array({{{"name", "nope"}, {"max_node_count", 7}}})}},
            created.normalized);
        QCOMPARE(check.errors.first().field, QStringLiteral("partitions[0].name"));
        check = rules::checkClusterUpdate(
            {{"partitions", json::array({{{"name", "p1"}, {"min_node_count", 9}}})}},
            created.normalized);
        QCOMPARE(check.errors.first().field, QStringLiteral("partitions[0].max_node_count"));
        check = rules::checkClusterUpdate({{"name", "rename"}}, created.normalized);
        QCOMPARE(check.errors.first().field, QStringLiteral("name"));
    }
};

QTEST_GUILESS_MAIN(TestClusterRules)
#include "tst_clusterrules.moc"
