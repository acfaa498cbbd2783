#!/usr/bin/env bash
# Benchmarks of SPEC §6, printing figures for BENCHMARKS.md.
#
#   scripts/bench.sh                 every section
#   scripts/bench.sh import export   only these sections
#
# Sections: import, export (against sqlite3, below); tui (open → first
# frame, keystroke → frame in every pane, one filter character, peak RSS:
# benches/tui.rs, CONCIERGE_BENCH_ONLY=open,keys,filter,rss picks parts);
# grid (keystroke → frame on the Data grid of 100,000 × 40: benches/grid.rs);
# pgimport (the import section's file into a team workspace on a server it
# starts itself, against `psql \copy` of the same file: SPEC §7); pgtui
# (the tui section on a server); pgsave (8 members saving for 60 s on a
# server: benches/pg_save.rs).
#
# Environment: RUNS (default 3; medians are printed), ROWS (rows of the
# wide CSV, default 1000000), SEED (default 1), BENCH_DIR (where the
# fixture, the CSV and the scratch workspaces go; default a temp dir, kept
# when given so reruns skip generating), CARGO_TARGET_DIR (as cargo).
#
# Public tools only: cargo, /usr/bin/time -v (peak RSS), /usr/bin/sqlite3,
# and for pgimport PostgreSQL's psql (scripts/pg-throwaway.sh finds it).
# To add a section, write a `section_NAME` function below and list it in
# SECTIONS; it can use `prepare`, `measure` and `median`.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
SQLITE=${SQLITE:-/usr/bin/sqlite3}
TARGET=${CARGO_TARGET_DIR:-target}
BIN="$TARGET/release/concierge"
SECTIONS=(import export tui grid pgimport pgtui pgsave)
if [[ -n "${BENCH_DIR:-}" ]]; then
    WORK=$BENCH_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

log() { printf '%s\n' "$*" >&2; }

# measure OUT CMD...: runs CMD (stdout to OUT), sets ELAPSED (wall, s), CPU
# (user + system, s: steadier than wall time on a shared machine) and RSS
# (peak, KB).
measure() {
    local out=$1
    shift
    local report="$WORK/time.txt"
    /usr/bin/time -v -o "$report" "$@" >"$out" 2>"$WORK/stderr.txt" || {
        cat "$WORK/stderr.txt" >&2
        return 1
    }
    ELAPSED=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$report")
    CPU=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$report")
    RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
}

# summary WHAT TARGET: prints medians and ratios of the arrays OURS, THEIRS,
# OURS_CPU, THEIRS_CPU and RSS_KB.
summary() {
    local a b ac bc
    a=$(printf '%s\n' "${OURS[@]}" | median)
    b=$(printf '%s\n' "${THEIRS[@]}" | median)
    ac=$(printf '%s\n' "${OURS_CPU[@]}" | median)
    bc=$(printf '%s\n' "${THEIRS_CPU[@]}" | median)
    echo "$1: concierge ${a} s (cpu ${ac} s), $3 ${b} s (cpu ${bc} s); ratio $(ratio "$a" "$b") wall, $(ratio "$ac" "$bc") cpu (target <= $2); peak RSS $(printf '%s\n' "${RSS_KB[@]}" | median) KB"
}

# median: of the numbers on stdin, one per line.
median() {
    sort -g | awk '{a[NR] = $1} END {
        if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
        else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

build() {
    log "building release…"
    cargo build --release --quiet
}

# The SPEC §6 large fixture and the matching wide CSV, made once.
prepare() {
    if [[ ! -f "$WORK/fixture.db" ]]; then
        log "fixture (seed $SEED)…"
        "$BIN" dev fixture --seed "$SEED" "$WORK/fixture.db" >&2
    fi
    if [[ ! -f "$WORK/wide-$ROWS.csv" ]]; then
        log "wide CSV ($ROWS rows)…"
        "$BIN" dev wide-csv --rows "$ROWS" --seed "$SEED" "$WORK/wide-$ROWS.csv" >&2
    fi
}

fresh_workspace() {
    rm -f "$WORK/work.db" "$WORK/work.db-wal" "$WORK/work.db-shm"
    cp "$WORK/fixture.db" "$WORK/work.db"
    # A fixture made by an older build is upgraded here, untimed (a kept
    # BENCH_DIR would otherwise time a schema migration).
    "$BIN" --db "$WORK/work.db" check >/dev/null
}

# Import of the wide CSV into the fixture (validation and change log
# included) against `sqlite3 .import` of the same file into a plain table,
# run after run so both see the same machine load.
section_import() {
    prepare
    local csv="$WORK/wide-$ROWS.csv"
    OURS=() THEIRS=() OURS_CPU=() THEIRS_CPU=() RSS_KB=()
    for run in $(seq "$RUNS"); do
        fresh_workspace
        measure /dev/null "$BIN" --db "$WORK/work.db" --as bench import data "$csv"
        OURS+=("$ELAPSED"); OURS_CPU+=("$CPU"); RSS_KB+=("$RSS")
        rm -f "$WORK/plain.db"
        measure /dev/null "$SQLITE" "$WORK/plain.db" ".import --csv $csv plain"
        THEIRS+=("$ELAPSED"); THEIRS_CPU+=("$CPU")
        log "import run $run: concierge ${OURS[-1]} s (cpu ${OURS_CPU[-1]} s, ${RSS_KB[-1]} KB), sqlite3 .import ${THEIRS[-1]} s (cpu ${THEIRS_CPU[-1]} s)"
    done
    summary "import $ROWS rows" "1.0, RSS <= 32768 KB" "sqlite3 .import"
}

# Export of every entry (the fixture's plus the imported ones) against
# `sqlite3 -csv` of the same table.
section_export() {
    prepare
    if [[ ! -f "$WORK/work.db" ]] || [[ $("$SQLITE" "$WORK/work.db" "SELECT count(*) FROM entries") -lt "$ROWS" ]]; then
        fresh_workspace
        "$BIN" --db "$WORK/work.db" --as bench import data "$WORK/wide-$ROWS.csv" >/dev/null
    fi
    local rows
    rows=$("$SQLITE" "$WORK/work.db" "SELECT count(*) FROM entries")
    OURS=() THEIRS=() OURS_CPU=() THEIRS_CPU=() RSS_KB=()
    for run in $(seq "$RUNS"); do
        # Both to standard output (`-o FILE` adds an fsync and a rename).
        measure "$WORK/export.csv" "$BIN" --db "$WORK/work.db" export data
        OURS+=("$ELAPSED"); OURS_CPU+=("$CPU"); RSS_KB+=("$RSS")
        measure "$WORK/sqlite-export.csv" "$SQLITE" -csv -header "$WORK/work.db" "SELECT * FROM entries"
        THEIRS+=("$ELAPSED"); THEIRS_CPU+=("$CPU")
        log "export run $run: concierge ${OURS[-1]} s (cpu ${OURS_CPU[-1]} s, ${RSS_KB[-1]} KB), sqlite3 -csv ${THEIRS[-1]} s (cpu ${THEIRS_CPU[-1]} s)"
    done
    summary "export $rows rows" "0.7" "sqlite3 -csv"
}

# Import of the same wide CSV into a team workspace on a PostgreSQL server
# (SPEC §7: validation and change log included), against `psql \copy` of
# the same file into a plain table of text columns on the same server, run
# after run. The server is a throw-away cluster this section starts (and
# stops); each run's workspace is a fresh database made from a template
# holding `team init` and the fixture copied up (the import section's
# fields, customers and entries), untimed.
section_pgimport() {
    prepare
    # (Under /tmp: run as root, the cluster's own user must reach it.)
    local csv="$WORK/wide-$ROWS.csv" pgdir out url base query psql
    pgdir=$(mktemp -d -u /tmp/concierge-bench-pg.XXXXXX)
    out=$(scripts/pg-throwaway.sh start "$pgdir" 2>"$WORK/pg-start.txt") || {
        cat "$WORK/pg-start.txt" >&2
        return 1
    }
    url=$(printf '%s\n' "$out" | sed -n 1p)
    base=${url%%\?*}
    base=${base%/*}
    query=${url#*\?}
    psql=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
    local pg_url="$base/postgres?$query"
    at() { printf '%s/%s?%s' "$base" "$1" "$query"; }
    log "pgimport: template workspace (team init + the fixture copied up)…"
    "$psql" -qX "$pg_url" -c "CREATE DATABASE bench_template" >/dev/null
    "$BIN" --db "$(at bench_template)" team init >/dev/null
    "$BIN" --db "$WORK/fixture.db" copy --to "$(at bench_template)" >/dev/null
    local columns top floors=()
    columns=$(head -n 1 "$csv" | tr -d '\r' | sed 's/\([^,]*\)/"\1" text/g')
    top=$("$psql" -qXAt "$(at bench_template)" -c "SELECT coalesce(max(id), 0) FROM entries")
    OURS=() THEIRS=() OURS_CPU=() THEIRS_CPU=() RSS_KB=()
    for run in $(seq "$RUNS"); do
        "$psql" -qX "$pg_url" -c "DROP DATABASE IF EXISTS bench_run" \
            -c "CREATE DATABASE bench_run TEMPLATE bench_template" >/dev/null
        measure /dev/null "$BIN" --db "$(at bench_run)" import data "$csv"
        OURS+=("$ELAPSED"); OURS_CPU+=("$CPU"); RSS_KB+=("$RSS")
        # The server's own share: the rows the import wrote, as COPY text,
        # sent straight into `entries` of a fresh copy of the template
        # (its indexes, customer foreign key and trigger; no reading,
        # checking or change log).
        if [[ $run -eq 1 ]]; then
            "$psql" -qX "$(at bench_run)" -c "\\copy (SELECT * FROM entries WHERE id > $top ORDER BY id) TO '$WORK/entries.copy'"
        fi
        "$psql" -qX "$pg_url" -c "DROP DATABASE IF EXISTS bench_floor" \
            -c "CREATE DATABASE bench_floor TEMPLATE bench_template" >/dev/null
        measure /dev/null "$psql" -qX "$(at bench_floor)" -c "\\copy entries FROM '$WORK/entries.copy'"
        floors+=("$ELAPSED")
        "$psql" -qX "$pg_url" -c "DROP TABLE IF EXISTS plain" \
            -c "CREATE TABLE plain ($columns)" >/dev/null
        measure /dev/null "$psql" -qX "$pg_url" -c "\\copy plain FROM '$csv' WITH (FORMAT csv, HEADER true)"
        THEIRS+=("$ELAPSED"); THEIRS_CPU+=("$CPU")
        log "pgimport run $run: concierge ${OURS[-1]} s (cpu ${OURS_CPU[-1]} s, ${RSS_KB[-1]} KB), psql \\copy ${THEIRS[-1]} s (cpu ${THEIRS_CPU[-1]} s); the same rows' COPY text straight into entries ${floors[-1]} s"
    done
    scripts/pg-throwaway.sh stop "$pgdir" >/dev/null 2>&1 || true
    summary "import $ROWS rows on a server" "1.0" "psql \\copy"
    echo "import $ROWS rows on a server: the server's share (COPY text straight into entries) $(printf '%s\n' "${floors[@]}" | median) s"
}

section_tui() {
    log "== tui"
    cargo bench --bench tui
}

section_grid() {
    log "== grid"
    cargo bench --bench grid
}

# pgtui: the tui section on a server (SPEC §7): the fixture copied into a
# throw-away cluster this starts (fsync on) and removes.
section_pgtui() {
    log "== pgtui"
    local pgdir out
    pgdir=$(mktemp -d -u /tmp/concierge-bench-pg.XXXXXX)
    out=$(scripts/pg-throwaway.sh start "$pgdir")
    CONCIERGE_BENCH_PG=${out%%$'\n'*} cargo bench --bench tui
    scripts/pg-throwaway.sh stop "$pgdir" >/dev/null
}

# pgsave: 8 members saving forms and cells for 60 s on a server
# (benches/pg_save.rs starts its own cluster; CONCIERGE_BENCH_SECONDS,
# CONCIERGE_BENCH_USERS).
section_pgsave() {
    log "== pgsave"
    cargo bench --bench pg_save
}

main() {
    local wanted=("$@")
    if [[ ${#wanted[@]} -eq 0 ]]; then
        wanted=("${SECTIONS[@]}")
    fi
    for section in "${wanted[@]}"; do
        if ! declare -F "section_$section" >/dev/null; then
            log "unknown section: $section (known: ${SECTIONS[*]})"
            exit 2
        fi
    done
    build
    log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
    for section in "${wanted[@]}"; do
        "section_$section"
    done
}

main "$@"
