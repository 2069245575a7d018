//! Command-line definition (clap derive), with Spanish help. No behaviour here.

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const TEMPLATE: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// Genera un sitio estático de boletines públicos a partir de Markdown y datos en YAML.
#[derive(Debug, Parser)]
#[command(
    name = "boletin",
    version,
    about = "Genera un sitio estático de boletines públicos a partir de Markdown y datos en YAML.",
    help_template = TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Comandos",
    subcommand_value_name = "COMANDO",
    override_usage = "boletin <COMANDO> [OPCIONES]",
    next_help_heading = "Opciones"
)]
pub struct Cli {
    /// El comando.
    #[command(subcommand)]
    pub command: Command,
    /// Muestra esta ayuda.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Muestra la versión.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Construye el sitio en la carpeta de salida (por defecto, output/).
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Opciones",
        override_usage = "boletin build [--root CARPETA] [--output CARPETA] [--base-url URL] [--drafts] [--full] [--ahora FECHA_HORA]"
    )]
    Build {
        /// Carpeta del sitio (por defecto, la carpeta actual).
        #[arg(
            long,
            short = 'r',
            alias = "source",
            short_alias = 's',
            value_name = "CARPETA",
            default_value = ".",
            hide_default_value = true
        )]
        root: PathBuf,
        /// Carpeta de salida (por defecto, CARPETA/output).
        #[arg(
            long,
            short = 'o',
            aliases = ["output-dir", "destination"],
            short_alias = 'd',
            value_name = "CARPETA"
        )]
        output: Option<PathBuf>,
        /// Reemplaza url_base de sitio.yaml (por ejemplo, para una vista previa).
        #[arg(
            long,
            short = 'u',
            aliases = ["baseURL", "baseurl", "base_url"],
            short_alias = 'b',
            value_name = "URL"
        )]
        base_url: Option<String>,
        /// Publica también los borradores (solo para revisar; no lo use para publicar).
        #[arg(long, short = 'D', aliases = ["buildDrafts", "borradores"])]
        drafts: bool,
        /// Construye el sitio como será en ese momento: "AAAA-MM-DD HH:MM" en la zona horaria
        /// del sitio, o RFC 3339 (gana sobre SOURCE_DATE_EPOCH).
        #[arg(long, value_name = "FECHA_HORA")]
        ahora: Option<String>,
        /// Construye todo aunque nada haya cambiado desde la última construcción.
        #[arg(long)]
        full: bool,
    },
    /// Revisa contenido, datos, plantillas y enlaces sin escribir nada.
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Opciones",
        override_usage = "boletin check [--root CARPETA] [--externos] [--json] [--ahora FECHA_HORA]"
    )]
    Check {
        /// Carpeta del sitio (por defecto, la carpeta actual).
        #[arg(
            long,
            short = 'r',
            alias = "source",
            short_alias = 's',
            value_name = "CARPETA",
            default_value = ".",
            hide_default_value = true
        )]
        root: PathBuf,
        /// Comprueba también los enlaces externos (necesita internet; una construcción nunca los abre).
        #[arg(long)]
        externos: bool,
        /// Escribe el resultado en JSON (para programadores de tareas e integración continua).
        #[arg(long)]
        json: bool,
        /// Construye el sitio como será en ese momento: "AAAA-MM-DD HH:MM" en la zona horaria
        /// del sitio, o RFC 3339 (gana sobre SOURCE_DATE_EPOCH).
        #[arg(long, value_name = "FECHA_HORA")]
        ahora: Option<String>,
    },
    /// Muestra el sitio en el navegador y lo actualiza al guardar (borradores incluidos).
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Opciones",
        override_usage = "boletin serve [--root CARPETA] [--port 1111] [--bind 127.0.0.1] [--open] [--futuros] [--ahora FECHA_HORA]"
    )]
    Serve {
        /// Carpeta del sitio (por defecto, la carpeta actual).
        #[arg(
            long,
            short = 'r',
            alias = "source",
            short_alias = 's',
            value_name = "CARPETA",
            default_value = ".",
            hide_default_value = true
        )]
        root: PathBuf,
        /// Puerto (por defecto 1111; si está ocupado, se usa el siguiente libre).
        #[arg(
            long,
            short = 'p',
            value_name = "PUERTO",
            default_value_t = 1111,
            hide_default_value = true
        )]
        port: u16,
        /// Dirección en la que escuchar (por defecto 127.0.0.1, solo esta computadora;
        /// 0.0.0.0 para verlo desde un teléfono en la misma red).
        #[arg(
            long,
            short = 'i',
            alias = "interface",
            value_name = "IP",
            default_value = "127.0.0.1",
            hide_default_value = true
        )]
        bind: std::net::IpAddr,
        /// Abre el sitio en el navegador.
        #[arg(long, short = 'O', alias = "abrir")]
        open: bool,
        /// Muestra también los boletines embargados, con un aviso, como los borradores.
        #[arg(long)]
        futuros: bool,
        /// Los borradores ya se muestran siempre en serve (se acepta por costumbre de Hugo).
        #[arg(long, short = 'D', aliases = ["buildDrafts"], hide = true)]
        drafts: bool,
        /// Construye el sitio como será en ese momento: "AAAA-MM-DD HH:MM" en la zona horaria
        /// del sitio, o RFC 3339 (gana sobre SOURCE_DATE_EPOCH).
        #[arg(long, value_name = "FECHA_HORA")]
        ahora: Option<String>,
    },
    /// Crea un boletín o una página con su cabecera ya escrita.
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Opciones",
        override_usage = "boletin new boletin|pagina \"Título\" [--root CARPETA]"
    )]
    New {
        /// Qué crear: `boletin` (en content/boletines/) o `pagina` (en content/paginas/).
        #[arg(value_enum, value_name = "TIPO", hide_possible_values = true)]
        kind: NewKind,
        /// Título del boletín o de la página.
        #[arg(value_name = "TÍTULO")]
        title: String,
        /// Carpeta del sitio (por defecto, la carpeta actual).
        #[arg(
            long,
            short = 'r',
            alias = "source",
            short_alias = 's',
            value_name = "CARPETA",
            default_value = ".",
            hide_default_value = true
        )]
        root: PathBuf,
    },
    /// Crea un sitio nuevo con un boletín y una página de ejemplo.
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Opciones",
        override_usage = "boletin init CARPETA"
    )]
    Init {
        /// Carpeta nueva (o vacía) para el sitio.
        #[arg(value_name = "CARPETA")]
        dir: PathBuf,
    },
}

/// What `new` creates.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// Un boletín en content/boletines/.
    Boletin,
    /// Una página en content/paginas/.
    Pagina,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
