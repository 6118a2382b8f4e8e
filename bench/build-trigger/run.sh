#!/usr/bin/env bash
# Latency benchmark of build-trigger on loopback. Not a test: never part of ./mvnw verify.
#
#   bench/build-trigger/run.sh            build, then measure
#   SKIP_BUILD=1 bench/build-trigger/run.sh
#
# Starts a fresh single-node Kafka broker (libs/local-infra), uses the machine's PostgreSQL (or the embedded one),
# an in-process Jenkins fake and the packaged service in its own JVM (bench/build-trigger/TriggerBench.java), then,
# open loop, one phase at a time:
#   warm-up   pushes at the first rate for WARMUP seconds (not counted)
#   per rate  the broker floor: records of a push's size, same keys, same producer settings, produce -> consume
#             build-trigger: pushes on bitbucket.push.expanded.v1, each with its own head commit and #jenkins,
#             latency from handing the push to the producer to the Jenkins fake recording the trigger
# Prints one RESULT line per phase (received/expected, p50, p99, max in ms, load average before) and the ratios.
# Also prints the service's CPU time per push during each phase (service_cpu_ms_per_push).
# Knobs: RATES (pushes/s, default 100,200), DURATION (s per phase, default 30), WARMUP (s, default 30),
# SERVICE_JVM_OPTS (added to the service's JVM options: the container image's, full JIT; -XX:TieredStopAtLevel=1 is the
# local launcher's C1-only JIT).
# Stops everything it started (the broker and the service also stop when this script's JVM goes away).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-$ROOT/target/bench-build-trigger}"
RATES="${RATES:-100,200}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-180}"

log() { echo "[bench] $*" >&2; }

rm -rf "$WORK"; mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building build-trigger and the benchmark's classpath (libs/testkit, libs/fakes)"
  (cd "$ROOT" && ./mvnw -B -q -pl build-trigger,libs/testkit,libs/fakes -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/bench.classpath >/dev/null)
fi
CP="$ROOT/libs/testkit/target/classes:$ROOT/libs/fakes/target/classes:$(cat "$ROOT/libs/testkit/target/bench.classpath"):$(cat "$ROOT/libs/fakes/target/bench.classpath")"

log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp "$CP" "$ROOT/bench/build-trigger/TriggerBench.java" "$WORK" "$ROOT/build-trigger/target/quarkus-app/quarkus-run.jar" \
  "$RATES" "$DURATION" "$WARMUP" 2>"$WORK/bench.err" | tee "$WORK/results.txt"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg); raw outputs in $WORK"
