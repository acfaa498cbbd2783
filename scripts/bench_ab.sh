#!/usr/bin/env bash
# Two builds of concierge timed on the same 1M-row import, run by run,
# beside `sqlite3 .import` of the same file (what `bench.sh import` times):
#   scripts/bench_ab.sh BEFORE_BIN AFTER_BIN
# Uses the fixture and wide CSV that `bench.sh` left in BENCH_DIR (run
# `BENCH_DIR=DIR scripts/bench.sh import` first). RUNS (default 5) rounds,
# each timing before, after and sqlite3 in turn, so all three see the same
# machine load; medians printed last. Public tools only: /usr/bin/time.
set -euo pipefail
before=$1
after=$2
work=${BENCH_DIR:?set BENCH_DIR to the folder bench.sh used}
runs=${RUNS:-5}
rows=${ROWS:-1000000}
csv="$work/wide-$rows.csv"
declare -a B A S BC AC
fresh() {
    rm -f "$work/ab.db" "$work/ab.db-wal" "$work/ab.db-shm"
    cp "$work/fixture.db" "$work/ab.db"
    "$1" --db "$work/ab.db" check >/dev/null
}
timed() { /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null 2>"$work/ab.time" || { cat "$work/ab.time" >&2; exit 1; }; tail -1 "$work/ab.time"; }
for run in $(seq "$runs"); do
    fresh "$before"
    read -r bw bu bs bm < <(timed "$before" --db "$work/ab.db" --as bench import data "$csv")
    fresh "$after"
    read -r aw au as am < <(timed "$after" --db "$work/ab.db" --as bench import data "$csv")
    rm -f "$work/ab-plain.db"
    read -r sw su ss _ < <(timed /usr/bin/sqlite3 "$work/ab-plain.db" ".import --csv $csv plain")
    bc=$(awk -v u="$bu" -v s="$bs" 'BEGIN { print u + s }')
    ac=$(awk -v u="$au" -v s="$as" 'BEGIN { print u + s }')
    B+=("$bw"); A+=("$aw"); S+=("$sw"); BC+=("$bc"); AC+=("$ac")
    echo "run $run: before $bw s (cpu $bc s, $bm KB), after $aw s (cpu $ac s, $am KB), sqlite3 .import $sw s"
done
median() { sort -g | awk '{a[NR] = $1} END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mb=$(printf '%s\n' "${B[@]}" | median)
ma=$(printf '%s\n' "${A[@]}" | median)
ms=$(printf '%s\n' "${S[@]}" | median)
mbc=$(printf '%s\n' "${BC[@]}" | median)
mac=$(printf '%s\n' "${AC[@]}" | median)
awk -v b="$mb" -v a="$ma" -v s="$ms" -v bc="$mbc" -v ac="$mac" 'BEGIN { printf "median: before %s s (cpu %s s; %.2f of sqlite3), after %s s (cpu %s s; %.2f of sqlite3), sqlite3 .import %s s\n", b, bc, b / s, a, ac, a / s, s }'
