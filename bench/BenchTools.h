#pragma once

// What every bench program needs besides its own subject: the median of runs, and a load of
// HTTP requests kept at a fixed number in flight.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <algorithm>
#include <cstdio>
#include <functional>

namespace bench {

// The median of `runs` (the upper one of an even count).
template <typename List> double median(List runs) {
    std::sort(runs.begin(), runs.end());
    return runs.empty() ? 0.0 : double(runs[runs.size() / 2]);
}

// Runs `total` requests made by `make`, keeping `parallel` in flight; returns requests per
// second. A request answered with anything but 2xx is counted and the first one reported.
inline double hammer(int total, int parallel, const std::function<QNetworkReply *()> &make) {
    int started = 0;
    int done = 0;
    int failed = 0;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    std::function<void()> next = [&] {
        if (started >= total)
            return;
        ++started;
        QNetworkReply *r = make();
        QObject::connect(r, &QNetworkReply::finished, &loop, [&, r] {
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if ((status < 200 || status > 299) && ++failed == 1)
                std::fprintf(stderr, "  a request failed (%d): %s\n", status,
                             r->readAll().left(300).constData());
            r->deleteLater();
            if (++done == total)
                loop.quit();
            else
                next();
        });
    };
    for (int i = 0; i < parallel && i < total; ++i)
        next();
    if (total > 0)
        loop.exec();
    if (failed)
        std::fprintf(stderr, "  %d of %d requests failed\n", failed, total);
    return total * 1000.0 / double(std::max<qint64>(1, clock.elapsed()));
}

} // namespace bench
