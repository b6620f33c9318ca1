#!/usr/bin/env bash
# Renders the console's pages and dialogs to PNG under Xvfb, against a local server seeded with
# a cluster and jobs in every state. Usage: [SCREEN=1024x640x24] [CONSOLE_ARGS=...] \
#   scripts/screenshots.sh [OUT_DIR]   (CONSOLE_ARGS="--theme dark": dark)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/screenshots}"
data="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
build/server/clusterra-server --data "$data" --local-cpus 4 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do [ -f "$data/server.json" ] && break; sleep 0.05; done
url=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['url'])" "$data/server.json")
token=$(curl -s -X POST "$url/v1/auth/callback" -d "{\"local_token\":\"$(cat "$data/local-token")\"}" |
        python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
api() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
cluster='{"name":"genomics-prod","cluster_type":"slurm","description":"RNA-seq and variant calling",
      "partitions":[{"name":"compute","node_type":"local","max_node_count":4,"is_default":true},{"name":"highmem","node_type":"local","max_node_count":2}]}'
# SLURM_ENV=/var/lib/clusterra-slurm/env: the same pictures with the cluster backed by the real
# Slurm that scripts/slurm-ci.sh started, to compare both kinds side by side.
if [ -n "${SLURM_ENV:-}" ]; then
    . "$SLURM_ENV"
    cluster='{"name":"hpc-onprem","cluster_type":"slurm","provider":"slurm","description":"Existing Slurm via slurmrestd",
      "slurm":{"rest_url":"'"$SLURM_REST_URL"'","user_name":"'"$SLURM_REST_USER"'","user_mapping":"shared","token":"'"$SLURM_JWT"'"}}'
fi
cid=$(api -X POST "$url/v1/clusters" -d "$cluster" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
# Protected, so the delete dialog shows how protection is lifted.
api -X PATCH "$url/v1/clusters/$cid" -d '{"deletion_protection":true}' >/dev/null
# A cloud cluster this server cannot deploy: the sidebar and Overview show a failure.
api -X POST "$url/v1/clusters" -d '{"name":"cloud-burst","cluster_type":"slurm","provider":"aws",
  "cloud_account_id":3,"node_type":"c6g.large","instance_key_pair_name":"lab","subnet_id":"subnet-0abc1234",
  "region_name":"eu-west-1","min_node_count":0,"max_node_count":8,
  "partitions":[{"name":"burst","node_type":"c6g.large","max_node_count":8}]}' >/dev/null
sleep 1
submit() { api -X POST "$url/v1/clusters/$cid/jobs/submit" -d "$1" >/dev/null; }
env='"current_working_directory":"/tmp","environment":["PATH=/usr/bin:/bin"]'
# An array: on Slurm its own row holds the pending tasks and each started task gets its own id.
submit '{"script":"#!/bin/bash\nsleep 200\n","job":{"name":"sweep-params","array":"1-8%2",'"$env"'}}'
if [ -n "${SLURM_ENV:-}" ]; then
    # The rest of the queue, as squeue shows it: a job and an array sent with sbatch.
    runuser -u "$SLURM_REST_USER" -- sbatch -D /tmp -J from-sbatch --wrap 'sleep 300' >/dev/null
    runuser -u "$SLURM_REST_USER" -- sbatch -D /tmp -J cli-array --array=0-20%1 --wrap 'sleep 300' >/dev/null
fi
# A progress bar redrawn with carriage returns, as tqdm or wget draw one: the log shows its state.
submit '{"script":"#!/bin/bash\nfor i in $(seq 1 400); do echo \"[$(date +%T)] step $i: aligning reads chunk $i/400\"; for p in 20 40 60 80 100; do printf \"\\r  chunk %d  %3d%% \" $i $p; sleep 0.1; done; printf \"\\n\"; done\n","job":{"name":"align-reads",'"$env"',"cpus_per_task":2}}'
submit '{"script":"#!/bin/bash\necho variant calling done\n","job":{"name":"call-variants",'"$env"'}}'
submit '{"script":"#!/bin/bash\necho missing input >&2; exit 2\n","job":{"name":"qc-report",'"$env"'}}'
submit '{"script":"#!/bin/bash\nsleep 300\n","job":{"name":"assemble",'"$env"',"cpus_per_task":4}}'
submit '{"template_id":"hello-world","params":{"greeting":"hello from a template","sleep_seconds":120}}'
# A few files in the bucket, uploaded the way the console does: presigned PUT straight to the store.
put() {
    local key="$1" file="$2"
    local u
    u=$(api -X POST "$url/v1/clusters/$cid/storage/presigned-url" -d "{\"key\":\"$key\",\"method\":\"PUT\"}" |
        python3 -c 'import json,sys;print(json.load(sys.stdin)["url"])')
    curl -s -o /dev/null -T "$file" "$u"
}
seed="$data/seed"; mkdir -p "$seed"
head -c 3500000 /dev/urandom > "$seed/sample1.fastq.gz"
head -c 2200000 /dev/urandom > "$seed/sample2.fastq.gz"
printf '>chr1\nACGTACGTTAGC\n' > "$seed/reference.fa"
printf '#!/bin/bash\nbwa mem reference.fa "$@"\n' > "$seed/align.sh"
put "data/admin@localhost/reads/sample1.fastq.gz" "$seed/sample1.fastq.gz"
put "data/admin@localhost/sample1.fastq.gz" "$seed/sample1.fastq.gz"
put "data/admin@localhost/sample2.fastq.gz" "$seed/sample2.fastq.gz"
put "data/admin@localhost/reference.fa" "$seed/reference.fa"
put "scripts/admin@localhost/align.sh" "$seed/align.sh"
sleep 2
mkdir -p "$out"
rm -f "$out"/*.png
HOME="$data/home" xvfb-run -a -s "-screen 0 ${SCREEN:-1440x900x24}" \
    build/app/clusterra-console --data "$data" --screenshot "$out" ${CONSOLE_ARGS:-}
ls "$out"
