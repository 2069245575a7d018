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
        eprintln!(
            "fase {ms:8.1} ms {:7.0} ms cpu {:6} MiB  {step}",
            cpu_ms(),
            resident_mib()
        );
    }
}

/// Resident memory from `/proc/self/statm` (Linux); 0 elsewhere.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1024 * 1024))
}

/// User plus system CPU time of the whole process from `/proc/self/stat` (Linux, in clock
/// ticks, assumed 100 per second); 0 elsewhere. Against the wall time it shows how many cores a
/// step kept busy.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The command name may hold spaces; the fields after it are plain numbers.
            let rest = s.get(s.rfind(')')? + 2..)?;
            let mut fields = rest.split_whitespace().skip(11);
            let user = fields.next()?.parse::<f64>().ok()?;
            let system = fields.next()?.parse::<f64>().ok()?;
            Some((user + system) * 10.0)
        })
        .unwrap_or(0.0)
}
