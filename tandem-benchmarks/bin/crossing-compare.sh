#!/usr/bin/env bash
# AMQP publish -> Kafka consume, beside Tandem's AMQP-only rate for the same messages, in one run:
#   amqp only   PerfTest, 1 producer and 1 consumer (autoack), 100-byte transient messages, a
#               classic queue: PerfTest's receive rate
#   crossing    PerfTest, 1 producer, the same messages published to the exchange of topic
#               "crossing" (every topic is a topic exchange); then Kafka's ConsumerPerformance reads
#               every record the publisher wrote: the publish rate and the consume rate
# Crossing's rate is the slower of its two halves; the issue's target is >= 80% of amqp only.
# Usage: crossing-compare.sh [SECONDS]   (per run, default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
seconds=${1:-20}
amqp_port=35672
kafka_port=39092
work=$(mktemp -d)
trap 'kill -TERM ${tandem_pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT

"$root/bin/tandem" --data-dir "$work/data" --amqp-port $amqp_port --kafka-port $kafka_port \
  --http-port 0 --advertised-host 127.0.0.1 >"$work/tandem.log" 2>&1 &
tandem_pid=$!
for _ in $(seq 100); do grep -q ready "$work/tandem.log" && break; sleep 0.2; done
bootstrap=127.0.0.1:$kafka_port

perftest() { "$anchors" perftest "$amqp_port" -z "$seconds" -s 100 "$@" 2>&1; }

# One unmeasured round of each, so the broker's JVM is compiled before measuring.
perftest -x 1 -y 1 -a -u warm-amqp >/dev/null
"$anchors" kafka-tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
  --create --topic warm-crossing --partitions 1 --replication-factor 1 >/dev/null
perftest -x 1 -y 0 -e warm-crossing -t topic -k key >/dev/null

echo "== amqp only (PerfTest -> classic queue -> PerfTest)"
perftest -x 1 -y 1 -a -u "amqp-only-$RANDOM" | grep -E "sending rate avg|receiving rate avg"

"$anchors" kafka-tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
  --create --topic crossing --partitions 1 --replication-factor 1 >/dev/null
echo "== crossing: PerfTest -> topic 'crossing'"
perftest -x 1 -y 0 -e crossing -t topic -k key | grep -E "sending rate avg"
records=$("$anchors" kafka-tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$bootstrap" \
  --topic crossing 2>/dev/null | awk -F: '{ sum += $3 } END { print sum }')
echo "records in topic: $records"
echo "== crossing: ConsumerPerformance <- topic 'crossing'"
"$anchors" kafka-tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
  --topic crossing --num-records "$records" --timeout 60000 2>/dev/null | tail -2
echo "tandem RSS: $(ps -o rss= -p "$tandem_pid") KiB"
