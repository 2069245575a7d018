//! Answering a request: the Host and Origin checks, a file of the build with its type (the
//! reload script and the error overlay added to HTML here, never to built files), the
//! live-reload event stream, redirects and plain-text refusals.

use super::*;

/// One HTTP request. Only GET and HEAD; only files of the build; only loopback hosts.
pub(super) fn handle(stream: &TcpStream, request: &Request, state: &State) -> std::io::Result<()> {
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return respond_text(stream, 405, "solo GET y HEAD\n");
    }
    let local = stream.local_addr().ok().map(|a| a.ip());
    let (host, target) = match absolute_form(&request.target) {
        Some((authority, _)) if !own_authority(authority, state, local) => {
            return respond_text(stream, 400, "la dirección nombra otro servidor\n");
        }
        // RFC 9112 §3.2.2: the target's authority stands in for the Host header.
        Some((authority, path)) => (Some(authority), path),
        None => (request.host.as_deref(), request.target.clone()),
    };
    if !host_allowed(host, state, local)
        || request
            .origin
            .as_deref()
            .is_some_and(|o| !origin_allowed(o, state, local))
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
pub(super) fn serve_file(
    stream: &TcpStream,
    path: &str,
    head: bool,
    state: &State,
) -> std::io::Result<()> {
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
        None if file_path.ends_with(".pdf") => match pdf(state, &file_path, &base) {
            Some(Ok(bytes)) => return respond(stream, 200, "application/pdf", &bytes, head),
            Some(Err(report)) => return respond_text(stream, 500, &report),
            None => not_found(&files, &base),
        },
        None if files.contains_key(&format!("{path}/index.html")) => {
            return redirect(stream, &format!("{path}/"));
        }
        None => not_found(&files, &base),
    };
    let content_type = content_type(name);
    let body = if content_type.starts_with("text/html") {
        inject(&body, version, error.as_deref())
    } else {
        body
    };
    respond(stream, status, content_type, &body, head)
}

/// The site's 404 page (or a plain one).
fn not_found(files: &BTreeMap<String, Arc<Vec<u8>>>, base: &str) -> (u16, &'static str, Vec<u8>) {
    let body = files
        .get(&format!("{base}404.html"))
        .map(|b| b.to_vec())
        .unwrap_or_else(|| {
            b"<!DOCTYPE html><title>No encontrado</title><h1>No encontrado</h1>".to_vec()
        });
    (404, "404.html", body)
}

/// The PDF at `path` of the last good build, typeset on this first request for it (on this
/// connection's thread, with no lock held: a rebuild never waits for it) and kept until
/// the next build. `None` when that build has no PDF there; the Spanish report when it
/// could not be typeset.
fn pdf(state: &State, path: &str, base: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
    let (model, kept) = {
        let s = lock(&state.served);
        (s.model.clone()?, s.pdfs.get(path).cloned())
    };
    if let Some(bytes) = kept {
        return Some(Ok(bytes));
    }
    let made = crate::render::pdf::on_request(&model, path.strip_prefix(base)?)?;
    let bytes = match made {
        Ok(bytes) => Arc::new(bytes),
        Err(d) => return Some(Err(render_report(&[d], &state.root))),
    };
    let mut s = lock(&state.served);
    // A rebuild in between replaced the model: this PDF is of the old one, not kept.
    if s.model.as_ref().is_some_and(|m| Arc::ptr_eq(m, &model)) {
        s.pdfs.insert(path.to_string(), Arc::clone(&bytes));
    }
    Some(Ok(bytes))
}

/// Whether an absolute-form authority is this server: a loopback or bound host (as the
/// Host check), our port (80 when none is written), and no `user@` part.
pub(super) fn own_authority(authority: &str, state: &State, local: Option<IpAddr>) -> bool {
    let port = match authority.rsplit_once(':') {
        Some((_, port)) if !port.ends_with(']') => port.parse::<u16>().ok(),
        _ => Some(80),
    };
    !authority.contains('@')
        && port == Some(state.port)
        && host_allowed(Some(authority), state, local)
}

/// DNS-rebinding guard: the Host must be this machine — a loopback name, the address the
/// server printed, or the very address of this machine the connection came in on (`local`:
/// a phone on the same network types the LAN address). Any other name is refused, so a page
/// elsewhere that rebinds its own name to this machine cannot read the site.
pub(super) fn host_allowed(host: Option<&str>, state: &State, local: Option<IpAddr>) -> bool {
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
    let literal = name.trim_start_matches('[').trim_end_matches(']');
    let is_local = local.is_some_and(|ip| literal.parse::<IpAddr>() == Ok(ip));
    ["localhost", "127.0.0.1", "[::1]"].contains(&name.as_str()) || name == own || is_local
}

pub(super) fn origin_allowed(origin: &str, state: &State, local: Option<IpAddr>) -> bool {
    let host = origin.strip_prefix("http://").unwrap_or("");
    host_allowed(Some(host), state, local)
}

/// The live-reload stream: sends the build version now and after every rebuild.
pub(super) fn events(mut stream: &TcpStream, state: &State) -> std::io::Result<()> {
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
pub(super) fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
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

pub(super) fn redirect(mut stream: &TcpStream, location: &str) -> std::io::Result<()> {
    let answer = format!(
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(answer.as_bytes())
}

/// A short plain-text answer, for refusals and errors.
pub(super) fn respond_text(stream: &TcpStream, status: u16, text: &str) -> std::io::Result<()> {
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
pub(super) fn linger(mut stream: &TcpStream, time: Duration) {
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

pub(super) fn respond(
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
pub(super) fn content_type(path: &str) -> &'static str {
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

/// At most this much is read and dropped while lingering before a close.
pub(super) const LINGER_BYTES: usize = 64 * 1024;
