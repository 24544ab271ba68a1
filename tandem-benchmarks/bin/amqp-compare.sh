#!/usr/bin/env bash
# RabbitMQ PerfTest against Tandem (AMQP) and against RabbitMQ (Debian's package), in one run with
# the same flags. Prints PerfTest's summary line for each scenario and broker, and the broker's CPU
# time per received message.
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

for pid in $(pgrep beam.smp); do # the anchor RabbitMQ: the Erlang VM serving port 25672
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx 'RABBITMQ_NODE_PORT=25672' && rabbit_pid=$pid
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
hz=$(getconf CLK_TCK)

# Prints PerfTest's average rates and the broker's CPU per received message (user + system time
# of the broker process over the run, divided by the messages PerfTest received).
scenario() { # $1 = name, rest = PerfTest flags
  local name=$1; shift
  for target in "tandem:$tandem_port:$tandem_pid" "rabbitmq:25672:$rabbit_pid"; do
    IFS=: read -r label port pid <<<"$target"
    local out before after received
    before=$(ticks "$pid")
    out=$("$anchors" perftest "$port" -z "$seconds" "$@" 2>&1 | grep -E "sending rate avg|receiving rate avg" | tr '\n' ' ')
    after=$(ticks "$pid")
    received=$(grep -oE 'receiving rate avg: [0-9]+' <<<"$out" | awk '{print $4}')
    printf '%-34s %-9s %s cpu: %s us/msg\n' "$name" "$label" "$out" \
      "$(awk -v t=$((after - before)) -v hz="$hz" -v r="${received:-0}" -v s="$seconds" \
        'BEGIN { if (r > 0) printf "%.1f", t / hz * 1e6 / (r * s); else print "?" }')"
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
