//! Feeds and files for machines: the Atom feed of the site and of each territory, the
//! sitemap and robots.txt. Dates come from the content (never the clock), so two builds of
//! the same input are identical; drafts never appear here, even with `--drafts`.

use super::OutputFile;
use super::places;
use super::plan::{Job, job_path};
use super::site::Site;
use crate::diag::Diagnostic;
use crate::model::SiteModel;
use crate::urls;
use jiff::civil::Date;
use serde::Serialize;

/// Entries in a feed.
const FEED_SIZE: usize = 20;

#[derive(Serialize)]
struct Feed {
    titulo: String,
    subtitulo: Option<String>,
    url: String,
    alternativo: String,
    actualizado: String,
    autor: String,
    idioma: String,
    entradas: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    titulo: String,
    url: String,
    publicado: String,
    actualizado: String,
    autor: Option<String>,
    resumen: String,
    contenido: String,
    etiquetas: Vec<String>,
}

/// The bulletins a feed shows: the newest published ones of the site, or of a territory's
/// page ([`places::territory_bulletins`]: the page and its feed list the same bulletins).
pub fn feed_items(site: &Site<'_>, territory: Option<usize>) -> Vec<usize> {
    let model = site.model;
    let published = |&i: &usize| !model.bulletins[i].doc.front.draft;
    match territory {
        None => (0..model.bulletins.len())
            .filter(published)
            .take(FEED_SIZE)
            .collect(),
        Some(t) => places::territory_bulletins(model, site.places, t)
            .iter()
            .copied()
            .filter(published)
            .take(FEED_SIZE)
            .collect(),
    }
}

/// Which bulletins some feed may show in full, decided before any body is rendered (from
/// front matter and the `@/` links each text seems to hold, [`places::expected_territories`]):
/// their HTML is kept until the feeds are rendered, every other body is dropped as soon as
/// its own page is written.
pub fn shown_in_full(model: &SiteModel) -> Vec<bool> {
    let territories = &model.data.records.territories;
    let mut counted = vec![0usize; territories.len()];
    let slot = |id: &str| territories.iter().position(|t| t.id.value == id);
    let (mut certain, mut maybe) = (Vec::new(), Vec::new());
    let mut site_feed = 0;
    let mut shown = vec![false; model.bulletins.len()];
    for (i, e) in model.bulletins.iter().enumerate() {
        if e.doc.front.draft {
            continue;
        }
        site_feed += 1;
        let sure = places::expected_territories(model, &e.doc, &mut certain, &mut maybe);
        shown[i] = site_feed <= FEED_SIZE || !sure;
        for (id, is_certain) in certain
            .iter()
            .map(|t| (t, true))
            .chain(maybe.iter().map(|t| (t, false)))
        {
            let Some(t) = slot(id) else { continue };
            if counted[t] < FEED_SIZE {
                shown[i] = true;
                counted[t] += usize::from(is_certain);
            }
        }
    }
    shown
}

/// `/feed.xml`: the latest bulletins, full content, absolute URLs.
pub fn site_feed(site: &Site<'_>) -> Result<OutputFile, Diagnostic> {
    let c = &site.model.config;
    let items = feed_items(site, None);
    let feed = feed(site, &items, c.title.clone(), "feed.xml", "");
    site.file("feed.xml", "feed.xml", &serde_json::json!({ "feed": feed }))
}

/// `/territorios/<id>/feed.xml`: bulletins whose `territorios` name the territory.
pub fn territory_feed(site: &Site<'_>, index: usize) -> Result<OutputFile, Diagnostic> {
    let t = &site.model.data.records.territories[index];
    let items = feed_items(site, Some(index));
    let path = format!("territorios/{}/feed.xml", t.id.value);
    let title = format!("{} · {}", t.name, site.model.config.title);
    let feed = feed(
        site,
        &items,
        title,
        &path,
        &format!("territorios/{}/", t.id.value),
    );
    site.file("feed.xml", &path, &serde_json::json!({ "feed": feed }))
}

fn feed(site: &Site<'_>, items: &[usize], title: String, path: &str, alternate: &str) -> Feed {
    let c = &site.model.config;
    let published = items;
    let newest = published.iter().filter_map(|&i| site.last_change(i)).max();
    let updated = newest.unwrap_or_else(|| empty_feed_date(site, !alternate.is_empty()));
    Feed {
        titulo: title,
        subtitulo: c.description.clone(),
        url: c.base_url.absolute(path),
        alternativo: c.base_url.absolute(alternate),
        actualizado: timestamp(site, updated),
        autor: c.institution.clone().unwrap_or_else(|| c.title.clone()),
        idioma: c.language.clone(),
        entradas: published.iter().map(|&i| entry(site, i)).collect(),
    }
}

fn entry(site: &Site<'_>, i: usize) -> FeedEntry {
    let e = site.entries[i];
    let f = &e.doc.front;
    let c = &site.model.config;
    let date = f.date.map(|d| timestamp(site, d)).unwrap_or_default();
    FeedEntry {
        titulo: f.title.clone(),
        url: c.base_url.absolute(&e.url),
        actualizado: match (f.updated, f.corrections.is_empty()) {
            (None, true) => date.clone(),
            _ => f
                .last_modified()
                .map(|d| timestamp(site, d))
                .unwrap_or_default(),
        },
        publicado: date,
        autor: f.author.clone(),
        resumen: site.infos[i].summary.clone(),
        contenido: with_corrections(
            f,
            absolute_links(
                &site.infos[i].html,
                &c.base_url.origin,
                &c.base_url.absolute(&e.url),
            ),
        ),
        etiquetas: f.tags.clone(),
    }
}

/// A corrected entry's content starts with its corrections (not the minor ones), as its page
/// shows them under the title: a reader of the feed learns of them too.
fn with_corrections(f: &crate::content::FrontMatter, html: String) -> String {
    let shown: Vec<_> = f.corrections.iter().filter(|c| !c.minor).collect();
    if shown.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 128);
    for c in shown {
        out.push_str("<p><strong>Corregido el ");
        out.push_str(&crate::format::long_date(c.date.value));
        out.push_str(":</strong> ");
        out.push_str(&crate::html::escape(&c.text));
        out.push_str("</p>\n");
    }
    out.push_str(&html);
    out
}

/// Feed readers do not know the page a feed entry came from: root-relative links
/// (`href="/…"`, `src="/…"`) become absolute, and links within the page (`href="#nota-1"`,
/// the footnotes) point into the entry's page (`page`, absolute). One pass with `memmem`
/// over the body: two `str::replace` calls were a thirtieth of a 1,000-bulletin build.
fn absolute_links(html: &str, origin: &str, page: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut from = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), "=\"") {
        let (name, value) = (&html[..at], &html[at + 2..]);
        let insert = if value.starts_with('/') && (name.ends_with("href") || name.ends_with("src"))
        {
            origin
        } else if value.starts_with('#') && name.ends_with(" href") {
            page
        } else {
            continue;
        };
        out.push_str(&html[from..at + 2]);
        out.push_str(insert);
        from = at + 2;
    }
    out.push_str(&html[from..]);
    out
}

/// When a feed with no entries last changed: for a territory's, the `actualizado` of the
/// territories' data; else the newest change of any bulletin or page; else the day the site
/// is built for. Never 1970: a reader would take the feed for dead.
fn empty_feed_date(site: &Site<'_>, territory: bool) -> Date {
    let data = &site.model.data.datasets;
    let declared = territory
        .then(|| data.get("territorios").and_then(|d| d.meta.updated))
        .flatten();
    declared
        .or_else(|| {
            (0..site.entries.len())
                .filter_map(|i| site.last_change(i))
                .max()
        })
        .unwrap_or_else(|| {
            site.model
                .now
                .to_zoned(site.model.config.time_zone.clone())
                .date()
        })
}

/// Midnight of `date` in the site's time zone, as RFC 3339.
fn timestamp(site: &Site<'_>, date: Date) -> String {
    date.to_zoned(site.model.config.time_zone.clone())
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|_| format!("{date}T00:00:00Z"))
}

/// `/sitemap.xml`: every indexable page with its last change.
pub fn sitemap(site: &Site<'_>, jobs: &[Job]) -> Result<OutputFile, Diagnostic> {
    let c = &site.model.config;
    let newest = site.newest_changes();
    /// Structs, not `json!` maps: ten thousand of them at 10,000 bulletins.
    #[derive(serde::Serialize)]
    struct Url {
        loc: String,
        lastmod: Option<String>,
    }
    #[derive(serde::Serialize)]
    struct Sitemap {
        urls: Vec<Url>,
    }
    let urls = jobs
        .iter()
        .filter_map(|j| site.sitemap_entry(j, &newest))
        .map(|(path, lastmod)| Url {
            loc: c.base_url.absolute(&path),
            lastmod: lastmod.map(crate::format::iso_date),
        })
        .collect();
    site.file("sitemap.xml", "sitemap.xml", &Sitemap { urls })
}

/// `/robots.txt`, naming the sitemap.
pub fn robots(site: &Site<'_>) -> Result<OutputFile, Diagnostic> {
    let url = site.model.config.base_url.absolute("sitemap.xml");
    site.file(
        "robots.txt",
        "robots.txt",
        &serde_json::json!({ "url_sitemap": url }),
    )
}

/// The sitemap's side of a site: when each page last changed.
impl Site<'_> {
    /// The newest change of all bulletins, of each tag's and of each year's, worked out once
    /// for the sitemap: each of a tag's pages shows the tag's newest change, and working it
    /// out again for every page was quadratic in the archive.
    pub fn newest_changes(&self) -> NewestChanges {
        let newest = |items: &[usize]| items.iter().filter_map(|&i| self.last_change(i)).max();
        let bulletins: Vec<usize> = (0..self.model.bulletins.len()).collect();
        NewestChanges {
            all: newest(&bulletins),
            tags: self
                .model
                .tags
                .iter()
                .map(|(slug, (_, items))| (slug.clone(), newest(items)))
                .collect(),
            years: self
                .model
                .years
                .iter()
                .map(|(_, items)| newest(items))
                .collect(),
        }
    }

    /// The URL path (relative to the base) and last change of a job's page, for the sitemap;
    /// `None` for files that are not pages or must not be indexed.
    pub fn sitemap_entry(
        &self,
        job: &Job,
        newest: &NewestChanges,
    ) -> Option<(String, Option<Date>)> {
        let newest_all = newest.all;
        Some(match job {
            Job::Home => (String::new(), newest_all),
            Job::Archive(n) => (urls::archive(*n), newest_all),
            Job::Entry(i) if self.entries[*i].doc.front.draft => return None,
            Job::Entry(i) => (self.entries[*i].url.clone(), self.last_change(*i)),
            Job::OpenData => ("datos/".into(), None),
            Job::Dataset(_) => (job_path(self.model, job), None),
            Job::Tags => ("etiquetas/".into(), newest_all),
            Job::Tag(slug, n) => (
                urls::tag(slug, *n),
                newest.tags.get(slug).copied().flatten(),
            ),
            Job::Years => ("archivo/".into(), newest_all),
            Job::Year(i) => (
                urls::year(self.model.years[*i].0),
                newest.years.get(*i).copied().flatten(),
            ),
            Job::Barrios | Job::Barrio(_) | Job::Territories | Job::Territory(_) | Job::Search => {
                (job_path(self.model, job), newest_all)
            }
            _ => return None,
        })
    }
}

/// What [`Site::newest_changes`] works out.
pub struct NewestChanges {
    /// Of every bulletin.
    pub all: Option<Date>,
    /// Of each tag's bulletins, by slug.
    pub tags: std::collections::BTreeMap<String, Option<Date>>,
    /// Of each year's bulletins, in the model's order of years.
    pub years: Vec<Option<Date>>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_relative_links_become_absolute() {
        let old = |html: &str, origin: &str| {
            html.replace("href=\"/", &format!("href=\"{origin}/"))
                .replace("src=\"/", &format!("src=\"{origin}/"))
        };
        for html in [
            "",
            "<p>sin enlaces</p>",
            "<a href=\"/boletines/a/\">a</a> <img src=\"/img/b.webp\" srcset=\"/img/c.webp 2x\">",
            "<a href=\"https://gob.pe/\">x</a><a href=\"#nota\">y</a><a href=\"/\">z</a>",
            "<img data-src=\"/x\"><a xhref=\"/y\">=\"/ suelto</a>href=\"/",
        ] {
            let origin = "https://example.org";
            let plain = old(html, origin).replace(" href=\"#", " href=\"https://example.org/b/#");
            assert_eq!(
                super::absolute_links(html, origin, "https://example.org/b/"),
                plain,
                "{html}"
            );
        }
    }

    #[test]
    fn footnote_links_point_into_the_entry_page() {
        let html = "<sup class=\"nota-ref\" id=\"ref-1\"><a href=\"#nota-1\">1</a></sup>\
                    <li id=\"nota-1\"><a href=\"#ref-1\" aria-label=\"volver\">↩</a></li>";
        let out = super::absolute_links(html, "https://e.org", "https://e.org/boletines/a/");
        assert_eq!(
            out,
            "<sup class=\"nota-ref\" id=\"ref-1\"><a href=\"https://e.org/boletines/a/#nota-1\">1</a></sup>\
             <li id=\"nota-1\"><a href=\"https://e.org/boletines/a/#ref-1\" aria-label=\"volver\">↩</a></li>"
        );
    }
}
