#include "core/slurm/JobSubmit.h"
#include "core/templates/JobTemplate.h"

#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

using namespace clusterra;
using nlohmann::json;

namespace {
JobTemplate echoTemplate() {
    const json def = {
        {"id", "echo"},
        {"name", "Echo"},
        {"parameters", json::array({{{"name", "text"}, {"type", "string"}, {"required", true}},
                                    {{"name", "count"},
                                     {"type", "integer"},
                                     {"default", 2},
                                     {"minimum", 1},
                                     {"maximum", 8}},
                                    {{"name", "mode"},
                                     {"type", "enum"},
                                     {"enum", json::array({"fast", "slow"})},
                                     {"default", "fast"}},
                                    {{"name", "input"}, {"type", "file"}}})},
        {"script", "#!/bin/sh\nprintf '%s' {{text}}\n"},
        {"job",
         {{"name", "echo-{{mode}}"},
          {"cpus_per_task", {{"param", "count"}}},
          {"current_working_directory", "/tmp"},
          {"environment", json::array({"PATH=/usr/bin:/bin"})}}}};
    QString error;
    auto t = JobTemplate::fromJson(def, &error);
    if (!t)
        qFatal("template: %s", qPrintable(error));
    return *t;
}

QByteArray runScript(const QString &script) {
    QTemporaryFile file;
    file.open();
    file.write(script.toUtf8());
    file.close();
    QProcess p;
    p.start(QStringLiteral("/bin/sh"), {file.fileName()});
    p.waitForFinished();
    return p.readAllStandardOutput();
}
} // namespace

class TestJobTemplate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A hostile value must reach the program as one literal argument and run nothing.
    void hostileValuesStayLiteral_data() {
        QTest::addColumn<QString>("value");
        QTest::newRow("semicolon") << QStringLiteral("x; touch /tmp/pwned-clusterra");
        QTest::newRow("command substitution") << QStringLiteral("$(id) `id`");
        QTest::newRow("single quote") << QStringLiteral("it's '; echo pwned; '");
        QTest::newRow("newline") << QStringLiteral("a\nrm -rf /tmp/nothing\n");
        QTest::newRow("variables") << QStringLiteral("$HOME ${PATH} $0");
        QTest::newRow("glob and redirect") << QStringLiteral("* > /tmp/x < /etc/passwd | cat &");
        QTest::newRow("backslashes") << QStringLiteral("\\' \\\" \\\\");
        QTest::newRow("placeholder lookalike") << QStringLiteral("{{count}}");
        QTest::newRow("unicode") << QString::fromUtf8("h\xC3\xA9 \xE2\x9C\x93");
    }

    void hostileValuesStayLiteral() {
        QFETCH(QString, value);
        const JobTemplate t = echoTemplate();
        json resolved;
        QVERIFY(t.checkParams({{"text", value.toStdString()}}, resolved).isEmpty());
        const json body = t.render(resolved);
        QVERIFY(checkJobSubmit(body).ok());
        QCOMPARE(
            QString::fromUtf8(runScript(QString::fromStdString(body["script"].get<std::string>()))),
            value);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/pwned-clusterra")));
    }

    void jobFieldsTakeParams() {
        json resolved;
        QVERIFY(echoTemplate()
                    .checkParams({{"text", "x"}, {"count", 4}, {"mode", "slow"}}, resolved)
                    .isEmpty());
        const json body = echoTemplate().render(resolved);
        QCOMPARE(body["job"]["cpus_per_task"].get<int>(), 4);
        QCOMPARE(body["job"]["name"].get<std::string>(), std::string("echo-slow"));
    }

    void badParams_data() {
        QTest::addColumn<QByteArray>("params");
        QTest::addColumn<QString>("field");
        QTest::newRow("missing required") << QByteArray(R"({})") << QStringLiteral("params.text");
        QTest::newRow("unknown") << QByteArray(R"({"text":"a","bogus":1})")
                                 << QStringLiteral("params.bogus");
        QTest::newRow("int as string")
            << QByteArray(R"({"text":"a","count":"3; rm"})") << QStringLiteral("params.count");
        QTest::newRow("int out of range")
            << QByteArray(R"({"text":"a","count":99})") << QStringLiteral("params.count");
        QTest::newRow("float for int")
            << QByteArray(R"({"text":"a","count":1.5})") << QStringLiteral("params.count");
        QTest::newRow("enum") << QByteArray(R"({"text":"a","mode":"medium"})")
                              << QStringLiteral("params.mode");
        QTest::newRow("file traversal")
            << QByteArray(R"({"text":"a","input":"shared/../../etc/passwd"})")
            << QStringLiteral("params.input");
        QTest::newRow("file absolute") << QByteArray(R"({"text":"a","input":"/etc/passwd"})")
                                       << QStringLiteral("params.input");
        QTest::newRow("file backslash")
            << QByteArray(R"({"text":"a","input":"a\\b"})") << QStringLiteral("params.input");
        QTest::newRow("params not object") << QByteArray(R"([1])") << QStringLiteral("params");
    }

    void badParams() {
        QFETCH(QByteArray, params);
        QFETCH(QString, field);
        json resolved;
        const auto errors = echoTemplate().checkParams(json::parse(params.toStdString()), resolved);
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.first().field, field);
    }
};

QTEST_GUILESS_MAIN(TestJobTemplate)
#include "tst_jobtemplate.moc"
