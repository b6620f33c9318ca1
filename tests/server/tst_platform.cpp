#include "server/sys/Platform.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace clusterra::server;

// The system seam, in whichever branch this build compiled: the Linux fast paths in the main
// tree, the portable code in a CLUSTERRA_PORTABLE tree. Both must behave the same way.
class TestPlatform : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The kernel copy either copies everything (Linux) or nothing (elsewhere), never a
    // wrong byte: what the caller then copies itself joins up exactly.
    void copyInKernelCopiesAllOrNothing() {
        QTemporaryDir dir;
        QFile in(dir.filePath(QStringLiteral("in")));
        QVERIFY(in.open(QIODevice::ReadWrite));
        QByteArray data(300000, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char(i * 7);
        in.write(data);
        in.flush();
        in.seek(0);
        QFile out(dir.filePath(QStringLiteral("out")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("head:");
        out.flush();
        ::lseek(in.handle(), 0, SEEK_SET);
        ::lseek(out.handle(), 0, SEEK_END);
        const qint64 copied = sys::copyInKernel(in.handle(), out.handle(), data.size());
        QCOMPARE(copied, sys::kLinuxFastPaths ? data.size() : 0);
        out.close();
        QFile check(out.fileName());
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray("head:") + data.left(copied));
    }

    // The path of an open file reaches that file after its name has gone to another file.
    void pathOfOpenFileFollowsTheDescriptor() {
        QTemporaryDir dir;
        const QString name = dir.filePath(QStringLiteral("checked"));
        QFile checked(name);
        QVERIFY(checked.open(QIODevice::WriteOnly));
        checked.write("the checked file");
        checked.close();
        QVERIFY(checked.open(QIODevice::ReadOnly));
        QVERIFY(QFile::remove(name));
        QFile swapped(name);
        QVERIFY(swapped.open(QIODevice::WriteOnly));
        swapped.write("a swapped-in file");
        swapped.close();
        QFile through(sys::pathOfOpenFile(checked.handle()));
        QVERIFY2(through.open(QIODevice::ReadOnly), qPrintable(through.fileName()));
        QCOMPARE(through.readAll(), QByteArray("the checked file"));
    }

    // A child closes every descriptor from a number up, and keeps those below.
    void closeDescriptorsFromClosesTheRest() {
        const int kept = ::open("/dev/null", O_RDONLY);
        const int high = ::fcntl(kept, F_DUPFD, 200);
        QVERIFY(kept >= 0 && high >= 200);
        const pid_t child = ::fork();
        if (child == 0) {
            sys::closeDescriptorsFrom(100);
            const bool keptOpen = ::fcntl(kept, F_GETFD) != -1;
            const bool highClosed = ::fcntl(high, F_GETFD) == -1 && errno == EBADF;
            ::_exit(keptOpen && highClosed ? 0 : 1);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        ::close(kept);
        ::close(high);
    }

    void physicalMemoryIsKnown() {
        const qint64 mb = sys::physicalMemoryMb();
        QVERIFY(mb > 64);
        QVERIFY(mb < 64LL * 1024 * 1024); // under 64 TiB: not a unit mix-up
    }

    void epollOnlyOnTheLinuxFastPath() { QCOMPARE(sys::epollByDefault(), sys::kLinuxFastPaths); }
};

QTEST_GUILESS_MAIN(TestPlatform)
#include "tst_platform.moc"
