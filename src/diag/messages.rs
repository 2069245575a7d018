//! The Spanish wording of every [`Problem`]: what happened and how to fix it. This and
//! `sheet.rs` (spreadsheets' problems) are the only places with message text; tests assert
//! on it, and a translation or a rewording happens here and nowhere else.

use super::Problem;

/// Why `{tasa: 1,5}` becomes two fields, and the fix.
const COMMA_HINT: &str = "en una fila `{…}`, `1,5` se parte en dos campos (`1` y `5`): este \
    sitio escribe los decimales con punto, `1.5`";

impl Problem {
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
            CorrectionBeforeDate { date, published } => format!(
                "la corrección del {date} es anterior a la fecha del boletín ({published}): \
                 una corrección va después de lo que corrige; revise su `fecha`"
            ),
            CorrectionInFuture { date } => format!(
                "la corrección del {date} es una fecha futura: anote la corrección el día en que \
                 la hace"
            ),
            InvalidAlias { value } => format!(
                "`alias` no válido: `{value}`; escriba la dirección antigua como una ruta del \
                 sitio, en minúsculas, por ejemplo `/boletines/nombre-anterior/`"
            ),
            AliasTaken { url, other } => format!(
                "el `alias` `{url}` ya es la dirección de {other}: quítelo o escriba la \
                 dirección antigua correcta"
            ),
            ChangedDuringBuild => "el archivo cambió mientras se construía el sitio: \
                 guárdelo y vuelva a construir"
                .into(),
            Lookalike { name, fix } => {
                format!("aquí hay {name}, que YAML no entiende como su puntuación: {fix}")
            }
            WrongType { field, expected } => format!("el campo `{field}` debe ser {expected}"),
            WrongValue {
                field,
                expected,
                value,
                fix,
            } => format!("el campo `{field}` debe ser {expected}: `{value}` no lo es; {fix}"),
            EmptyField { field } => format!("el campo `{field}` está vacío: escriba un valor"),
            InvalidDate { field, value } => match day_month_year(value) {
                Some(iso) => format!(
                    "fecha no válida en `{field}`: `{value}`; las fechas se escriben \
                     AAAA-MM-DD: escriba `{iso}`"
                ),
                None => format!(
                    "fecha no válida en `{field}`: `{value}` no es una fecha que exista; \
                     use el formato AAAA-MM-DD, por ejemplo 2018-07-31"
                ),
            },
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
                first_line,
                last_line,
            } => format!(
                "el total de `{column}` no cuadra: total declarado {declared}, suma de las filas \
                 {sum} (filas de las líneas {first_line} a {last_line}): revise esas filas antes \
                 de cambiar el total"
            ),
            NumericFieldName { field } => format!(
                "la fila tiene un campo llamado `{field}`: un nombre de campo no puede ser un \
                 número; {COMMA_HINT}"
            ),
            TextInNumbers { column, value } => format!(
                "`{column}` es una columna de números, pero esta celda dice `{value}`, que es \
                 un texto y no entra en sumas, totales ni gráficos: escriba la cifra sin \
                 comillas (`3`, `1.5`) o deje la celda vacía si no hay dato"
            ),
            LoneField { field } => format!(
                "el campo `{field}` solo aparece en esta fila: revise si está mal escrito; \
                 {COMMA_HINT}"
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
            PrivateFieldSpelling { key, name } => format!(
                "el campo `{key}` no se publica: se lee como el campo privado `{name}` (las \
                 mayúsculas y los espacios no cuentan); escríbalo `{name}` para que se vea que es \
                 privado"
            ),
            MapUnreadable { reason } => format!("no se pudo leer el mapa: {reason}"),
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
            PdfFailed { detail } => format!(
                "no se pudo componer el PDF de este boletín ({detail}); escriba \
                 `pdf: false` en su cabecera para publicarlo sin PDF y avise al equipo técnico"
            ),
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
            Sheet(problem) => problem.message(),
            AddressChanged {
                page,
                old,
                new,
                line,
            } => format!(
                "{} se publicó en `{old}` y ahora se publica en `{new}`: los enlaces ya \
                 compartidos a la dirección anterior dejarán de funcionar; para que sigan \
                 llevando aquí, escriba en su encabezado `{line}`",
                if *page {
                    "esta página"
                } else {
                    "este boletín"
                }
            ),
            NotNumeric {
                dataset,
                column,
                value,
                cell,
            } => format!(
                "la columna `{column}` de `{dataset}` debe tener números para poder graficarla o \
                 sumarla, pero en {cell} dice `{value}`: escriba allí la cifra (`3`, `1.5`) o \
                 deje la celda vacía si no hay dato"
            ),
            UnsafeBodyLink { url, place, image } => {
                let write = if *image {
                    "guarde la imagen en `content/imagenes/` y escriba su ruta \
                     (![descripción](imagenes/foto.jpg))"
                } else {
                    "escriba una dirección que empiece por https://, http://, mailto: o tel:, \
                     una ruta del sitio (/…) o un enlace interno (@/…)"
                };
                format!(
                    "la dirección `{url}` de {place} no se publica, porque podría ejecutar \
                     código en el navegador de quien lee: {write}"
                )
            }
            NameTwin { other } => format!(
                "este nombre solo se distingue de `{other}` por mayúsculas, minúsculas o la \
                 forma de escribir las tildes: en Windows, macOS y muchos servidores serían un \
                 mismo archivo y uno reemplazaría al otro; cambie el nombre de uno de los dos"
            ),
            PdfNotBuiltIn => "este programa se compiló sin PDF (sin la característica `pdf`), así \
                              que no puede componer los PDF que pide `pdf: true`: escriba \
                              `pdf: false` o compile el programa con ella (`cargo build \
                              --release`, que la incluye por defecto)"
                .to_string(),
        }
    }
}

pub(super) fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `31/07/2018` (or `31-07-2018`, `31.07.2018`), as Peru writes dates, in the form files
/// take: `2018-07-31`.
fn day_month_year(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.trim().split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (u8, u8, u16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m) && y >= 1000)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}
