//! Thread helpers shared by every step that runs in parallel: locks that survive a panic
//! elsewhere, and freeing large values off the main thread.

/// Frees `value` on a thread of its own: the rendered site's bodies, cards and documents
/// are a hundred thousand small allocations at 10,000 bulletins, and freeing them one by
/// one took the main thread 30 ms that the output does not wait for. If the process ends
/// first, the system takes the memory back at once.
pub fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new().spawn(move || drop(value));
    // Without a thread (resources exhausted), the value was dropped with the closure.
    drop(spawned);
}

/// A poisoned lock only means another thread panicked mid-update; the data is still
/// usable, and a build must not panic because of it.
pub fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
