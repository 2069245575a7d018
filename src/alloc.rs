//! The binary's allocator and its tuning, in one file on the binary side: the library has
//! no say in which allocator the program runs with, and its `unsafe` calls into mimalloc's
//! C settings stay out of the library.

/// mimalloc: a build clones and frees hundreds of thousands of small strings, where glibc's
/// allocator spent a quarter of an incremental rebuild (measured with `perf`).
#[cfg(not(feature = "heaptrack"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
unsafe extern "C" {
    /// mimalloc's own setting function, in the C library the `mimalloc` crate links (the
    /// crate's binding needs its `extended` feature, whose extra dependency is not
    /// available here).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_arena_eager_commit` in `mimalloc.h`.
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
/// `mi_option_purge_delay` in `mimalloc.h` (milliseconds; -1 is "never purge").
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
const PURGE_DELAY: std::ffi::c_int = 15;

/// Runs before `main`, before the first allocation reserves mimalloc's arena:
/// - commit the arena's memory as it is used rather than up front: at 10,000 bulletins the
///   peak resident memory drops by some 40 MB at the same speed (`cargo bench --bench site`);
/// - hand freed memory back to the system after 100 ms instead of 10: the texts freed as
///   bulletins are rendered are taken again by the pages after them instead of being
///   returned and faulted in anew. At 10,000 bulletins a sixth fewer page faults (54,000 →
///   45,500, each some microseconds on these machines), the same peak memory.
///
/// mimalloc's own variables (`MIMALLOC_ARENA_EAGER_COMMIT`, `MIMALLOC_PURGE_DELAY`), when
/// set, decide instead (and let the choices be measured).
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn tune() {
        let options = [
            ("MIMALLOC_ARENA_EAGER_COMMIT", ARENA_EAGER_COMMIT, 0),
            ("MIMALLOC_PURGE_DELAY", PURGE_DELAY, 100),
        ];
        for (variable, option, value) in options {
            if std::env::var_os(variable).is_none() {
                // SAFETY: a plain setter of an integer option, called before any thread
                // starts.
                unsafe { mi_option_set(option, value) }
            }
        }
    }
    tune
};

/// Tells mimalloc not to hand its free memory back to the system page by page when the
/// process ends (its exit handler did, on one core: some 25 ms at 10,000 bulletins, seen
/// with `perf`); the system takes back the whole address space at once anyway.
pub fn skip_final_purge() {
    #[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
    // SAFETY: a plain store of an integer option, as mimalloc's own API makes at run time.
    // It is not atomic: a thread still freeing memory (a background drop) may read the old
    // value, which only changes when that memory would be returned. The rest of the process
    // is done.
    unsafe {
        mi_option_set(PURGE_DELAY, -1)
    }
}
