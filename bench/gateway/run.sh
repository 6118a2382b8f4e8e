#!/usr/bin/env bash
# Benchmark of webhook-gateway on loopback. Not a test: never part of ./mvnw verify.
#
#   bench/gateway/run.sh            build, then measure
#   SKIP_BUILD=1 bench/gateway/run.sh
#
# Measures, in one run, one at a time so they do not share the two cores:
#   1. the gateway at peak: signed Cloud repo:push deliveries (a real 10 KB fixture body), wrk, closed loop
#   2. the gateway at half of that rate (paced connections): p50 / p99
#   3. a bare Quarkus REST endpoint that reads the body and answers 202 (bench/gateway/bare202)
#   4. Kafka's own ProducerPerformance tool with the same record size, acks=all and the idempotent producer
# against a fresh single-node Kafka broker, the machine's PostgreSQL and a credential-service stub.
# Each part is measured at steady state: the JIT of a Quarkus app on 2 cores takes a minute or two of load to settle
# (the gateway's rate triples over its first two minutes), so each server is warmed up with at least WARMUP_MIN 15 s
# runs and then until two runs in a row agree within 3 % (at most WARMUP_MAX runs), and Kafka's tool is given the same: its rate is read from its 5 s
# windows once they settle, beside its whole-run average.
# Reported: gateway / min(bare, Kafka) and gateway / bare, both from this one run.
# Knobs: DURATION (s, default 20), CONNECTIONS (default 64), THREADS (default 2), WARMUP_MIN (6), WARMUP_MAX (14), FIXTURE
# (default: the repository's testdata/bitbucket-webhooks/public/drone-go-scm/repo_push__push.json) and SCOPE (the
# owner/slug it names, default brydzewski/foo), KAFKA_RECORDS
# (default 400000), GATEWAY_JVM_OPTS (extra JVM options of the gateway, e.g. -XX:StartFlightRecording=... to profile it).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="$ROOT/bench/gateway"
WORK="${WORK:-$ROOT/target/bench-gateway}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-64}"
WARMUP_MIN="${WARMUP_MIN:-6}"
WARMUP_MAX="${WARMUP_MAX:-14}"
THREADS="${THREADS:-2}"
FIXTURE="${FIXTURE:-$ROOT/testdata/bitbucket-webhooks/public/drone-go-scm/repo_push__push.json}"
SCOPE="${SCOPE:-brydzewski/foo}" # the repository the fixture names, lower case (owner/slug)
KAFKA_RECORDS="${KAFKA_RECORDS:-400000}"
SECRET="bench-secret-$(date +%s)"
KAFKA_PORT=19092; KAFKA_CONTROLLER_PORT=19093; STUB_PORT=18081; GATEWAY_PORT=18080; BARE_PORT=18090
source "$ROOT/bench/common/lib.sh"

wait_for() { # url, seconds
  local url=$1 limit=$2
  for _ in $(seq 1 $((limit * 5))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  log "timed out waiting for $url"; return 1
}

command -v wrk >/dev/null || { log "wrk is missing (apt-get install -y wrk)"; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the gateway, the bare 202 app and the Kafka tools classpath"
  (cd "$ROOT" && ./mvnw -B -q -pl webhook-gateway -am package -DskipTests)
  (cd "$ROOT" && ./mvnw -B -q -f bench/gateway/bare202/pom.xml package -DskipTests)
fi
(cd "$ROOT" && ./mvnw -B -q -f bench/gateway/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/kafka.cp" >/dev/null)
KAFKA_CP="$(cat "$WORK/kafka.cp")"

# --- Kafka: one KRaft node, as in libs/local-infra -------------------------------------------------------
start_kafka "$WORK" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_CP" || exit 1
log "Kafka on 127.0.0.1:$KAFKA_PORT"

# --- credential-service stub, keys, database ----------------------------------------------------------
java -cp "$ROOT/webhook-gateway/target/quarkus-app/lib/main/*" "$BENCH/CredentialStub.java" "$STUB_PORT" "$SECRET" > "$WORK/stub.log" 2>&1 &
PIDS+=($!)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='bitbridge_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "create database bitbridge_bench"

# --- the delivery: a real Cloud push body, signed as Bitbucket signs it ------------------------------------
cp "$FIXTURE" "$WORK/body.json"
RECORD_SIZE=$(stat -c %s "$WORK/body.json")
# Signed as Bitbucket signs it with the hook's own secret: derived from the credential's root secret and the scope of the
# repository the body names (HookScope in libs/bitbucket-client), which the gateway derives again for every delivery.
HOOK_SECRET="$(printf 'bitbridge webhook secret\n%s' "$SCOPE" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)"
SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$HOOK_SECRET" -r "$WORK/body.json" | cut -d' ' -f1)"
export BENCH_BODY="$WORK/body.json" BENCH_SIGNATURE="$SIGNATURE"
for _ in $(seq 1 100); do curl -fsS -o /dev/null -H 'Authorization: Bearer x' \
  "http://127.0.0.1:$STUB_PORT/internal/credentials/x/webhook-secrets" 2>/dev/null && break; sleep 0.2; done

# CPU time (clock ticks) of some processes, and of the whole machine, to say where each delivery's CPU goes.
ticks_of() { # pids...
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
cpu_snapshot() { # -> "server broker postgres machine"
  echo "$(ticks_of "${SERVER_PID:-0}") $(ticks_of "$KAFKA_PID") $(ticks_of $(pgrep -u postgres postgres)) $(machine_ticks)"
}
cpu_report() { # before after requests
  local hz; hz=$(getconf CLK_TCK)
  awk -v b="$1" -v a="$2" -v n="$3" -v hz="$hz" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    us = 1e6 / hz / (n > 0 ? n : 1);
    printf "cpu_us_per_request server=%.0f broker=%.0f postgres=%.0f rest=%.0f machine=%.0f\n",
      (y[1]-x[1])*us, (y[2]-x[2])*us, (y[3]-x[3])*us, ((y[4]-x[4])-(y[1]-x[1])-(y[2]-x[2])-(y[3]-x[3]))*us, (y[4]-x[4])*us }'
}

run_wrk() { # label url delay_ms seconds
  log "$1: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  local before after requests
  before=$(cpu_snapshot)
  BENCH_DELAY_MS="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4"s --latency -s "$BENCH/delivery.lua" "$2" > "$WORK/$1.wrk" 2>&1
  after=$(cpu_snapshot)
  requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$WORK/$1.wrk")
  echo "$(grep '^RESULT' "$WORK/$1.wrk" | sed "s/^RESULT/$1/") $(cpu_report "$before" "$after" "${requests:-0}")"
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

steady_of() { # "w1 w2 ...": mean of the windows from the first one within 5 % of the next, to the end
  awk -v w="$1" 'BEGIN { n = split(w, r, " "); start = n;
    for (i = 1; i < n; i++) if (r[i] > 0 && (r[i+1] - r[i]) / r[i] < 0.05 && (r[i] - r[i+1]) / r[i] < 0.05) { start = i; break }
    for (i = start; i <= n; i++) { s += r[i]; c++ } printf "%.1f", c ? s / c : 0 }'
}

warm_up() { # label url: at least WARMUP_MIN 15 s runs, then until two in a row agree within 3 %
  local previous=0 rate rates="" i
  for i in $(seq 1 "$WARMUP_MAX"); do
    rate=$(field "$(run_wrk "$1-warmup-$i" "$2" 0 15)" rate)
    rates="$rates $rate"
    if [ "$i" -ge "$WARMUP_MIN" ] && awk -v a="$previous" -v b="$rate" 'BEGIN { exit !(a > 0 && (b - a) / a < 0.03 && (a - b) / a < 0.03) }'; then
      break
    fi
    previous=$rate
  done
  echo "$1-warmup rates:$rates"
}

# --- 1 + 2: the gateway --------------------------------------------------------------------------------
java -Xmx512m ${GATEWAY_JVM_OPTS:-} \
  -Dquarkus.http.port=$GATEWAY_PORT -Dquarkus.log.level=WARN \
  -Dkafka.bootstrap.servers=127.0.0.1:$KAFKA_PORT \
  -Dbitbridge.db.location=//127.0.0.1:5432/bitbridge_bench -Dbitbridge.db.schema=gateway \
  -Dquarkus.rest-client.credential-service.url=http://127.0.0.1:$STUB_PORT \
  -Dbitbridge.auth.oidc-client.auth-server-url=http://127.0.0.1:$STUB_PORT -Dbitbridge.auth.public-key-location="$WORK/jwt-public.pem" \
  -jar "$ROOT/webhook-gateway/target/quarkus-app/quarkus-run.jar" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!; PIDS+=($GATEWAY_PID); SERVER_PID=$GATEWAY_PID
wait_for "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" 60
URL="http://127.0.0.1:$GATEWAY_PORT/webhooks/bitbucket-cloud/00000000-0000-4000-8000-00000000be4c"
curl -fsS -X POST "$URL" -H 'Content-Type: application/json' -H 'X-Event-Key: repo:push' -H "X-Hub-Signature: $SIGNATURE" \
  -H 'X-Request-UUID: bench-smoke' --data-binary @"$WORK/body.json" > "$WORK/smoke.json"
log "smoke delivery: $(cat "$WORK/smoke.json")"
log "warming up the gateway until its rate settles"
warm_up gateway "$URL"
GATEWAY=$(run_wrk gateway-peak "$URL" 0 "$DURATION"); echo "$GATEWAY"
PEAK=$(field "$GATEWAY" rate)
HALF=$(awk -v p="$PEAK" 'BEGIN { printf "%.0f", p / 2 }')
DELAY_MS=$(awk -v c="$CONNECTIONS" -v r="$HALF" 'BEGIN { printf "%.0f", c * 1000 / r }')
GATEWAY_HALF=$(run_wrk gateway-half "$URL" "$DELAY_MS" "$DURATION"); echo "$GATEWAY_HALF (target ${HALF}/s, ${DELAY_MS} ms pause per connection)"
kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true

# --- 3: the bare 202 endpoint ------------------------------------------------------------------------------
java -Xmx512m -jar "$BENCH/bare202/target/quarkus-app/quarkus-run.jar" > "$WORK/bare202.log" 2>&1 &
BARE_PID=$!; PIDS+=($BARE_PID); SERVER_PID=$BARE_PID
BARE_URL="http://127.0.0.1:$BARE_PORT/webhooks/bitbucket-cloud/00000000-0000-4000-8000-00000000be4c"
for _ in $(seq 1 100); do curl -fsS -o /dev/null -X POST "$BARE_URL" -d '{}' 2>/dev/null && break; sleep 0.2; done
warm_up bare202 "$BARE_URL"
BARE=$(run_wrk bare202-peak "$BARE_URL" 0 "$DURATION"); echo "$BARE"
kill "$BARE_PID"; wait "$BARE_PID" 2>/dev/null || true

# --- 4: Kafka's own producer performance tool, same record size, acks=all, idempotent ---------------------
log "kafka-producer-perf: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SERVER_PID=0; KAFKA_BEFORE=$(cpu_snapshot)
java -Xmx512m -cp "$KAFKA_CP" org.apache.kafka.tools.ProducerPerformance --topic bench.kafka-perf \
  --num-records "$KAFKA_RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
  --producer-props bootstrap.servers=127.0.0.1:$KAFKA_PORT acks=all enable.idempotence=true linger.ms=1 \
  > "$WORK/kafka-perf.log" 2>&1
KAFKA_LINE=$(grep "records sent" "$WORK/kafka-perf.log" | tail -1)
KAFKA_AVERAGE=$(sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p' <<<"$KAFKA_LINE")
# Steady rate: the 5 s windows from the first one that is within 5 % of the next, to the end (the last, partial
# window and the summary line excluded).
KAFKA_WINDOWS=$(grep "records sent" "$WORK/kafka-perf.log" | sed '$d' | sed '$d' | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p' | tr '\n' ' ')
KAFKA_RATE=$(steady_of "$KAFKA_WINDOWS")
echo "kafka-producer-perf $KAFKA_LINE $(cpu_report "$KAFKA_BEFORE" "$(cpu_snapshot)" "$KAFKA_RECORDS")"
echo "kafka-producer-perf windows (records/s): $KAFKA_WINDOWS-> steady rate=$KAFKA_RATE (whole run $KAFKA_AVERAGE)"

# --- 5: the same tool with the gateway's own records and producer settings (information, not the ratio) ---------
# One event the gateway published (the normalised push, as JSON), sent by the tool with lz4 as the gateway sends it.
java -cp "$KAFKA_CP" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:$KAFKA_PORT \
  --topic bitbucket.push.v1 --from-beginning --max-messages 1 > "$WORK/event.json" 2> "$WORK/event.log" || true
EVENT_SIZE=$(head -c -1 "$WORK/event.json" | wc -c)
log "kafka-producer-perf with the gateway's event ($EVENT_SIZE bytes) and lz4: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "$KAFKA_CP" org.apache.kafka.tools.ProducerPerformance --topic bench.kafka-perf-events \
  --num-records "$KAFKA_RECORDS" --payload-file "$WORK/event.json" --throughput -1 \
  --producer-props bootstrap.servers=127.0.0.1:$KAFKA_PORT acks=all enable.idempotence=true linger.ms=1 \
  compression.type=lz4 batch.size=262144 > "$WORK/kafka-perf-events.log" 2>&1
EVENTS_WINDOWS=$(grep "records sent" "$WORK/kafka-perf-events.log" | sed '$d' | sed '$d' | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p' | tr '\n' ' ')
EVENTS_AVERAGE=$(grep "records sent" "$WORK/kafka-perf-events.log" | tail -1 | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p')
# Small records go fast: when the run is over within a window or two, its whole-run average is the rate.
EVENTS_RATE=$(steady_of "$EVENTS_WINDOWS"); [ "$(wc -w <<<"$EVENTS_WINDOWS")" -lt 3 ] && EVENTS_RATE=$EVENTS_AVERAGE
echo "kafka-producer-perf-events event_size=$EVENT_SIZE $(grep "records sent" "$WORK/kafka-perf-events.log" | tail -1)"
echo "kafka-producer-perf-events windows (records/s): $EVENTS_WINDOWS-> steady rate=$EVENTS_RATE"

BARE_RATE=$(field "$BARE" rate)
echo "summary record_size=$RECORD_SIZE gateway_rate=$PEAK bare202_rate=$BARE_RATE kafka_rate=$KAFKA_RATE" \
  "ratio_gateway_over_min=$(awk -v g="$PEAK" -v b="$BARE_RATE" -v k="$KAFKA_RATE" 'BEGIN { m = b < k ? b : k; printf "%.2f", g / m }')" \
  "ratio_gateway_over_bare=$(awk -v g="$PEAK" -v b="$BARE_RATE" 'BEGIN { printf "%.2f", g / b }')" \
  "half_rate_p99_ms=$(field "$GATEWAY_HALF" p99_ms)" \
  "event_size=$EVENT_SIZE kafka_rate_with_gateway_events=$EVENTS_RATE" \
  "ratio_gateway_over_kafka_with_gateway_events=$(awk -v g="$PEAK" -v k="${EVENTS_RATE:-0}" 'BEGIN { if (k > 0) printf "%.3f", g / k; else print "n/a" }')"
log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
log "raw outputs in $WORK"
