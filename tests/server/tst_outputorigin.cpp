// Which bytes of an output file are a job's own, for every way the file can change under it.
#include "server/jobs/OutputOrigin.h"

#include <QTest>

using namespace clusterra::server;

namespace {
constexpr qint64 kSecond = 1000000000;
FileIdentity file(qint64 inode, qint64 size, qint64 mtimeSecs) {
    return {1, inode, size, mtimeSecs * kSecond};
}
} // namespace

class TestOutputOrigin : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aNewFileIsAllTheJobs() {
        const OutputOrigin o = markOutput({}, false, 1000);
        QVERIFY(o.inode < 0);
        const OutputWindow w = resolveOutput(o, file(7, 30, 2000));
        QCOMPARE(w.base, 0);
        QVERIFY(!w.empty && !w.restarted);
        QVERIFY(w.updated && w.updated->inode == 7); // remembered from now on
        QVERIFY(resolveOutput(o, {}).empty);         // nothing yet
    }

    // An earlier run's file, emptied when the job starts (Slurm's default).
    void anEarlierRunIsNeverShown() {
        const OutputOrigin o = markOutput(file(7, 500, 100), false, 200 * 1000);
        QVERIFY(o.staleUntilChanged);
        OutputWindow w = resolveOutput(o, file(7, 500, 100)); // not started yet
        QVERIFY(w.empty);
        w = resolveOutput(o, file(7, 12, 201)); // truncated at start, then written
        QVERIFY(!w.empty && !w.restarted);
        QCOMPARE(w.base, 0);
        QVERIFY(w.updated && !w.updated->staleUntilChanged);
        // Round trip through the database form.
        const OutputOrigin back = OutputOrigin::fromJson(o.toJson());
        QVERIFY(back.staleUntilChanged);
        QCOMPARE(back.staleSize, 500);
        QCOMPARE(back.staleMtimeNs, 100 * kSecond);
    }

    // Written after the submit began: the job is already writing (a fast start).
    void writtenSinceTheSubmitIsTheJobs() {
        const OutputOrigin o = markOutput(file(7, 40, 201), false, 200 * 1000);
        QVERIFY(!o.staleUntilChanged);
        QCOMPARE(resolveOutput(o, file(7, 40, 201)).base, 0);
    }

    void appendStartsAfterWhatWasThere() {
        const OutputOrigin o = markOutput(file(7, 500, 100), true, 200 * 1000);
        QCOMPARE(o.offset, 500);
        OutputWindow w = resolveOutput(o, file(7, 620, 201));
        QCOMPARE(w.base, 500);
        QVERIFY(!w.updated);
        w = resolveOutput(o, file(7, 100, 202)); // truncated below the job's start
        QVERIFY(w.restarted);
        QCOMPARE(w.base, 0);
        QVERIFY(w.updated && w.updated->offset == 0);
    }

    void aReplacedFileStartsAgain() {
        const OutputOrigin o = markOutput(file(7, 0, 100), false, 200 * 1000);
        const OutputWindow w = resolveOutput(o, file(8, 20, 300));
        QVERIFY(w.restarted);
        QCOMPARE(w.base, 0);
        QVERIFY(w.updated && w.updated->inode == 8);
    }

    void databaseRowsFromBeforeReadFromTheStart() {
        const OutputOrigin o = OutputOrigin::fromJson(nullptr);
        const OutputWindow w = resolveOutput(o, file(9, 50, 1));
        QCOMPARE(w.base, 0);
        QVERIFY(!w.empty && !w.restarted);
    }
};

QTEST_GUILESS_MAIN(TestOutputOrigin)
#include "tst_outputorigin.moc"
