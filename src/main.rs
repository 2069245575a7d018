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
            ahora,
        } => {
            let now = match at(&root, ahora.as_deref()) {
                Ok(now) => now,
                Err(code) => return code,
            };
            let options = boletin::BuildOptions {
                output,
                base_url,
                drafts,
                full,
                now,
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
                             use --full para construirlo de nuevo{}",
                            out.display(),
                            count(s.bulletins, "boletín", "boletines"),
                            count(s.pages, "página", "páginas"),
                            count(s.files, "archivo", "archivos"),
                            next_change_line(s.next_change.as_ref())
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
                    let pdfs = match (s.pdfs_typeset, s.pdfs_reused) {
                        (0, 0) => String::new(),
                        (new, old) => format!(
                            " ({}, {})",
                            count(new, "PDF compuesto", "PDF compuestos"),
                            count(old, "reutilizado", "reutilizados")
                        ),
                    };
                    format!(
                        "listo: {}, {} y {}{images}{pdfs} en {}{}",
                        count(s.bulletins, "boletín", "boletines"),
                        count(s.pages, "página", "páginas"),
                        count(s.files, "archivo", "archivos"),
                        out.display(),
                        next_change_line(s.next_change.as_ref())
                    )
                }),
            )
        }
        Command::Check {
            root,
            externos,
            json,
            ahora,
        } => {
            let now = match at(&root, ahora.as_deref()) {
                Ok(now) => now,
                Err(code) => return code,
            };
            let options = boletin::BuildOptions {
                now,
                ..boletin::BuildOptions::new(&root)
            };
            let result = if externos {
                boletin::check_external(&options, std::time::Duration::from_secs(15))
            } else {
                boletin::check(&options)
            };
            if json {
                return print_json(&result);
            }
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
                        "sin errores: {} y {} ({}); también se revisaron borradores y embargados{links}; no se escribió nada{}",
                        count(s.bulletins, "boletín", "boletines"),
                        count(s.pages, "página", "páginas"),
                        count(s.files, "archivo", "archivos"),
                        next_change_line(s.next_change.as_ref())
                    )
                }),
            )
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            futuros,
            drafts: _,
            ahora,
        } => {
            let now = match at(&root, ahora.as_deref()) {
                Ok(now) => now,
                Err(code) => return code,
            };
            let options = boletin::serve::ServeOptions {
                root: root.clone(),
                bind,
                port,
                open,
                future: futuros,
                now,
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

/// The instant of `--ahora`, or none; a value that is not one is reported (exit status 1).
fn at(root: &Path, ahora: Option<&str>) -> Result<Option<jiff::Timestamp>, ExitCode> {
    match ahora.map(|text| boletin::instant(root, text)).transpose() {
        Ok(now) => Ok(now),
        Err(diagnostics) => Err(finish(root, Err(diagnostics))),
    }
}

/// «; próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «…»», or
/// nothing when no embargo is pending.
fn next_change_line(next: Option<&boletin::NextChange>) -> String {
    next.map(|n| {
        format!(
            "\n{}",
            boletin::format::next_change(n.at, &n.zone, &n.titles)
        )
    })
    .unwrap_or_default()
}

/// `check --json`: every diagnostic and the next change, in the documented form; the exit
/// status is the same as without `--json`.
fn print_json(result: &Result<boletin::Summary, Vec<Diagnostic>>) -> ExitCode {
    println!("{}", boletin::diag::json::report(result_parts(result)));
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

fn result_parts(
    result: &Result<boletin::Summary, Vec<Diagnostic>>,
) -> (&[Diagnostic], Option<boletin::diag::json::Next<'_>>) {
    match result {
        Ok(s) => (
            &s.warnings,
            s.next_change.as_ref().map(|n| boletin::diag::json::Next {
                at: n.at,
                zone: &n.zone,
                titles: &n.titles,
            }),
        ),
        Err(d) => (d, None),
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
    .map(|d| {
        let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
            .into_iter()
            .find_map(|k| match e.get(k) {
                Some(ContextValue::Strings(s)) => s.first().cloned(),
                Some(ContextValue::String(s)) => Some(s.clone()),
                _ => None,
            });
        match habit(&d.to_string()).or(suggested) {
            Some(s) => format!("{d} (¿quiso decir `{s}`?)"),
            None => d.to_string(),
        }
    });
    match detail {
        Some(d) => eprintln!("error: {what}: {d}"),
        None => eprintln!("error: {what}"),
    }
    eprintln!("Use `boletin --help` para ver los comandos y sus opciones.");
    ExitCode::from(2)
}

/// boletin's word for a command or flag from Hugo or Zola that it does not take as is.
fn habit(written: &str) -> Option<String> {
    let name = written.split('=').next().unwrap_or(written);
    let ours = match name {
        "server" => "serve",
        "new" | "init" | "build" | "check" | "serve" => return None,
        "--watch" | "-w" => "serve",
        "--buildFuture" | "-F" => "serve --futuros",
        "--clock" => "--ahora",
        "--contentDir" | "-c" => "--root",
        "--config" => "content/sitio.yaml",
        _ => return None,
    };
    Some(ours.to_string())
}
