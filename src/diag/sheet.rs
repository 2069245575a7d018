//! Problems of spreadsheets (CSV, XLSX, ODS) and of the files of `content/datos/`, with their
//! Spanish wording beside them: the one room of problems apart from `problem.rs` and
//! `messages.rs`, because the readers in `data/csv_text.rs`, `data/workbook.rs` and
//! `data/sheets.rs` are the only ones that raise them, and an editor's spreadsheet habits
//! (Excel's saves, merged cells, formulas) are what they explain. They reach editors as
//! `Problem::Sheet`, placed at a `file:line:column` for CSV or at a sheet and cell.

use super::messages::quoted_list;

/// What is wrong with a spreadsheet or a data file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SheetProblem {
    /// A workbook's number cell where the schema wants a code that may start with zeros.
    CodeAsNumber {
        /// The field.
        field: String,
    },
    /// A CSV file that is not UTF-8 (Excel's plain «CSV» save is Windows-1252).
    CsvNotUtf8,
    /// The CSV reader gave up.
    CsvMalformed {
        /// What it said.
        detail: String,
    },
    /// A spreadsheet row has a value beyond the last named column.
    CellWithoutHeader,
    /// A header cell is empty but its column has values.
    EmptyHeader,
    /// Two header cells name the same field.
    DuplicateHeader {
        /// The name.
        name: String,
        /// Where it first appears (`B1`).
        first: String,
    },
    /// A merged cell in the header row.
    MergedHeader,
    /// A formula without a stored result.
    FormulaWithoutValue {
        /// The formula.
        formula: String,
    },
    /// A cell holding a spreadsheet error (`#DIV/0!`).
    CellError {
        /// The error as the spreadsheet shows it.
        error: String,
    },
    /// A cell that looks like a number but is not written as the site writes numbers.
    BadNumber {
        /// The text.
        value: String,
        /// The same number as this site's locale writes it, as an example.
        example: String,
    },
    /// `hoja:` names a sheet the workbook does not have.
    SheetNotFound {
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        available: Vec<String>,
    },
    /// Sheets of a workbook that are not read (a warning).
    SheetsNotRead {
        /// The sheet read.
        read: String,
        /// The others.
        others: Vec<String>,
    },
    /// The sheet has no header row.
    EmptySheet {
        /// The sheet (empty for CSV).
        sheet: String,
    },
    /// The workbook could not be opened.
    WorkbookUnreadable {
        /// What the reader said.
        detail: String,
    },
    /// Two files give rows to one dataset.
    TwoFilesOneDataset {
        /// The dataset id.
        id: String,
        /// Both files.
        files: Vec<String>,
    },
    /// A file in `content/datos/` that boletin does not read (a warning).
    DataFileNotRead,
    /// A `metadatos` sheet without its two columns `campo` and `valor`.
    MetadataSheetShape,
    /// A workbook sheet with hidden rows or columns, which are read and published anyway.
    HiddenCells {
        /// The sheet.
        sheet: String,
        /// Hidden rows, 1-based.
        rows: Vec<usize>,
        /// Hidden columns, as letters.
        columns: Vec<String>,
    },
    /// A field of a dataset's metadata that a `metadatos` sheet cannot hold (a list or a
    /// mapping: `correcciones`, `cobertura`; or `hoja`, which says where the rows are).
    MetadataSheetYamlOnly {
        /// The field.
        field: String,
        /// The sidecar that can hold it: `content/datos/<id>.yaml`.
        sidecar: String,
    },
}

impl SheetProblem {
    /// True for problems that do not stop the build.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            SheetProblem::SheetsNotRead { .. }
                | SheetProblem::DataFileNotRead
                | SheetProblem::HiddenCells { .. }
        )
    }

    /// The message shown to editors, with how to fix it.
    pub fn message(&self) -> String {
        use SheetProblem::*;
        match self {
            CodeAsNumber { field } => format!(
                "`{field}` es un código que puede empezar con ceros, pero esta celda es un \
                 número (el cero inicial ya se perdió): dé a la columna formato de texto y \
                 escriba el código de nuevo"
            ),
            CsvNotUtf8 => "el archivo CSV no está en UTF-8 (el «CSV» de Excel se guarda en \
                Windows-1252 y las tildes se pierden): en Excel use Archivo › Guardar como › \
                «CSV UTF-8 (delimitado por comas)»; en LibreOffice, el juego de caracteres \
                «Unicode (UTF-8)»"
                .into(),
            CsvMalformed { detail } => format!("CSV mal formado: {detail}"),
            CellWithoutHeader => "esta celda tiene un valor pero su columna no tiene nombre en \
                la primera fila: escriba el nombre del campo en la primera fila o borre el valor"
                .into(),
            EmptyHeader => "columna sin nombre en la primera fila: escriba el nombre del campo \
                (la primera fila nombra los campos) o borre la columna"
                .into(),
            DuplicateHeader { name, first } => format!(
                "la columna `{name}` ya está en {first}: cada campo se nombra una sola vez en la \
                 primera fila"
            ),
            MergedHeader => "celda combinada en la primera fila: separe las celdas (Inicio › \
                Combinar y centrar › Separar celdas) y dé a cada columna su propio nombre"
                .into(),
            FormulaWithoutValue { formula } => format!(
                "la fórmula `={formula}` no tiene un valor guardado: abra el archivo en Excel o \
                 LibreOffice y guárdelo de nuevo (así se guarda el resultado), o escriba el valor"
            ),
            CellError { error } => format!(
                "la celda muestra el error `{error}`: corrija la fórmula o escriba el valor"
            ),
            BadNumber { value, example } => format!(
                "`{value}` parece un número pero no está escrito como este sitio los escribe: \
                 use `1234.5` o `{example}`, sin espacios ni otros signos"
            ),
            SheetNotFound { sheet, available } => format!(
                "el libro no tiene la hoja `{sheet}` que pide `hoja`: sus hojas son {}",
                quoted_list(available)
            ),
            SheetsNotRead { read, others } => format!(
                "solo se leen las filas de la hoja `{read}`; no se leen {}: para leer otra hoja, \
                 escriba `hoja: NOMBRE` en el archivo .yaml del mismo nombre",
                quoted_list(others)
            ),
            EmptySheet { sheet } if sheet.is_empty() => "el archivo no tiene filas: la primera \
                fila nombra los campos y cada fila siguiente es un registro"
                .into(),
            EmptySheet { sheet } => format!(
                "la hoja `{sheet}` no tiene filas: la primera fila nombra los campos y cada fila \
                 siguiente es un registro"
            ),
            WorkbookUnreadable { detail } => format!(
                "no se pudo abrir el libro ({detail}): ¿está dañado o protegido con contraseña? \
                 Ábralo y guárdelo de nuevo como .xlsx u .ods, sin contraseña"
            ),
            TwoFilesOneDataset { id, files } => format!(
                "dos archivos dan filas al conjunto de datos `{id}`: {}; deje las filas en uno \
                 solo (un .yaml junto a una hoja de cálculo solo puede tener metadatos, sin \
                 `filas`)",
                quoted_list(files)
            ),
            DataFileNotRead => "boletin no lee este archivo: los datos son archivos .yaml, \
                .csv, .xlsx u .ods (y el mapa que nombra `mapa`); si no es un dato, sáquelo de \
                `content/datos/`"
                .into(),
            MetadataSheetShape => "la hoja `metadatos` debe tener dos columnas, `campo` y \
                `valor`, con un campo por fila (`titulo`, `descripcion`, `fuente`, `nota`, \
                `licencia`, `actualizado`, `total.COLUMNA`, `campos_privados`)"
                .into(),
            HiddenCells {
                sheet,
                rows,
                columns,
            } => {
                let mut parts = Vec::new();
                if !rows.is_empty() {
                    let list: Vec<String> = rows.iter().map(ToString::to_string).collect();
                    parts.push(format!("filas ocultas ({})", list.join(", ")));
                }
                if !columns.is_empty() {
                    parts.push(format!("columnas ocultas ({})", columns.join(", ")));
                }
                format!(
                    "la hoja `{sheet}` tiene {}: boletin las lee y las publica como las demás; \
                     muéstrelas para revisar lo que se publicará, o bórrelas si no deben \
                     publicarse",
                    parts.join(" y ")
                )
            }
            MetadataSheetYamlOnly { field, sidecar } => format!(
                "`{field}` no se puede escribir en la hoja `metadatos`: escríbalo en `{sidecar}` \
                 (un archivo .yaml junto al libro, con el mismo nombre y sin `filas`) y borre \
                 esta fila"
            ),
        }
    }
}
