//! `serve`: incremental rebuilds equal full builds, and the HTTP server in a subprocess.

use crate::harness::Site;
use boletin::render::cache::Cache;

fn files(site: &Site, cache: Option<&Cache>) -> Vec<(String, Vec<u8>)> {
    let (files, _) = boletin::render_incremental(&site.options(), cache)
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_every_kind_of_edit() {
    let site = Site::new()
        .with("content/datos/barrios-2018.yaml", "titulo: B\ntotal: {barrios: 3}\nfilas:\n  - {territorio: Ica, barrios: 1}\n  - {territorio: Callao, barrios: 2}\n")
        .with("content/datos/territorios.yaml", "- {id: ica, nombre: Ica}\n")
        .with("content/imagenes/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"20\"/>")
        .bulletin("2018-01-01-a.md", "A", "2018-01-01", "{{ tabla(datos=\"barrios-2018\") }}\n\n[b](@/boletines/2018-02-01-b.md#dos)\n")
        .bulletin("2018-02-01-b.md", "B", "2018-02-01", "## Dos\n\n{{ figura(imagen=\"imagenes/a.svg\", alt=\"a\") }}\n")
        .bulletin("2018-03-01-c.md", "C", "2018-03-01", "Tres.\n");
    site.write_bytes(
        "content/imagenes/foto.jpg",
        &crate::images::phone_photo(1000, 200, 1),
    );
    let mut cache = Cache::new();
    assert_eq!(files(&site, Some(&cache)), files(&site, None));
    let (reused, rendered) = cache.finish();
    assert_eq!(reused, 0, "first build renders everything ({rendered})");

    let edits: Vec<(&str, String)> = vec![
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C cambiado\nfecha: 2018-03-01\n---\nTres y más.\n".into()),
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C cambiado\nfecha: 2018-03-01\netiquetas: [nueva]\n---\nTres y más.\n".into()),
        ("content/boletines/2018-01-01-a.md", "---\ntitulo: A\nfecha: 2018-01-01\netiquetas: [Nueva]\n---\n{{ tabla(datos=\"barrios-2018\") }}\n\n[b](@/boletines/2018-02-01-b.md#dos)\n".into()),
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C cambiado\nfecha: 2018-03-01\n---\nTres y más.\n".into()),
        ("content/datos/barrios-2018.yaml", "titulo: B2\ntotal: {barrios: 4}\nfilas:\n  - {territorio: Ica, barrios: 2}\n  - {territorio: Callao, barrios: 2}\n".into()),
        ("themes/t/templates/partials/pie.html", "<footer>pie {{ sitio.titulo }}</footer>".into()),
        ("content/sitio.yaml", format!("{}tema: t\n", crate::harness::SITE_YAML)),
        ("content/boletines/2018-02-01-b.md", "---\ntitulo: B\nfecha: 2018-02-01\n---\n## Dos bis {#dos}\n\n{{ figura(imagen=\"imagenes/a.svg\", alt=\"a\") }}\n".into()),
        ("content/imagenes/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"40\"/>".into()),
        ("content/paginas/nueva.md", "---\ntitulo: Nueva\n---\nHola.\n".into()),
        ("content/paginas/nueva.md", "---\ntitulo: Nueva\n---\n![Foto](@/imagenes/foto.jpg)\n".into()),
        // A new photo of other proportions: new versions, and new sizes in the page.
        ("content/imagenes/foto.jpg", String::new()),
        // The search document of C names its territory: renaming it must reach the index.
        ("content/boletines/2018-03-01-c.md", "---\ntitulo: C\nfecha: 2018-03-01\nterritorios: [ica]\n---\nTres.\n".into()),
        ("content/datos/territorios.yaml", "- {id: ica, nombre: Ica Sur}\n".into()),
    ];
    for (path, text) in edits {
        // File times can be equal within one tick: wait so a changed image is noticed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        if path.ends_with(".jpg") {
            site.write_bytes(path, &crate::images::phone_photo(600, 300, 1));
        } else {
            site.write(path, &text);
        }
        let incremental = files(&site, Some(&cache));
        let (reused, _) = cache.finish();
        assert_eq!(incremental, files(&site, None), "after editing {path}");
        if path.ends_with("c.md") && !text.contains("etiquetas") {
            assert!(reused > 0, "an edit to one bulletin reuses the rest");
        }
    }
}

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `boletin serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start(site: &Site, port: u16) -> Server {
    start_with(site, port, &[], "127.0.0.1").0
}

/// Starts `serve` with `extra` arguments and waits for its «sirviendo en http://HOST:PORT»
/// line, whose host must be `host`; returns the server and the lines printed before it.
#[allow(
    clippy::zombie_processes,
    reason = "the child is waited for in `Server::drop` or before panicking"
)]
fn start_with(site: &Site, port: u16, extra: &[&str], host: &str) -> (Server, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_boletin"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", &port.to_string()])
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let prefix = format!("sirviendo en http://{host}:");
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(rest) = line.strip_prefix(&prefix) {
                let port: u16 = rest
                    .split('/')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("port");
                seen.push(line.clone());
                // With other options, the lines printed right after it (the phone's) too.
                while !extra.is_empty() {
                    match rx.recv_timeout(Duration::from_millis(300)) {
                        Ok(more) => seen.push(more),
                        Err(_) => break,
                    }
                }
                std::thread::spawn(move || while rx.recv().is_ok() {});
                return (Server { child, port }, seen);
            }
            seen.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start at {host}: {seen:?}");
}

/// A raw HTTP/1.1 request (URL libraries would normalise `..` before sending).
fn raw(port: u16, request: &str) -> (u16, String) {
    raw_bytes(port, request.as_bytes())
}

/// Like [`raw`], for requests that are not even text.
fn raw_bytes(port: u16, request: &[u8]) -> (u16, String) {
    raw_at("127.0.0.1".parse().expect("loopback"), port, request)
}

/// Like [`raw_bytes`], over a TCP connection to `ip`.
fn raw_at(ip: std::net::IpAddr, port: u16, request: &[u8]) -> (u16, String) {
    let response = exchange(ip, port, request, Duration::from_secs(5));
    let text = String::from_utf8_lossy(&response).into_owned();
    (status_of(&text), text)
}

/// Sends `request` and reads the answer until the server closes (or `wait` passes).
fn exchange(ip: std::net::IpAddr, port: u16, request: &[u8], wait: Duration) -> Vec<u8> {
    let mut s = TcpStream::connect((ip, port)).expect("connect");
    s.set_read_timeout(Some(wait)).expect("timeout");
    s.write_all(request).expect("send");
    let mut response = Vec::new();
    let _ = s.read_to_end(&mut response);
    response
}

/// The status code of a response head, 0 when there is none.
fn status_of(head: &str) -> u16 {
    head.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn get(port: u16, path: &str) -> (u16, String) {
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    )
}

fn wait_for(port: u16, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, body) = get(port, path);
        if body.contains(needle) || Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_serves_reloads_shows_errors_and_refuses_traversal() {
    let site = Site::new()
        .bulletin("a.md", "Primero", "2018-01-01", "Texto original.\n")
        .with(
            "content/boletines/b.md",
            "---\ntitulo: Borrador visible\nfecha: 2018-01-02\nborrador: true\n---\nx\n",
        );
    std::fs::write(site.root().join("canario.txt"), "CANARIO-SECRETO").expect("canary");
    let port = free_port();
    let server = start(&site, port);
    let port = server.port;

    let (status, text) = get(port, "/");
    assert_eq!(
        status, 301,
        "the site lives under its url_base path: {text}"
    );
    assert!(text.contains("Location: /sub/"));
    let (status, page) = get(port, "/sub/boletines/a/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Texto original.") && page.contains("EventSource(\"/__boletin/eventos\")")
    );
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    let (_, drafts) = get(port, "/sub/boletines/b/");
    assert!(
        drafts.contains("BORRADOR"),
        "serve shows drafts with a banner"
    );
    let css_url = page
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("stylesheet link");
    assert!(css_url.starts_with("/sub/css/boletin."), "{css_url}");
    let (status, css) = get(port, css_url);
    assert_eq!(status, 200);
    assert!(css.contains("Content-Type: text/css"));
    let (status, missing) = get(port, "/sub/no-existe/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Página no encontrada"),
        "the site's own 404 page"
    );

    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Primero\nfecha: 2018-01-01\n---\nTexto editado.\n",
    );
    assert!(wait_for(port, "/sub/boletines/a/", "Texto editado.").contains("Texto editado."));

    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Primero\nfecha: 2018-02-30\n---\nTexto roto.\n",
    );
    let broken = wait_for(port, "/sub/boletines/a/", "boletin-error");
    assert!(
        broken.contains("content/boletines/a.md:3:8: fecha no válida"),
        "{broken}"
    );
    assert!(
        broken.contains("Texto editado."),
        "the last good build stays up"
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Primero\nfecha: 2018-01-01\n---\nTexto arreglado.\n",
    );
    let fixed = wait_for(port, "/sub/boletines/a/", "Texto arreglado.");
    assert!(
        !fixed.contains("boletin-error"),
        "fixing the file clears the overlay"
    );

    for request in [
        "GET /../../canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /%2e%2e/%2e%2e/canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /..%2f..%2fcanario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /%252e%252e/%252e%252e/canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /..\\..\\canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET ../canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET http://127.0.0.1/../canario.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /sub/../content/boletines/a.md HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /content/sitio.yaml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /sub/.boletin-output HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    ] {
        let (status, body) = raw(port, request);
        assert!(matches!(status, 400 | 403 | 404), "{request:?} → {status}");
        assert!(
            !body.contains("CANARIO") && !body.contains("titulo:"),
            "{request:?} leaked"
        );
    }
    let (status, _) = raw(port, "GET /sub/ HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(status, 403, "DNS rebinding guard");
    let (status, _) = raw(
        port,
        &format!(
            "GET /__boletin/eventos HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n\r\n"
        ),
    );
    assert_eq!(status, 403);
    assert!(
        !site.root().join("output").exists(),
        "serve never writes output/"
    );
    drop(server);
}

#[test]
fn a_busy_port_moves_to_the_next() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy = blocker.local_addr().expect("addr").port();
    let server = start(&site, busy);
    assert_ne!(server.port, busy);
    assert_eq!(get(server.port, "/sub/").0, 200);
}

/// A served site under `/sub/`, for the request-head tests; keep the site while serving.
fn small_server() -> (Site, Server) {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let server = start(&site, free_port());
    (site, server)
}

#[test]
fn non_utf8_request_head_gets_400() {
    let (_site, server) = small_server();
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    for request in [
        [
            b"GET /sub/\xff HTTP/1.1\r\n".as_slice(),
            host.as_bytes(),
            b"\r\n",
        ]
        .concat(),
        [
            b"GET /sub/ HTTP/1.1\r\n".as_slice(),
            host.as_bytes(),
            b"X-Nombre: a\xc3\x28\r\n\r\n",
        ]
        .concat(),
        [
            b"GET /sub/ HTTP/1.1\r\n".as_slice(),
            b"X-\xfe: 1\r\n",
            host.as_bytes(),
            b"\r\n",
        ]
        .concat(),
    ] {
        let (status, text) = raw_bytes(port, &request);
        assert_eq!(
            status,
            400,
            "{:?} → {text}",
            String::from_utf8_lossy(&request)
        );
    }
}

#[test]
fn duplicate_host_header_gets_400() {
    let (_site, server) = small_server();
    let port = server.port;
    for hosts in [
        format!("Host: 127.0.0.1:{port}\r\nHost: 127.0.0.1:{port}"),
        format!("Host: evil.example\r\nHost: 127.0.0.1:{port}"),
        format!("Host: 127.0.0.1:{port}\r\nhost: evil.example"),
    ] {
        let (status, text) = raw(port, &format!("GET /sub/ HTTP/1.1\r\n{hosts}\r\n\r\n"));
        assert_eq!(status, 400, "{hosts:?} → {text}");
    }
    assert_eq!(get(port, "/sub/").0, 200, "one Host is still served");
}

#[test]
fn long_request_line_gets_414() {
    let (_site, server) = small_server();
    let port = server.port;
    let long = "a".repeat(10_000);
    let (status, text) = raw(
        port,
        &format!("GET /sub/{long} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(status, 414, "{text}");
    assert_eq!(get(port, "/sub/").0, 200, "the server still answers");
}

#[test]
fn absolute_form_target_for_own_host_gets_200() {
    let (_site, server) = small_server();
    let port = server.port;
    for authority in [format!("127.0.0.1:{port}"), format!("LocalHost:{port}")] {
        let (status, text) = raw(
            port,
            &format!(
                "GET http://{authority}/sub/boletines/a/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            ),
        );
        assert_eq!(status, 200, "{authority} → {text}");
        assert!(text.contains("EventSource"), "{text}");
    }
    let other = port.wrapping_add(1);
    for target in [
        format!("http://evil.example:{port}/sub/"),
        format!("http://127.0.0.1:{other}/sub/"),
        "http://127.0.0.1/sub/".to_string(),
        format!("http://u@127.0.0.1:{port}/sub/"),
        format!("https://127.0.0.1:{port}/sub/"),
        format!("http://127.0.0.1:{port}/sub/../../canario.txt"),
    ] {
        let (status, text) = raw(
            port,
            &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
        );
        assert_eq!(status, 400, "{target} → {text}");
    }
}

/// This machine's address on its network, found apart from `serve`'s own way: the source
/// address the system picks for a route to a documentation address (connecting a UDP socket
/// sends nothing). `None` on a machine with no route off loopback.
fn non_loopback_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    socket.connect(("203.0.113.7", 53)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

#[test]
fn serve_on_every_address_answers_a_phone_at_the_lan_address_and_refuses_other_names() {
    let Some(lan) = non_loopback_address() else {
        eprintln!("skipped: this machine has no non-loopback IPv4 address to serve a phone on");
        return;
    };
    let site = Site::new().bulletin("a.md", "Para el teléfono", "2018-01-01", "Texto.\n");
    let (server, lines) = start_with(&site, free_port(), &["--bind", "0.0.0.0"], &lan.to_string());
    let port = server.port;
    let url = format!("http://{lan}:{port}/sub/");
    assert!(
        lines
            .iter()
            .any(|l| l == &format!("en un teléfono o tableta de la misma red, abra {url}")),
        "the terminal prints the address to type: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("aviso: 0.0.0.0 es accesible desde otras máquinas")),
        "{lines:?}"
    );
    let camera = lines
        .iter()
        .position(|l| l == "o apunte la cámara del teléfono a este código:")
        .unwrap_or_else(|| panic!("a QR code follows: {lines:?}"));
    assert_eq!(
        read_qr(&lines[camera + 1..]),
        url,
        "the printed code is the address"
    );
    // As a phone on the network asks: over TCP to the LAN address, naming it as Host.
    let ask = |host: &str| {
        raw_at(
            lan,
            port,
            format!("GET /sub/boletines/a/ HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        )
    };
    let (status, page) = ask(&format!("{lan}:{port}"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Para el teléfono"), "{page}");
    assert!(
        page.contains(&format!("{url}boletines/a/")),
        "the page's own links name the address the phone typed: {page}"
    );
    let (status, _) = ask(&lan.to_string());
    assert_eq!(status, 200, "a Host without a port is the same machine");
    // Any other name is refused, even over the LAN address (DNS rebinding stays blocked).
    let neighbour = match lan {
        std::net::IpAddr::V4(a) => {
            let [x, y, z, w] = a.octets();
            std::net::Ipv4Addr::new(x, y, z, w ^ 1).to_string()
        }
        std::net::IpAddr::V6(_) => "192.0.2.77".to_string(),
    };
    for other in [
        format!("evil.example:{port}"),
        format!("{lan}.nip.io:{port}"),
        format!("{neighbour}:{port}"),
    ] {
        let (status, text) = ask(&other);
        assert_eq!(status, 403, "{other} → {text}");
        assert!(
            !text.contains("Para el teléfono"),
            "{other} leaked the page"
        );
    }
    let (status, _) = raw_at(
        lan,
        port,
        format!(
            "GET /__boletin/eventos HTTP/1.1\r\nHost: {lan}:{port}\r\nOrigin: http://evil.example\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status, 403, "a page elsewhere cannot listen for reloads");
    drop(server);
}

/// Decodes a QR code printed in half blocks, as a camera sees it on a dark terminal (text
/// colour light): each character is two modules, one above the other.
fn read_qr(lines: &[String]) -> String {
    let mut rows: Vec<Vec<bool>> = Vec::new();
    for line in lines
        .iter()
        .take_while(|l| !l.is_empty() && l.chars().all(|c| " ▀▄█".contains(c)))
    {
        let halves = |top: bool| {
            line.chars()
                .map(|c| match c {
                    '█' => true,
                    '▀' => top,
                    '▄' => !top,
                    _ => false,
                })
                .collect::<Vec<_>>()
        };
        rows.push(halves(true));
        rows.push(halves(false));
    }
    let scale = 4;
    let width = rows.first().map_or(0, Vec::len) * scale;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, rows.len() * scale, |x, y| {
            if rows[y / scale][x / scale] { 255 } else { 0 }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {lines:?}");
    grids[0].decode().expect("the QR code decodes").1
}

/// A GET whose answer may be binary: its status, head and body.
fn get_bytes(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let loopback = "127.0.0.1".parse().expect("loopback");
    // Long enough for a PDF typeset by a debug build.
    let response = exchange(loopback, port, request.as_bytes(), Duration::from_secs(30));
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&response[..end]).into_owned();
    (status_of(&head), head, response[end + 4..].to_vec())
}

/// The text of a PDF served as `bytes`, read back with poppler.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).expect("write");
    crate::pdf::flat(&crate::pdf::text(&path))
}

#[test]
fn serve_links_each_pdf_without_a_size_and_typesets_it_when_asked() {
    let site = Site::new()
        .with("content/sitio.yaml", crate::pdf::PDF_SITE)
        .bulletin("a.md", "Primera versión", "2018-01-01", "Cuerpo de A.\n")
        .with(
            "content/boletines/borrador.md",
            "---\ntitulo: Borrador\nfecha: 2018-01-02\nborrador: true\n---\nB\n",
        )
        .with(
            "content/boletines/sin.md",
            "---\ntitulo: Sin PDF\nfecha: 2018-01-03\npdf: false\n---\nC\n",
        );
    let server = start(&site, free_port());
    let port = server.port;
    let (status, page) = get(port, "/sub/boletines/a/");
    assert_eq!(status, 200);
    // The page links the PDF before it exists, with no size: serve does not wait for it.
    assert!(
        page.contains("type=\"application/pdf\" download>Descargar PDF</a>"),
        "{page}"
    );
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/pdf\" href=\"/sub/boletines/a/a.pdf\""
    ));
    let (status, head, pdf) = get_bytes(port, "/sub/boletines/a/a.pdf");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: application/pdf"), "{head}");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf_text(&pdf).contains("Primera versión"));
    // Asked again, the same bytes (kept, not typeset again).
    assert_eq!(get_bytes(port, "/sub/boletines/a/a.pdf").2, pdf);
    // A draft (shown by serve) and a bulletin with `pdf: false` have none.
    let (_, draft) = get(port, "/sub/boletines/borrador/");
    assert!(
        draft.contains("Borrador") && !draft.contains("Descargar PDF"),
        "{draft}"
    );
    assert_eq!(
        get_bytes(port, "/sub/boletines/borrador/borrador.pdf").0,
        404
    );
    assert_eq!(get_bytes(port, "/sub/boletines/sin/sin.pdf").0, 404);
    // After an edit, the PDF is of the new text.
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Segunda versión\nfecha: 2018-01-01\n---\nCuerpo de A.\n",
    );
    let page = wait_for(port, "/sub/boletines/a/", "Segunda versión");
    assert!(page.contains("Segunda versión"), "the edit was not served");
    let (status, _, pdf) = get_bytes(port, "/sub/boletines/a/a.pdf");
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Segunda versión") && !text.contains("Primera"),
        "{text}"
    );
    drop(server);
}
