//! When the published site changes by itself: the next embargo to end and what it
//! publishes (the line «próximo cambio» of `build` and `check`, `check --json`'s
//! `next_change`), and the instants around a build between which the same documents publish
//! the same site (the build record's window). A build that finds nothing changed reads no
//! document: it says the next change the record kept ([`remembered`]).

use crate::content::Document;
use std::path::Path;
use std::sync::Arc;

/// The next instant an embargo ends, and the bulletins it publishes then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChange {
    /// When.
    pub at: jiff::Timestamp,
    /// The site's time zone, to say it in.
    pub zone: jiff::tz::TimeZone,
    /// The titles published at that instant, in file order.
    pub titles: Vec<String>,
}

/// The next change a build with nothing changed says: the one the record kept (`at` in
/// seconds, and its titles), told in the zone of `sitio.yaml` (unchanged, or the build
/// would not be).
pub fn remembered(root: &Path, next: Option<&(i64, Vec<String>)>) -> Option<NextChange> {
    let (at, titles) = next?;
    Some(NextChange {
        at: jiff::Timestamp::from_second(*at).ok()?,
        zone: crate::config::load(root).ok()?.time_zone,
        titles: titles.clone(),
    })
}

/// The first embargo after `now` among the documents a build publishes (drafts only with
/// `--drafts`), and every title it publishes.
pub fn next_change(
    docs: &[Arc<Document>],
    (now, zone): (jiff::Timestamp, &jiff::tz::TimeZone),
    drafts: bool,
) -> Option<NextChange> {
    let pending = || {
        docs.iter()
            .filter(move |d| drafts || !d.front.draft)
            .filter_map(|d| Some((d.front.publish_from?, d)))
            .filter(|(t, _)| *t > now)
    };
    let at = pending().map(|(t, _)| t).min()?;
    let titles = pending()
        .filter(|(t, _)| *t == at)
        .map(|(_, d)| d.front.title.clone())
        .collect();
    Some(NextChange {
        at,
        zone: zone.clone(),
        titles,
    })
}

/// The instants around `now` between which the same documents publish the same site: the
/// latest embargo end or midnight before it, and the next ones (dates are checked against
/// the day). A build for another instant (`SOURCE_DATE_EPOCH`, a clock set back) outside
/// them is another site.
pub fn valid_between(
    docs: &[Arc<Document>],
    now: jiff::Timestamp,
    today: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let start = |d: jiff::civil::Date| d.to_zoned(tz.clone()).ok().map(|z| z.timestamp());
    let embargoes = || docs.iter().filter_map(|d| d.front.publish_from);
    let from = embargoes().filter(|t| *t <= now).chain(start(today)).max();
    let until = embargoes()
        .filter(|t| *t > now)
        .chain(today.tomorrow().ok().and_then(start))
        .min();
    (from, until)
}
