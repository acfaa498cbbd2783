#!/usr/bin/env bash
# Benchmarks that print their figures; BENCHMARKS.md records them with the
# machine they ran on. One function per section.
#
#   scripts/bench.sh            every section
#   scripts/bench.sh tui        one section
#
# Sections:
#   tui   open → first frame, keystroke → frame, one filter character and
#         peak RSS on the SPEC §6 large fixture (benches/tui.rs; the fixture
#         is built once into $CARGO_TARGET_DIR/bench/large-seed1.db).
#         CONCIERGE_BENCH_ONLY=open,keys,filter,rss picks parts.
set -euo pipefail
cd "$(dirname "$0")/.."

machine() {
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
        "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB," \
        "load $(cut -d' ' -f1-3 /proc/loadavg); $(rustc --version)"
}

tui() {
    echo "== tui"
    cargo bench --bench tui
}

sections=("$@")
if [ ${#sections[@]} -eq 0 ]; then
    sections=(tui)
fi
machine
for section in "${sections[@]}"; do
    "$section"
done
