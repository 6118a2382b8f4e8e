#!/usr/bin/env bash
# Benchmark of commit-tracker's write path. Not a test: never part of ./mvnw verify.
#
#   bench/commit-tracker/run.sh                 build, then measure
#   SKIP_BUILD=1 bench/commit-tracker/run.sh
#
# In one run, one step at a time so they do not share the two cores:
#   1. a fresh single-node Kafka (libs/local-infra's broker) and the machine's PostgreSQL (database bitbridge_bench)
#   2. WARMUP commits (16 other repositories), then COMMITS commits, in expanded pushes of PER_PUSH commits (16
#      repositories, realistic messages, 40 % with a task key, some feature branches named after a task) pre-loaded into
#      bitbucket.push.expanded.v1
#   3. the broker's floor: a plain consumer reads the whole topic
#   4. the raw PostgreSQL baseline: the same commit rows (commits + commit_branches, same columns and indexes) written
#      with plain JDBC, batched multi-row inserts of 1,000 rows (reWriteBatchedInserts)
#   5. the tracker started on the pre-loaded topic: time from the moment it stored the warm-up commits (its JIT settles
#      meanwhile) until every commit is stored (it also writes branches, branch updates, members, task links, and
#      publishes every new link on tasks.links.v1)
# Reported: commits/s of each, tracker / baseline and tracker / floor; and CPU time per commit of the tracker's JVM and
# its PostgreSQL backends against the baseline's client and backend (from /proc: less sensitive to a loaded machine).
# Knobs: COMMITS (default 200000), WARMUP (default 100000), PER_PUSH (default 20), TRACKER_JVM_OPTS, BENCH_DB (the
# database, default bitbridge_bench), TRACKER_APP (a quarkus-app directory to run instead of the one just built, to
# compare builds).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="$ROOT/bench/commit-tracker"
WORK="${WORK:-$ROOT/target/bench-commit-tracker}"
COMMITS="${COMMITS:-200000}"
PER_PUSH="${PER_PUSH:-20}"
WARMUP="${WARMUP:-100000}"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Free ports picked now: other benchmarks may be running on this machine.
KAFKA_PORT=$(free_port); KAFKA_CONTROLLER_PORT=$(free_port); TRACKER_PORT=$(free_port)
TOPIC=bitbucket.push.expanded.v1
DB=${BENCH_DB:-bitbridge_bench}; SCHEMA=tracker_bench
JDBC="jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
log() { echo "[bench] $*" >&2; }

rm -rf "$WORK"; mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building commit-tracker and libs/local-infra"
  (cd "$ROOT" && ./mvnw -B -q -pl commit-tracker,libs/local-infra -am package -DskipTests)
fi
(cd "$ROOT" && ./mvnw -B -q -pl libs/local-infra dependency:build-classpath -Dmdep.outputFile="$WORK/infra.cp" >/dev/null)
INFRA_CP="$ROOT/libs/local-infra/target/classes:$(cat "$WORK/infra.cp")"
APP="${TRACKER_APP:-$ROOT/commit-tracker/target/quarkus-app}"
CLIENT_CP="$APP/lib/main/*"

# --- Kafka and PostgreSQL -------------------------------------------------------------------------------------
java -Xmx512m -Dbitbridge.kafka.ephemeral=true -cp "$INFRA_CP" io.bitbridge.infra.kafka.KafkaBrokerMain \
  "$WORK/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$$" "$WORK/kafka.ready" > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do [ -s "$WORK/kafka.ready" ] && break; sleep 0.2; done
[ -s "$WORK/kafka.ready" ] || { log "Kafka did not start"; cat "$WORK/broker.log" >&2; exit 1; }
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "create database $DB"
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "drop schema if exists $SCHEMA cascade"
log "Kafka on $BOOTSTRAP, PostgreSQL database $DB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

bench() { java -Xmx1g -cp "$CLIENT_CP" "$BENCH/TrackerBench.java" "$@"; }

# --- 2. pre-load, 3. floor, 4. baseline -------------------------------------------------------------------------
LOAD=$(bench load "$BOOTSTRAP" "$TOPIC" "$WARMUP" "$COMMITS" "$PER_PUSH" | grep '^RESULT'); echo "$LOAD"
FLOOR=$(bench floor "$BOOTSTRAP" "$TOPIC" | grep '^RESULT'); echo "$FLOOR"
BASELINE=$(bench baseline "$JDBC" "$COMMITS" "$PER_PUSH" | grep '^RESULT'); echo "$BASELINE"

# --- 5. the tracker -----------------------------------------------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
log "tracker: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
java ${TRACKER_JVM_OPTS:-} -Xmx1g -Dquarkus.http.port=$TRACKER_PORT -Dkafka.bootstrap.servers="$BOOTSTRAP" \
  -Dkafka.auto.offset.reset=earliest -Dbitbridge.db.location=//127.0.0.1:5432/$DB -Dbitbridge.db.schema=$SCHEMA \
  -Dbitbridge.auth.public-key-location="$WORK/jwt-public.pem" -jar "$APP/quarkus-run.jar" > "$WORK/tracker.log" 2>&1 &
TRACKER_PID=$!; PIDS+=($TRACKER_PID)
TRACKER=$(bench await "$JDBC" "$SCHEMA" "$WARMUP" "$COMMITS" "$TRACKER_PID" | grep '^RESULT'); echo "$TRACKER"
CPU=$(awk '{ print $14 + $15 }' "/proc/$TRACKER_PID/stat")
LINKS=$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "select count(*) || ' task links' from $SCHEMA.task_links")
log "tracker CPU: $CPU ticks ($(getconf CLK_TCK)/s) over its whole life, start-up included; $LINKS"

rate() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
FLOOR_RATE=$(awk -v c="$((WARMUP + COMMITS))" -v s="$(rate seconds "$FLOOR")" 'BEGIN { printf "%.0f", c / s }')
awk -v t="$(rate commits_per_s "$TRACKER")" -v b="$(rate commits_per_s "$BASELINE")" -v f="$FLOOR_RATE" 'BEGIN {
  printf "SUMMARY tracker=%d commits/s baseline=%d commits/s floor=%d commits/s tracker/baseline=%.2f tracker/floor=%.3f\n", t, b, f, t / b, t / f }'
awk -v c="$COMMITS" -v tp="$(rate postgres_cpu_ms "$TRACKER")" -v tj="$(rate tracker_cpu_ms "$TRACKER")" \
    -v bp="$(rate postgres_cpu_ms "$BASELINE")" -v bj="$(rate client_cpu_ms "$BASELINE")" 'BEGIN {
  printf "CPU per commit (us): tracker jvm=%.0f postgres=%.0f | baseline client=%.0f postgres=%.0f | tracker+postgres / baseline client+postgres=%.2f\n",
    tj * 1000 / c, tp * 1000 / c, bj * 1000 / c, bp * 1000 / c, (tj + tp) / (bj + bp) }'
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "drop schema if exists $SCHEMA cascade"
