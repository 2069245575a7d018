//! `boletin serve`: build in memory, serve on loopback, watch, rebuild, live-reload; on
//! another address, the address (and its QR code, [`qr`]) for a phone on the network.
//!
//! The built site lives only in memory, so `serve` never touches `output/` and can only
//! ever answer with a file of the build: there is no path from a request to the disk.
//! Rebuilds reuse unchanged work through [`crate::render::cache::Cache`]. On an error the
//! last good build stays up, with the Spanish report laid over every page until it is fixed.
//! The reload script and the overlay are added to responses here, never to built files.

mod connections;
mod http;
mod qr;
mod respond;

use connections::*;
pub use http::clean_path;
use http::*;
use respond::*;

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
    /// Open the site in the default browser once it is built (`--open`).
    pub open: bool,
    /// Show embargoed bulletins too, with a notice (`--futuros`).
    pub future: bool,
    /// Build the site as of this instant (`--ahora`).
    pub now: Option<jiff::Timestamp>,
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
    /// The model of the last good build: a PDF is typeset from it when it is asked for.
    model: Option<Arc<crate::model::SiteModel>>,
    /// The PDFs typeset from that model so far, by path (with the base).
    pdfs: BTreeMap<String, Arc<Vec<u8>>>,
}

struct State {
    root: PathBuf,
    /// `--futuros` and `--ahora`, for every rebuild.
    future: bool,
    now: Option<jiff::Timestamp>,
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
            future: false,
            now: None,
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
    // Bound to every address, the site is written for the one a phone on the network types.
    let shown = match options.bind {
        ip if ip.is_unspecified() => lan_address().unwrap_or(ip),
        ip => ip,
    };
    let host = match shown {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let mut state = State::new(options.root.clone(), &host, port);
    state.future = options.future;
    state.now = options.now;
    let state = Arc::new(state);
    rebuild(&state, &log);
    let url = format!("{}{}", state.origin, lock(&state.served).base);
    let shown_too = if options.future {
        "borradores y embargados incluidos"
    } else {
        "borradores incluidos"
    };
    log(&format!(
        "sirviendo en {url} ({shown_too}); Ctrl+C para terminar"
    ));
    if !options.bind.is_loopback() {
        log(&format!(
            "en un teléfono o tableta de la misma red, abra {url}"
        ));
        // Without a LAN address (offline) the URL names 0.0.0.0, which no phone can open.
        if let Some(code) = qr::terminal(&url).filter(|_| !shown.is_unspecified()) {
            log("o apunte la cámara del teléfono a este código:");
            log(&code);
        }
    }
    if options.open {
        open_browser(&url, log);
    }
    let watcher_state = Arc::clone(&state);
    let _watcher = watch(&options.root, move || rebuild(&watcher_state, &log));
    accept(&listener, &state, Limits::DEFAULT);
    Ok(())
}

/// This machine's address on its network: the source address a datagram to a public
/// address would leave from (connecting a UDP socket sends nothing). `None` offline.
fn lan_address() -> Option<IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    socket.connect(("192.0.2.1", 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Opens `url` in the default browser (`--open`); a failure is only a line in the log.
fn open_browser(url: &str, log: fn(&str)) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        log(&format!(
            "aviso: no se pudo abrir el navegador ({program}); abra {url} a mano"
        ));
    }
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
    options.future = state.future;
    options.now = state.now;
    let mut cache = lock(&state.cache);
    let result = crate::render_for_serve(&options, &cache);
    let (reused, rendered) = cache.finish();
    drop(cache);
    let mut served = lock(&state.served);
    let mut old = None;
    match result {
        Ok((files, summary, model)) => {
            let map = files
                .into_iter()
                .map(|f| (format!("{base}{}", f.path), f.bytes))
                .collect();
            let files = std::mem::replace(&mut served.files, Arc::new(map));
            let model = served.model.replace(Arc::new(model));
            old = Some((files, model, std::mem::take(&mut served.pdfs)));
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
            assert!(own_authority(own, &state, None), "{own}");
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
            assert!(!own_authority(other, &state, None), "{other}");
        }
    }

    #[test]
    fn a_phone_on_the_network_is_answered_and_other_names_are_not() {
        let state = State::new(PathBuf::from("."), "0.0.0.0", 1111);
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        // The connection came in on the machine's LAN address: that address is its own.
        assert!(host_allowed(Some("192.168.1.20:1111"), &state, Some(lan)));
        assert!(host_allowed(Some("localhost:1111"), &state, Some(lan)));
        // Another address, or any name, is still refused (DNS rebinding stays blocked).
        assert!(!host_allowed(Some("192.168.1.21:1111"), &state, Some(lan)));
        assert!(!host_allowed(Some("evil.example:1111"), &state, Some(lan)));
        assert!(!host_allowed(
            Some("192.168.1.20.evil.example:1111"),
            &state,
            Some(lan)
        ));
        assert!(!host_allowed(Some("192.168.1.20:1111"), &state, None));
        let v6: IpAddr = "fe80::1".parse().unwrap();
        assert!(host_allowed(Some("[fe80::1]:1111"), &state, Some(v6)));
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
