//! The pages of the site as a list of jobs planned from the model: `plan` is the one place
//! that knows every URL the site will have.

use crate::model::SiteModel;
use crate::urls;

/// One output file to render.
pub enum Job {
    /// `/`
    Home,
    /// `/boletines/`, `/boletines/pagina/N/`
    Archive(usize),
    /// A bulletin or page, by index into the entries.
    Entry(usize),
    /// `/404.html`
    NotFound,
    /// `/datos/`
    OpenData,
    /// `/etiquetas/`
    Tags,
    /// `/etiquetas/<slug>/` (page N)
    Tag(String, usize),
    /// `/archivo/`
    Years,
    /// `/archivo/<AAAA>/`
    Year(usize),
    /// `/feed.xml`
    Feed,
    /// `/territorios/<id>/feed.xml`
    TerritoryFeed(usize),
    /// `/sitemap.xml`
    Sitemap,
    /// `/buscar/`
    Search,
    /// `/barrios/`
    Barrios,
    /// `/barrios/<id>/`
    Barrio(usize),
    /// `/territorios/`
    Territories,
    /// `/territorios/<id>/`
    Territory(usize),
    /// `/robots.txt`
    Robots,
    /// An old address (`alias`), by index into the model's aliases.
    Alias(usize),
    /// `/proximas/`: the release calendar, while a bulletin is announced.
    Upcoming,
    /// `/datos/<id>/`, by index into the datasets (in id order).
    Dataset(usize),
}

/// Every file of the site except static files and downloads, in a fixed order.
pub fn plan(model: &SiteModel) -> Vec<Job> {
    let per = model.config.per_page;
    let mut jobs = vec![
        Job::Home,
        Job::NotFound,
        Job::OpenData,
        Job::Tags,
        Job::Years,
    ];
    jobs.extend((0..model.data.datasets.len()).map(Job::Dataset));
    jobs.extend((1..=pages(model.bulletins.len(), per)).map(Job::Archive));
    jobs.extend((0..model.bulletins.len() + model.pages.len()).map(Job::Entry));
    for (slug, (_, items)) in &model.tags {
        jobs.extend((1..=pages(items.len(), per)).map(|n| Job::Tag(slug.clone(), n)));
    }
    jobs.extend((0..model.years.len()).map(Job::Year));
    if !model.data.records.barrios.is_empty() {
        jobs.push(Job::Barrios);
        jobs.extend((0..model.data.records.barrios.len()).map(Job::Barrio));
    }
    if !model.data.records.territories.is_empty() {
        jobs.push(Job::Territories);
        jobs.extend((0..model.data.records.territories.len()).map(Job::Territory));
    }
    jobs.push(Job::Search);
    jobs.push(Job::Feed);
    jobs.extend((0..model.data.records.territories.len()).map(Job::TerritoryFeed));
    jobs.push(Job::Sitemap);
    jobs.push(Job::Robots);
    jobs.extend((0..model.aliases.len()).map(Job::Alias));
    if !model.upcoming.is_empty() {
        jobs.push(Job::Upcoming);
    }
    jobs
}

/// Every path the site will have, relative to the base: pages (`boletines/x/`), their
/// files (`feed.xml`), downloads, images and theme files. Links written as site paths are
/// checked against this.
pub fn known_paths(
    model: &SiteModel,
    theme: &crate::theme::Theme,
) -> std::collections::BTreeSet<String> {
    let mut paths: std::collections::BTreeSet<String> =
        plan(model).iter().map(|j| job_path(model, j)).collect();
    paths.extend(model.assets.iter().map(|a| a.output.clone()));
    paths.extend(theme.published.values().cloned());
    paths.extend(theme.fixed.iter().cloned());
    for id in model.data.datasets.keys() {
        paths.insert(format!("datos/{id}.csv"));
        paths.insert(format!("datos/{id}.json"));
        paths.insert(format!("datos/{id}.xlsx"));
        paths.insert(format!("datos/{id}.ods"));
    }
    if !model.data.datasets.is_empty() {
        paths.insert(super::datasets::CATALOGUE.into());
    }
    paths
}

/// The path a job writes, as linked (`boletines/x/` for a page, `feed.xml` for a file).
pub(super) fn job_path(model: &SiteModel, job: &Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Archive(n) => urls::archive(*n),
        Job::Entry(i) => {
            let n = model.bulletins.len();
            let entry = if *i < n {
                model.bulletins.get(*i)
            } else {
                model.pages.get(*i - n)
            };
            entry.map(|e| e.url.clone()).unwrap_or_default()
        }
        Job::NotFound => "404.html".into(),
        Job::OpenData => "datos/".into(),
        Job::Tags => "etiquetas/".into(),
        Job::Tag(slug, n) => urls::tag(slug, *n),
        Job::Years => "archivo/".into(),
        Job::Year(i) => urls::year(model.years[*i].0),
        Job::Feed => "feed.xml".into(),
        Job::TerritoryFeed(i) => format!(
            "territorios/{}/feed.xml",
            model.data.records.territories[*i].id.value
        ),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::Alias(i) => model.aliases[*i].0.clone(),
        Job::Upcoming => "proximas/".into(),
        Job::Dataset(i) => format!(
            "datos/{}/",
            model
                .data
                .datasets
                .keys()
                .nth(*i)
                .map_or("", String::as_str)
        ),
        Job::Search => "buscar/".into(),
        Job::Barrios => "barrios/".into(),
        Job::Barrio(i) => format!("barrios/{}/", model.data.records.barrios[*i].id.value),
        Job::Territories => "territorios/".into(),
        Job::Territory(i) => format!(
            "territorios/{}/",
            model.data.records.territories[*i].id.value
        ),
    }
}

pub(super) fn pages(items: usize, per: usize) -> usize {
    items.div_ceil(per).max(1)
}
