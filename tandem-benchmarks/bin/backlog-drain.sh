#!/usr/bin/env bash
# A backlog of persistent 1 KiB messages in a durable queue, built and then drained, on Tandem and on
# RabbitMQ (Debian's package) in one run, with RabbitMQ PerfTest:
#   build  1 producer, confirms (-c 1000), persistent, no consumer, until MESSAGES are published
#   drain  1 consumer, manual acks, prefetch 1000, until MESSAGES are consumed
# Tandem runs with its default 1 GiB heap; its heap use is sampled with jstat every 5 s.
# Usage: backlog-drain.sh [MESSAGES]   (default 10,000,000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
messages=${1:-10000000}
tandem_port=35672
work=$(mktemp -d)
trap 'kill -TERM ${tandem_pid:-0} ${sampler_pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT

"$anchors" start rabbitmq >/dev/null
"$root/bin/tandem" --data-dir "$work/data" --amqp-port $tandem_port --kafka-port 0 --http-port 0 \
  >"$work/tandem.log" 2>&1 &
tandem_pid=$!
for _ in $(seq 100); do grep -q ready "$work/tandem.log" && break; sleep 0.2; done
(while sleep 5; do jstat -gc "$tandem_pid" 2>/dev/null | awk 'NR==2 { print ($3+$4+$6+$8)/1024 }'; done) \
  >"$work/heap-mib" &
sampler_pid=$!

run() { # $1 = label, $2 = port
  local label=$1 port=$2 queue="backlog-$RANDOM"
  local start end
  start=$(date +%s.%N)
  "$anchors" perftest "$port" -x 1 -y 0 -s 1024 -f persistent -c 1000 -C "$messages" -u "$queue" \
    -ad false >/dev/null 2>&1
  end=$(date +%s.%N)
  printf '%-9s build  %d messages in %.1f s: %.0f msg/s\n' "$label" "$messages" \
    "$(echo "$end - $start" | bc)" "$(echo "$messages / ($end - $start)" | bc -l)"
  start=$(date +%s.%N)
  "$anchors" perftest "$port" -x 0 -y 1 -q 1000 -D "$messages" -u "$queue" -p >/dev/null 2>&1
  end=$(date +%s.%N)
  printf '%-9s drain %d messages in %.1f s: %.0f msg/s\n' "$label" "$messages" \
    "$(echo "$end - $start" | bc)" "$(echo "$messages / ($end - $start)" | bc -l)"
}

run tandem $tandem_port
echo "tandem heap used, max of 5 s samples: $(sort -n "$work/heap-mib" | tail -1) MiB; RSS $(ps -o rss= -p "$tandem_pid") KiB; data $(du -sh "$work/data" | cut -f1)"
kill -TERM "$tandem_pid"; wait "$tandem_pid" 2>/dev/null || true
run rabbitmq 25672
