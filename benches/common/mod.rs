//! What the benchmarks share: the SPEC §6 *large* fixture as a file.

use concierge::clock::Clock;
use concierge::fixture::FixtureSize;
use concierge::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The large fixture (seed 1), built on first use into
/// `CONCIERGE_BENCH_DB` (default `$CARGO_TARGET_DIR/bench/large-seed1.db`,
/// else `target/bench/…`); built under another name and moved in place,
/// so an interrupted build is never taken for the fixture.
pub fn large_fixture() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    let path = std::env::var_os("CONCIERGE_BENCH_DB")
        .map_or_else(|| target.join("bench/large-seed1.db"), PathBuf::from);
    if !path.exists() {
        std::fs::create_dir_all(path.parent().expect("folder")).expect("bench folder");
        let started = Instant::now();
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let mut store = Store::open(&partial, OpenMode::ReadWrite, "fixture", Clock::System)
            .expect("new fixture file");
        store
            .build_fixture(1, FixtureSize::LARGE)
            .expect("build fixture");
        drop(store);
        std::fs::rename(&partial, &path).expect("the fixture in place");
        println!(
            "built the fixture in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    path
}
