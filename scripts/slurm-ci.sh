#!/usr/bin/env bash
# A real single-node Slurm (Debian 12's 22.05: munged, slurmctld, slurmd, slurmrestd with JWT)
# on 127.0.0.1 for the Slurm integration tests, without systemd or cgroups.
#
#   scripts/slurm-ci.sh start   # idempotent; writes $CLUSTERRA_SLURM_DIR/env (sourceable)
#   scripts/slurm-ci.sh stop    # stops what start started
#
# env holds SLURM_REST_URL, SLURM_REST_USER (an ordinary user jobs run as), SLURM_JWT (that
# user's token) and SLURM_JWT_ROOT (root's, which may act for any user). Needs root: the
# daemons switch users. Without root it says so and writes no env (the tests then skip,
# except under CI, where they fail).
set -euo pipefail

DIR=${CLUSTERRA_SLURM_DIR:-/var/lib/clusterra-slurm}
REST_PORT=${CLUSTERRA_SLURM_REST_PORT:-6820}
JOB_USER=slurmci
REST_DAEMON_USER=slurmrest # slurmrestd refuses to run as root or as SlurmUser
MIN_JOB_AGE=${CLUSTERRA_SLURM_MIN_JOB_AGE:-5}
CONF=/etc/slurm/slurm.conf

say() { echo "[slurm-ci] $*" >&2; }
alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
pidof_file() { [ -s "$1" ] && cat "$1" || true; }
stop_pid() { # pidfile comm
    local pid; pid=$(pidof_file "$1")
    if alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid"
    fi
    rm -f "$1"
}
wait_until() { # seconds what command...
    local end=$((SECONDS + $1)) what=$2; shift 2
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $end ] && { say "gave up waiting for $what"; tail -20 "$DIR"/log/*.log >&2 || true; exit 1; }
        sleep 0.2
    done
}

if [ "$(id -u)" != 0 ]; then
    say "skipped: starting Slurm needs root"
    exit 0
fi

if [ "${1:-start}" = stop ]; then
    if [ -s "$DIR/slurmctld.pid" ]; then
        timeout 10 bash -c 'squeue -h -o %F | sort -u | xargs -r scancel' 2>/dev/null || true
    fi
    stop_pid "$DIR/slurmrestd.pid" slurmrestd
    stop_pid "$DIR/slurmd.pid" slurmd
    stop_pid "$DIR/slurmctld.pid" slurmctld
    [ -e "$DIR/munged.ours" ] && stop_pid /run/munge/munged.pid munged && rm -f "$DIR/munged.ours"
    rm -f "$DIR/env"
    exit 0
fi

for p in munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        { say "package $p is missing: run scripts/install-deps.sh"; exit 1; }
done

getent passwd "$REST_DAEMON_USER" >/dev/null ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$REST_DAEMON_USER"
getent passwd "$JOB_USER" >/dev/null || useradd --create-home --shell /bin/bash "$JOB_USER"

install -d -m 0755 "$DIR" /etc/slurm /run/munge
install -d -m 0700 -o slurm -g slurm "$DIR/state"
install -d -m 0755 "$DIR/spool"
install -d -m 0755 -o slurm -g slurm "$DIR/log"
chown munge:munge /run/munge
[ -s "$DIR/state/jwt.key" ] || dd if=/dev/urandom bs=32 count=1 of="$DIR/state/jwt.key" status=none
chown slurm:slurm "$DIR/state/jwt.key"
chmod 0600 "$DIR/state/jwt.key"
[ -s /etc/munge/munge.key ] || /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key

NODE=$(hostname -s)
HW=$(/usr/sbin/slurmd -C | head -1)
hw() { echo "$HW" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
WANT=$(cat <<EOF
# written by clusterra scripts/slurm-ci.sh
ClusterName=clusterra-ci
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/state/jwt.key
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=$MIN_JOB_AGE
KillWait=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(hw CPUs) Boards=$(hw Boards) SocketsPerBoard=$(hw SocketsPerBoard) CoresPerSocket=$(hw CoresPerSocket) ThreadsPerCore=$(hw ThreadsPerCore) RealMemory=$(hw RealMemory) State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=30:00 State=UP
PartitionName=long Nodes=$NODE Default=NO MaxTime=INFINITE State=UP
EOF
)
if [ "$(cat "$CONF" 2>/dev/null)" != "$WANT" ]; then
    [ -e "$CONF" ] && ! head -1 "$CONF" | grep -q clusterra && cp -a "$CONF" "$CONF.before-clusterra"
    printf '%s\n' "$WANT" > "$CONF"
    stop_pid "$DIR/slurmrestd.pid" slurmrestd # a new config needs fresh daemons
    stop_pid "$DIR/slurmd.pid" slurmd
    stop_pid "$DIR/slurmctld.pid" slurmctld
fi

if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1
    touch "$DIR/munged.ours"
    wait_until 20 munged sh -c 'munge -n | unmunge'
fi
unset SLURM_JWT # the CLI as root must use munge
alive "$(pidof_file "$DIR/slurmctld.pid")" || /usr/sbin/slurmctld </dev/null >>"$DIR/log/slurmctld.out" 2>&1
wait_until 30 slurmctld sh -c 'scontrol ping | grep -q "is UP"'
# Tests start from an empty queue: jobs left by an earlier run would hold the node. By array
# id (%F): squeue's %i for a throttled array ("84_[3-20%1]") is no id scancel takes.
squeue -h -o %F | sort -u | xargs -r scancel
alive "$(pidof_file "$DIR/slurmd.pid")" || /usr/sbin/slurmd -N "$NODE" </dev/null >>"$DIR/log/slurmd.out" 2>&1
wait_until 30 "node $NODE" sh -c "sinfo -h -n '$NODE' -o %T | grep -qE '^(idle|mixed|allocated)'"
if ! alive "$(pidof_file "$DIR/slurmrestd.pid")"; then
    # SLURM_JWT=daemon: slurmrestd itself authenticates with JWT. Without slurmdbd only the
    # openapi/v0.0.3x plugins load.
    SLURM_JWT=daemon setsid /usr/sbin/slurmrestd -u "$REST_DAEMON_USER" -g "$REST_DAEMON_USER" \
        -a rest_auth/jwt -s openapi/v0.0.38,openapi/v0.0.37,openapi/v0.0.36 \
        "127.0.0.1:$REST_PORT" </dev/null >>"$DIR/log/slurmrestd.log" 2>&1 &
    echo $! > "$DIR/slurmrestd.pid"
fi

token() { scontrol token username="$1" lifespan=86400 | sed 's/^SLURM_JWT=//'; }
JOB_TOKEN=$(token "$JOB_USER")
ROOT_TOKEN=$(token root)
URL="http://127.0.0.1:$REST_PORT"
wait_until 30 slurmrestd curl -sf -o /dev/null -H "X-SLURM-USER-NAME: $JOB_USER" \
    -H "X-SLURM-USER-TOKEN: $JOB_TOKEN" "$URL/slurm/v0.0.38/ping"
umask 077
cat > "$DIR/env" <<EOF
SLURM_REST_URL=$URL
SLURM_REST_USER=$JOB_USER
SLURM_JWT=$JOB_TOKEN
SLURM_JWT_ROOT=$ROOT_TOKEN
EOF
say "Slurm $(sinfo -V | cut -d' ' -f2) up on $URL (node $NODE); env in $DIR/env"
