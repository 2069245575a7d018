//! The `boletin` binary: parses arguments, calls the library, prints messages, and turns
//! the outcome into the exit status (0 success, 1 the site has errors, 2 wrong usage).

mod cli;

use boletin::diag::{Diagnostic, render_report};
use clap::Parser;
use clap::error::ErrorKind;
use cli::{Cli, Command, NewKind};
use std::path::Path;
use std::process::ExitCode;

/// mimalloc: a build clones and frees hundreds of thousands of small strings, where glibc's
/// allocator spent a quarter of an incremental rebuild (measured with `perf`).
#[cfg(not(feature = "heaptrack"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
unsafe extern "C" {
    /// mimalloc's own setting function, in the C library the `mimalloc` crate links (the
    /// crate's binding needs its `extended` feature, whose extra dependency is not
    /// available here).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_arena_eager_commit` in `mimalloc.h`.
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
/// `mi_option_purge_delay` in `mimalloc.h` (milliseconds; -1 is "never purge").
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
const PURGE_DELAY: std::ffi::c_int = 15;

/// Runs before `main`, before the first allocation reserves mimalloc's arena:
/// - commit the arena's memory as it is used rather than up front: at 10,000 bulletins the
///   peak resident memory drops by some 40 MB at the same speed (`cargo bench --bench site`);
/// - hand freed memory back to the system after 100 ms instead of 10: the texts freed as
///   bulletins are rendered are taken again by the pages after them instead of being
///   returned and faulted in anew. At 10,000 bulletins a sixth fewer page faults (54,000 →
///   45,500, each some microseconds on these machines), the same peak memory.
///
/// mimalloc's own variables (`MIMALLOC_ARENA_EAGER_COMMIT`, `MIMALLOC_PURGE_DELAY`), when
/// set, decide instead (and let the choices be measured).
#[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn tune() {
        let options = [
            ("MIMALLOC_ARENA_EAGER_COMMIT", ARENA_EAGER_COMMIT, 0),
            ("MIMALLOC_PURGE_DELAY", PURGE_DELAY, 100),
        ];
        for (variable, option, value) in options {
            if std::env::var_os(variable).is_none() {
                // SAFETY: a plain setter of an integer option, called before any thread
                // starts.
                unsafe { mi_option_set(option, value) }
            }
        }
    }
    tune
};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let code = run(cli.command);
    skip_final_purge();
    code
}

/// Tells mimalloc not to hand its free memory back to the system page by page when the
/// process ends (its exit handler did, on one core: some 25 ms at 10,000 bulletins, seen
/// with `perf`); the system takes back the whole address space at once anyway.
fn skip_final_purge() {
    #[cfg(all(target_os = "linux", not(feature = "heaptrack")))]
    // SAFETY: a plain store of an integer option, as mimalloc's own API makes at run time.
    // It is not atomic: a thread still freeing memory (a background drop) may read the old
    // value, which only changes when that memory would be returned. The rest of the process
    // is done.
    unsafe {
        mi_option_set(PURGE_DELAY, -1)
    }
}

/// Runs a command and reports its outcome.
fn run(command: Command) -> ExitCode {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            full,
        } => {
            let options = boletin::BuildOptions {
                output,
                base_url,
                drafts,
                full,
                ..boletin::BuildOptions::new(&root)
            };
            let out = options.output_dir();
            if drafts {
                eprintln!("aviso: se incluyen los borradores; no publique esta salida");
            }
            finish(
                &root,
                boletin::build(&options).map(|s| {
                    if s.unchanged {
                        return format!(
                            "sin cambios: {} ya tiene este sitio ({}, {} y {}); \
                             use --full para construirlo de nuevo",
                            out.display(),
                            count(s.bulletins, "boletín", "boletines"),
                            count(s.pages, "página", "páginas"),
                            count(s.files, "archivo", "archivos"),
                        );
                    }
                    warn(&root, &s.warnings);
                    let images = match (s.images_encoded, s.images_reused) {
                        (0, 0) => String::new(),
                        (new, 0) => format!(" ({} procesadas)", count(new, "imagen", "imágenes")),
                        (new, old) => format!(
                            " ({} procesadas, {} reutilizadas)",
                            count(new, "imagen", "imágenes"),
                            old
                        ),
                    };
                    format!(
                        "listo: {}, {} y {}{images} en {}",
                        count(s.bulletins, "boletín", "boletines"),
                        count(s.pages, "página", "páginas"),
                        count(s.files, "archivo", "archivos"),
                        out.display()
                    )
                }),
            )
        }
        Command::Check { root, externos } => {
            let options = boletin::BuildOptions::new(&root);
            let result = if externos {
                boletin::check_external(&options, std::time::Duration::from_secs(15))
            } else {
                boletin::check(&options)
            };
            finish(
                &root,
                result.map(|s| {
                    warn(&root, &s.warnings);
                    let links = if externos {
                        format!("; {} enlaces externos revisados", s.external_links.len())
                    } else {
                        String::new()
                    };
                    format!(
                        "sin errores: {} y {} ({}); también se revisaron borradores y embargados{links}; no se escribió nada",
                        count(s.bulletins, "boletín", "boletines"),
                        count(s.pages, "página", "páginas"),
                        count(s.files, "archivo", "archivos")
                    )
                }),
            )
        }
        Command::Serve { root, port, bind } => {
            let options = boletin::serve::ServeOptions {
                root: root.clone(),
                bind,
                port,
            };
            finish(
                &root,
                boletin::serve::serve(&options, log_line).map(|()| String::new()),
            )
        }
        Command::New { kind, title, root } => {
            let kind = match kind {
                NewKind::Boletin => boletin::scaffold::NewKind::Bulletin,
                NewKind::Pagina => boletin::scaffold::NewKind::Page,
            };
            finish(
                &root,
                boletin::scaffold::new_file(&root, kind, &title, None)
                    .map(|p| format!("creado: {}", p.display())),
            )
        }
        Command::Init { dir } => finish(
            &dir,
            boletin::scaffold::init(&dir).map(|()| {
                format!(
                    "sitio creado en {0}; constrúyalo con: boletin build --root {0}",
                    dir.display()
                )
            }),
        ),
    }
}

/// "1 boletín", "3 boletines".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line of `serve`'s running log.
fn log_line(line: &str) {
    eprintln!("{line}");
}

/// Prints warnings of a build that succeeded.
fn warn(root: &Path, warnings: &[Diagnostic]) {
    if !warnings.is_empty() {
        eprint!("{}", render_report(warnings, root));
    }
}

fn finish(root: &Path, result: Result<String, Vec<Diagnostic>>) -> ExitCode {
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", render_report(&diagnostics, root));
            ExitCode::from(1)
        }
    }
}

/// Clap's usage errors, said in Spanish; help and version go to stdout with status 0.
fn usage_error(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        print!("{e}");
        return ExitCode::SUCCESS;
    }
    let what = match e.kind() {
        ErrorKind::UnknownArgument => "argumento desconocido",
        ErrorKind::InvalidSubcommand => "comando desconocido",
        ErrorKind::MissingRequiredArgument => "falta un argumento obligatorio",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "falta el comando"
        }
        ErrorKind::InvalidValue => "valor no válido",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "demasiados valores",
        _ => "uso incorrecto",
    };
    use clap::error::{ContextKind, ContextValue};
    let detail = [
        ContextKind::InvalidSubcommand,
        ContextKind::InvalidValue,
        ContextKind::InvalidArg,
    ]
    .into_iter()
    .find_map(|k| e.get(k))
    .map(|d| match e.get(ContextKind::SuggestedSubcommand) {
        Some(ContextValue::Strings(s)) if !s.is_empty() => {
            format!("{d} (¿quiso decir `{}`?)", s[0])
        }
        Some(ContextValue::String(s)) => format!("{d} (¿quiso decir `{s}`?)"),
        _ => d.to_string(),
    });
    match detail {
        Some(d) => eprintln!("error: {what}: {d}"),
        None => eprintln!("error: {what}"),
    }
    eprintln!("Use `boletin --help` para ver los comandos y sus opciones.");
    ExitCode::from(2)
}
