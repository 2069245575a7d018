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
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
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
    served: Mutex<Served>,
    changed: Condvar,
    cache: Mutex<Cache>,
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
    let state = Arc::new(State {
        root: options.root.clone(),
        origin: format!("http://{host}:{port}"),
        served: Mutex::new(Served::default()),
        changed: Condvar::new(),
        cache: Mutex::new(Cache::new()),
    });
    rebuild(&state, &log);
    log(&format!(
        "sirviendo en {}{} (borradores incluidos); Ctrl+C para terminar",
        state.origin,
        lock(&state.served).base
    ));
    let watcher_state = Arc::clone(&state);
    let _watcher = watch(&options.root, move || rebuild(&watcher_state, &log));
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
    Ok(())
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

/// One HTTP request. Only GET and HEAD; only files of the build; only loopback hosts.
fn handle(stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(request) = read_request(&mut reader)? else {
        return respond(
            &stream,
            400,
            "text/plain; charset=utf-8",
            b"solicitud mal formada\n",
            false,
        );
    };
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return respond(
            &stream,
            405,
            "text/plain; charset=utf-8",
            b"solo GET y HEAD\n",
            false,
        );
    }
    if !host_allowed(request.host.as_deref(), state)
        || request
            .origin
            .as_deref()
            .is_some_and(|o| !origin_allowed(o, state))
    {
        return respond(
            &stream,
            403,
            "text/plain; charset=utf-8",
            b"solo se sirve a esta computadora\n",
            false,
        );
    }
    let Some(path) = clean_path(&request.target) else {
        return respond(
            &stream,
            400,
            "text/plain; charset=utf-8",
            b"ruta no permitida\n",
            false,
        );
    };
    if path == EVENTS_PATH {
        return events(stream, state);
    }
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
        return redirect(&stream, &base);
    }
    let file_path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    let (status, name, body) = match files.get(&file_path) {
        Some(body) => (200, file_path.as_str(), body.to_vec()),
        None if files.contains_key(&format!("{path}/index.html")) => {
            return redirect(&stream, &format!("{path}/"));
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
    respond(&stream, status, content_type, &body, head)
}

struct Request {
    method: String,
    target: String,
    host: Option<String>,
    origin: Option<String>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    reader.by_ref().take(8192).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") {
        return Ok(None);
    }
    let (mut host, mut origin) = (None, None);
    for _ in 0..100 {
        let mut header = String::new();
        if reader.by_ref().take(8192).read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "host" => host = Some(value.trim().to_string()),
                "origin" => origin = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
        origin,
    }))
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
fn events(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
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

fn redirect(stream: &TcpStream, location: &str) -> std::io::Result<()> {
    let mut s = stream;
    write!(
        s,
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
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
        _ => "Error",
    };
    let mut s = stream;
    write!(
        s,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        s.write_all(body)?;
    }
    s.flush()
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
