//! Shortcodes: `{{ name(arg=value, …) }}` calls in Markdown, found with their byte spans.
//!
//! The scanner runs on the Markdown body and skips code spans and code blocks (their ranges
//! come from the Markdown parser), so a shortcode written inside backticks stays literal.
//! Each shortcode's arguments are checked against [`SPECS`] here, before anything renders.

use crate::diag::{Problem, suggest};
use std::ops::Range;

/// A shortcode and the arguments it takes: (name, required, optional).
pub const SPECS: &[(&str, &[&str], &[&str])] = &[
    (
        "figura",
        &["imagen", "alt"],
        &["pie", "credito", "decorativa"],
    ),
    (
        "tabla",
        &["datos"],
        &["columnas", "titulo", "encabezados", "total"],
    ),
    (
        "grafico",
        &["datos", "x"],
        &[
            "y",
            "tipo",
            "titulo",
            "acumulado",
            "series",
            "descripcion",
            "por_mes",
        ],
    ),
    ("cifra", &["datos"], &["suma", "donde", "decimales"]),
    (
        "mapa",
        &[],
        &["datos", "valor", "territorio", "titulo", "unidad"],
    ),
];

/// Names of all shortcodes, for messages.
pub const NAMES: [&str; 5] = ["figura", "tabla", "grafico", "cifra", "mapa"];

/// How deep lists may nest inside one argument (`[[…]]`). Values are read recursively, and
/// an unbounded depth overflowed the stack (a build abort, a dead `serve`); no shortcode
/// uses more than two levels.
pub const MAX_LIST_DEPTH: usize = 32;

/// How many arguments one call may have. No shortcode takes more than nine; without a bound
/// a call with 100,000 unknown arguments made as many errors, each printing the whole line.
pub const MAX_ARGUMENTS: usize = 64;

/// An argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// `"texto"`
    Str(String),
    /// `12` or `3.5`
    Num(f64),
    /// `true` / `false`
    Bool(bool),
    /// `[a, b]`
    List(Vec<ArgValue>),
}

impl ArgValue {
    /// The value as text, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ArgValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One call found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    /// The name.
    pub name: String,
    /// Arguments in the order written, with the body offset of each name.
    pub args: Vec<(String, ArgValue, usize)>,
    /// Byte range of the whole call in the body.
    pub span: Range<usize>,
}

impl Shortcode {
    /// The value of an argument.
    pub fn arg(&self, name: &str) -> Option<&ArgValue> {
        self.args
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, _)| v)
    }

    /// A list of texts (a single text counts as a list of one).
    pub fn text_list(&self, name: &str) -> Option<Vec<String>> {
        match self.arg(name)? {
            ArgValue::Str(s) => Some(vec![s.clone()]),
            ArgValue::List(items) => Some(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(String::from))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The text value of an argument.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, v, _)| v.as_str())
    }
}

/// A problem at a body offset.
pub type Located = (usize, Problem);

/// Finds every call outside `code` ranges; malformed or unknown calls become problems.
pub fn scan(body: &str, code: &[Range<usize>]) -> (Vec<Shortcode>, Vec<Located>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut from = 0;
    let finder = memchr::memmem::Finder::new(b"{{");
    while let Some(rel) = finder.find(&body.as_bytes()[from..]) {
        let start = from + rel;
        if let Some(r) = code.iter().find(|r| r.contains(&start)) {
            from = r.end.max(start + 2);
            continue;
        }
        match parse_call(body, start) {
            Ok(Some(sc)) => {
                from = sc.span.end;
                problems.extend(check(&sc));
                found.push(sc);
            }
            Ok(None) => from = start + 2,
            Err(p) => {
                problems.push(p);
                from = start + 2;
            }
        }
    }
    (found, problems)
}

/// Checks a call's name and arguments against [`SPECS`].
pub fn check(sc: &Shortcode) -> Vec<Located> {
    let Some((_, required, optional)) = SPECS.iter().find(|(n, _, _)| *n == sc.name) else {
        let suggestion = suggest(&sc.name, NAMES);
        return vec![(
            sc.span.start,
            Problem::UnknownShortcode {
                name: sc.name.clone(),
                suggestion,
                known: &NAMES,
            },
        )];
    };
    let mut problems = Vec::new();
    let known = || required.iter().chain(optional.iter()).copied();
    for (arg, _, at) in &sc.args {
        if !known().any(|k| k == arg) {
            problems.push((
                *at,
                Problem::UnknownShortcodeArgument {
                    shortcode: sc.name.clone(),
                    argument: arg.clone(),
                    suggestion: suggest(arg, known()),
                },
            ));
        }
    }
    for req in *required {
        if !sc.args.iter().any(|(n, _, _)| n == req) {
            problems.push((
                sc.span.start,
                Problem::MissingShortcodeArgument {
                    shortcode: sc.name.clone(),
                    argument: req.to_string(),
                },
            ));
        }
    }
    problems
}

/// A cursor over the body; errors carry the offset where reading failed.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
    fn skip_ws(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c == ' ' || c == '\t' || c == '\n')
        {
            self.pos += 1;
        }
    }
    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        self.pos += len;
        Some(rest[..len].to_string())
    }
    fn fail(&self, detail: &str) -> Located {
        (
            self.pos,
            Problem::ShortcodeSyntax {
                detail: detail.into(),
            },
        )
    }
}

/// `Ok(None)` when `{{` does not start a call (plain text); `Err` when a call is malformed.
fn parse_call(body: &str, start: usize) -> Result<Option<Shortcode>, Located> {
    let mut c = Cursor {
        text: body,
        pos: start + 2,
    };
    c.skip_ws();
    let Some(name) = c.ident() else {
        return Ok(None);
    };
    c.skip_ws();
    if !c.eat("(") {
        return Ok(None);
    }
    let mut args = Vec::new();
    loop {
        c.skip_ws();
        if c.eat(")") {
            break;
        }
        let at = c.pos;
        if args.len() == MAX_ARGUMENTS {
            return Err(too_many_arguments(&name, at));
        }
        let arg = c
            .ident()
            .ok_or_else(|| c.fail("se esperaba el nombre de un argumento"))?;
        c.skip_ws();
        if !c.eat("=") {
            return Err(c.fail(&format!("falta `=` después de `{arg}`")));
        }
        c.skip_ws();
        let place = ArgPlace {
            shortcode: &name,
            argument: &arg,
            at,
        };
        let value = parse_value(&mut c, &place, 0)?;
        args.push((arg, value, at));
        c.skip_ws();
        if c.eat(",") {
            continue;
        }
        if !c.eat(")") {
            return Err(c.fail("se esperaba `,` o `)` entre argumentos"));
        }
        break;
    }
    c.skip_ws();
    if !c.eat("}}") {
        return Err(c.fail("falta `}}` al final del atajo"));
    }
    Ok(Some(Shortcode {
        name,
        args,
        span: start..c.pos,
    }))
}

/// The call and argument a value belongs to, for errors about the whole argument.
struct ArgPlace<'a> {
    shortcode: &'a str,
    argument: &'a str,
    /// Body offset of the argument's name.
    at: usize,
}

/// The error for one argument more than [`MAX_ARGUMENTS`], at that argument.
fn too_many_arguments(shortcode: &str, at: usize) -> Located {
    (
        at,
        Problem::ShortcodeTooManyArguments {
            shortcode: shortcode.to_string(),
            limit: MAX_ARGUMENTS,
        },
    )
}

/// A value; `depth` is how many lists enclose it, capped at [`MAX_LIST_DEPTH`] so that the
/// recursion stays far from the stack's end.
fn parse_value(
    c: &mut Cursor<'_>,
    place: &ArgPlace<'_>,
    depth: usize,
) -> Result<ArgValue, Located> {
    match c.peek() {
        Some('"') => parse_string(c).map(ArgValue::Str),
        Some('[') if depth == MAX_LIST_DEPTH => Err((
            place.at,
            Problem::ShortcodeTooDeep {
                shortcode: place.shortcode.to_string(),
                argument: place.argument.to_string(),
                limit: MAX_LIST_DEPTH,
            },
        )),
        Some('[') => parse_list(c, place, depth + 1),
        _ => {
            let rest = &c.text[c.pos..];
            let len = rest
                .find(|ch: char| {
                    !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' || ch == '_')
                })
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let value = match word {
                "true" => ArgValue::Bool(true),
                "false" => ArgValue::Bool(false),
                _ => ArgValue::Num(word.parse().map_err(|_| {
                    c.fail("un valor debe ir entre comillas dobles (\"…\"), o ser un número, true o false")
                })?),
            };
            c.pos += len;
            Ok(value)
        }
    }
}

/// A list after its `[`; `depth` counts this list.
fn parse_list(c: &mut Cursor<'_>, place: &ArgPlace<'_>, depth: usize) -> Result<ArgValue, Located> {
    c.pos += 1;
    let mut items = Vec::new();
    loop {
        c.skip_ws();
        if c.eat("]") {
            return Ok(ArgValue::List(items));
        }
        items.push(parse_value(c, place, depth)?);
        c.skip_ws();
        if !c.eat(",") && c.peek() != Some(']') {
            return Err(c.fail("se esperaba `,` o `]` en la lista"));
        }
    }
}

fn parse_string(c: &mut Cursor<'_>) -> Result<String, Located> {
    let open = c.pos;
    c.pos += 1;
    let mut out = String::new();
    let mut chars = c.text[c.pos..].char_indices();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '"' => {
                c.pos += i + 1;
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            _ => out.push(ch),
        }
    }
    c.pos = open;
    Err(c.fail("falta cerrar las comillas"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_with_arguments() {
        let body = "Antes\n\n{{ figura(imagen=\"a.jpg\", alt=\"Un \\\"patio\\\"\") }}\n";
        let (found, problems) = scan(body, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found[0].name, "figura");
        assert_eq!(found[0].text("alt"), Some("Un \"patio\""));
        assert_eq!(&body[found[0].span.clone()], &body[7..body.len() - 1]);
    }

    #[test]
    fn code_ranges_stay_literal_and_plain_braces_are_text() {
        let body = "`{{ figura(x=1) }}` y {{ no es atajo }}";
        let code: Vec<Range<usize>> = std::iter::once(0..19).collect();
        let (found, problems) = scan(body, &code);
        assert!(found.is_empty());
        assert!(problems.is_empty());
    }

    #[test]
    fn unknown_names_and_arguments_are_reported() {
        let (_, p) = scan("{{ figure(imagen=\"a\", alt=\"b\") }}", &[]);
        assert_eq!(
            p[0].1.message(),
            "atajo desconocido `figure`: ¿quiso decir `figura`?"
        );
        let (_, p) = scan("{{ figura(imagen=\"a\", alt=\"b\", pei=\"c\") }}", &[]);
        assert_eq!(
            p[0].1.message(),
            "el atajo `figura` no tiene el argumento `pei`: ¿quiso decir `pie`?"
        );
        let (_, p) = scan("{{ figura(imagen=\"a\") }}", &[]);
        assert_eq!(
            p[0].1.message(),
            "al atajo `figura` le falta el argumento obligatorio `alt`"
        );
    }

    #[test]
    fn malformed_calls_are_errors() {
        let (_, p) = scan("{{ figura(imagen=a.jpg) }}", &[]);
        assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }));
        let (_, p) = scan("{{ figura(imagen=\"a.jpg\") ", &[]);
        assert!(matches!(p[0].1, Problem::ShortcodeSyntax { .. }));
    }

    /// Runs `f` on a thread with the default 2 MiB stack, as rayon's workers have: deep
    /// recursion there aborts the process instead of failing one test quietly.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(f)
            .and_then(|t| t.join().map_err(|_| std::io::Error::other("panicked")))
            .expect("thread")
    }

    #[test]
    fn list_nesting_10000_deep_is_an_error_not_a_stack_overflow() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for (call, argument) in [
            ("{{ tabla(datos=\"x\", columnas=", "columnas"),
            ("{{ cifra(datos=\"x\", donde=", "donde"),
            ("{{ grafico(datos=\"x\", x=\"a\", y=", "y"),
        ] {
            let body = format!("{call}{}) }}}}", deep(10_000));
            let (found, p) = on_small_stack(move || scan(&body, &[]));
            assert!(found.is_empty());
            assert_eq!(p.len(), 1, "{p:?}");
            let at = call.rfind(argument).expect("argument");
            assert_eq!(p[0].0, at);
            assert!(matches!(p[0].1, Problem::ShortcodeTooDeep { .. }), "{p:?}");
        }
        let (_, p) = scan(
            &format!("{{{{ cifra(datos=\"x\", donde={}) }}}}", deep(33)),
            &[],
        );
        assert_eq!(
            p[0].1.message(),
            "el argumento `donde` del atajo `cifra` tiene listas dentro de listas a más de 32 \
             niveles: escriba una lista sencilla, por ejemplo donde=[\"a\", \"b\"]"
        );
        let (found, p) = scan(
            &format!("{{{{ cifra(datos=\"x\", donde={}) }}}}", deep(32)),
            &[],
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn a_call_with_100000_arguments_is_one_error() {
        let args: Vec<String> = (0..100_000).map(|i| format!("a{i}=1")).collect();
        let body = format!(
            "{{{{ figura(imagen=\"a.jpg\", alt=\"x\", {}) }}}}",
            args.join(", ")
        );
        let (found, p) = scan(&body, &[]);
        assert!(found.is_empty());
        assert_eq!(p.len(), 1, "{:?}", &p[..p.len().min(3)]);
        let at = body
            .find(&format!(" a{}=", MAX_ARGUMENTS - 2))
            .expect("argument")
            + 1;
        assert_eq!(p[0].0, at);
        assert_eq!(
            p[0].1.message(),
            "el atajo `figura` tiene más de 64 argumentos: escriba solo los que usa, cada uno una vez"
        );
        // The largest call a shortcode can need still reads.
        let all = "datos=\"d\", x=\"a\", y=\"b\", tipo=\"barras\", titulo=\"t\", acumulado=true, \
                   series=[\"s\"], descripcion=\"d\", por_mes=false";
        let (found, p) = scan(&format!("{{{{ grafico({all}) }}}}"), &[]);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(found[0].args.len(), 9);
    }
}
