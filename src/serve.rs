//! `boletin serve`: build in memory, serve on loopback, watch, rebuild, live-reload.
//!
//! The built site lives only in memory, so `serve` never touches `output/` and can only
//! ever answer with a file of the build: there is no path from a request to the disk.
//! Rebuilds reuse unchanged work through [`crate::render::cache::Cache`]. On an error the
//! last good build stays up, with the Spanish report laid over every page until it is fixed.
//! The reload script and the overlay are added to responses here, never to built files.

use crate::diag::{Diagnostic, Problem, render_report};
use crate::options::BuildOptions;
use crate::render::cache::Cache;
use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How `serve` is asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Address to listen on; loopback unless the editor asks otherwise.
    pub bind: IpAddr,
    /// First port to try; busy ports move to the next free one.
    pub port: u16,
}

const EVENTS_PATH: &str = "/__boletin/eventos";
const PORTS_TO_TRY: u16 = 20;

/// Bounds on each connection and on all of them, so that slow or hostile clients cannot
/// hold the server: every connection costs a thread and a file descriptor.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// The whole request head must arrive within this time of the connection's start
    /// (not per read: a client sending a byte at a time would never time out).
    head_deadline: Duration,
    /// Connections open at once (live-reload streams included); beyond, 503 and close.
    max_connections: usize,
    /// Longest request line, in bytes (414 beyond).
    max_line: usize,
    /// Longest request head, request line included, in bytes (431 beyond).
    max_head: usize,
    /// Most header lines (431 beyond).
    max_headers: usize,
    /// How long one write may wait for a client that does not read.
    write_timeout: Duration,
    /// How long, at most, to read and drop what a client still sends after our answer.
    linger: Duration,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        head_deadline: Duration::from_secs(10),
        max_connections: 64,
        max_line: 8 * 1024,
        max_head: 32 * 1024,
        max_headers: 100,
        write_timeout: Duration::from_secs(10),
        linger: Duration::from_secs(1),
    };
}

/// At most this much is read and dropped while lingering before a close.
const LINGER_BYTES: usize = 64 * 1024;

/// What is being served: the last good build, and the error of the last build if it failed.
#[derive(Default)]
struct Served {
    files: Arc<BTreeMap<String, Arc<Vec<u8>>>>,
    base: String,
    error: Option<String>,
    version: u64,
}

struct State {
    root: PathBuf,
    origin: String,
    /// The port listened on: an absolute-form target must name it.
    port: u16,
    served: Mutex<Served>,
    changed: Condvar,
    cache: Mutex<Cache>,
}

impl State {
    /// Nothing served yet, for a server at `host:port` (`host` as written in a URL).
    fn new(root: PathBuf, host: &str, port: u16) -> State {
        State {
            root,
            origin: format!("http://{host}:{port}"),
            port,
            served: Mutex::new(Served::default()),
            changed: Condvar::new(),
            cache: Mutex::new(Cache::new()),
        }
    }
}

use crate::threads::lock;

/// Serves until the process is stopped. `log` receives every line for the terminal.
pub fn serve(options: &ServeOptions, log: fn(&str)) -> Result<(), Vec<Diagnostic>> {
    let (listener, port) = bind(options, log)?;
    if !options.bind.is_loopback() {
        log(&format!(
            "aviso: {} es accesible desde otras máquinas de la red; use --bind 127.0.0.1 para verlo solo aquí",
            options.bind
        ));
    }
    let host = match options.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let state = Arc::new(State::new(options.root.clone(), &host, port));
    rebuild(&state, &log);
    log(&format!(
        "sirviendo en {}{} (borradores incluidos); Ctrl+C para terminar",
        state.origin,
        lock(&state.served).base
    ));
    let watcher_state = Arc::clone(&state);
    let _watcher = watch(&options.root, move || rebuild(&watcher_state, &log));
    accept(&listener, &state, Limits::DEFAULT);
    Ok(())
}

/// Accepts connections forever, each on its own thread, at most `limits.max_connections`
/// at once: beyond that a connection gets 503 at once, so slow clients cannot take every
/// thread and file descriptor and lock everyone else out.
fn accept(listener: &TcpListener, state: &Arc<State>, limits: Limits) {
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
struct Slot(Arc<AtomicUsize>);

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
fn refuse_busy(stream: &TcpStream) {
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

fn bind(options: &ServeOptions, log: fn(&str)) -> Result<(TcpListener, u16), Vec<Diagnostic>> {
    let mut last_error = String::new();
    for offset in 0..PORTS_TO_TRY {
        let Some(port) = options.port.checked_add(offset) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(l) => {
                let port = l.local_addr().map(|a| a.port()).unwrap_or(port);
                if offset > 0 {
                    log(&format!(
                        "el puerto {} está ocupado; se usa el {port}",
                        options.port
                    ));
                }
                return Ok((l, port));
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(vec![Diagnostic::global(Problem::Io {
        detail: format!(
            "no se pudo abrir ningún puerto desde el {}: {last_error}",
            options.port
        ),
    })])
}

/// Builds (reusing unchanged work) and swaps what is served.
fn rebuild(state: &State, log: &dyn Fn(&str)) {
    let start = Instant::now();
    let base = crate::config::load(&state.root)
        .map(|c| c.base_url.path)
        .unwrap_or_else(|_| "/".into());
    let mut options = BuildOptions::new(&state.root);
    options.base_url = Some(format!("{}{base}", state.origin));
    options.drafts = true;
    let mut cache = lock(&state.cache);
    let result = crate::render_incremental(&options, Some(&cache));
    let (reused, rendered) = cache.finish();
    drop(cache);
    let mut served = lock(&state.served);
    let mut old = None;
    match result {
        Ok((files, summary)) => {
            let map = files
                .into_iter()
                .map(|f| (format!("{base}{}", f.path), f.bytes))
                .collect();
            old = Some(std::mem::replace(&mut served.files, Arc::new(map)));
            served.base = base;
            served.error = None;
            if !summary.warnings.is_empty() {
                log(render_report(&summary.warnings, &state.root).trim_end());
            }
            log(&format!(
                "construido en {} ms ({rendered} partes nuevas, {reused} reutilizadas)",
                start.elapsed().as_millis()
            ));
        }
        Err(diags) => {
            let report = render_report(&diags.sorted(), &state.root);
            log(report.trim_end());
            log("se sigue sirviendo la última versión correcta");
            if served.files.is_empty() {
                served.base = base;
            }
            served.error = Some(report);
        }
    }
    served.version += 1;
    drop(served);
    state.changed.notify_all();
    // Freeing the previous site's file table is not on the path to the reload.
    drop(old);
}

/// Watches `content/` and `themes/`; calls `on_change` once per burst of changes.
#[cfg(feature = "serve")]
fn watch(root: &Path, on_change: impl Fn() + Send + 'static) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .ok()?;
    for dir in ["content", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Debounce: editors save in bursts (temporary file, rename, metadata).
            while rx.recv_timeout(Duration::from_millis(15)).is_ok() {}
            on_change();
        }
    });
    Some(watcher)
}

/// One connection: the request head within the deadline, one answer, a graceful close.
fn connection(stream: &TcpStream, state: &State, limits: &Limits, started: Instant) {
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

/// Why a request gets no file.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// Answer with this status and short Spanish text, then close.
    Answer(u16, &'static str),
    /// The client closed or broke the connection: there is nobody to answer.
    Gone,
}

const MALFORMED: Refusal = Refusal::Answer(400, "solicitud mal formada\n");

/// The request head, up to (not including) the blank line that ends it, read within
/// `deadline`: each read may only wait for what is left of it.
fn read_head(
    mut stream: &TcpStream,
    deadline: Instant,
    limits: &Limits,
) -> Result<Vec<u8>, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0; 4096];
    loop {
        let end = head_end(&head);
        check_head_size(&head[..end.unwrap_or(head.len())], limits)?;
        if let Some(end) = end {
            head.truncate(end);
            return Ok(head);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let timeout = Refusal::Answer(408, "la solicitud tardó demasiado\n");
        if left.is_zero() {
            return Err(timeout);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| Refusal::Gone)?;
        match stream.read(&mut chunk) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(timeout);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Err(Refusal::Gone),
        }
    }
}

/// Where the head ends: the line feed before the empty line (CRLF or bare LF).
fn head_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', bytes).find(|&i| {
        let rest = &bytes[i + 1..];
        rest.starts_with(b"\n") || rest.starts_with(b"\r\n")
    })
}

/// 414 for a request line over the limit, 431 for a head over it, checked as bytes
/// arrive so that neither is ever buffered whole.
fn check_head_size(head: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let line = memchr::memchr(b'\n', head).unwrap_or(head.len());
    if line > limits.max_line {
        return Err(Refusal::Answer(414, "dirección demasiado larga\n"));
    }
    if head.len() > limits.max_head {
        return Err(Refusal::Answer(431, "cabeceras demasiado grandes\n"));
    }
    Ok(())
}

/// What is used of a request.
#[derive(Debug, Default, PartialEq, Eq)]
struct Request {
    method: String,
    /// As sent: origin-form (`/x`) or absolute-form (`http://host:port/x`).
    target: String,
    host: Option<String>,
    origin: Option<String>,
}

/// Parses a head from [`read_head`]. Refused (400): bytes that are not UTF-8, control
/// characters, a malformed line, and a second `Host` or `Origin`, which could otherwise
/// pass the loopback check with one value and mean another to whoever reads the other.
fn parse_head(head: &[u8], limits: &Limits) -> Result<Request, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| MALFORMED)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut request = request_line(lines.next().unwrap_or_default())?;
    for (i, line) in lines.enumerate() {
        if i == limits.max_headers {
            return Err(Refusal::Answer(431, "demasiadas cabeceras\n"));
        }
        header(line, &mut request)?;
    }
    Ok(request)
}

/// `METHOD target HTTP/1.x`.
fn request_line(line: &str) -> Result<Request, Refusal> {
    if has_controls(line) {
        return Err(MALFORMED);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MALFORMED);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(MALFORMED);
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        ..Request::default()
    })
}

/// One `Name: value` line. No space may precede the colon (RFC 9112 §5.1) and no line
/// may continue the previous one (obsolete folding): both smuggle headers past parsers.
fn header(line: &str, request: &mut Request) -> Result<(), Refusal> {
    let Some((name, value)) = line.split_once(':') else {
        return Err(MALFORMED);
    };
    if name.is_empty() || name.contains([' ', '\t']) || has_controls(line) {
        return Err(MALFORMED);
    }
    let slot = match name.to_ascii_lowercase().as_str() {
        "host" => &mut request.host,
        "origin" => &mut request.origin,
        _ => return Ok(()),
    };
    if slot.is_some() {
        return Err(Refusal::Answer(400, "cabecera repetida\n"));
    }
    *slot = Some(value.trim_matches([' ', '\t']).to_string());
    Ok(())
}

/// Control characters other than tab have no place in a request line or header.
fn has_controls(line: &str) -> bool {
    line.bytes().any(|b| b.is_ascii_control() && b != b'\t')
}

/// One HTTP request. Only GET and HEAD; only files of the build; only loopback hosts.
fn handle(stream: &TcpStream, request: &Request, state: &State) -> std::io::Result<()> {
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return respond_text(stream, 405, "solo GET y HEAD\n");
    }
    let (host, target) = match absolute_form(&request.target) {
        Some((authority, _)) if !own_authority(authority, state) => {
            return respond_text(stream, 400, "la dirección nombra otro servidor\n");
        }
        // RFC 9112 §3.2.2: the target's authority stands in for the Host header.
        Some((authority, path)) => (Some(authority), path),
        None => (request.host.as_deref(), request.target.clone()),
    };
    if !host_allowed(host, state)
        || request
            .origin
            .as_deref()
            .is_some_and(|o| !origin_allowed(o, state))
    {
        return respond_text(stream, 403, "solo se sirve a esta computadora\n");
    }
    let Some(path) = clean_path(&target) else {
        return respond_text(stream, 400, "ruta no permitida\n");
    };
    if path == EVENTS_PATH {
        return events(stream, state);
    }
    serve_file(stream, &path, head, state)
}

/// Answers with the built file at `path` (a clean path), a redirect, or the 404 page.
fn serve_file(stream: &TcpStream, path: &str, head: bool, state: &State) -> std::io::Result<()> {
    let (files, base, error, version) = {
        let s = lock(&state.served);
        (
            Arc::clone(&s.files),
            s.base.clone(),
            s.error.clone(),
            s.version,
        )
    };
    if path == "/" && base != "/" {
        return redirect(stream, &base);
    }
    let file_path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let (status, name, body) = match files.get(&file_path) {
        Some(body) => (200, file_path.as_str(), body.to_vec()),
        None if files.contains_key(&format!("{path}/index.html")) => {
            return redirect(stream, &format!("{path}/"));
        }
        None => {
            let not_found = format!("{base}404.html");
            let body = files
                .get(&not_found)
                .map(|b| b.to_vec())
                .unwrap_or_else(|| {
                    b"<!DOCTYPE html><title>No encontrado</title><h1>No encontrado</h1>".to_vec()
                });
            (404, "404.html", body)
        }
    };
    let content_type = content_type(name);
    let body = if content_type.starts_with("text/html") {
        inject(&body, version, error.as_deref())
    } else {
        body
    };
    respond(stream, status, content_type, &body, head)
}

/// The authority and path of an absolute-form target (`http://host:port/path?query`),
/// the path given a leading `/`; `None` for any other form. Only `http`: this server
/// speaks nothing else, so `https://…` is left to fail as a path.
fn absolute_form(target: &str) -> Option<(&str, String)> {
    let scheme = target.get(..7)?;
    if !scheme.eq_ignore_ascii_case("http://") {
        return None;
    }
    let rest = &target[7..];
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Some((authority, path))
}

/// Whether an absolute-form authority is this server: a loopback or bound host (as the
/// Host check), our port (80 when none is written), and no `user@` part.
fn own_authority(authority: &str, state: &State) -> bool {
    let port = match authority.rsplit_once(':') {
        Some((_, port)) if !port.ends_with(']') => port.parse::<u16>().ok(),
        _ => Some(80),
    };
    !authority.contains('@') && port == Some(state.port) && host_allowed(Some(authority), state)
}

/// The request path, decoded once, or `None` when it could reach outside the build:
/// `..` or `.` segments, empty segments, backslashes, NUL, colons, or no leading `/`.
pub fn clean_path(target: &str) -> Option<String> {
    if !target.starts_with('/') {
        return None;
    }
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(raw)?;
    let segments: Vec<&str> = decoded.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        let bad = *seg == ".."
            || *seg == "."
            || seg.contains(['\\', '\0', ':'])
            || (seg.is_empty() && i != last);
        if bad {
            return None;
        }
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// DNS-rebinding guard: the Host must be this machine.
fn host_allowed(host: Option<&str>, state: &State) -> bool {
    let Some(host) = host else { return false };
    let name = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))
    } else {
        host.split(':').next().map(String::from)
    };
    let name = name.unwrap_or_default().to_ascii_lowercase();
    let own = state
        .origin
        .trim_start_matches("http://")
        .rsplit_once(':')
        .map(|(h, _)| h.to_string())
        .unwrap_or_default();
    ["localhost", "127.0.0.1", "[::1]"].contains(&name.as_str()) || name == own
}

fn origin_allowed(origin: &str, state: &State) -> bool {
    let host = origin.strip_prefix("http://").unwrap_or("");
    host_allowed(Some(host), state)
}

/// The live-reload stream: sends the build version now and after every rebuild.
fn events(mut stream: &TcpStream, state: &State) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
    let mut seen = lock(&state.served).version;
    write!(stream, "data: {seen}\n\n")?;
    loop {
        let served = lock(&state.served);
        let (served, _) = state
            .changed
            .wait_timeout_while(served, Duration::from_secs(15), |s| s.version == seen)
            .unwrap_or_else(PoisonError::into_inner);
        let version = served.version;
        drop(served);
        if version == seen {
            stream.write_all(b": sigue\n\n")?;
        } else {
            seen = version;
            write!(stream, "data: {seen}\n\n")?;
        }
        stream.flush()?;
    }
}

/// Adds the reload script (and the error overlay) before `</body>`.
fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}\");s.onmessage=function(e){{if(e.data!==\"{version}\")location.reload();}};}})();</script>"
    );
    if let Some(report) = error {
        extra.push_str(&format!(
            "<div id=\"boletin-error\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;background:#fff;color:#1b1b1b;border-top:6px solid #b3001b;padding:1rem;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647\"><strong>La última versión tiene errores (se muestra la anterior):</strong>\n{}</div>",
            crate::html::escape(report)
        ));
    }
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn redirect(mut stream: &TcpStream, location: &str) -> std::io::Result<()> {
    let answer = format!(
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(answer.as_bytes())
}

/// A short plain-text answer, for refusals and errors.
fn respond_text(stream: &TcpStream, status: u16, text: &str) -> std::io::Result<()> {
    respond(
        stream,
        status,
        "text/plain; charset=utf-8",
        text.as_bytes(),
        false,
    )
}

/// Closes after an answer without resetting: bytes the client still sends (the rest of
/// a too-long line, a body) are read and dropped, within `time` and [`LINGER_BYTES`];
/// closing with them unread would reset the connection and could lose the answer.
fn linger(mut stream: &TcpStream, time: Duration) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let end = Instant::now() + time;
    let mut sink = [0; 4096];
    let mut dropped = 0;
    while dropped < LINGER_BYTES {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(n) if n > 0 => dropped += n,
            _ => return,
        }
    }
}

fn respond(
    stream: &TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    // Formatted whole and written at once: `write!` on a bare socket sends each piece
    // as its own segment, and the non-blocking 503 could be cut between two of them.
    let mut answer = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !head {
        answer.extend_from_slice(body);
    }
    let mut s = stream;
    s.write_all(&answer)
}

/// Content types by extension, as a static host would send them.
fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "geojson" => "application/geo+json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/a/../b",
            "/..\\\\..\\\\x",
            "/%00",
            "../x",
            "http://127.0.0.1/../x",
            "/a//b",
            "/c:/x",
            "/%zz",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(
            clean_path("/%252e%252e/x").as_deref(),
            Some("/%2e%2e/x"),
            "decoded once only"
        );
        assert_eq!(
            clean_path("/boletines/a%C3%B1o/?x=1").as_deref(),
            Some("/boletines/año/")
        );
        assert_eq!(clean_path("/").as_deref(), Some("/"));
    }

    /// A server for `/index.html` on a free loopback port, accepting on its own thread
    /// for the rest of the test process.
    fn test_server(limits: Limits) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let state = Arc::new(State::new(PathBuf::new(), "127.0.0.1", port));
        {
            let mut served = lock(&state.served);
            let page = Arc::new(b"<p>hola</p>".to_vec());
            served.files = Arc::new(BTreeMap::from([("/index.html".to_string(), page)]));
            served.base = "/".into();
        }
        std::thread::spawn(move || accept(&listener, &state, limits));
        port
    }

    fn connect(port: u16) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        stream
    }

    /// Sends `request` and reads the answer until the server closes (5 s at most).
    fn exchange(port: u16, request: &[u8]) -> String {
        let mut stream = connect(port);
        stream.write_all(request).expect("send");
        read_answer(&mut stream)
    }

    fn read_answer(stream: &mut TcpStream) -> String {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    const SHORT: Limits = Limits {
        head_deadline: Duration::from_millis(300),
        linger: Duration::from_millis(200),
        ..Limits::DEFAULT
    };

    #[test]
    fn slow_header_client_is_timed_out_with_408() {
        let port = test_server(SHORT);
        let mut stream = connect(port);
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let start = Instant::now();
        stream.write_all(b"GET / HTTP/1.1\r\nHo").expect("send");
        let mut answer = Vec::new();
        // One header byte every 50 ms, well within any per-read timeout, for 4 s at most.
        for _ in 0..80 {
            let _ = stream.write_all(b"s");
            let mut buf = [0; 512];
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => break,
            }
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer:?}");
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn connections_beyond_the_cap_get_503_until_one_closes() {
        let port = test_server(Limits {
            max_connections: 2,
            head_deadline: Duration::from_secs(30),
            ..SHORT
        });
        let idle = [connect(port), connect(port)];
        let answer = read_answer(&mut connect(port));
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer:?}");
        drop(idle);
        let ok = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        let mut answer = String::new();
        for _ in 0..50 {
            answer = exchange(port, ok.as_bytes());
            if answer.starts_with("HTTP/1.1 200 ") {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            answer.contains("<p>hola</p>"),
            "a closed slot is free again: {answer:?}"
        );
    }

    #[test]
    fn too_large_headers_get_431() {
        let port = test_server(SHORT);
        let big = format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Relleno: {}\r\n\r\n",
            "a".repeat(40_000)
        );
        let answer = exchange(port, big.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 431 "), "{answer:?}");
        let many = format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
            "X-A: 1\r\n".repeat(150)
        );
        let answer = exchange(port, many.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 431 "), "{answer:?}");
    }

    #[test]
    fn malformed_heads_are_refused_and_good_ones_parsed() {
        let limits = Limits::DEFAULT;
        let repeated = Err(Refusal::Answer(400, "cabecera repetida\n"));
        for twice in [
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: a".as_slice(),
            b"GET / HTTP/1.1\r\nHOST: a\r\nhost: b",
            b"GET / HTTP/1.1\r\nOrigin: http://a\r\norigin: http://b",
        ] {
            let what = String::from_utf8_lossy(twice);
            assert_eq!(parse_head(twice, &limits), repeated, "{what:?}");
        }
        for bad in [
            b"GET /\xff HTTP/1.1".as_slice(),
            b"GET / HTTP/1.1\r\nX: \xc3\x28",
            b"GET / HTTP/1.1\r\nHost : a",
            b"GET / HTTP/1.1\r\nX: 1\r\n folded",
            b"GET / HTTP/1.1\r\nsin dos puntos",
            b"GET / HTTP/1.1\r\nX: a\x00b",
            b"GET / HTTP/1.1 extra",
            b"GET / SPDY/3",
            b"",
        ] {
            let what = String::from_utf8_lossy(bad);
            assert_eq!(parse_head(bad, &limits), Err(MALFORMED), "{what:?}");
        }
        let request = parse_head(b"GET /x HTTP/1.0\r\nhOsT:\t127.0.0.1:1 \r\nX-Y: z", &limits);
        assert_eq!(
            request,
            Ok(Request {
                method: "GET".into(),
                target: "/x".into(),
                host: Some("127.0.0.1:1".into()),
                origin: None,
            })
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\n"), Some(19));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
    }

    #[test]
    fn absolute_form_names_this_server_or_is_refused() {
        let state = State::new(PathBuf::new(), "127.0.0.1", 1111);
        assert_eq!(
            absolute_form("http://127.0.0.1:1111/barrio-seguro/"),
            Some(("127.0.0.1:1111", "/barrio-seguro/".to_string()))
        );
        assert_eq!(
            absolute_form("HTTP://localhost:1111?x=1"),
            Some(("localhost:1111", "/?x=1".to_string()))
        );
        assert_eq!(absolute_form("/barrio-seguro/"), None);
        assert_eq!(absolute_form("https://127.0.0.1:1111/"), None);
        for own in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(own_authority(own, &state), "{own}");
        }
        for other in [
            "127.0.0.1",
            "127.0.0.1:1112",
            "127.0.0.1:",
            "evil.example:1111",
            "user@127.0.0.1:1111",
            "127.0.0.1.evil.example:1111",
            "[::1]",
            "",
        ] {
            assert!(!own_authority(other, &state), "{other}");
        }
    }

    #[test]
    fn reload_script_and_overlay_go_before_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            3,
            Some("error: a.md:1:1: <mal>"),
        ))
        .unwrap_or_default();
        assert!(out.contains("if(e.data!==\"3\")location.reload()"));
        assert!(out.contains("error: a.md:1:1: &lt;mal&gt;"));
        assert!(out.ends_with("</div></body></html>"));
    }
}
