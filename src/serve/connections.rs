//! The accept loop and its limits: one thread per connection, at most `max_connections` at
//! once (503 beyond), each request read within a whole-request deadline.

use super::*;

/// Bounds on each connection and on all of them, so that slow or hostile clients cannot
/// hold the server: every connection costs a thread and a file descriptor.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// The whole request head must arrive within this time of the connection's start
    /// (not per read: a client sending a byte at a time would never time out).
    pub(super) head_deadline: Duration,
    /// Connections open at once (live-reload streams included); beyond, 503 and close.
    pub(super) max_connections: usize,
    /// Longest request line, in bytes (414 beyond).
    pub(super) max_line: usize,
    /// Longest request head, request line included, in bytes (431 beyond).
    pub(super) max_head: usize,
    /// Most header lines (431 beyond).
    pub(super) max_headers: usize,
    /// How long one write may wait for a client that does not read.
    pub(super) write_timeout: Duration,
    /// How long, at most, to read and drop what a client still sends after our answer.
    pub(super) linger: Duration,
}

impl Limits {
    pub(super) const DEFAULT: Limits = Limits {
        head_deadline: Duration::from_secs(10),
        max_connections: 64,
        max_line: 8 * 1024,
        max_head: 32 * 1024,
        max_headers: 100,
        write_timeout: Duration::from_secs(10),
        linger: Duration::from_secs(1),
    };
}

/// Accepts connections forever, each on its own thread, at most `limits.max_connections`
/// at once: beyond that a connection gets 503 at once, so slow clients cannot take every
/// thread and file descriptor and lock everyone else out.
pub(super) fn accept(listener: &TcpListener, state: &Arc<State>, limits: Limits) {
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, say: wait instead of spinning on the error.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let started = Instant::now();
        let Some(slot) = Slot::take(&open, limits.max_connections) else {
            refuse_busy(&stream);
            continue;
        };
        let state = Arc::clone(state);
        // A thread that cannot be started drops the closure: the connection closes.
        let _ = std::thread::Builder::new().spawn(move || {
            connection(&stream, &state, &limits, started);
            drop(slot);
        });
    }
}

/// One of the connections allowed at once; gives its place back when dropped.
pub(super) struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// A place if fewer than `max` are taken.
    fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()?;
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// 503 on the accepting thread, which must never wait: non-blocking, so a client that
/// does not read loses the answer instead of stalling every other connection.
pub(super) fn refuse_busy(stream: &TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let _ = respond_text(stream, 503, "demasiadas conexiones; vuelva a intentarlo\n");
    let _ = stream.shutdown(Shutdown::Write);
    // Drop what already arrived: closing with unread bytes would reset the connection
    // and could discard the answer.
    let mut sink = [0; 4096];
    let mut reader = stream;
    while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
}

/// One connection: the request head within the deadline, one answer, a graceful close.
pub(super) fn connection(stream: &TcpStream, state: &State, limits: &Limits, started: Instant) {
    if stream
        .set_write_timeout(Some(limits.write_timeout))
        .is_err()
    {
        return;
    }
    let head = read_head(stream, started + limits.head_deadline, limits);
    let answered = match head.and_then(|h| parse_head(&h, limits)) {
        Ok(request) => handle(stream, &request, state),
        Err(Refusal::Gone) => return,
        Err(Refusal::Answer(status, text)) => respond_text(stream, status, text),
    };
    if answered.is_ok() {
        linger(stream, limits.linger);
    }
}
