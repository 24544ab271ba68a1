#!/usr/bin/env bash
# Runs the seed article's two samples, unmodified, against bin/tandem on the default ports
# (AMQP 5672, Kafka 9092) over a fresh data directory, then the user guide's examples
# (docs/examples). Needs python3-pika and python3-kafka.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$(mktemp -d)
log="$data.log"
"$root/bin/tandem" --data-dir "$data" --http-port 0 >"$log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  grep -q "ready" "$log" && break
  kill -0 $broker 2>/dev/null || { cat "$log"; echo "seed: broker did not start" >&2; exit 1; }
  sleep 0.2
done
grep -q "ready" "$log" || { cat "$log"; echo "seed: broker not ready" >&2; exit 1; }
status=0
/usr/bin/python3 "$root/tandem-interop/seed/rabbitmq_sample.py" || status=1
/usr/bin/python3 "$root/tandem-interop/seed/kafka_sample.py" || status=1
# The user guide's crossing-over examples (docs/examples), on the same broker.
for example in "$root"/docs/examples/*.py; do
  /usr/bin/python3 "$example" || status=1
done
[[ $status == 0 ]] || { echo "--- broker log ---"; tail -50 "$log"; }
exit $status
