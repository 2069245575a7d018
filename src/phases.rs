//! Developer timings: with `BOLETIN_FASES=1` in the environment, each step of the pipeline
//! prints to stderr the time since the first mark and the process's resident memory, so a
//! slow or fat step can be found without a profiler. Off by default, and then free.

use std::sync::OnceLock;
use std::time::Instant;

/// The first mark's instant, when timings are on.
fn start() -> Option<&'static Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    START
        .get_or_init(|| std::env::var_os("BOLETIN_FASES").map(|_| Instant::now()))
        .as_ref()
}

/// Reports that `step` has just finished.
pub fn mark(step: &str) {
    let Some(start) = start() else { return };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    #[allow(clippy::print_stderr)]
    {
        eprintln!("fase {ms:8.1} ms {:6} MiB  {step}", resident_mib());
    }
}

/// Resident memory from `/proc/self/statm` (Linux); 0 elsewhere.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1024 * 1024))
}
