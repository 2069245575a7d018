//! The `boletin` binary: parses arguments, calls the library, prints messages, and turns
//! the outcome into the exit status (0 success, 1 the site has errors, 2 wrong usage).

mod alloc;
mod cli;

use boletin::diag::{Diagnostic, render_report};
use clap::Parser;
use clap::error::ErrorKind;
use cli::{Cli, Command, NewKind};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let code = run(cli.command);
    alloc::skip_final_purge();
    code
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
