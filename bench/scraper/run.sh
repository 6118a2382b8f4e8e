#!/usr/bin/env bash
# Benchmark of scraper-service on loopback. Not a test: never part of ./mvnw verify.
#
#   bench/scraper/run.sh            build, then measure (about 3 minutes after the build)
#   SKIP_BUILD=1 bench/scraper/run.sh
#
# Starts a fresh single-node Kafka broker (KRaft, 3 partitions per topic), uses the machine's PostgreSQL, starts
# scraper-service from its jar, and runs ScraperBench.java (the Bitbucket fakes seeded with history, a credential-service
# stub, the Kafka clients). In one run, one phase at a time:
#   1. the broker's floor: produce → consume latency of push-sized records at RATE/s, the same producer settings
#   2. pass-through: complete Cloud pushes at RATE/s, bitbucket.push.v1 → bitbucket.push.expanded.v1, p50/p99 (after a
#      warm-up at the same rate)
#   3. Server expansion: SERVER_PUSHES pushes of 20 commits (no commits in the payload, as older servers send them)
#      over SERVER_REPOSITORIES repositories, published at once, against the Server fake with SERVER_LATENCY_MS added to
#      every call: pushes/s and Bitbucket calls per push
# The credential's request budget is raised for the run (the default, 600 requests/hour per credential, would make the
# benchmark measure the budget, not the service). Knobs: RATE (200), SECONDS (30), WARMUP_SECONDS (15),
# SERVER_PUSHES (1000), SERVER_REPOSITORIES (10), SERVER_LATENCY_MS (20), SCRAPER_JVM_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="$ROOT/bench/scraper"
WORK="${WORK:-$ROOT/target/bench-scraper}"
KAFKA_PORT=29092; KAFKA_CONTROLLER_PORT=29093; STUB_PORT=28181; SCRAPER_PORT=28082
. "$ROOT/bench/common/lib.sh"

rm -rf "$WORK"; mkdir -p "$WORK"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building scraper-service and the driver's classpath (its test classpath: fakes, events, Kafka clients)"
  (cd "$ROOT" && ./mvnw -B -q -pl scraper-service -am package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/scraper-service/target/bench.cp")
fi
# The broker and its tools: the gateway benchmark's Kafka tools project (not a reactor module).
(cd "$ROOT" && ./mvnw -B -q -f bench/gateway/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/kafka.cp" >/dev/null)
KAFKA_CP="$(cat "$WORK/kafka.cp")"
DRIVER_CP="$(cat "$ROOT/scraper-service/target/bench.cp")"

# --- Kafka: a fresh single node, 3 partitions per topic ---------------------------------------------------
start_kafka "$WORK" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_CP" || exit 1
log "Kafka on 127.0.0.1:$KAFKA_PORT"

# --- keys, database ------------------------------------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='bitbridge_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "create database bitbridge_bench"
psql -h 127.0.0.1 -U postgres -d bitbridge_bench -qc "drop schema if exists scraper_bench cascade"

# --- the driver: fakes and credential stub first (scraper-service asks the stub), then it waits for the service ---
java -Xmx768m -cp "$DRIVER_CP" "$BENCH/ScraperBench.java" "127.0.0.1:$KAFKA_PORT" "$STUB_PORT" \
  "http://127.0.0.1:$SCRAPER_PORT/q/health/ready" "$WORK/scraper.pid" > "$WORK/results.txt" 2> "$WORK/driver.log" &
DRIVER_PID=$!; PIDS+=($DRIVER_PID)

java -Xmx512m ${SCRAPER_JVM_OPTS:-} \
  -Dquarkus.http.port=$SCRAPER_PORT -Dquarkus.log.level=WARN \
  -Dkafka.bootstrap.servers=127.0.0.1:$KAFKA_PORT -Dkafka.auto.offset.reset=earliest \
  -Dbitbridge.db.location=//127.0.0.1:5432/bitbridge_bench -Dbitbridge.db.schema=scraper_bench \
  -Dquarkus.rest-client.credential-service.url=http://127.0.0.1:$STUB_PORT \
  -Dbitbridge.auth.oidc-client.auth-server-url=http://127.0.0.1:$STUB_PORT -Dbitbridge.auth.public-key-location="$WORK/jwt-public.pem" \
  -Dbitbridge.scraper.budget.requests-per-hour=1000000000 -Dbitbridge.scraper.budget.burst=100000 \
  -Dbitbridge.scraper.discovery.check-every=off ${CONSUMER_CONCURRENCY:+-Dmp.messaging.incoming.\"bitbucket.push.v1\".concurrency=$CONSUMER_CONCURRENCY} \
  -jar "$ROOT/scraper-service/target/quarkus-app/quarkus-run.jar" > "$WORK/scraper.log" 2>&1 &
PIDS+=($!); echo $! > "$WORK/scraper.pid"

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
tail -f "$WORK/driver.log" >&2 & TAIL_PID=$!; PIDS+=($TAIL_PID)
DRIVER_RC=0; wait "$DRIVER_PID" || DRIVER_RC=$?
kill "$TAIL_PID" 2>/dev/null || true
cat "$WORK/results.txt"
log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
log "raw outputs in $WORK"
exit "$DRIVER_RC"
