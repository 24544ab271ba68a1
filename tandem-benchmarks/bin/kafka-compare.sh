#!/usr/bin/env bash
# Kafka's own perf tools against Tandem and against Apache Kafka 4.4, in one run, same settings:
#   ProducerPerformance  100-byte records, 1 partition, acks=all, linger.ms=5, batch.size=262144
#   ConsumerPerformance  the same topic, read back
#   EndToEndLatency      10,000 messages, acks=all
# Tandem runs with its default durability (fsync) and again with log.durability=never; both brokers
# run with group.initial.rebalance.delay.ms=0 (the reference's setting in anchors.sh).
# Each measured tool run also prints the CPU time per record of the broker process and of the tool
# itself (user + system), since both share the machine's cores.
# Usage: kafka-compare.sh [RECORDS]   (default 2,000,000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
records=${1:-2000000}
tandem_port=29092
work=$(mktemp -d)
trap 'kill -TERM ${tandem_pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT

"$anchors" start kafka >/dev/null

start_tandem() { # $1 = durability
  rm -rf "$work/data"
  "$root/bin/tandem" --data-dir "$work/data" --kafka-port $tandem_port --amqp-port 0 --http-port 0 \
    --advertised-host 127.0.0.1 --log-durability "$1" --group-initial-rebalance-delay-ms 0 \
    >"$work/tandem.log" 2>&1 &
  tandem_pid=$!
  for _ in $(seq 100); do grep -q ready "$work/tandem.log" && return 0; sleep 0.2; done
  cat "$work/tandem.log"; return 1
}
stop_tandem() { kill -TERM "$tandem_pid"; wait "$tandem_pid" 2>/dev/null || true; }

warm_up() { # $1 = bootstrap: one unmeasured round, so both JVMs are compiled before measuring
  local bootstrap=$1 topic="warm-$RANDOM$RANDOM"
  "$anchors" kafka-tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
    --num-records "$records" --record-size 100 --throughput -1 \
    --producer-props bootstrap.servers="$bootstrap" acks=all linger.ms=5 batch.size=262144 >/dev/null 2>&1
  "$anchors" kafka-tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
    --topic "$topic" --num-records "$records" --timeout 60000 >/dev/null 2>&1
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
hz=$(getconf CLK_TCK)

# Runs one tool (the rest of the arguments) and prints its last N lines, then the CPU per record of
# broker $2 and of the tool over the run.
measured() { # $1 = lines of output to keep, $2 = broker pid, rest = kafka-tool arguments
  local lines=$1 pid=$2 before after TIMEFORMAT='%U %S'
  shift 2
  before=$(ticks "$pid")
  { time "$anchors" kafka-tool "$@" 2>/dev/null | tail -"$lines" >"$work/out"; } 2>"$work/time"
  after=$(ticks "$pid")
  cat "$work/out"
  awk -v t=$((after - before)) -v hz="$hz" -v n="$records" '
    { printf "cpu: broker %.2f us/record, tool %.2f us/record\n", t / hz * 1e6 / n, ($1 + $2) * 1e6 / n }' \
    "$work/time"
}

run() { # $1 = label, $2 = bootstrap, $3 = broker pid
  local label=$1 bootstrap=$2 pid=$3 topic="perf-$RANDOM$RANDOM"
  warm_up "$bootstrap"
  "$anchors" kafka-tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
    --create --topic "$topic" --partitions 1 --replication-factor 1 >/dev/null
  echo "== $label producer"
  measured 1 "$pid" org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
    --num-records "$records" --record-size 100 --throughput -1 \
    --producer-props bootstrap.servers="$bootstrap" acks=all linger.ms=5 batch.size=262144
  echo "== $label consumer"
  measured 2 "$pid" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
    --topic "$topic" --num-records "$records" --timeout 60000
  echo "== $label end-to-end latency"
  "$anchors" kafka-tool org.apache.kafka.tools.EndToEndLatency "$bootstrap" "$topic-e2e" 10000 all 100 \
    2>/dev/null | tail -3
}

kafka_pid=$(ss -ltnpH 'sport = :19092' | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2)

start_tandem fsync
run "tandem (fsync)" 127.0.0.1:$tandem_port "$tandem_pid"
echo "tandem RSS: $(ps -o rss= -p "$tandem_pid") KiB"
stop_tandem
run "kafka 4.4" 127.0.0.1:19092 "$kafka_pid"
start_tandem never
run "tandem (never)" 127.0.0.1:$tandem_port "$tandem_pid"
stop_tandem
