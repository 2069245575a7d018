//! `boletin init` and `boletin new`: files with their front matter filled in, never
//! overwriting anything.

mod barrios;

use crate::config::{self, CONFIG_PATH};
use crate::content::slug::slugify;
use crate::diag::{Diagnostic, Problem};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/boletines/AAAA-MM-DD-slug.md`
    Bulletin,
    /// `content/paginas/slug.md`
    Page,
}

/// Creates a bulletin or page dated today (in the site's time zone); returns its path.
pub fn new_file(
    root: &Path,
    kind: NewKind,
    title: &str,
    today: Option<jiff::civil::Date>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = config::load(root).map_err(crate::diag::Diagnostics::sorted)?;
    let today = today.unwrap_or_else(|| {
        crate::options::now()
            .to_zoned(config.time_zone.clone())
            .date()
    });
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(vec![Diagnostic::global(Problem::InvalidSlug {
            slug: title.into(),
        })]);
    }
    let (rel, text) = match kind {
        NewKind::Bulletin => (
            PathBuf::from(format!("content/boletines/{today}-{slug}.md")),
            format!(
                "---\ntitulo: {}\nfecha: {today}\nresumen: \netiquetas: []\nborrador: true\n---\n\n\
                 Escriba aquí el primer párrafo del boletín.\n",
                yaml_string(title)
            ),
        ),
        NewKind::Page => (
            PathBuf::from(format!("content/paginas/{slug}.md")),
            format!(
                "---\ntitulo: {}\nresumen: \n---\n\nEscriba aquí el contenido de la página.\n",
                yaml_string(title)
            ),
        ),
    };
    create_new(&root.join(&rel), text.as_bytes()).map_err(|d| vec![d])?;
    Ok(rel)
}

/// A title as a double-quoted YAML string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn create_new(path: &Path, text: &[u8]) -> Result<(), Diagnostic> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::global(Problem::Io {
                detail: e.to_string(),
            })
        })?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::global(Problem::FileExists {
                    path: path.display().to_string(),
                })
            } else {
                Diagnostic::global(Problem::Io {
                    detail: format!("{}: {e}", path.display()),
                })
            }
        })?;
    file.write_all(text).map_err(|e| {
        Diagnostic::global(Problem::Io {
            detail: e.to_string(),
        })
    })
}

const SITE: &str = "titulo: Mi boletín\n\
descripcion: Boletines públicos con datos abiertos.\n\
url_base: https://example.org/\n\
idioma: es-PE\n\
zona_horaria: America/Lima\n\
institucion: Nombre de la institución\n\
por_pagina: 10\n\
# El mapa de los territorios (en `content/datos/`).\n\
mapa: peru-departamentos.geojson\n\
# Cada boletín publicado también en PDF para imprimir (`pdf: false` en un boletín lo deja sin PDF).\n\
pdf: true\n\
menu:\n  - {titulo: Boletines, enlace: \"@/boletines\"}\n  - {titulo: Datos abiertos, enlace: \"@/datos\"}\n  - {titulo: Acerca de, enlace: \"@/paginas/acerca.md\"}\n";

const BULLETIN: &str = "---\ntitulo: Primer boletín\nfecha: 2018-07-31\n\
resumen: Un boletín de ejemplo para empezar.\netiquetas: [ejemplo]\n---\n\n\
Este es un boletín de ejemplo. Edítelo o bórrelo y escriba los suyos en `content/boletines/`.\n\n\
## Un título de sección\n\n\
Las notas al pie se escriben así.[^1] Las tablas, con barras:\n\n\
| Territorio | Barrios |\n|---|--:|\n| Ejemplo | 1 |\n\n\
## Con los datos de `content/datos/`\n\n\
Los barrios de la hoja de cálculo `content/datos/barrios.xlsx`, contados por territorio:\n\n\
{{ grafico(datos=\"barrios\", x=\"territorio\", titulo=\"Barrios por territorio\") }}\n\n\
{{ tabla(datos=\"barrios\", columnas=[\"nombre\", \"territorio\", \"distrito\", \"cohorte\"]) }}\n\n\
{{ mapa() }}\n\n\
Vea también la página [Acerca de](@/paginas/acerca.md).\n\n\
[^1]: Una nota al pie de ejemplo.\n";

const ABOUT: &str = "---\ntitulo: Acerca de\nresumen: Qué es este sitio.\n---\n\n\
Explique aquí quién publica este sitio y de dónde vienen sus datos.\n";

/// The accessibility statement every footer links to (`render::views::ACCESSIBILITY`).
const ACCESSIBILITY: &str = "---
titulo: \"Declaración de accesibilidad\"
resumen: \"Qué norma de accesibilidad sigue este sitio, cómo se comprueba, qué límites conocidos tiene y a quién escribir si algo no le funciona.\"
---

Este sitio quiere que cualquier persona pueda leer sus boletines y sus datos: con un lector de pantalla, solo con el teclado, con el texto ampliado o desde un teléfono.

## Norma que se busca cumplir

El sitio busca cumplir el nivel AA de las Pautas de Accesibilidad para el Contenido Web (WCAG) 2.1 del W3C. En el Perú, la Norma Técnica Peruana NTP-ISO/IEC 40500 adopta esas pautas (en su versión 2.0); la versión 2.1 las incluye y añade criterios para teléfonos y baja visión.

## Cómo se comprueba

- **Revisión automática.** El programa que genera el sitio (boletin) revisa cada cambio con axe-core en un navegador Chromium sin pantalla, sobre todas las clases de página: portada, boletines, listas, etiquetas, barrios, territorios, datos y búsqueda. Un fallo impide publicar el cambio.
- **Teclado.** Las páginas se recorren con Tab, Mayús+Tab e Intro: el enlace «Saltar al contenido», el menú, el buscador y los enlaces del mapa, con el foco siempre visible.
- **Teléfono.** Las páginas se revisan en una pantalla de 390 píxeles de ancho, sin desplazamiento horizontal.
- **HTML válido**, comprobado con el Nu Html Checker del W3C.

## Límites conocidos

- **Mapas.** Si el sitio tiene mapa, sus formas están simplificadas; cada territorio es un enlace con su nombre y su número, y los mismos datos están en las listas y en la tabla «Ver datos».
- **Gráficos.** Cada gráfico tiene título, descripción y una tabla con sus datos («Ver datos»).
- **Búsqueda.** Necesita JavaScript; sin él, los boletines siguen a mano en el archivo por año y en las etiquetas.
- **Documentos de otras instituciones.** Los documentos enlazados que publican otros no los controla este sitio y pueden no ser accesibles.
- Añada aquí lo que sepa que todavía no cumple (por ejemplo, imágenes antiguas sin texto alternativo) y cuándo piensa corregirlo.

## Contacto

Si algo de este sitio no le funciona, escriba a (ponga aquí el correo o el formulario de la institución) con la dirección de la página y lo que intentó hacer. Respondemos en (plazo, por ejemplo, 10 días hábiles).
";

/// Deploy recipes `init` writes (the repository's `recetas/`, explained in the README): each
/// runs `boletin check` before it publishes.
const GITHUB_RECIPE: &str = include_str!("../../recetas/github-pages.yml");
const GITLAB_RECIPE: &str = include_str!("../../recetas/gitlab-ci.yml");
const SYSTEMD_SERVICE: &str = include_str!("../../recetas/boletin.service");
const SYSTEMD_TIMER: &str = include_str!("../../recetas/boletin.timer");

/// The example's territories and map (`../shared/data`, with their sources in the
/// example's `content/datos/FUENTES.md`), so a new site has data from its first build.
const TERRITORIES: &str = include_str!("../../content/datos/territorios.yaml");
const MAP: &str = include_str!("../../content/datos/peru-departamentos.geojson");

/// What a site keeps out of its repository: the built site, and the state each build keeps
/// for the next one (`.boletin/`, see [`crate::state`]).
const GITIGNORE: &str = "/output/\n/.boletin/\n";

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Vec<Diagnostic>> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(vec![Diagnostic::global(Problem::FolderNotEmpty {
            path: dir.display().to_string(),
        })]);
    }
    let files = [
        (CONFIG_PATH, SITE),
        ("content/boletines/2018-07-31-primer-boletin.md", BULLETIN),
        ("content/paginas/acerca.md", ABOUT),
        ("content/paginas/accesibilidad.md", ACCESSIBILITY),
        ("content/imagenes/.gitkeep", ""),
        ("content/datos/territorios.yaml", TERRITORIES),
        ("content/datos/peru-departamentos.geojson", MAP),
        ("content/datos/barrios.yaml", barrios::SIDECAR),
        (".gitignore", GITIGNORE),
        (".github/workflows/publicar.yml", GITHUB_RECIPE),
        (".gitlab-ci.yml", GITLAB_RECIPE),
        ("despliegue/boletin.service", SYSTEMD_SERVICE),
        ("despliegue/boletin.timer", SYSTEMD_TIMER),
    ];
    for (rel, text) in files {
        create_new(&dir.join(rel), text.as_bytes()).map_err(|d| vec![d])?;
    }
    let book =
        barrios::workbook().map_err(|detail| vec![Diagnostic::global(Problem::Io { detail })])?;
    create_new(&dir.join("content/datos/barrios.xlsx"), &book).map_err(|d| vec![d])?;
    Ok(())
}
