//! Reading a request: the head within its size and time limits, the request line and the
//! headers checked strictly (one `Host`, no control bytes, UTF-8), the target cleaned to a
//! path of the build — the only way a request names a file.

use super::*;

/// Why a request gets no file.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Answer with this status and short Spanish text, then close.
    Answer(u16, &'static str),
    /// The client closed or broke the connection: there is nobody to answer.
    Gone,
}

pub(super) const MALFORMED: Refusal = Refusal::Answer(400, "solicitud mal formada\n");

/// The request head, up to (not including) the blank line that ends it, read within
/// `deadline`: each read may only wait for what is left of it.
pub(super) fn read_head(
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
pub(super) fn head_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', bytes).find(|&i| {
        let rest = &bytes[i + 1..];
        rest.starts_with(b"\n") || rest.starts_with(b"\r\n")
    })
}

/// 414 for a request line over the limit, 431 for a head over it, checked as bytes
/// arrive so that neither is ever buffered whole.
pub(super) fn check_head_size(head: &[u8], limits: &Limits) -> Result<(), Refusal> {
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
pub(super) struct Request {
    pub(super) method: String,
    /// As sent: origin-form (`/x`) or absolute-form (`http://host:port/x`).
    pub(super) target: String,
    pub(super) host: Option<String>,
    pub(super) origin: Option<String>,
}

/// Parses a head from [`read_head`]. Refused (400): bytes that are not UTF-8, control
/// characters, a malformed line, and a second `Host` or `Origin`, which could otherwise
/// pass the loopback check with one value and mean another to whoever reads the other.
pub(super) fn parse_head(head: &[u8], limits: &Limits) -> Result<Request, Refusal> {
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
pub(super) fn request_line(line: &str) -> Result<Request, Refusal> {
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
pub(super) fn header(line: &str, request: &mut Request) -> Result<(), Refusal> {
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
pub(super) fn has_controls(line: &str) -> bool {
    line.bytes().any(|b| b.is_ascii_control() && b != b'\t')
}

/// The authority and path of an absolute-form target (`http://host:port/path?query`),
/// the path given a leading `/`; `None` for any other form. Only `http`: this server
/// speaks nothing else, so `https://…` is left to fail as a path.
pub(super) fn absolute_form(target: &str) -> Option<(&str, String)> {
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

pub(super) fn percent_decode(s: &str) -> Option<String> {
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
