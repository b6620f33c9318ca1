// Prints how the console's job table copes with 100,000 jobs: decoding the API's JSON, loading
// the model, switching state tabs and searching, with a real QTableView attached.
// Usage: jobtable_bench [jobs=100000]   (QT_QPA_PLATFORM=offscreen works)
#include "core/util/Json.h"
#include "models/JobFilterProxy.h"
#include "models/JobTableModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <cstdio>

using namespace clusterra;

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    const char *states[] = {"COMPLETED", "RUNNING", "PENDING", "FAILED", "CANCELLED", "TIMEOUT"};
    nlohmann::json page{{"jobs", nlohmann::json::array()}};
    for (int i = 0; i < n; ++i)
        page["jobs"].push_back({{"job_id", i + 1},
                                {"name", "job-" + std::to_string(i)},
                                {"user", "user" + std::to_string(i % 50) + "@example.com"},
                                {"partition", i % 3 ? "compute" : "gpu"},
                                {"state", states[i % 6]},
                                {"state_reason", "None"},
                                {"cpus", 1 + i % 8},
                                {"node_count", 1},
                                {"nodes", "node01"},
                                {"priority", i % 100},
                                {"submit_time", "2026-11-22T01:00:00.000Z"},
                                {"start_time", "2026-11-22T01:00:05.000Z"},
                                {"end_time", nullptr},
                                {"time_limit", 60},
                                {"updated_at", std::to_string(1000 + i)}});
    const QByteArray text = dumpJson(page);

    QElapsedTimer t;
    t.start();
    const auto parsed = parseJson(text);
    QList<JobInfo> jobs;
    jobs.reserve(n);
    for (const auto &j : parsed["jobs"])
        jobs.append(JobInfo::fromJson(j));
    const qint64 decodeMs = t.elapsed();

    JobTableModel model;
    JobFilterProxy proxy(&model);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(JobTableModel::JobId, Qt::DescendingOrder);
    view.resize(1200, 800);
    view.show();
    app.processEvents();

    t.restart();
    model.upsert(jobs);
    app.processEvents();
    const qint64 loadMs = t.elapsed();

    std::printf("job table with %d jobs (%.1f MB of JSON)\n", n, text.size() / 1e6);
    std::printf("  decode JSON into JobInfo:      %6lld ms\n", decodeMs);
    std::printf("  load into model + sorted view: %6lld ms\n", loadMs);
    const StateFilter tabs[] = {StateFilter::Running, StateFilter::Pending, StateFilter::Failed,
                                StateFilter::Completed, StateFilter::All};
    for (StateFilter f : tabs) {
        t.restart();
        proxy.setStateFilter(f);
        app.processEvents();
        std::printf("  switch to %-9s (%6d rows): %6lld ms\n", qPrintable(stateFilterName(f)),
                    proxy.rowCount(), t.elapsed());
    }
    t.restart();
    proxy.setSearchText(QStringLiteral("user7@"));
    app.processEvents();
    std::printf("  search \"user7@\"    (%6d rows): %6lld ms\n", proxy.rowCount(), t.elapsed());
    proxy.setSearchText(QString());
    // An incremental refresh: 500 jobs change state.
    QList<JobInfo> changed;
    for (int i = 0; i < 500; ++i) {
        JobInfo j = jobs[i * (n / 500)];
        j.state = JobState::Completed;
        j.stateName = QStringLiteral("COMPLETED");
        j.updatedAt += 10000000;
        changed.append(j);
    }
    t.restart();
    model.upsert(changed);
    app.processEvents();
    std::printf("  refresh with 500 changed jobs: %6lld ms\n", t.elapsed());
    return 0;
}
