#include "core/util/Json.h"
#include "server/ServerApp.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterra;

// Fails when the server has a route that docs/api/openapi.json does not describe.
class TestOpenApiCoverage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyRouteIsDocumented() {
        QFile f(QStringLiteral(OPENAPI_JSON));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto doc = parseJson(f.readAll());
        QVERIFY(doc.is_object());
        QCOMPARE(doc.value("openapi", std::string()).substr(0, 2), std::string("3."));
        const auto &paths = doc["paths"];
        QTemporaryDir dir;
        server::ServerApp app;
        QString error;
        server::ServerOptions options;
        options.dataDir = dir.path();
        QVERIFY2(app.start(options, &error), qPrintable(error));
        QStringList missing;
        for (const auto &route : app.router().routes()) {
            const std::string path = route.pattern.toStdString();
            const std::string method = http::methodName(route.method).toLower().toStdString();
            if (!paths.contains(path) || !paths[path].contains(method))
                missing << http::methodName(route.method) + QLatin1Char(' ') + route.pattern;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("undocumented routes: ") +
                                               missing.join(QStringLiteral(", "))));
        QVERIFY(app.router().routes().size() >= 20);
        app.stop();
    }
};

QTEST_GUILESS_MAIN(TestOpenApiCoverage)
#include "tst_openapi_coverage.moc"
