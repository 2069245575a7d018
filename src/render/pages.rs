//! How each job of the plan ([`super::plan`]) is rendered, by the site's shared state
//! ([`super::site::Site`]).

use super::OutputFile;
use super::feeds;
pub use super::plan::{Job, known_paths, plan};
use super::plan::{job_path, pages};
pub use super::site::Site;
use super::templates::{Prepared, Vars};
use super::views::{self, BodyInfo, Common, PageLink, PaginationView};
use crate::diag::Diagnostic;
use crate::urls;
use jiff::civil::Date;
use serde::Serialize;

/// A page of a paginated list of bulletins.
#[derive(Serialize)]
struct List {
    boletines: Vec<Prepared>,
    paginacion: PaginationView,
}

impl Site<'_> {
    /// Renders one job.
    pub fn run(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        self.cached(job, || self.render(job))
    }

    /// Renders the page of entry `i` with its body and its neighbours' cards (the entries
    /// pass calls this while the body is at hand).
    pub fn run_entry(
        &self,
        i: usize,
        info: &BodyInfo,
        card: &Prepared,
        (older, newer): (Option<Prepared>, Option<Prepared>),
    ) -> Result<OutputFile, Diagnostic> {
        self.cached(&Job::Entry(i), || self.entry(i, info, card, older, newer))
    }

    /// A job's file from the previous build when its key is unchanged, else `render`'s.
    fn cached(
        &self,
        job: &Job,
        render: impl FnOnce() -> Result<OutputFile, Diagnostic>,
    ) -> Result<OutputFile, Diagnostic> {
        let Some(cache) = self.cache else {
            return render();
        };
        let key = self.job_key(job);
        if let Some(bytes) = cache.file(key) {
            cache.store_file(key, bytes.clone());
            return Ok(OutputFile {
                path: urls::file_for(&job_path(self.model, job)),
                bytes,
            });
        }
        let file = render()?;
        cache.store_file(key, file.bytes.clone());
        Ok(file)
    }

    /// A hash of everything a job reads: the shared fingerprint (settings, theme, data, links,
    /// tags, years, counts), the job itself, and the hashes of the entries it shows.
    fn job_key(&self, job: &Job) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        self.fingerprint.hash(&mut h);
        job_path(self.model, job).hash(&mut h);
        let per = self.model.config.per_page;
        let n = self.model.bulletins.len();
        let mut shown = |items: &mut dyn Iterator<Item = usize>| {
            for i in items {
                (i, self.entry_hashes[i]).hash(&mut h);
            }
        };
        match job {
            Job::Home => shown(&mut (0..n.min(per))),
            Job::Archive(p) => shown(&mut ((p - 1) * per..(p * per).min(n))),
            Job::Entry(i) => {
                let neighbours = if *i < n {
                    i.saturating_sub(1)..(i + 2).min(n)
                } else {
                    *i..i + 1
                };
                shown(&mut neighbours.into_iter());
            }
            Job::Tag(slug, p) => {
                let items = self.model.tags.get(slug).map_or(&[][..], |t| &t.1[..]);
                shown(&mut items.iter().copied().skip((p - 1) * per).take(per));
            }
            Job::Year(i) => shown(&mut self.model.years[*i].1.iter().copied()),
            Job::Feed => shown(&mut feeds::feed_items(self, None).into_iter()),
            Job::TerritoryFeed(t) => shown(&mut feeds::feed_items(self, Some(*t)).into_iter()),
            Job::Sitemap => {
                // The sitemap reads only where each entry lives and when it changed.
                for e in self.entries {
                    (
                        &e.url,
                        e.doc.front.last_modified(),
                        e.doc.front.date,
                        e.doc.front.draft,
                    )
                        .hash(&mut h);
                }
            }
            // A place's page lists the bulletins that mention it (by front matter or by a
            // link in the body, both in the entries' hashes): hashing that list (`shown`
            // takes positions with hashes) catches a bulletin joining, leaving or changing.
            // At 10,000 bulletins this spares re-rendering every territory page (~350 KB
            // each) on every save.
            Job::Barrio(i) => {
                let id = &self.model.data.records.barrios[*i].id.value;
                let items = self.places.barrio_bulletins.get(id);
                shown(&mut items.into_iter().flatten().copied());
            }
            Job::Territory(i) => {
                let items = super::places::territory_bulletins(self.model, self.places, *i);
                shown(&mut items.iter().copied());
            }
            // The indexes may show counts or latest bulletins of every place.
            Job::Barrios | Job::Territories => shown(&mut (0..n)),
            Job::Search => self.search_prefixes.hash(&mut h),
            Job::Upcoming => self.model.upcoming.hash(&mut h),
            Job::Alias(i) => {
                let target = self.entries[self.model.aliases[*i].1];
                (&target.url, &target.doc.front.title).hash(&mut h);
            }
            Job::Dataset(i) => {
                shown(&mut super::datasets::users(self.model, *i, self.infos).into_iter())
            }
            Job::NotFound | Job::OpenData | Job::Tags | Job::Years | Job::Robots => {}
        }
        h.finish()
    }

    fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        match job {
            Job::Home => self.home(),
            Job::Archive(n) => self.archive(*n),
            // The entries pass renders these (`run_entry`), and nothing runs them after it: a
            // build has dropped most bodies' HTML by then. Kept so `run` covers every job.
            Job::Entry(i) => {
                let n = self.model.bulletins.len();
                let card = |j: usize| (j < n).then(|| self.cards[j].clone());
                let newer = i.checked_sub(1).and_then(card);
                self.entry(*i, self.infos[*i], &self.cards[*i], card(i + 1), newer)
            }
            Job::OpenData => {
                let data = serde_json::json!({ "conjuntos": self.datasets });
                self.page("datos.html", "datos/", "Datos abiertos", None, data)
            }
            Job::Dataset(i) => {
                let (title, description, data) =
                    super::datasets::page(self.model, *i, self.entries, self.infos, self.downloads)
                        .unwrap_or_default();
                let ruta = job_path(self.model, job);
                self.page("conjunto.html", &ruta, &title, Some(&description), data)
            }
            Job::NotFound => self.page(
                "404.html",
                "404.html",
                "Página no encontrada",
                None,
                serde_json::json!({}),
            ),
            Job::Tags => self.tags(),
            Job::Tag(slug, n) => self.tag(slug, *n),
            Job::Years => self.years(),
            Job::Year(i) => self.year(*i),
            Job::Feed => feeds::site_feed(self),
            Job::TerritoryFeed(i) => feeds::territory_feed(self, *i),
            Job::Sitemap => feeds::sitemap(self, &plan(self.model)),
            Job::Robots => feeds::robots(self),
            Job::Alias(i) => self.alias(*i),
            Job::Upcoming => {
                let zone = &self.model.config.time_zone;
                let items: Vec<serde_json::Value> = self
                    .model
                    .upcoming
                    .iter()
                    .map(|(title, at)| {
                        serde_json::json!({
                            "titulo": title,
                            "fecha": at.to_string(),
                            "fecha_legible": crate::format::long_instant(*at, zone),
                        })
                    })
                    .collect();
                let data = serde_json::json!({ "proximas": items });
                self.page(
                    "proximas.html",
                    "proximas/",
                    "Próximas publicaciones",
                    None,
                    data,
                )
            }
            Job::Search => {
                let data = serde_json::json!({
                    "prefijos": self.search_prefixes.join(" "),
                    "bloque": super::search::CHUNK,
                    "hay_barrios": !self.model.data.records.barrios.is_empty(),
                    "hay_territorios": !self.model.data.records.territories.is_empty(),
                });
                self.page("buscar.html", "buscar/", "Buscar", None, data)
            }
            Job::Barrios => {
                let data = super::places::barrios_index(self.model);
                self.page("barrios.html", "barrios/", "Barrios", None, data)
            }
            Job::Territories => {
                let data = super::places::territories_index(self.model, self.places);
                self.page(
                    "territorios.html",
                    "territorios/",
                    "Territorios",
                    None,
                    data,
                )
            }
            Job::Barrio(i) => {
                let (title, data) = super::places::barrio(self.model, self.places, *i, &|items| {
                    self.summaries(items.iter().copied())
                });
                self.page(
                    "barrio.html",
                    &job_path(self.model, job),
                    &title,
                    None,
                    data,
                )
            }
            Job::Territory(i) => {
                let (title, data) =
                    super::places::territory(self.model, self.places, *i, &|items| {
                        self.summaries(items.iter().copied())
                    });
                self.page(
                    "territorio.html",
                    &job_path(self.model, job),
                    &title,
                    None,
                    data,
                )
            }
        }
    }

    /// The latest correction, `actualizado`, else `fecha`, of an entry.
    pub fn last_change(&self, i: usize) -> Option<Date> {
        self.entries[i].doc.front.last_modified()
    }

    /// An old address: a page that sends the reader to the entry's address.
    fn alias(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let (path, entry) = &self.model.aliases[i];
        let target = self.entries[*entry];
        let data = serde_json::json!({
            "destino": self.model.config.base_url.absolute(&target.url),
            "titulo": target.doc.front.title,
            "sitio": { "idioma": self.model.config.language },
        });
        self.file_sized("alias.html", &urls::file_for(path), &data, 1024)
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        ruta: &str,
        title: &str,
        description: Option<&str>,
        data: T,
    ) -> Result<OutputFile, Diagnostic> {
        let common = Common::new(self.model, self.menu, ruta, title, description);
        self.render_page(template, ruta, common, data, 16 * 1024)
    }

    fn render_page<T: Serialize>(
        &self,
        template: &str,
        ruta: &str,
        common: Common<'_>,
        data: T,
        capacity: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let mut vars = Vars::of(&common)?.and(&data)?;
        if let Some(sitio) = self.sitio.get(self.model, self.menu, &common.current) {
            vars = vars.with("sitio", sitio);
        }
        let bytes = self.templates.render_bytes(template, vars, capacity)?;
        Ok(OutputFile {
            path: urls::file_for(ruta),
            bytes: bytes.into(),
        })
    }

    /// Renders `template` with `data` into the file at `path`.
    pub fn file<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        data: &T,
    ) -> Result<OutputFile, Diagnostic> {
        self.file_sized(template, path, data, 16 * 1024)
    }

    /// [`Site::file`] with a guess of the file's size.
    pub fn file_sized<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        data: &T,
        capacity: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let bytes = self
            .templates
            .render_bytes(template, Vars::of(data)?, capacity)?;
        Ok(OutputFile {
            path: path.to_string(),
            bytes: bytes.into(),
        })
    }

    /// List views of bulletins by index (shared, not copied).
    pub fn summaries(&self, items: impl Iterator<Item = usize>) -> Vec<Prepared> {
        items.map(|i| self.cards[i].clone()).collect()
    }

    fn home(&self) -> Result<OutputFile, Diagnostic> {
        let n = self.model.bulletins.len();
        let shown = n.min(self.model.config.per_page);
        #[derive(Serialize)]
        struct Home {
            boletines: Vec<Prepared>,
            hay_mas: bool,
            cifras: serde_json::Value,
            mapa: Option<String>,
        }
        let data = Home {
            boletines: self.summaries(0..shown),
            hay_mas: n > shown,
            cifras: super::places::headline(self.model),
            mapa: super::places::full_map(
                self.model,
                self.places,
                "mapa-portada",
                "Barrios Seguros por territorio",
            ),
        };
        self.page("index.html", "", &self.model.config.title, None, data)
    }

    fn pagination(
        &self,
        number: usize,
        total: usize,
        link: impl Fn(usize) -> String,
    ) -> PaginationView {
        let base = &self.model.config.base_url.path;
        let url = |p: usize| format!("{base}{}", link(p));
        PaginationView {
            actual: number,
            total,
            anterior: (number > 1).then(|| url(number - 1)),
            siguiente: (number < total).then(|| url(number + 1)),
            paginas: views::page_window(number, total)
                .into_iter()
                .map(|p| match p {
                    Some(p) => PageLink {
                        numero: p,
                        url: url(p),
                        elipsis: false,
                    },
                    None => PageLink {
                        numero: 0,
                        url: String::new(),
                        elipsis: true,
                    },
                })
                .collect(),
        }
    }

    fn archive(&self, number: usize) -> Result<OutputFile, Diagnostic> {
        let per = self.model.config.per_page;
        let n = self.model.bulletins.len();
        let start = (number - 1) * per;
        let data = List {
            boletines: self.summaries(start..(start + per).min(n)),
            paginacion: self.pagination(number, pages(n, per), urls::archive),
        };
        let title = if number == 1 {
            "Boletines".to_string()
        } else {
            format!("Boletines, página {number}")
        };
        self.page("boletines.html", &urls::archive(number), &title, None, data)
    }

    /// A bulletin's or page's own page; `older` and `newer` are a bulletin's neighbours.
    fn entry(
        &self,
        i: usize,
        info: &BodyInfo,
        card: &Prepared,
        older: Option<Prepared>,
        newer: Option<Prepared>,
    ) -> Result<OutputFile, Diagnostic> {
        let e = self.entries[i];
        let view = views::document(self.model, e, info, card);
        let is_bulletin = i < self.model.bulletins.len();
        // The body plus the theme's frame.
        let size = info.html.len() + 12 * 1024;
        let default = if is_bulletin {
            "boletin.html"
        } else {
            "pagina.html"
        };
        let template = e
            .doc
            .front
            .template
            .as_ref()
            .map_or(default, |t| t.value.as_str());
        // Structs, not `json!` values: a bulletin page is serialised once, straight into
        // the template context, without copying its HTML into an intermediate tree.
        #[derive(Serialize)]
        struct BulletinPage<'a> {
            boletin: views::DocumentView<'a>,
            anterior: Option<Prepared>,
            siguiente: Option<Prepared>,
        }
        #[derive(Serialize)]
        struct StandalonePage<'a> {
            pagina: views::DocumentView<'a>,
        }
        let (title, summary) = (&e.doc.front.title, Some(info.summary.as_str()));
        let common = if is_bulletin {
            let social = views::article_social(self.model, e, info, self.drafts);
            Common::shared_as(self.model, self.menu, &e.url, title, summary, social)
        } else {
            Common::new(self.model, self.menu, &e.url, title, summary)
        };
        if is_bulletin {
            self.render_page(
                template,
                &e.url,
                common,
                BulletinPage {
                    boletin: view,
                    anterior: older,
                    siguiente: newer,
                },
                size,
            )
        } else {
            self.render_page(
                template,
                &e.url,
                common,
                StandalonePage { pagina: view },
                size,
            )
        }
    }

    fn tags(&self) -> Result<OutputFile, Diagnostic> {
        let base = &self.model.config.base_url.path;
        let list: Vec<serde_json::Value> = self
            .model
            .tags
            .iter()
            .map(|(slug, (name, items))| {
                serde_json::json!({ "nombre": name, "url": format!("{base}{}", urls::tag(slug, 1)), "cantidad": items.len() })
            })
            .collect();
        self.page(
            "etiquetas.html",
            "etiquetas/",
            "Etiquetas",
            None,
            serde_json::json!({ "etiquetas": list }),
        )
    }

    fn tag(&self, slug: &str, number: usize) -> Result<OutputFile, Diagnostic> {
        let (name, items) = self.model.tags.get(slug).cloned().unwrap_or_default();
        let per = self.model.config.per_page;
        let start = (number - 1) * per;
        let shown = items.iter().skip(start).take(per).copied();
        let base = &self.model.config.base_url.path;
        #[derive(Serialize)]
        struct Tag {
            etiqueta: views::TagLink,
            #[serde(flatten)]
            list: List,
        }
        let data = Tag {
            etiqueta: views::TagLink {
                url: format!("{base}{}", urls::tag(slug, 1)),
                nombre: name.clone(),
            },
            list: List {
                boletines: self.summaries(shown),
                paginacion: self
                    .pagination(number, pages(items.len(), per), |p| urls::tag(slug, p)),
            },
        };
        let title = if number == 1 {
            format!("Etiqueta: {name}")
        } else {
            format!("Etiqueta: {name}, página {number}")
        };
        self.page(
            "etiqueta.html",
            &urls::tag(slug, number),
            &title,
            None,
            data,
        )
    }

    fn years(&self) -> Result<OutputFile, Diagnostic> {
        let base = &self.model.config.base_url.path;
        let list: Vec<serde_json::Value> = self
            .model
            .years
            .iter()
            .map(|(y, items)| serde_json::json!({ "anio": y, "url": format!("{base}{}", urls::year(*y)), "cantidad": items.len() }))
            .collect();
        self.page(
            "archivo.html",
            "archivo/",
            "Archivo por año",
            None,
            serde_json::json!({ "anios": list }),
        )
    }

    fn year(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let (y, items) = &self.model.years[i];
        #[derive(Serialize)]
        struct Year {
            anio: i16,
            boletines: Vec<Prepared>,
        }
        let data = Year {
            anio: *y,
            boletines: self.summaries(items.iter().copied()),
        };
        self.page(
            "anio.html",
            &urls::year(*y),
            &format!("Boletines de {y}"),
            None,
            data,
        )
    }
}
