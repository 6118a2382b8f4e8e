#!/usr/bin/env bash
# End-to-end latency benchmark of the whole stack on loopback. Not a test: never part of ./mvnw verify.
#
#   bench/e2e/run.sh                          build, then measure
#   SKIP_BUILD=1 bench/e2e/run.sh
#   SKIP_BUILD=1 RATES=5 DURATION=5 WARMUP=0 bench/e2e/run.sh     a smoke run (under a minute after the start)
#
# Starts a fresh single-node Kafka broker (libs/local-infra), uses the machine's PostgreSQL (or the embedded one),
# a Bitbucket Cloud fake and a Jenkins fake in the benchmark's JVM, and the six packaged services as child JVMs through
# the launcher's Stack (bench/e2e/E2EBench.java). Then, open loop, one phase at a time:
#   warm-up   commits at the first rate for WARMUP seconds (not counted)
#   per rate  commits "BENCH-n: ... #jenkins:GameBuild" through the fake's /src API, spread over 8 repositories; the
#             fake delivers each repo:push webhook (signed, per hook in order); latency from the gateway's 202 (the
#             push is on Kafka) to the Jenkins fake recording the build request for that commit
# Prints one RESULT line per phase (commits made, achieved rate, accepted, triggered, p50, p99, max in ms, load average
# before). Knobs: RATES (pushes/s, default 50,200), DURATION (s per phase, default 30), WARMUP (s, default 20).
# Stops everything it started (the broker and the services also stop when the benchmark's JVM goes away).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/bench/common/lib.sh"
WORK="${WORK:-$ROOT/target/bench-e2e}" RATES="${RATES:-50,200}" DURATION="${DURATION:-30}" WARMUP="${WARMUP:-20}"
rm -rf "$WORK"; mkdir -p "$WORK"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the services and the launcher (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests >/dev/null)
fi
[ -f "$ROOT/deploy/target/launcher.classpath" ] || { log "not built: run without SKIP_BUILD=1"; exit 1; }
CP="$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/launcher.classpath")"

log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" "$ROOT/bench/e2e/E2EBench.java" \
  "$WORK" "$ROOT" "$RATES" "$DURATION" "$WARMUP" 2>"$WORK/bench.err" | tee "$WORK/results.txt"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg); service logs in $WORK/stack/logs, raw outputs in $WORK"
