//! Publishing on time: `--ahora`, the next change announced by `build` and `check`, and
//! `check --json`'s documented form; `serve --futuros` shows embargoed bulletins.

use crate::harness::{Site, run};

/// A site with one bulletin under embargo until 9:00 in Lima on 8 December 2026.
fn embargoed() -> Site {
    Site::new()
        .bulletin("a.md", "Publicado", "2026-01-01", "Texto.\n")
        .with(
            "content/boletines/b.md",
            "---\ntitulo: Cifras de diciembre\nfecha: 2026-12-08\npublicar_desde: 2026-12-08 09:00\n---\nSECRETO-EMBARGO\n",
        )
}

#[test]
fn an_embargo_ending_at_nine_in_lima_is_out_at_one_second_before_and_in_at_nine() {
    let site = embargoed();
    let root = site.root().to_str().unwrap();
    let (code, out, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-08 08:59:59"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!site.out("boletines/b/index.html").exists());
    site.assert_nowhere("SECRETO-EMBARGO");
    assert!(
        out.contains(
            "próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «Cifras de diciembre»"
        ),
        "{out}"
    );
    let (code, out, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-08 09:00"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(site.out("boletines/b/index.html").exists());
    assert!(!out.contains("próximo cambio"), "{out}");
    // RFC 3339 names the same instant, and wins over SOURCE_DATE_EPOCH (set by `run`).
    let (code, _, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-08T13:59:59Z"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!site.out("boletines/b/index.html").exists());
}

/// A build that finds nothing changed reads no document, yet still says the next change:
/// its record kept it.
#[test]
fn a_build_with_nothing_changed_still_announces_the_next_change() {
    let site = embargoed();
    let root = site.root().to_str().unwrap();
    let line = "próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «Cifras de diciembre»";
    let (code, out, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-08 08:00"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("listo: ") && out.ends_with(&format!("{line}\n")),
        "{out}"
    );
    let (code, out, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-08 08:59:59"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("sin cambios: "), "{out}");
    assert!(out.ends_with(&format!("{line}\n")), "{out}");
    // Nothing pending: an unchanged build says nothing of a next change.
    for _ in 0..2 {
        let (code, out, err) = run(
            &["build", "--root", root, "--ahora", "2026-12-08 10:00"],
            site.root(),
        );
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains("próximo cambio"), "{out}");
    }
    let (_, out, _) = run(
        &["build", "--root", root, "--ahora", "2026-12-08 10:00"],
        site.root(),
    );
    assert!(out.starts_with("sin cambios: "), "{out}");
}

#[test]
fn check_announces_the_next_change_too() {
    let site = embargoed();
    let root = site.root().to_str().unwrap();
    let (code, out, err) = run(
        &["check", "--root", root, "--ahora", "2026-12-01 10:00"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with(
            "próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «Cifras de diciembre»\n"
        ),
        "{out}"
    );
}

#[test]
fn a_wrong_instant_is_said_in_spanish() {
    let site = embargoed();
    let root = site.root().to_str().unwrap();
    let (code, _, err) = run(
        &["build", "--root", root, "--ahora", "8/12/2026"],
        site.root(),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "fecha y hora no válida en `--ahora`: `8/12/2026`; use AAAA-MM-DD HH:MM (hora de la zona del sitio) o AAAA-MM-DDTHH:MM:SS-05:00"
        ),
        "{err}"
    );
}

#[test]
fn check_json_has_every_diagnostic_and_the_next_change() {
    let site = embargoed();
    let root = site.root().to_str().unwrap();
    let (code, out, _) = run(
        &[
            "check",
            "--root",
            root,
            "--json",
            "--ahora",
            "2026-12-01 10:00",
        ],
        site.root(),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["version"], 1);
    assert_eq!(v["ok"], true);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    let next = &v["next_change"];
    assert_eq!(next["at"], "2026-12-08T14:00:00Z");
    assert_eq!(next["local"], "2026-12-08T09:00:00-05:00");
    assert_eq!(next["zone"], "America/Lima");
    assert_eq!(
        next["publishes"],
        serde_json::json!(["Cifras de diciembre"])
    );

    site.write(
        "content/boletines/c.md",
        "---\ntitulo: Roto\nfecha: 2026-13-01\n---\nx\n",
    );
    let (code, out, _) = run(&["check", "--root", root, "--json"], site.root());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["ok"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "content/boletines/c.md");
    assert_eq!(d["line"], 3);
    assert_eq!(d["severity"], "error");
    assert!(d["column"].is_u64(), "{d}");
    assert_eq!(d["cell"], serde_json::Value::Null);
    assert!(d["message"].as_str().unwrap().contains("2026-13-01"), "{d}");
    assert_eq!(v["next_change"], serde_json::Value::Null);
}

#[test]
fn serve_futuros_shows_embargoed_bulletins_with_a_notice() {
    let site = embargoed();
    let mut options = site.options();
    options.drafts = true;
    options.future = true;
    let (files, _) = boletin::render_in_memory(&options).expect("renders");
    let page = files
        .iter()
        .find(|f| f.path == "boletines/b/index.html")
        .expect("the embargoed bulletin is shown");
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(
        html.contains("<strong>EMBARGADO</strong>: se publicará el 8 de diciembre de 2026, 09:00 (America/Lima)."),
        "{html}"
    );
    // Without --futuros it is nowhere.
    options.future = false;
    let (files, _) = boletin::render_in_memory(&options).expect("renders");
    assert!(
        files
            .iter()
            .all(|f| !String::from_utf8_lossy(&f.bytes).contains("SECRETO-EMBARGO"))
    );
}

#[test]
fn an_announced_embargo_lists_only_its_title_and_time_on_proximas() {
    let site = embargoed().with(
        "content/boletines/c.md",
        "---\ntitulo: Balance anual\nfecha: 2026-12-20\npublicar_desde: 2026-12-20 10:30\nanunciar: true\nresumen: RESUMEN-SECRETO\n---\nCUERPO-SECRETO\n",
    );
    let root = site.root().to_str().unwrap();
    let (code, _, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-01 10:00"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    let page = site.read("proximas/index.html");
    assert!(
        page.contains("<li>Balance anual: <time datetime=\"2026-12-20T15:30:00Z\">20 de diciembre de 2026, 10:30 (America/Lima)</time></li>"),
        "{page}"
    );
    assert!(
        !page.contains("Cifras de diciembre"),
        "not announced: not listed"
    );
    assert!(
        site.read("index.html").contains("href=\"/sub/proximas/\""),
        "in the menu"
    );
    for sentinel in ["RESUMEN-SECRETO", "CUERPO-SECRETO", "SECRETO-EMBARGO"] {
        site.assert_nowhere(sentinel);
    }
    assert!(!site.read("sitemap.xml").contains("proximas"));
    // Once both are out, the calendar and its menu entry go.
    let (code, _, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-21 00:00"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!site.out("proximas/index.html").exists());
    assert!(!site.read("index.html").contains("proximas/"));
}

/// `/proximas/` at the announced instant itself: listed one second before, gone (and the
/// bulletin out) at it.
#[test]
fn proximas_lists_an_announced_bulletin_until_its_instant() {
    let site = Site::new()
        .bulletin("a.md", "Publicado", "2026-01-01", "Texto.\n")
        .with(
            "content/boletines/c.md",
            "---\ntitulo: Balance anual\nfecha: 2026-12-20\npublicar_desde: 2026-12-20 10:30\nanunciar: true\n---\nCUERPO-SECRETO\n",
        );
    let root = site.root().to_str().unwrap();
    let (code, out, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-20 10:29:59"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        site.read("proximas/index.html").contains("Balance anual"),
        "announced before its time"
    );
    assert!(!site.out("boletines/c/index.html").exists());
    site.assert_nowhere("CUERPO-SECRETO");
    assert!(
        out.contains("próximo cambio: 20 de diciembre de 2026, 10:30 (America/Lima): se publica «Balance anual»"),
        "{out}"
    );
    let (code, _, err) = run(
        &["build", "--root", root, "--ahora", "2026-12-20 10:30"],
        site.root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!site.out("proximas/index.html").exists());
    assert!(!site.read("index.html").contains("proximas/"));
    assert!(
        site.read("boletines/c/index.html")
            .contains("CUERPO-SECRETO")
    );
}

/// A problem in a workbook names its cell in `check --json`, beside its row and column.
#[test]
fn check_json_names_a_workbook_cell() {
    let site = crate::harness::Site::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Metas").unwrap();
    sheet.write(0, 0, "anio").unwrap();
    sheet.write(0, 1, "anio").unwrap();
    sheet.write(1, 0, 2018).unwrap();
    sheet.write(1, 1, 2019).unwrap();
    site.write_bytes("content/datos/cifras.xlsx", &book.save_to_buffer().unwrap());
    let root = site.root().to_str().unwrap();
    let (code, out, _) = run(&["check", "--root", root, "--json"], site.root());
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "content/datos/cifras.xlsx", "{v}");
    assert_eq!(d["cell"], "Metas!B1", "{v}");
    assert_eq!(d["line"], 1);
    assert_eq!(d["column"], 2);
}
