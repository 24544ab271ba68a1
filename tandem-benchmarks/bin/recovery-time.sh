#!/usr/bin/env bash
# Recovery time after a crash, and a clean reopen for comparison. For each segment.bytes in
# SEGMENT_MIB, a child JVM (FillLog) appends 1 KiB records in batches of 100 under the default
# durability (fsync) until the log holds SIZE_MIB, and is killed with SIGKILL. Then fresh JVMs
# (TimeRecovery) time LogDirectory.open and Log.open:
#   unclean, warm   page cache still holds the log (right after the crash)
#   unclean, cold   the log's pages dropped first (dd iflag=nocache: this file only, not the machine's)
#   clean,   warm   after a clean close (.clean-shutdown present, no scan)
#   clean,   cold
# Each line says what recovery had to scan: the segments from the checkpoint's recovery point on.
#
# Usage: tandem-benchmarks/bin/recovery-time.sh [SIZE_MIB]        (default 1024)
#   SEGMENT_MIB        segment sizes to try (default "1024 128")
#   TANDEM_BENCH_DIR   where the data directory goes (default $TMPDIR, else /tmp); removed at the end
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
jar="$here/../target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "recovery-time: $jar missing; build it: mvn -B -q -pl tandem-benchmarks -am package -DskipTests" >&2
  exit 1
fi
size_mib="${1:-1024}"
read -r -a segment_sizes <<< "${SEGMENT_MIB:-1024 128}"
root="${TANDEM_BENCH_DIR:-${TMPDIR:-/tmp}}"
mkdir -p "$root"

data=""
fill_pid=""
cleanup() {
  if [[ -n "$fill_pid" ]] && kill -0 "$fill_pid" 2> /dev/null; then
    kill -9 "$fill_pid" 2> /dev/null || true
  fi
  if [[ -n "$data" ]]; then
    rm -rf "$data"
  fi
}
trap cleanup EXIT

drop_cache() {
  local file
  for file in "$data"/logs/bench/*; do
    dd if="$file" iflag=nocache count=0 status=none
  done
}

# Runs TimeRecovery in a fresh JVM; prints its line with the JVM's wall time added.
time_open() {
  local label="$1" segment_bytes="$2"
  shift 2
  local start end line
  start="$(date +%s%N)"
  line="$(java -cp "$jar" dev.tandem.benchmarks.recovery.TimeRecovery "$data" "$segment_bytes" "$@")"
  end="$(date +%s%N)"
  printf '  %-14s %s jvmWallMs=%d\n' "$label" "$line" "$(((end - start) / 1000000))"
}

for segment_mib in "${segment_sizes[@]}"; do
  segment_bytes=$((segment_mib * 1024 * 1024))
  data="$(mktemp -d "$root/tandem-recovery-XXXXXX")"
  out="$data.fill.out"
  echo "segment.bytes=${segment_mib}MiB, filling ${size_mib}MiB in $data"
  : > "$out"
  java -cp "$jar" dev.tandem.benchmarks.recovery.FillLog \
    "$data" "$segment_bytes" $((size_mib * 1024 * 1024)) > "$out" &
  fill_pid=$!
  until grep -q '^filled' "$out"; do
    if ! kill -0 "$fill_pid" 2> /dev/null; then
      echo "recovery-time: FillLog died:" >&2
      cat "$out" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "  $(grep '^filled' "$out")"
  kill -9 "$fill_pid"
  wait "$fill_pid" 2> /dev/null || true
  fill_pid=""
  rm -f "$out"
  echo "  killed with SIGKILL"
  time_open "unclean, warm" "$segment_bytes" --halt
  drop_cache
  time_open "unclean, cold" "$segment_bytes"
  time_open "clean, warm" "$segment_bytes"
  drop_cache
  time_open "clean, cold" "$segment_bytes"
  rm -rf "$data"
  data=""
done
