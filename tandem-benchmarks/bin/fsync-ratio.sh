#!/usr/bin/env bash
# The issue's target, measured as a ratio within one run: FSYNC appends of 1 KiB records in batches
# of 100 (LogAppendBenchmark, MB/s on disk) against dd's sequential write rate (bin/disk-rate.sh) on
# the same filesystem, and against FsyncBaselineBenchmark (the same batch, FileChannel.write and
# fdatasync in one thread, no log), alternating ROUNDS times so that all three see the same
# neighbours. Shared disks drift from minute to minute; the ratios drift less than the figures.
#
# Usage: tandem-benchmarks/bin/fsync-ratio.sh [ROUNDS]      (default 3)
#   TANDEM_BENCH_DIR   where both write (default $TMPDIR, else /tmp)
#   JMH_OPTS           JMH options (default "-f 1 -wi 2 -i 3 -w 2s -r 3s")
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
jar="$here/../target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "fsync-ratio: $jar missing; build it: mvn -B -q -pl tandem-benchmarks -am package -DskipTests" >&2
  exit 1
fi
rounds="${1:-3}"
read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 2 -i 3 -w 2s -r 3s}"
export TANDEM_BENCH_DIR="${TANDEM_BENCH_DIR:-${TMPDIR:-/tmp}}"
csv="$(mktemp "${TMPDIR:-/tmp}/tandem-fsync-ratio.XXXXXX")"
trap 'rm -f "$csv"' EXIT

# Prints the score of secondary result NAME (records, mbytes, fsyncs) from JMH's CSV.
score() { awk -F, -v n=":$1\"" 'index($1, n) { print $5 }' "$csv"; }

run_baseline() {
  java -jar "$jar" 'FsyncBaselineBenchmark' -p recordBytes=1024 -p batchRecords=100 \
    "${jmh_opts[@]}" -rf csv -rff "$csv" > /dev/null
  baseline="$(score mbytes)"
}
run_log() {
  java -jar "$jar" 'LogAppendBenchmark.append$' -p durability=FSYNC -p recordBytes=1024 \
    -p batchRecords=100 "${jmh_opts[@]}" -rf csv -rff "$csv" > /dev/null
  log_mbytes="$(score mbytes)"
  log_records="$(score records)"
}

echo "round  dd MB/s  baseline MB/s  log MB/s  log records/s  log/dd  log/baseline"
for ((round = 1; round <= rounds; round++)); do
  dd_rate="$("$here/disk-rate.sh" | sed -nE 's/^disk-rate: ([0-9.]+) MB\/s.*/\1/p')"
  # Whatever runs right after dd may meet its writeback in the host's cache: alternate the order.
  if ((round % 2 == 1)); then
    run_baseline
    run_log
  else
    run_log
    run_baseline
  fi
  awk -v r="$round" -v d="$dd_rate" -v b="$baseline" -v m="$log_mbytes" -v n="$log_records" \
    'BEGIN {
      printf "%5d  %7.0f  %13.1f  %8.1f  %13.0f  %5.0f%%  %11.0f%%\n", r, d, b, m, n, 100 * m / d, 100 * m / b
    }'
done
