//! Every editor-facing problem, one variant each: what went wrong, with the values the
//! message needs. The Spanish wording of each lives in `messages.rs`, the only place with
//! message text besides `sheet.rs`, which holds spreadsheets' problems and their wording
//! together: tests assert on it, and a translation or a rewording happens there.

use super::sheet::SheetProblem;

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
    /// A value of the wrong type written as editors often do (`1,5`, `sí`), with its fix.
    WrongValue {
        /// The key.
        field: String,
        /// What the schema wants, in Spanish.
        expected: String,
        /// The value as written.
        value: String,
        /// How to write it.
        fix: String,
    },
    /// A correction dated before the document it corrects.
    CorrectionBeforeDate {
        /// The correction's date, in words.
        date: String,
        /// The document's `fecha`, in words.
        published: String,
    },
    /// A correction dated after today.
    CorrectionInFuture {
        /// The correction's date, in words.
        date: String,
    },
    /// An `alias` that is not a path of this site.
    InvalidAlias {
        /// As written.
        value: String,
    },
    /// An `alias` that is already the address of something else.
    AliasTaken {
        /// The address.
        url: String,
        /// What has it.
        other: String,
    },
    /// A file edited while the build was reading it.
    ChangedDuringBuild,
    /// A character from a word processor where YAML wants its own punctuation.
    Lookalike {
        /// Its Spanish name.
        name: String,
        /// How to write it instead.
        fix: String,
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
        /// Line of the first row summed.
        first_line: usize,
        /// Line of the last row summed.
        last_line: usize,
    },
    /// A data row with a field whose name is a number (`{tasa: 1,5}` gives a field `5`).
    NumericFieldName {
        /// The field as read.
        field: String,
    },
    /// A text cell in a column of numbers.
    TextInNumbers {
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// A data row with a field no other row of its dataset has.
    LoneField {
        /// The field.
        field: String,
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
    /// A data key taken as a private name although it differs from it in case or spaces
    /// (a warning: it is not published, and the editor should know why).
    PrivateFieldSpelling {
        /// The key as written.
        key: String,
        /// The private name it matched.
        name: String,
    },
    /// The GeoJSON map is there but cannot be read (bad JSON, or nested too deep), at its
    /// place.
    MapUnreadable {
        /// Why, in Spanish.
        reason: String,
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
    /// Typst could not typeset a bulletin's PDF (escaping should make this impossible for
    /// anything an editor writes).
    PdfFailed {
        /// Typst's message.
        detail: String,
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
    /// A spreadsheet's problem (CSV, XLSX, ODS): `sheet.rs`.
    Sheet(SheetProblem),
    /// A document the previous build of this output published at another address, with no
    /// `alias` keeping that address (a warning).
    AddressChanged {
        /// A page rather than a bulletin.
        page: bool,
        /// The address the previous build published it at.
        old: String,
        /// Its address now.
        new: String,
        /// The `alias` line to write (with the aliases it already has).
        line: String,
    },
    /// A column a chart or a sum needs numbers from holds something else: reported at the
    /// shortcode's argument, naming the first such value and its own place in the data file.
    NotNumeric {
        /// The dataset.
        dataset: String,
        /// The column.
        column: String,
        /// The first value that is not a number, as written.
        value: String,
        /// Its place: `content/datos/x.yaml:7:15` or `content/datos/x.xlsx:Hoja!C7`.
        cell: String,
    },
    /// A link or image in a body (Markdown or raw HTML) whose scheme could run script or is
    /// not one readers can follow (`javascript:`, `data:`, `vbscript:`, …).
    UnsafeBodyLink {
        /// The address as written.
        url: String,
        /// Where it was written: `este enlace`, `esta imagen`, the attribute (`` `href` ``).
        place: String,
        /// It is an image's address (only a file of the site can be one).
        image: bool,
    },
    /// Two inputs whose paths differ only by letter case or Unicode normalisation: one file
    /// on macOS, Windows and most hosts.
    NameTwin {
        /// The other file, as shown.
        other: String,
    },
    /// `pdf: true` in a program built without the `pdf` cargo feature (no Typst inside).
    PdfNotBuiltIn,
}

impl Problem {
    /// True for problems that do not stop the build.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Problem::HtmlRemoved { .. }
                | Problem::Sheet(
                    SheetProblem::SheetsNotRead { .. }
                        | SheetProblem::DataFileNotRead
                        | SheetProblem::HiddenCells { .. }
                )
                | Problem::ExternalLinkUnreachable { .. }
                | Problem::Offline { .. }
                | Problem::TerritoryWithoutShape { .. }
                | Problem::ShapeWithoutTerritory { .. }
                | Problem::PointOutsideTerritory { .. }
                | Problem::ImageNotPublished { .. }
                | Problem::PrivateFieldSpelling { .. }
                | Problem::WaitingForBuild { .. }
                | Problem::AddressChanged { .. }
        )
    }
}
