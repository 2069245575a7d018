//! Every editor-facing problem, one variant each, with its Spanish wording and a way to fix it.
//!
//! This is the only place with message text: tests assert on it, and a translation or a
//! rewording happens here and nowhere else.

/// What is wrong. Each variant says, in Spanish, what happened and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// A file or folder could not be read or written.
    Io {
        /// What the system said.
        detail: String,
    },
    /// `content/sitio.yaml` does not exist.
    MissingSiteConfig,
    /// A file is not valid UTF-8 text.
    NotUtf8,
    /// The YAML parser rejected the text.
    Yaml {
        /// The parser's explanation.
        detail: String,
    },
    /// A key that the schema does not know.
    UnknownField {
        /// The key as written.
        field: String,
        /// The closest known key.
        suggestion: Option<String>,
        /// All keys allowed at that place.
        allowed: Vec<String>,
    },
    /// A required key is absent.
    MissingField {
        /// The key.
        field: String,
    },
    /// A value has the wrong type.
    WrongType {
        /// The key.
        field: String,
        /// What was expected, in Spanish ("un texto", "una lista de textos").
        expected: String,
    },
    /// A required text is empty.
    EmptyField {
        /// The key.
        field: String,
    },
    /// A date that is malformed or does not exist.
    InvalidDate {
        /// The key.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A date-time that is malformed.
    InvalidDateTime {
        /// The key.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A link whose scheme could run script or is not one readers can follow
    /// (`javascript:`, `data:`, `vbscript:`, `file:`, …).
    UnsafeLink {
        /// The field it was written in.
        field: String,
        /// The value as written.
        value: String,
    },
    /// A `url_base` that is not an absolute http(s) URL.
    InvalidBaseUrl {
        /// The value as written.
        value: String,
    },
    /// An unknown time zone name.
    InvalidTimeZone {
        /// The value as written.
        value: String,
    },
    /// A language tag we cannot format for.
    UnsupportedLanguage {
        /// The value as written.
        value: String,
    },
    /// A number that must be positive is not.
    NotPositive {
        /// The key.
        field: String,
    },
    /// A slug with characters that cannot be part of a URL.
    InvalidSlug {
        /// The slug.
        slug: String,
    },
    /// Two items would be written at the same URL.
    DuplicateUrl {
        /// The URL path.
        url: String,
        /// The other source file.
        other: String,
    },
    /// The file does not start with a front matter block.
    FrontMatterMissing,
    /// The front matter has no closing `---`.
    FrontMatterUnclosed,
    /// `portada` has an image but no `alt`.
    CoverWithoutAlt,
    /// `plantilla` names a template that does not exist.
    UnknownTemplate {
        /// The template name.
        name: String,
    },
    /// A data file that is neither a list of rows nor a map with `filas`.
    DatasetShape,
    /// A row that is not a mapping.
    RowNotMap,
    /// A reference to an id that no record defines.
    UndefinedId {
        /// The referencing field.
        field: String,
        /// The id as written.
        id: String,
        /// The dataset that should define it.
        dataset: String,
        /// The closest existing id.
        suggestion: Option<String>,
    },
    /// An id defined twice.
    DuplicateId {
        /// The id.
        id: String,
        /// Line of the first definition.
        first_line: usize,
    },
    /// A row whose label column is empty.
    EmptyValue {
        /// The column.
        column: String,
    },
    /// A declared total that the rows do not add up to.
    TotalMismatch {
        /// The column.
        column: String,
        /// The declared figure, formatted.
        declared: String,
        /// The sum of the rows, formatted.
        sum: String,
    },
    /// `total` names a column the rows do not have, or a non-numeric one.
    TotalColumn {
        /// The column.
        column: String,
    },
    /// Coordinates outside the globe or outside the site's map.
    CoordinatesOutOfRange {
        /// Latitude.
        lat: String,
        /// Longitude.
        lon: String,
        /// Where they should be.
        expected: String,
    },
    /// A launch dated before the year of its barrio's cohort.
    LaunchBeforeCohort {
        /// The launch date.
        date: String,
        /// The cohort year.
        cohort: i64,
    },
    /// A date in the future where only past events make sense.
    FutureDate {
        /// The key.
        field: String,
        /// The date.
        value: String,
    },
    /// A period that is not `AAAA-MM`.
    InvalidPeriod {
        /// The value as written.
        value: String,
    },
    /// A shortcode names a dataset that does not exist.
    UnknownDataset {
        /// The id as written.
        id: String,
        /// The closest existing id.
        suggestion: Option<String>,
    },
    /// A shortcode names a column the dataset does not have.
    UnknownColumn {
        /// The dataset.
        dataset: String,
        /// The column as written.
        column: String,
        /// The closest existing column.
        suggestion: Option<String>,
    },
    /// `grafico` names a chart type that does not exist.
    UnknownChartType {
        /// The type as written.
        name: String,
        /// The closest type.
        suggestion: Option<String>,
    },
    /// A column that must hold numbers holds something else.
    NotNumeric {
        /// The dataset.
        dataset: String,
        /// The column.
        column: String,
    },
    /// A `donde` condition that is not `columna=valor`.
    BadCondition {
        /// The condition as written.
        condition: String,
    },
    /// `mapa` names a file that does not exist or is not GeoJSON.
    MapNotFound {
        /// The file as written.
        file: String,
    },
    /// A territory with no shape on the map (a warning).
    TerritoryWithoutShape {
        /// The territory id.
        id: String,
    },
    /// A map shape that no territory claims (a warning).
    ShapeWithoutTerritory {
        /// The feature id.
        feature: String,
    },
    /// A barrio whose point lies outside its territory's shape (a warning).
    PointOutsideTerritory {
        /// The barrio id.
        barrio: String,
        /// The territory id.
        territory: String,
    },
    /// `mapa` used on a site without `mapa` in `sitio.yaml`.
    NoMap,
    /// A `mapa` row whose territory matches no territory.
    UnknownTerritoryName {
        /// The name as written.
        name: String,
        /// The closest territory name.
        suggestion: Option<String>,
    },
    /// A file larger than the limit.
    FileTooLarge {
        /// The limit in MiB.
        limit_mib: usize,
    },
    /// An external link answered with an HTTP error.
    ExternalLinkBroken {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// An external link could not be reached (a warning).
    ExternalLinkUnreachable {
        /// The URL.
        url: String,
        /// Why.
        detail: String,
    },
    /// No external link answered: the machine seems to be offline (a warning).
    Offline {
        /// How many links were not checked.
        links: usize,
    },
    /// Raw HTML that the allowlist removed (a warning: the build goes on).
    HtmlRemoved {
        /// What was removed, in Spanish.
        what: String,
    },
    /// Raw HTML (with the Markdown around it) nested deeper than the sanitiser is given.
    HtmlTooDeep {
        /// How many levels are allowed.
        limit: usize,
    },
    /// `tema` names a folder that does not exist under `themes/`.
    UnknownTheme {
        /// The theme name.
        name: String,
    },
    /// A malformed shortcode call.
    ShortcodeSyntax {
        /// What is wrong.
        detail: String,
    },
    /// A shortcode argument with lists nested deeper than the parser reads.
    ShortcodeTooDeep {
        /// The shortcode.
        shortcode: String,
        /// The argument.
        argument: String,
        /// How many levels are allowed.
        limit: usize,
    },
    /// A shortcode call with more arguments than the parser reads.
    ShortcodeTooManyArguments {
        /// The shortcode.
        shortcode: String,
        /// How many arguments are allowed.
        limit: usize,
    },
    /// A shortcode name that does not exist.
    UnknownShortcode {
        /// The name as written.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
        /// Every known name, listed when none is close (given by the caller, which knows
        /// the shortcodes: diagnostics sit below content).
        known: &'static [&'static str],
    },
    /// An argument the shortcode does not take.
    UnknownShortcodeArgument {
        /// The shortcode.
        shortcode: String,
        /// The argument as written.
        argument: String,
        /// The closest known argument.
        suggestion: Option<String>,
    },
    /// A required shortcode argument is missing.
    MissingShortcodeArgument {
        /// The shortcode.
        shortcode: String,
        /// The missing argument.
        argument: String,
    },
    /// A referenced image does not exist.
    ImageNotFound {
        /// The path as written.
        path: String,
    },
    /// An image that cannot be published (warning at the image file).
    ImageNotPublished {
        /// Why, in Spanish.
        reason: String,
    },
    /// A page uses an image that cannot be published.
    ImageInvalid {
        /// The path as written.
        path: String,
        /// Why, in Spanish.
        reason: String,
    },
    /// An image without a text alternative.
    ImageWithoutAlt {
        /// How to mark it as decorative where it was written (Spanish).
        hint: String,
    },
    /// A symbolic link in the site's folders.
    SymlinkRefused,
    /// A NUL byte in a text file.
    NulByte,
    /// An invisible control character (C0 but tab and line ends, U+FFFE, U+FFFF), raw or
    /// written as a YAML escape: feeds and SVG files holding one are not well-formed XML.
    ControlCharacter {
        /// Its code point.
        code: u32,
    },
    /// An image from another server.
    ExternalImage {
        /// The URL.
        url: String,
    },
    /// Two files would be published at one path.
    AssetPathTaken {
        /// The URL path.
        url: String,
        /// The other source file.
        other: String,
    },
    /// An `@/` link to content that does not exist.
    BrokenInternalLink {
        /// The target as written.
        target: String,
        /// The closest existing target.
        suggestion: Option<String>,
    },
    /// An `@/` link to an anchor that the target page does not have.
    BrokenAnchor {
        /// The target page.
        target: String,
        /// The anchor.
        anchor: String,
    },
    /// A template failed to parse or render.
    Template {
        /// Tera's explanation.
        detail: String,
    },
    /// The output folder is not safe to replace.
    OutputRefused {
        /// The folder.
        path: String,
        /// Why, in Spanish.
        reason: String,
    },
    /// The output folder's disk (or the user's quota on it) is full.
    DiskFull {
        /// The output folder the user chose (not the hidden staging folder).
        path: String,
        /// About how many megabytes the whole build needs free there; 0 when unknown.
        megabytes: u64,
        /// A quota ran out, not the disk.
        quota: bool,
    },
    /// The output folder could not be written for another reason the system gave.
    OutputUnwritable {
        /// The output folder the user chose.
        path: String,
        /// What went wrong, in Spanish.
        reason: String,
    },
    /// Another build is writing the same output folder; this one waits for it (a notice,
    /// shown while waiting, not a result).
    WaitingForBuild {
        /// The output folder.
        path: String,
    },
    /// `new` would overwrite an existing file.
    FileExists {
        /// The file.
        path: String,
    },
    /// `init` was pointed at a non-empty folder.
    FolderNotEmpty {
        /// The folder.
        path: String,
    },
}

impl Problem {
    /// True for problems that do not stop the build.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Problem::HtmlRemoved { .. }
                | Problem::ExternalLinkUnreachable { .. }
                | Problem::Offline { .. }
                | Problem::TerritoryWithoutShape { .. }
                | Problem::ShapeWithoutTerritory { .. }
                | Problem::PointOutsideTerritory { .. }
                | Problem::ImageNotPublished { .. }
                | Problem::WaitingForBuild { .. }
        )
    }

    /// The message shown to editors, with how to fix it.
    pub fn message(&self) -> String {
        use Problem::*;
        match self {
            Io { detail } => format!("no se pudo leer o escribir: {detail}"),
            MissingSiteConfig => "no existe `content/sitio.yaml`: cree ese archivo con al menos \
                `titulo` y `url_base`, o cree un sitio nuevo con `boletin init CARPETA`"
                .into(),
            NotUtf8 => "el archivo no está en UTF-8: guárdelo con codificación UTF-8".into(),
            Yaml { detail } => format!("YAML mal formado: {detail}"),
            UnknownField {
                field,
                suggestion: Some(s),
                ..
            } => {
                format!("campo desconocido `{field}`: ¿quiso decir `{s}`?")
            }
            UnknownField {
                field,
                suggestion: None,
                allowed,
            } => format!(
                "campo desconocido `{field}`: los campos válidos aquí son {}",
                quoted_list(allowed)
            ),
            MissingField { field } => format!("falta el campo obligatorio `{field}`"),
            WrongType { field, expected } => format!("el campo `{field}` debe ser {expected}"),
            EmptyField { field } => format!("el campo `{field}` está vacío: escriba un valor"),
            InvalidDate { field, value } => format!(
                "fecha no válida en `{field}`: `{value}` no es una fecha que exista; \
                 use el formato AAAA-MM-DD, por ejemplo 2018-07-31"
            ),
            InvalidDateTime { field, value } => format!(
                "fecha y hora no válida en `{field}`: `{value}`; use AAAA-MM-DD HH:MM \
                 (hora de la zona del sitio) o AAAA-MM-DDTHH:MM:SS-05:00"
            ),
            UnsafeLink { field, value } => format!(
                "el enlace `{value}` de `{field}` no se publica: use una dirección que empiece \
                 por https://, http://, mailto: o tel:, una ruta del sitio (/…) o un enlace \
                 interno (@/…)"
            ),
            InvalidBaseUrl { value } => format!(
                "`url_base` debe ser una dirección completa que empiece por https:// o http://, \
                 como https://example.org/boletin/ (se leyó `{value}`)"
            ),
            InvalidTimeZone { value } => format!(
                "zona horaria desconocida `{value}`: use un nombre de la base IANA, \
                 como America/Lima"
            ),
            UnsupportedLanguage { value } => format!(
                "idioma no admitido `{value}`: use un código de español como es-PE, es-ES o es"
            ),
            NotPositive { field } => format!("el campo `{field}` debe ser un número mayor que 0"),
            InvalidSlug { slug } => format!(
                "el slug `{slug}` no sirve para una dirección web: use solo letras minúsculas \
                 sin tildes, números y guiones"
            ),
            DuplicateUrl { url, other } => format!(
                "la dirección `{url}` ya la usa `{other}`: cambie `slug` o el nombre del archivo \
                 en uno de los dos"
            ),
            FrontMatterMissing => "el archivo debe empezar con una cabecera YAML entre dos \
                líneas `---` (con al menos `titulo`)"
                .into(),
            FrontMatterUnclosed => {
                "la cabecera no se cierra: falta la línea `---` después de los campos".into()
            }
            CoverWithoutAlt => "`portada` tiene `imagen` pero no `alt`: describa la imagen para \
                quien no puede verla (si es solo decorativa, escriba `decorativa: true`)"
                .into(),
            UnknownTemplate { name } => format!(
                "la plantilla `{name}` no existe en el tema: revise el nombre en `plantilla`"
            ),
            DatasetShape => {
                "un archivo de datos debe ser una lista de filas (`- campo: valor`) o un \
                mapa con `titulo`, `fuente`… y las filas bajo `filas`"
                    .into()
            }
            RowNotMap => {
                "cada fila debe ser un mapa de campos, como `- {territorio: Ica, barrios: 2}`"
                    .into()
            }
            UndefinedId {
                field,
                id,
                dataset,
                suggestion: Some(s),
            } => {
                format!("`{field}: {id}` no existe en `datos/{dataset}.yaml`: ¿quiso decir `{s}`?")
            }
            UndefinedId {
                field,
                id,
                dataset,
                suggestion: None,
            } => format!(
                "`{field}: {id}` no existe en `datos/{dataset}.yaml`: agréguelo allí o corrija el id"
            ),
            DuplicateId { id, first_line } => {
                format!("el id `{id}` ya se usó en la línea {first_line}: cada id debe ser único")
            }
            EmptyValue { column } => format!(
                "fila sin `{column}`: escriba el nombre, o `Sin especificar` si la fuente no lo da"
            ),
            TotalMismatch {
                column,
                declared,
                sum,
            } => format!(
                "el total de `{column}` no cuadra: total declarado {declared}, suma de las filas {sum}"
            ),
            TotalColumn { column } => format!(
                "`total` nombra la columna `{column}`, pero las filas no tienen números en esa columna"
            ),
            CoordinatesOutOfRange { lat, lon, expected } => {
                format!("coordenadas fuera de rango (lat {lat}, lon {lon}): deben estar {expected}")
            }
            LaunchBeforeCohort { date, cohort } => format!(
                "el lanzamiento del {date} es anterior al año de la cohorte del barrio ({cohort})"
            ),
            FutureDate { field, value } => format!(
                "`{field}: {value}` es una fecha futura: un hecho registrado no puede haber ocurrido aún"
            ),
            InvalidPeriod { value } => {
                format!("periodo no válido `{value}`: use AAAA-MM, por ejemplo 2018-07")
            }
            UnknownDataset {
                id,
                suggestion: Some(s),
            } => {
                format!("no existe el conjunto de datos `{id}`: ¿quiso decir `{s}`?")
            }
            UnknownDataset {
                id,
                suggestion: None,
            } => format!(
                "no existe el conjunto de datos `{id}`: debe haber un archivo `content/datos/{id}.yaml`"
            ),
            UnknownColumn {
                dataset,
                column,
                suggestion: Some(s),
            } => {
                format!("`{dataset}` no tiene la columna `{column}`: ¿quiso decir `{s}`?")
            }
            UnknownColumn {
                dataset,
                column,
                suggestion: None,
            } => {
                format!("`{dataset}` no tiene la columna `{column}`")
            }
            UnknownChartType {
                name,
                suggestion: Some(s),
            } => {
                format!("tipo de gráfico desconocido `{name}`: ¿quiso decir `{s}`?")
            }
            UnknownChartType {
                name,
                suggestion: None,
            } => format!(
                "tipo de gráfico desconocido `{name}`: use barras, barras_horizontales, agrupadas, \
                 apiladas, linea o area"
            ),
            NotNumeric { dataset, column } => format!(
                "la columna `{column}` de `{dataset}` debe tener números para poder graficarla o sumarla"
            ),
            BadCondition { condition } => format!(
                "condición no válida `{condition}`: escriba `columna=valor`, por ejemplo `cohorte=2018`"
            ),
            NoMap => "el atajo `mapa` necesita un mapa: agregue `mapa: archivo.geojson` a \
                `content/sitio.yaml` y el archivo a `content/datos/`"
                .into(),
            UnknownTerritoryName {
                name,
                suggestion: Some(s),
            } => {
                format!("`{name}` no es un territorio del mapa: ¿quiso decir `{s}`?")
            }
            UnknownTerritoryName {
                name,
                suggestion: None,
            } => {
                format!(
                    "`{name}` no es un territorio del mapa (use su `id` o su `nombre` de `datos/territorios.yaml`)"
                )
            }
            MapNotFound { file } => format!(
                "`mapa` nombra `{file}`, pero no hay un GeoJSON válido con ese nombre en `content/datos/`"
            ),
            TerritoryWithoutShape { id } => format!(
                "el territorio `{id}` no tiene forma en el mapa: agregue su `ubigeo` o haga que el `id` \
                 de la forma coincida"
            ),
            ShapeWithoutTerritory { feature } => format!(
                "la forma `{feature}` del mapa no corresponde a ningún territorio de `datos/territorios.yaml`"
            ),
            PointOutsideTerritory { barrio, territory } => format!(
                "el punto del barrio `{barrio}` cae fuera de la forma de `{territory}` en el mapa: \
                 revise `ubicacion` (en mapas simplificados puede ser normal cerca de la costa)"
            ),
            FileTooLarge { limit_mib } => {
                format!("el archivo pasa de {limit_mib} MiB: divídalo en varios")
            }
            ExternalLinkBroken { url, status } => format!(
                "el enlace externo `{url}` responde con el error {status}: corríjalo o quítelo"
            ),
            ExternalLinkUnreachable { url, detail } => {
                format!("no se pudo abrir el enlace externo `{url}` ({detail})")
            }
            Offline { links } => format!(
                "sin conexión: no se comprobó ninguno de los {links} enlaces externos; \
                 vuelva a ejecutar `boletin check --externos` con internet"
            ),
            HtmlRemoved { what } => format!(
                "se quitó {what}: el HTML de un boletín no puede ejecutar código; \
                 borre esa parte para que este aviso desaparezca"
            ),
            UnknownTheme { name } => format!(
                "el tema `{name}` no existe: cree la carpeta `themes/{name}/` o quite `tema` \
                 para usar el tema incorporado"
            ),
            ShortcodeSyntax { detail } => format!("atajo mal escrito: {detail}"),
            HtmlTooDeep { limit } => format!(
                "el HTML queda anidado a más de {limit} niveles (elementos dentro de \
                 elementos, contando las citas `>` y las listas): cierre cada etiqueta que abre, \
                 por ejemplo `<div>` con `</div>`, o simplifique la estructura"
            ),
            ShortcodeTooDeep {
                shortcode,
                argument,
                limit,
            } => format!(
                "el argumento `{argument}` del atajo `{shortcode}` tiene listas dentro de listas \
                 a más de {limit} niveles: escriba una lista sencilla, por ejemplo \
                 {argument}=[\"a\", \"b\"]"
            ),
            ShortcodeTooManyArguments { shortcode, limit } => format!(
                "el atajo `{shortcode}` tiene más de {limit} argumentos: escriba solo los que \
                 usa, cada uno una vez"
            ),
            UnknownShortcode {
                name,
                suggestion: Some(s),
                ..
            } => {
                format!("atajo desconocido `{name}`: ¿quiso decir `{s}`?")
            }
            UnknownShortcode {
                name,
                suggestion: None,
                known,
            } => format!(
                "atajo desconocido `{name}`: los atajos disponibles son {}",
                quoted_list(&known.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            ),
            UnknownShortcodeArgument {
                shortcode,
                argument,
                suggestion: Some(s),
            } => format!(
                "el atajo `{shortcode}` no tiene el argumento `{argument}`: ¿quiso decir `{s}`?"
            ),
            UnknownShortcodeArgument {
                shortcode,
                argument,
                suggestion: None,
            } => {
                format!("el atajo `{shortcode}` no tiene el argumento `{argument}`")
            }
            MissingShortcodeArgument {
                shortcode,
                argument,
            } => {
                format!("al atajo `{shortcode}` le falta el argumento obligatorio `{argument}`")
            }
            ImageNotFound { path } => format!(
                "no se encuentra la imagen `{path}`: la ruta es relativa a `content/` \
                 (por ejemplo imagenes/foto.jpg) o a la carpeta del boletín"
            ),
            ImageNotPublished { reason } => format!("esta imagen no se publicará: {reason}"),
            ImageInvalid { path, reason } => {
                format!("la imagen `{path}` no se puede publicar: {reason}")
            }
            ImageWithoutAlt { hint } => format!(
                "la imagen no tiene texto alternativo: describa lo que muestra para quien no \
                 puede verla; {hint}"
            ),
            SymlinkRefused => "es un enlace simbólico: boletin no los sigue, para que nada de \
                fuera del sitio se publique por error; ponga aquí el archivo mismo"
                .into(),
            ControlCharacter { code } => format!(
                "hay un carácter de control invisible (U+{code:04X}) que rompería los canales y \
                 los gráficos del sitio: bórrelo (suele llegar al pegar texto de un PDF o de un \
                 procesador de textos)"
            ),
            NulByte => "el archivo tiene un carácter nulo (byte 0): no es texto, o se dañó al \
                guardarlo; ábralo y vuelva a guardarlo como texto UTF-8"
                .into(),
            ExternalImage { url } => format!(
                "la imagen `{url}` está fuera del sitio, y el sitio no hace pedidos a otros \
                 servidores: guarde el archivo en `content/imagenes/` (si tiene permiso para \
                 publicarlo) y escriba su ruta"
            ),
            AssetPathTaken { url, other } => format!(
                "este archivo se publicaría en `{url}`, que ya usa `{other}`: cambie el nombre \
                 de uno de los dos"
            ),
            BrokenInternalLink {
                target,
                suggestion: Some(s),
            } => {
                format!(
                    "el enlace `{target}` apunta a un contenido que no existe: ¿quiso decir `{s}`?"
                )
            }
            BrokenInternalLink {
                target,
                suggestion: None,
            } => {
                format!("el enlace `{target}` apunta a un contenido que no existe")
            }
            BrokenAnchor { target, anchor } => {
                format!("`{target}` no tiene un título con el ancla `#{anchor}`")
            }
            Template { detail } => format!("error en la plantilla: {detail}"),
            OutputRefused { path, reason } => {
                format!("no se usará `{path}` como carpeta de salida: {reason}")
            }
            DiskFull {
                path,
                megabytes,
                quota,
            } => {
                let what = if *quota {
                    "se agotó su cuota de disco"
                } else {
                    "el disco está lleno"
                };
                match megabytes {
                    0 => format!("{what}: libere espacio en `{path}`"),
                    n => format!("{what}: hacen falta unos {n} MB libres en `{path}`"),
                }
            }
            OutputUnwritable { path, reason } => {
                format!("no se pudo escribir en `{path}`: {reason}")
            }
            WaitingForBuild { path } => {
                format!("esperando a que termine otra construcción de `{path}`…")
            }
            FileExists { path } => {
                format!("`{path}` ya existe y no se sobrescribe: elija otro título")
            }
            FolderNotEmpty { path } => {
                format!("la carpeta `{path}` no está vacía: elija una carpeta nueva o vacía")
            }
        }
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
