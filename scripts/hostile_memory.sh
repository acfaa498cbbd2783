#!/usr/bin/env bash
# Peak memory of `concierge import data FILE --dry-run` on hostile files
# (issue #15, SPEC §6: ≤ 32 MB whatever the input), printed for BENCHMARKS.md.
#
#   scripts/hostile_memory.sh          builds the release binary first
#
# Files (in a temp dir, removed after): a 1 GiB sparse file, a header then
# 200 MB of NULs, 200 MB of random bytes, one 8 MB cell and one 50 MB cell
# (each after a valid header and a valid row). Needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/concierge"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" --db "$dir/w.db" init --demo >/dev/null
truncate -s 1G "$dir/sparse.csv"
{ echo "customer,recorded_on,hours_saved"; head -c 200000000 /dev/zero; } >"$dir/nul.csv"
head -c 200000000 /dev/urandom >"$dir/random.csv"
for mb in 8 50; do
  { echo "customer,recorded_on,notes"; echo "Harbor,2026-11-02,ok";
    printf 'Harbor,2026-11-03,'; head -c $((mb * 1000000)) /dev/zero | tr '\0' x; echo; } >"$dir/cell$mb.csv"
done
printf '%-12s %10s %8s  %s\n' file "peak KiB" seconds "what it says"
for f in sparse nul random cell8 cell50; do
  out=$( { /usr/bin/time -f "%M %e" "$bin" --db "$dir/w.db" import data "$dir/$f.csv" --dry-run >"$dir/out" 2>"$dir/err"; } 2>&1 || true)
  said=$(cat "$dir/out" "$dir/err" | grep -m1 -E "NUL byte|invalid UTF-8|limit of" | sed "s/^ *//" | cut -c1-100)
  read -r kb secs < <(tail -1 "$dir/err")
  printf '%-12s %10s %8s  %s\n' "$f.csv" "$kb" "$secs" "$said"
done
