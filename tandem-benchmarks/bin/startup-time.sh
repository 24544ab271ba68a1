#!/usr/bin/env bash
# Start-up time of bin/tandem: wall time from launching it to its "tandem: ready" line, RUNS times
# (default 5), each on a fresh data directory and free ports (0), each stopped with SIGTERM. Also
# prints the broker's own figure ("ready in N ms", JVM uptime) and the median of both.
#
# Usage: tandem-benchmarks/bin/startup-time.sh [RUNS]
#   Build the server first (bin/tandem builds it on first use, which would be timed otherwise).
#   TANDEM_BENCH_DIR   where the data directories go (default $TMPDIR, else /tmp)
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
tandem="$here/../../bin/tandem"
if [[ ! -x "$tandem" ]]; then
  echo "startup-time: $tandem not found" >&2
  exit 1
fi
if [[ ! -f "$here/../../tandem-server/target/tandem-server.jar" ]]; then
  echo "startup-time: build the server first: mvn -B -q -pl tandem-server -am package -DskipTests" >&2
  exit 1
fi
runs="${1:-5}"
root="${TANDEM_BENCH_DIR:-${TMPDIR:-/tmp}}"
mkdir -p "$root"
data=""
cleanup() {
  if [[ -n "${TANDEM_PID:-}" ]]; then
    kill -TERM "$TANDEM_PID" 2> /dev/null || true
  fi
  if [[ -n "$data" ]]; then
    rm -rf "$data"
  fi
}
trap cleanup EXIT

walls=()
jvms=()
for ((run = 1; run <= runs; run++)); do
  data="$(mktemp -d "$root/tandem-startup-XXXXXX")"
  start="$(date +%s%N)"
  coproc TANDEM {
    exec "$tandem" --data-dir "$data/data" --amqp-port 0 --kafka-port 0 --http-port 0 2> /dev/null
  }
  wall=""
  jvm=""
  while IFS= read -r -u "${TANDEM[0]}" line; do
    if [[ "$line" == *ready* ]]; then
      wall=$((($(date +%s%N) - start) / 1000000))
      jvm="$(sed -nE 's/.*ready in ([0-9]+) ms.*/\1/p' <<< "$line")"
      break
    fi
  done
  pid="$TANDEM_PID"
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$data"
  data=""
  if [[ -z "$wall" ]]; then
    echo "startup-time: run $run: no ready line" >&2
    exit 1
  fi
  printf 'run %d: ready after %d ms wall (broker says %s ms)\n' "$run" "$wall" "${jvm:-?}"
  walls+=("$wall")
  jvms+=("${jvm:-0}")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "median: $(median "${walls[@]}") ms wall to ready, $(median "${jvms[@]}") ms JVM uptime at ready"
