//! The Tera engine: the only module that names Tera. Loads the theme's templates, registers
//! the Spanish filters, and turns Tera's errors into diagnostics at `file:line:column`.

use crate::diag::{Diagnostic, Position, Problem};
use crate::format::{NumberFormat, long_date, parse_date};
use crate::theme::Theme;
use std::collections::BTreeMap;
use tera::{Context, Kwargs, State, Tera, Value};

/// Templates ready to render, with the map from template name to source file.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, String>,
}

impl Templates {
    /// Parses every template of the theme. Autoescape covers HTML, XML and SVG output.
    pub fn new(theme: &Theme, numbers: NumberFormat) -> Result<Self, Diagnostic> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        register_filters(&mut tera, numbers);
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
        let ctx = Context::from_serialize(context).map_err(|e| self.diagnostic(&e))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| self.diagnostic(&e))
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
        let report = match err.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let Some(r) = report else {
            return Diagnostic::global(Problem::Template { detail });
        };
        let file = self
            .files
            .get(r.filename())
            .cloned()
            .unwrap_or_else(|| r.filename().to_string());
        let span = r.span();
        let problem = Problem::Template {
            detail: r.message().to_string(),
        };
        Diagnostic::at(
            file,
            Position::new(span.start_line.max(1), span.start_col + 1),
            problem,
        )
    }
}

fn register_filters(tera: &mut Tera, numbers: NumberFormat) {
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
