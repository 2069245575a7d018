//! The Tera engine: the only module that names Tera. Loads the theme's templates, registers
//! the Spanish filters, and turns Tera's errors into diagnostics at `file:line:column`.

mod vars;

pub use vars::{Prepared, Vars};

use crate::diag::{Diagnostic, Position, Problem};
use crate::format::{NumberFormat, long_date, parse_date};
use crate::theme::Theme;
use std::collections::BTreeMap;
use tera::{Kwargs, State, Tera, Value};

/// Templates ready to render, with the map from template name to source file.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, String>,
}

impl Templates {
    /// Parses every template of the theme. Autoescape covers HTML, XML and SVG output.
    /// `globals` are visible in every template (`datos`, `agregados`) without being copied
    /// into each page's context.
    ///
    /// With `data`, theme authors also get the functions `cifra(datos=…, …)` and
    /// `grafico(datos=…, x=…, y=…, …)`, with the arguments of the shortcodes. Every
    /// template gets `recurso(ruta=…)`, a static file's published address under `base`
    /// (the site's path, which the data functions' links start with too).
    pub fn new(
        theme: &Theme,
        numbers: NumberFormat,
        globals: &[(&'static str, serde_json::Value)],
        data: Option<std::sync::Arc<crate::data::Data>>,
        base: &str,
    ) -> Result<Self, Diagnostic> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(crate::html::escape_to);
        register_filters(&mut tera, numbers);
        register_asset_function(&mut tera, theme, base);
        if let Some(data) = data {
            register_data_functions(&mut tera, data, numbers, base.to_string());
        }
        for (name, value) in globals {
            tera.global_context().insert(*name, value);
        }
        let files = theme
            .templates
            .iter()
            .map(|(n, (_, f))| (n.clone(), f.clone()))
            .collect();
        let mut templates = Templates {
            tera: Tera::new(),
            files,
        };
        let sources = theme
            .templates
            .iter()
            .map(|(n, (text, _))| (n.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(templates.diagnostic(&e));
        }
        templates.tera = tera;
        Ok(templates)
    }

    /// True when the theme has a template of that name.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders a template with a serialisable context.
    pub fn render(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, &Vars::of(context)?.0)
            .map_err(|e| self.diagnostic(&e))
    }

    /// Renders a template into bytes, for a file: the page is written as it is, so it is
    /// not checked again as UTF-8 (Tera writes only `str`s) nor copied into a `String`.
    /// `capacity` is a guess of its size, to spare the buffer's regrowth.
    pub fn render_bytes(
        &self,
        name: &str,
        vars: Vars,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, &vars.0, &mut out)
            .map_err(|e| self.diagnostic(&e))?;
        Ok(out)
    }

    /// A Tera error as a diagnostic at the template file and line when Tera knows them.
    fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        let located = match report_in_chain(err) {
            Some(r) => Some((
                r.filename().to_string(),
                r.span().start_line,
                r.span().start_col + 1,
                r.message().to_string(),
            )),
            None => located_in_text(&detail),
        };
        let Some((name, line, column, message)) = located else {
            return Diagnostic::global(Problem::Template { detail });
        };
        let file = self.files.get(&name).cloned().unwrap_or(name);
        let position = Position::new(line.max(1), column.max(1));
        Diagnostic::at(file, position, Problem::Template { detail: message })
    }
}

/// Tera reports validation errors (unknown filters, tests, functions) as text in its own
/// format: `error: Unknown filter `x`` then ` --> name:line:column`. Read the first one.
fn located_in_text(text: &str) -> Option<(String, usize, usize, String)> {
    let message = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))?
        .to_string();
    let location = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?.to_string();
    Some((name, line, column, message))
}

/// The first error in the chain that knows its template and span.
fn report_in_chain(err: &tera::Error) -> Option<&tera::ReportError> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tera_err) = e.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) =
                tera_err.kind()
        {
            return Some(r);
        }
        current = e.source();
    }
    None
}

/// `recurso(ruta="css/boletin.css")` → `/css/boletin.3f2a9c1e.css`: the address a static
/// file of the theme is published at (hashed, `theme::is_hashed`), so pages never name a
/// stale copy. An unknown `ruta` is an error that lists the theme's static files.
fn register_asset_function(tera: &mut Tera, theme: &Theme, base: &str) {
    let urls: BTreeMap<String, String> = theme
        .published
        .iter()
        .map(|(path, out)| (path.clone(), format!("{base}{out}")))
        .collect();
    tera.register_function("recurso", move |kwargs: Kwargs, _: &State| {
        let ruta: String = kwargs.must_get("ruta")?;
        match urls.get(ruta.trim_start_matches('/')) {
            Some(url) => Ok(Value::from(url.as_str())),
            None => Err(tera::Error::message(format!(
                "recurso: el tema no tiene el archivo static/{ruta}; sus archivos estáticos son {}",
                urls.keys().cloned().collect::<Vec<_>>().join(", ")
            ))),
        }
    });
}

/// `cifra` and `grafico` for templates: the shortcodes' code, called with keyword arguments.
fn register_data_functions(
    tera: &mut Tera,
    data: std::sync::Arc<crate::data::Data>,
    numbers: NumberFormat,
    base: String,
) {
    let (d, b) = (std::sync::Arc::clone(&data), base.clone());
    tera.register_function("cifra", move |kwargs: Kwargs, _: &State| {
        let call = call_from("cifra", &kwargs)?;
        let ctx = super::figures::Ctx {
            data: &d,
            numbers,
            base: &b,
        };
        super::figures::figure(ctx, &call)
            .map(|html| Value::safe_string(&html))
            .map_err(|p| tera::Error::message(p.message()))
    });
    let (d2, b2) = (std::sync::Arc::clone(&data), base.clone());
    tera.register_function("tabla", move |kwargs: Kwargs, _: &State| {
        let call = call_from("tabla", &kwargs)?;
        let ctx = super::figures::Ctx {
            data: &d2,
            numbers,
            base: &b2,
        };
        super::tables::context(ctx, &call)
            .map(|t| Value::safe_string(&super::tables::html(&t)))
            .map_err(|p| tera::Error::message(p.message()))
    });
    tera.register_function("grafico", move |kwargs: Kwargs, _: &State| {
        let call = call_from("grafico", &kwargs)?;
        let ctx = super::figures::Ctx {
            data: &data,
            numbers,
            base: &base,
        };
        let id = call.text("id").map(String::from).unwrap_or_else(|| {
            format!(
                "grafico-{}-{}",
                call.text("datos").unwrap_or_default(),
                call.text("x").unwrap_or_default()
            )
        });
        let plain = crate::content::shortcode::Shortcode {
            args: call
                .args
                .iter()
                .filter(|(n, _, _)| n != "id")
                .cloned()
                .collect(),
            ..call.clone()
        };
        super::figures::chart(ctx, &plain, &id, "")
            .map(|(_, svg)| Value::safe_string(&svg))
            .map_err(|p| tera::Error::message(p.message()))
    });
}

/// Template keyword arguments as a shortcode call, checked against the shortcode's spec.
fn call_from(
    name: &str,
    kwargs: &Kwargs,
) -> tera::TeraResult<crate::content::shortcode::Shortcode> {
    use crate::content::shortcode::{ArgValue, Shortcode};
    fn arg(v: &Value) -> ArgValue {
        if let Some(s) = v.as_str() {
            ArgValue::Str(s.to_string())
        } else if let Some(b) = v.as_bool() {
            ArgValue::Bool(b)
        } else if let Some(items) = v.as_array() {
            ArgValue::List(items.iter().map(arg).collect())
        } else {
            ArgValue::Num(v.as_f64().unwrap_or_default())
        }
    }
    let args = kwargs
        .iter()
        .filter(|(k, _)| k.as_str() != Some("id"))
        .map(|(k, v)| (k.to_string(), arg(v), 0))
        .collect();
    let call = Shortcode {
        name: name.to_string(),
        args,
        span: 0..0,
    };
    if let Some((_, problem)) = crate::content::shortcode::check(&call).into_iter().next() {
        return Err(tera::Error::message(problem.message()));
    }
    let id = kwargs.get::<String>("id").ok().flatten();
    let mut call = call;
    if let Some(id) = id {
        call.args.push(("id".into(), ArgValue::Str(id), 0));
    }
    Ok(call)
}

/// Tera's `group_by`, with the groups in the order their first item comes in the list. Tera's
/// own collects them in a hash map, so a theme looping over the groups got another order on
/// each build (and the same input must give the same site).
fn group_by(list: &[Value], kwargs: Kwargs, _: &State) -> tera::TeraResult<tera::Map> {
    use tera::value::Key;
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let mut groups: Vec<(Key<'static>, Vec<Value>)> = Vec::new();
    let mut position: std::collections::HashMap<Key<'static>, usize> =
        std::collections::HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(value) = item.get_from_path(attribute) else {
            return Err(tera::Error::message(format!(
                "Value at index {i} (a {}) does not have an attribute at path: {attribute}",
                item.name()
            )));
        };
        if value.is_none() {
            continue;
        }
        let key = if let Some(text) = value.as_str() {
            Key::String(text.into())
        } else if let Some(b) = value.as_bool() {
            Key::Bool(b)
        } else if let Some(n) = value.as_u64() {
            Key::U64(n)
        } else if let Some(n) = value.as_i64() {
            Key::I64(n)
        } else {
            return Err(tera::Error::message("Not a valid key type".to_string()));
        };
        match position.get(&key) {
            Some(&at) => groups[at].1.push(item.clone()),
            None => {
                position.insert(key.clone(), groups.len());
                groups.push((key, vec![item.clone()]));
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect())
}

fn register_filters(tera: &mut Tera, numbers: NumberFormat) {
    tera.register_filter("group_by", group_by);
    // Tera's own `safe` copies the string it marks (a bulletin's whole HTML, on every page);
    // a string is marked in place here (its text is shared), anything else printed and
    // marked as Tera does.
    tera.register_filter("safe", |value: Value, _: Kwargs, _: &State| {
        if value.is_string() {
            value.mark_safe()
        } else {
            Value::safe_string(&value.to_string())
        }
    });
    tera.register_filter("fecha_larga", |value: &str, _: Kwargs, _: &State| {
        parse_date(value).map_or_else(|| value.to_string(), long_date)
    });
    tera.register_filter("numero", move |value: Value, kwargs: Kwargs, _: &State| {
        let decimals = kwargs
            .get::<i64>("decimales")
            .ok()
            .flatten()
            .unwrap_or(2)
            .clamp(0, 10);
        match value.as_f64() {
            Some(n) => numbers.format(n, decimals as usize),
            None => value.to_string(),
        }
    });
}

#[cfg(test)]
mod tests {
    /// `group_by` gives the groups in the order of their first item, on every build, with
    /// the items Tera's own would put in each.
    #[test]
    fn group_by_keeps_the_order_of_first_appearance() {
        let render = |ours: bool| {
            let mut tera = tera::Tera::default();
            if ours {
                let numbers = crate::format::NumberFormat::for_language("es-PE");
                super::register_filters(&mut tera, numbers.expect("es-PE"));
            }
            tera.add_raw_template(
                "t",
                "{% for k, g in items | group_by(attribute=\"anio\") %}{{ k }}:\
                 {% for i in g %}{{ i.n }},{% endfor %};{% endfor %}",
            )
            .unwrap();
            let mut ctx = tera::Context::new();
            let years = [
                2020, 2018, 2019, 2018, 2017, 2020, 2016, 2015, 2014, 2013, 2012,
            ];
            let items: Vec<_> = years
                .iter()
                .enumerate()
                .map(|(n, y)| serde_json::json!({"anio": y, "n": n}))
                .collect();
            ctx.insert("items", &items);
            tera.render("t", &ctx).unwrap()
        };
        assert_eq!(
            render(true),
            "2020:0,5,;2018:1,3,;2019:2,;2017:4,;2016:6,;2015:7,;2014:8,;2013:9,;2012:10,;"
        );
        // Tera's own has the same groups, in some order.
        let mut theirs: Vec<&str> = Vec::new();
        let tera_out = render(false);
        theirs.extend(tera_out.split_terminator(';'));
        theirs.sort_unstable();
        let ours_out = render(true);
        let mut ours: Vec<&str> = ours_out.split_terminator(';').collect();
        ours.sort_unstable();
        assert_eq!(ours, theirs);
    }

    /// The variables a page gets from its parts are those `Context::from_serialize` gave for
    /// one struct flattening them: every field and map entry, the later part winning a name,
    /// and a prepared view's fields extending a struct.
    #[test]
    fn vars_are_the_flattened_parts() {
        use super::{Prepared, Vars};
        use serde::Serialize;
        #[derive(Serialize)]
        struct Card {
            titulo: &'static str,
            n: u32,
        }
        #[derive(Serialize)]
        struct Common {
            ruta: &'static str,
            titulo: &'static str,
        }
        struct Page(Prepared);
        impl Serialize for Page {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut m = s.serialize_struct("Page", self.0.len() + 1)?;
                self.0.fields(&mut m)?;
                m.serialize_field("propio", &true)?;
                m.end()
            }
        }
        #[derive(Serialize)]
        struct Parts {
            boletin: Page,
            lista: Vec<u8>,
        }
        #[derive(Serialize)]
        struct Flat<'a> {
            #[serde(flatten)]
            common: &'a Common,
            #[serde(flatten)]
            map: &'a serde_json::Value,
            #[serde(flatten)]
            parts: &'a Parts,
        }
        let card = || Prepared::new(&Card { titulo: "T", n: 3 });
        let common = Common {
            ruta: "a/",
            titulo: "común",
        };
        let map = serde_json::json!({"titulo": "del mapa", "x": [1, 2]});
        let parts = Parts {
            boletin: Page(card()),
            lista: vec![1],
        };
        let template = "{{ ruta }}|{{ titulo }}|{{ x | join(sep=',') }}|{{ lista }}|\
            {{ boletin.titulo }} {{ boletin.n }} {{ boletin.propio }}|{{ boletin | length }}";
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t", template).unwrap();
        let vars = Vars::of(&common)
            .unwrap()
            .and(&map)
            .unwrap()
            .and(&parts)
            .unwrap();
        let ours = tera.render("t", &vars.0).unwrap();
        let flat = Flat {
            common: &common,
            map: &map,
            parts: &parts,
        };
        let theirs = tera
            .render("t", &tera::Context::from_serialize(&flat).unwrap())
            .unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours, "a/|del mapa|1,2|[1]|T 3 true|3");
        // Anything but a struct, a map or nothing is refused, not panicked on.
        let err = Vars::of(&vec![1]).err().map(|d| d.to_string());
        assert!(
            err.is_some_and(|e| e.contains("must be a struct or a map, not a list")),
            "a list is not variables"
        );
        assert!(Vars::of(&()).is_ok(), "nothing is no variables");
    }

    /// Our `safe` (which shares the string it marks) prints what Tera's own prints.
    #[test]
    fn safe_prints_as_teras_own() {
        let template = "{{ s | safe }}|{{ n | safe }}|{{ f | safe }}|{{ l | safe }}|{{ b | safe }}";
        let render = |ours: bool| {
            let mut tera = tera::Tera::default();
            if ours {
                let numbers = crate::format::NumberFormat::for_language("es-PE");
                super::register_filters(&mut tera, numbers.expect("es-PE"));
            }
            tera.add_raw_template("t", template).unwrap();
            let mut ctx = tera::Context::new();
            ctx.insert("s", "<b>O'Higgins & Cía</b>");
            ctx.insert("n", &42);
            ctx.insert("f", &2.5);
            ctx.insert("l", &["<a>", "b"]);
            ctx.insert("b", &true);
            tera.render("t", &ctx).unwrap()
        };
        assert_eq!(render(true), render(false));
        assert!(render(true).starts_with("<b>O'Higgins & Cía</b>|42|2.5|"));
    }
}
