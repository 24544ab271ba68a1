#!/usr/bin/env bash
# Prints the sequential write rate of the filesystem the benchmarks write to: dd writes 2000 MiB of
# zeros with one fdatasync at the end (conv=fdatasync), the yardstick the append benchmark's MB/s
# is divided by. The file is removed afterwards, also on Ctrl-C.
#
# Usage: tandem-benchmarks/bin/disk-rate.sh [DIR]
#   DIR defaults to $TANDEM_BENCH_DIR, else $TMPDIR, else /tmp: the same root the benchmarks use.
#   COUNT=N (MiB, default 2000) writes less on a small disk.
set -euo pipefail

dir="${1:-${TANDEM_BENCH_DIR:-${TMPDIR:-/tmp}}}"
count="${COUNT:-2000}"
mkdir -p "$dir"
fstype="$(df --output=fstype "$dir" | tail -n 1)"
if [[ "$fstype" == tmpfs || "$fstype" == ramfs ]]; then
  echo "disk-rate: warning: $dir is $fstype, not a disk; set TANDEM_BENCH_DIR" >&2
fi

file="$(mktemp "$dir/tandem-disk-rate.XXXXXX")"
trap 'rm -f "$file"' EXIT

out="$(LC_ALL=C dd if=/dev/zero of="$file" bs=1M count="$count" conv=fdatasync 2>&1)"
summary="$(tail -n 1 <<< "$out")"
# "2097152000 bytes (2.1 GB, 2.0 GiB) copied, 3.2 s, 655 MB/s": recompute from bytes and seconds.
bytes="$(awk '{print $1}' <<< "$summary")"
seconds="$(sed -E 's/.*copied, ([0-9.]+) s.*/\1/' <<< "$summary")"
echo "dd: $summary"
awk -v b="$bytes" -v s="$seconds" -v d="$dir" -v t="$fstype" \
  'BEGIN { printf "disk-rate: %.0f MB/s sequential write (%s, %s)\n", b / s / 1e6, d, t }'
