//! External links, checked only when asked (`boletin check --externos`): a build never
//! fetches anything. Each distinct URL is asked once (HEAD, then GET when HEAD is refused),
//! a few at a time, with a timeout; when no URL at all answers, the machine is taken to be
//! offline and that is said plainly instead of reporting every link as broken.

use crate::diag::{Diagnostic, Position, Problem};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// An external link found in a body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalLink {
    /// The file it was written in.
    pub file: PathBuf,
    /// Where.
    pub position: Position,
    /// The URL.
    pub url: String,
}

/// What asking one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Status(u16),
    Unreachable(String),
}

/// Checks every link; broken links are errors, unreachable ones warnings, and a machine
/// where nothing answers gets one notice.
pub fn check(links: &[ExternalLink], timeout: Duration) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&str, Vec<&ExternalLink>> = BTreeMap::new();
    for l in links {
        by_url.entry(l.url.as_str()).or_default().push(l);
    }
    let urls: Vec<&str> = by_url.keys().copied().collect();
    let outcomes = ask_all(&urls, timeout);
    let answered = outcomes.iter().any(|o| matches!(o, Outcome::Status(_)));
    if !answered && !urls.is_empty() {
        return vec![Diagnostic::global(Problem::Offline { links: urls.len() })];
    }
    let mut out = Vec::new();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let problem = match outcome {
            Outcome::Status(s) if s < 400 => continue,
            Outcome::Status(status) => Problem::ExternalLinkBroken {
                url: url.to_string(),
                status,
            },
            Outcome::Unreachable(detail) => Problem::ExternalLinkUnreachable {
                url: url.to_string(),
                detail,
            },
        };
        for l in &by_url[url] {
            out.push(Diagnostic::at(&l.file, l.position, problem.clone()));
        }
    }
    out
}

fn ask_all(urls: &[&str], timeout: Duration) -> Vec<Outcome> {
    use rayon::prelude::*;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("boletin (comprobación de enlaces)")
        .build()
        .into();
    let ask = |url: &&str| ask(&agent, url);
    match rayon::ThreadPoolBuilder::new().num_threads(8).build() {
        Ok(pool) => pool.install(|| urls.par_iter().map(ask).collect()),
        Err(_) => urls.iter().map(ask).collect(),
    }
}

fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(resp) => Outcome::Status(resp.status().as_u16()),
        Err(e) => Outcome::Unreachable(e.to_string()),
    };
    match status(agent.head(url).call()) {
        Outcome::Status(405 | 501) => status(agent.get(url).call()),
        other => other,
    }
}
