#!/usr/bin/env bash
# RabbitMQ PerfTest against Tandem (AMQP) and against RabbitMQ (Debian's package), in one run with
# the same flags. Prints PerfTest's summary line for each scenario and broker.
# Usage: amqp-compare.sh [SECONDS]   (per scenario, default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
seconds=${1:-20}
tandem_port=35672
work=$(mktemp -d)
trap 'kill -TERM ${tandem_pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT

"$anchors" start rabbitmq >/dev/null
rm -rf "$work/data"
"$root/bin/tandem" --data-dir "$work/data" --amqp-port $tandem_port --kafka-port 0 --http-port 0 \
  >"$work/tandem.log" 2>&1 &
tandem_pid=$!
for _ in $(seq 100); do grep -q ready "$work/tandem.log" && break; sleep 0.2; done

scenario() { # $1 = name, rest = PerfTest flags
  local name=$1; shift
  for target in "tandem:$tandem_port" "rabbitmq:25672"; do
    local label=${target%%:*} port=${target##*:}
    local out
    out=$("$anchors" perftest "$port" -z "$seconds" "$@" 2>&1 | grep -E "sending rate avg|receiving rate avg" | tr '\n' ' ')
    printf '%-34s %-9s %s\n' "$name" "$label" "$out"
  done
}

# One unmeasured round per broker, so that Tandem's JVM is compiled before measuring.
for port in $tandem_port 25672; do
  "$anchors" perftest "$port" -z 10 -x 1 -y 1 -s 100 -a -u "perf-warm-$RANDOM" >/dev/null 2>&1
done

scenario "transient autoack 1x1 100B" -x 1 -y 1 -s 100 -a -u "perf-a-$RANDOM"
scenario "persistent confirms+acks 1x1 100B" -x 1 -y 1 -s 100 -f persistent -c 500 -q 500 \
  -u "perf-p-$RANDOM" -ad false
scenario "fanout 10 queues 1x10 100B" -x 1 -y 10 -s 100 -a -e "perf-fanout-$RANDOM" -t fanout \
  -qp "perf-f-$RANDOM-%d" -qpf 1 -qpt 10
scenario "2 producers 2 consumers prefetch 100" -x 2 -y 2 -s 100 -q 100 -u "perf-m-$RANDOM"
echo "tandem RSS: $(ps -o rss= -p "$tandem_pid") KiB"
