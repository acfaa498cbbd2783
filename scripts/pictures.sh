#!/usr/bin/env bash
# Draws README.md's pictures of the screen from the UI's own buffer:
# the demo on 2026-12-04 at 120x40, each pane, a form and the chart view,
# as SVG into docs/screens/. tests/pictures.rs fails when they are out of
# date with the UI; run this after an intended screen change.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -- dev pictures docs/screens
