//! The output folder: atomic replacement, and refusals that protect the editor's files.

use crate::harness::{Site, run, snapshot};

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    let before = site.snapshot();
    site.write(
        "content/boletines/b.md",
        "---\ntitulo: B\nfecha: 2018-99-01\n---\n",
    );
    site.write(
        "content/boletines/a.md",
        "---\ntitulo: Cambiado\nfecha: 2018-01-01\n---\n",
    );
    assert!(site.build().is_err());
    assert_eq!(before, site.snapshot());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn renamed_bulletins_leave_no_stale_pages() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    std::fs::rename(
        site.root().join("content/boletines/a.md"),
        site.root().join("content/boletines/b.md"),
    )
    .expect("mv");
    site.build_ok();
    assert!(!site.out("boletines/a").exists());
    assert!(site.out("boletines/b/index.html").exists());
}

fn refused(site: &Site, output: std::path::PathBuf) -> String {
    let mut o = site.options();
    o.output = Some(output);
    match boletin::build(&o) {
        Ok(_) => panic!("output should be refused"),
        Err(d) => d[0].to_string(),
    }
}

#[test]
fn refuses_output_folders_that_are_not_its_own() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let before = snapshot(site.root());
    for (dir, why) in [
        (site.root().to_path_buf(), "contiene el sitio"),
        (
            site.root().join("content/salida"),
            "está dentro de `content/`",
        ),
        (site.root().join("themes"), "está dentro de `themes/`"),
        (site.root().join(".."), "contiene el sitio"),
        (
            site.root().join(".boletin/salida"),
            "está dentro de `.boletin/`, donde boletin guarda el registro",
        ),
    ] {
        let e = refused(&site, dir.clone());
        assert!(e.contains(why), "{}: {e}", dir.display());
    }
    site.write("publico/notas.txt", "mis notas");
    let e = refused(&site, site.root().join("publico"));
    assert!(e.contains("no está vacía y no la creó boletin"), "{e}");
    let after = snapshot(site.root());
    assert_eq!(before.len() + 1, after.len(), "only notas.txt was added");
    assert!(site.root().join("publico/notas.txt").is_file());
}

#[test]
fn an_empty_folder_or_one_it_made_is_replaced() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    std::fs::create_dir_all(site.root().join("vacia")).expect("mkdir");
    let mut o = site.options();
    o.output = Some(site.root().join("vacia"));
    boletin::build(&o).expect("empty folder is fine");
    boletin::build(&o).expect("a folder with the marker is replaced");
    assert!(site.root().join("vacia/index.html").is_file());
}

#[test]
fn check_writes_nothing() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    boletin::check(&site.options()).expect("check");
    assert!(!site.root().join("output").exists());
}

#[test]
fn an_output_outside_the_site_that_is_not_ours_is_refused() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let etc = elsewhere.path().join("etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::write(etc.join("passwd"), "root:x:0:0").expect("write");
    let e = refused(&site, etc);
    assert!(e.contains("no está vacía y no la creó boletin"), "{e}");
    let files = snapshot(elsewhere.path());
    assert_eq!(files.len(), 1, "nothing written beside it: {files:?}");
}

/// A site of `n` bulletins, large enough for two builds to overlap.
fn busy_site(n: usize) -> Site {
    let site = Site::new();
    for i in 0..n {
        site.write(
            &format!("content/boletines/b{i:03}.md"),
            &format!("---\ntitulo: Boletín {i}\nfecha: 2018-01-01\n---\nTexto {i}.\n"),
        );
    }
    site
}

/// The output without the freshness record (which two builds may write differently).
fn site_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = site.snapshot();
    files.retain(|(p, _)| p != ".boletin-estado");
    files
}

/// Each build deleted every staging folder beside the output as it started, the other
/// build's too: both exited 0 and `output/` held part of a site and no marker.
#[test]
fn two_builds_at_once_leave_a_complete_marked_output() {
    let site = busy_site(60);
    site.build_ok();
    let reference = site_files(&site);
    let mut options = site.options();
    options.full = true;
    for round in 0..20 {
        let (a, b) = std::thread::scope(|s| {
            // A failed build's diagnostics are kept, so that a failure says why.
            let one = || {
                boletin::build(&options)
                    .map(|_| ())
                    .map_err(|d| format!("{d:?}"))
            };
            let a = s.spawn(one);
            let b = s.spawn(one);
            (a.join().expect("a"), b.join().expect("b"))
        });
        assert_eq!(
            (&a, &b),
            (&Ok(()), &Ok(())),
            "round {round}: a build failed"
        );
        assert!(
            site.out(".boletin-output").is_file(),
            "round {round}: no marker"
        );
        assert!(
            site_files(&site) == reference,
            "round {round}: partial output"
        );
    }
}

/// The same with two processes, as an editor running `boletin build` twice would.
#[test]
fn two_build_processes_at_once_leave_a_complete_marked_output() {
    let site = busy_site(60);
    site.build_ok();
    let reference = site_files(&site);
    let root = site.root().to_string_lossy().into_owned();
    let args = ["build", "--full", "--root", root.as_str()];
    for round in 0..6 {
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| run(&args, site.root()));
            let b = s.spawn(|| run(&args, site.root()));
            (a.join().expect("a"), b.join().expect("b"))
        });
        assert_eq!((a.0, b.0), (0, 0), "round {round}: {} {}", a.2, b.2);
        assert!(
            site.out(".boletin-output").is_file(),
            "round {round}: no marker"
        );
        assert!(
            site_files(&site) == reference,
            "round {round}: partial output"
        );
    }
}

/// A build started while another holds the output's lock (as a live build does) waits,
/// says so, and leaves that build's staging folder alone until the lock is released.
#[test]
fn a_staging_folder_of_a_live_build_is_not_swept() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    let lock = std::fs::File::create(site.root().join(".output.boletin-lock")).expect("lock");
    lock.lock().expect("lock");
    let live = site.root().join(".output.tmp-4242");
    std::fs::create_dir_all(live.join("boletines")).expect("mkdir");
    std::fs::write(live.join(".boletin-output"), "").expect("marker");
    std::fs::write(live.join("boletines/index.html"), "a medias").expect("write");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_boletin"))
        .arg("build")
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("build");
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert!(
        live.join("boletines/index.html").is_file(),
        "swept while live"
    );
    assert!(
        !site.out("index.html").exists(),
        "built while the lock was held"
    );
    drop(lock);
    let done = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{err}");
    assert!(
        err.contains("esperando a que termine otra construcción de `"),
        "{err}"
    );
    assert!(!live.exists(), "a dead build's folder is swept");
    assert!(site.out("index.html").is_file());
    assert!(!site.root().join(".output.boletin-lock").exists());
}

/// Each output folder has its own record in `.boletin/`: a build into another folder
/// neither reuses nor spoils the record of `output/`.
#[test]
fn two_output_folders_keep_apart_records_in_dot_boletin() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    let record = site.state().join("estado");
    let before = std::fs::read_to_string(&record).expect("record");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let mut other = site.options();
    other.output = Some(elsewhere.path().join("prueba"));
    let first = boletin::build(&other).expect("other output");
    assert!(!first.unchanged, "another folder is not the same output");
    assert!(boletin::build(&other).expect("again").unchanged);
    let folders: Vec<String> = std::fs::read_dir(site.root().join(".boletin"))
        .expect(".boletin")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len(), 2, "{folders:?}");
    assert!(
        folders.iter().any(|f| f.starts_with("prueba-")),
        "{folders:?}"
    );
    assert_eq!(std::fs::read_to_string(&record).expect("record"), before);
    assert!(site.build().expect("output").unchanged);
    // Nothing was written beside the other output but the output itself.
    let beside: Vec<_> = std::fs::read_dir(elsewhere.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside, ["prueba"]);
}

/// An older version kept its record beside the output, in `.output.boletin/`. Left there,
/// it is never read (a record that would match does not make the build a no-op) and the
/// next build removes it; deleting `.boletin/` only makes the next build a full one.
#[test]
fn an_old_state_folder_beside_the_output_is_harmless_and_removed() {
    let site = Site::new().bulletin("a.md", "A", "2018-01-01", "x\n");
    site.build_ok();
    let legacy = site.root().join(".output.boletin");
    std::fs::create_dir_all(&legacy).expect("mkdir");
    std::fs::copy(site.state().join("estado"), legacy.join("estado")).expect("copy");
    std::fs::write(legacy.join("imagenes.json"), "{}").expect("write");
    std::fs::remove_dir_all(site.root().join(".boletin")).expect("rm");
    let before = site.snapshot();
    let summary = site.build().expect("build");
    assert!(!summary.unchanged, "the old record was trusted");
    assert_eq!(site.snapshot(), before);
    assert!(!legacy.exists(), "the old state folder stayed");
    assert_eq!(site.top_level(), [".boletin", "content", "output"]);
    assert!(site.build().expect("again").unchanged);
}
