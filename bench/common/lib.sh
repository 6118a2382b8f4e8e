# Sourced by the benchmarks' run.sh:
#   log <message>                                                 → a "[bench]" line on stderr
#   PIDS+=(pid)                                                   → stopped (and waited for) when the script exits
#   start_kafka <work dir> <port> <controller port> <classpath>   → a fresh single-node Kafka broker (KRaft, as in
#                                                                   libs/local-infra) for one run; sets KAFKA_PID, in PIDS
PIDS=()

stop_started() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_started EXIT
trap 'exit 143' INT TERM

log() { echo "[bench] $*" >&2; }

start_kafka() {
  local work=$1 port=$2 controller=$3 cp=$4
  mkdir -p "$work/kafka"
  cat > "$work/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka/logs
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=8388608
PROPS
  java -cp "$cp" kafka.tools.StorageTool format --standalone -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
    -c "$work/kafka/server.properties" > "$work/kafka/format.log" 2>&1
  java -Xmx512m -cp "$cp" kafka.Kafka "$work/kafka/server.properties" > "$work/kafka/broker.log" 2>&1 &
  KAFKA_PID=$!; PIDS+=($KAFKA_PID)
  for _ in $(seq 1 150); do grep -q "Kafka Server started" "$work/kafka/broker.log" && return 0; sleep 0.2; done
  log "Kafka did not start (see $work/kafka/broker.log)"
  return 1
}
