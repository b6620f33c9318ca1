#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/, clang, ASan+UBSan) and runs each one for a number
# of executions: `scripts/fuzz.sh` does a short run of every target (CI); `scripts/fuzz.sh
# 10000000` is the local long run; a second argument picks one target (e.g. fuzz_sse).
# Each target starts from its seeds in fuzz/corpus/ and keeps what it learns in
# build-fuzz/corpus/; a crash leaves its input in build-fuzz/crashes/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20000}"
only="${2:-}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DCLUSTERRA_FUZZ=ON -DCLUSTERRA_BUILD_TESTS=OFF -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" >/dev/null
cmake --build build-fuzz -j "$(nproc)"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/crashes
for exe in build-fuzz/fuzz/fuzz_*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    name="$(basename "$exe")"
    [ -n "$only" ] && [ "$only" != "$name" ] && continue
    seeds="fuzz/corpus/${name#fuzz_}"
    corpus="build-fuzz/corpus/${name#fuzz_}"
    mkdir -p "$corpus"
    log="build-fuzz/$name.log"
    start=$(date +%s)
    if ! "$exe" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="build-fuzz/crashes/$name-" "$corpus" "$seeds" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "$name: FAILED after $(($(date +%s) - start)) s; the input is in build-fuzz/crashes/"
        exit 1
    fi
    done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "$name: $done_runs executions, 0 crashes, $(($(date +%s) - start)) s"
done
