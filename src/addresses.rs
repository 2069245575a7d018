//! Where the previous build published each document, and the warning when one has moved.
//!
//! A build keeps, in its output's state folder ([`crate::state::dir`]), the address of every
//! bulletin and page it published, by source file (`direcciones`). The next build of the
//! same output compares: a document whose file is the same but whose address is not (a new
//! `slug`, a new date in the file name of a bundle…) breaks every link already shared, so
//! the build warns at the line that decides the address and writes out the `alias` line
//! that keeps those links working. The warning comes once, from the build that publishes
//! the move (and from every `check` before it): the build after it finds the new address in
//! the list. A renamed file is followed by its title: when a file of the previous list is
//! gone and exactly one new file of the same kind has its title (and no other gone file
//! shares it), the new file is that document moved, and gets the same warning.

use crate::diag::{Diagnostic, Diagnostics, Problem, display_path};
use crate::model::{Entry, SiteModel};
use std::collections::BTreeMap;
use std::path::Path;

/// The list's file in the state folder.
pub const FILE: &str = "direcciones";

/// Each published document's source file (as messages show it) and its address, a site
/// path (`/boletines/avance/`), sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Addresses {
    /// The list's format.
    version: u32,
    /// Source file → address.
    direcciones: BTreeMap<String, String>,
    /// Source file → its kind and title (`boletin:Avance`), to follow a renamed file. A
    /// list written before this field has none: then only same-file moves are found.
    #[serde(default)]
    titulos: BTreeMap<String, String>,
}

impl Addresses {
    /// The addresses of every bulletin and page of `model`.
    pub fn of(model: &SiteModel) -> Addresses {
        let direcciones = entries(model)
            .map(|e| (display_path(&e.doc.file.path), format!("/{}", e.url)))
            .collect();
        let titulos = entries(model)
            .map(|e| (display_path(&e.doc.file.path), identity(e)))
            .collect();
        Addresses {
            version: 1,
            direcciones,
            titulos,
        }
    }

    /// The list the last build into `out` left, empty when there is none or it cannot be
    /// read (then nothing is compared: deleting `.boletin/` loses only this warning once).
    pub fn previous(root: &Path, out: &Path) -> Addresses {
        std::fs::read(crate::state::dir(root, out).join(FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Addresses>(&b).ok())
            .filter(|a| a.version == 1)
            .unwrap_or_default()
    }

    /// Keeps the list in the state folder of `out`, once the output is in place (a list
    /// that cannot be written only means no warning next time).
    pub fn save(&self, root: &Path, out: &Path) {
        let dir = crate::state::dir(root, out);
        if let Ok(text) = serde_json::to_vec_pretty(self) {
            let _ =
                std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(FILE), text));
        }
    }
}

/// Bulletins, then pages (the order of `SiteModel::aliases`' indices).
fn entries(model: &SiteModel) -> impl Iterator<Item = &Entry> {
    model.bulletins.iter().chain(&model.pages)
}

/// What follows a document across a rename of its file: its kind and its title.
fn identity(e: &Entry) -> String {
    let kind = match e.doc.kind {
        crate::content::Kind::Page => "pagina",
        _ => "boletin",
    };
    format!("{kind}:{}", e.doc.front.title)
}

/// The previous address of each new file that is a renamed one: a file `previous` had and
/// `model` has not, whose kind and title exactly one new file has and no other gone file.
fn renamed(model: &SiteModel, previous: &Addresses) -> BTreeMap<String, String> {
    let now: std::collections::BTreeSet<String> = entries(model)
        .map(|e| display_path(&e.doc.file.path))
        .collect();
    let mut gone: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, title) in &previous.titulos {
        if !now.contains(file) && previous.direcciones.contains_key(file) {
            gone.entry(title.as_str()).or_default().push(file);
        }
    }
    let mut new: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in entries(model) {
        let file = display_path(&e.doc.file.path);
        if !previous.direcciones.contains_key(&file) {
            new.entry(identity(e)).or_default().push(file);
        }
    }
    let mut out = BTreeMap::new();
    for (title, files) in new {
        if let (Some([old]), [file]) = (gone.get(title.as_str()).map(Vec::as_slice), &files[..])
            && let Some(address) = previous.direcciones.get(*old)
        {
            out.insert(file.clone(), address.clone());
        }
    }
    out
}

/// A warning for every document of `model` that `previous` published at another address,
/// unless an `alias` already keeps that address or another document now has it (an alias
/// there would be an error).
pub fn moved(model: &SiteModel, previous: &Addresses, diags: &mut Diagnostics) {
    if previous.direcciones.is_empty() {
        return;
    }
    let mut taken: std::collections::BTreeSet<String> =
        entries(model).map(|e| format!("/{}", e.url)).collect();
    taken.extend(model.aliases.iter().map(|(path, _)| format!("/{path}")));
    let renamed = renamed(model, previous);
    for e in entries(model) {
        let file = display_path(&e.doc.file.path);
        let Some(old) = previous
            .direcciones
            .get(&file)
            .or_else(|| renamed.get(&file))
        else {
            continue;
        };
        if taken.contains(old) {
            continue;
        }
        let mut aliases: Vec<String> = e
            .doc
            .front
            .aliases
            .iter()
            .map(|a| a.value.clone())
            .collect();
        aliases.push(old.clone());
        let problem = Problem::AddressChanged {
            page: e.doc.kind == crate::content::Kind::Page,
            old: old.clone(),
            new: format!("/{}", e.url),
            line: format!("alias: [{}]", aliases.join(", ")),
        };
        diags.push(Diagnostic::at(
            &e.doc.file.path,
            e.doc.slug_position,
            problem,
        ));
    }
}
