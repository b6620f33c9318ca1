#pragma once

#include "tests/server/TestServer.h"

#include <QString>
#include <QStringList>

// The real Slurm that scripts/slurm-ci.sh started (CTest fixture "slurm"): where slurmrestd
// listens and the tokens it accepts, read from the env file the script wrote.
struct SlurmEnv {
    QString restUrl;
    QString jobUser;   // an ordinary Linux user jobs can run as
    QString jobToken;  // that user's token
    QString rootToken; // root's, which may act for any user

    bool load();
    // Whether a missing Slurm is a failure (CI must run these suites) or a skip.
    static bool required() { return qEnvironmentVariableIsSet("CI"); }

    // Registers the Slurm as a cluster of `server` and waits until it is ready.
    QString readyCluster(TestServer &server, const QString &name, const QString &userMapping,
                         const QString &token) const;
    // Submits with sbatch as the job user, as someone at a terminal of the cluster would:
    // `sbatch --parsable <args>`. The job's Slurm id, or 0 with sbatch's words in `why`.
    qint64 sbatch(const QStringList &args, QByteArray *why = nullptr) const;
    // Asks slurmrestd itself about a Slurm job id, as its own user.
    TestServer::Raw slurmJob(TestServer &server, qint64 slurmId) const;
};

#define SLURM_ENV_OR_SKIP(env)                                                                     \
    do {                                                                                           \
        if (!(env).load()) {                                                                       \
            if (SlurmEnv::required())                                                              \
                QFAIL("no Slurm: scripts/slurm-ci.sh start wrote no env file");                    \
            QSKIP("no Slurm here (scripts/slurm-ci.sh needs root)");                               \
        }                                                                                          \
    } while (false)
