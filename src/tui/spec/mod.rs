//! The API's own OpenAPI document in the TUI: `--spec FILE|URL` loads it at start, discovery
//! (`discover`) looks for it on the server's origin after a 401, and every diagnosis already
//! made is redone with it (`rediagnose`), since the `spec-*` rules read it from the context.
//!
//! The document is read off the event loop (`Effect::LoadSpec`, answered by `Msg::SpecLoaded`)
//! and kept once, shared: `App::own_rules_context` hands the same `Arc` to every lint,
//! diagnosis and compare.

pub mod discover;
pub mod rediagnose;

use super::app::{App, Level};
use super::msg::Effect;
use crate::spec::{Lookup, Spec, SpecError};
use std::sync::Arc;

/// What the TUI knows of the API's document: the one loaded, what is being fetched, and what
/// the last discovery tried.
#[derive(Debug, Clone, Default)]
pub struct SpecState {
    /// The document the rules read, once loaded.
    pub loaded: Option<Arc<Spec>>,
    /// A load or a discovery asked for and not answered yet.
    pub job: Option<Job>,
    /// What the last discovery tried and found, shown in the Vars tab.
    pub discovery: Option<discover::Report>,
}

/// A fetch of the document, asked for and not answered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// `--spec` on the command line: loaded once the loop runs (`Msg::Started`).
    Wanted(String),
    /// Reading or fetching this file or URL; the answer carries `id`.
    Loading { id: u64, source: String },
    /// Trying `spec::DISCOVERY_PATHS` on this origin.
    Discovering { id: u64, origin: String },
}

/// Asks for `source` (`--spec`) to be loaded as soon as the loop runs: reading a file or a URL
/// is I/O, which `update` leaves to the runtime.
pub fn want(app: &mut App, source: String) {
    app.spec.job = Some(Job::Wanted(source));
}

/// The loop is running: a document asked for on the command line is fetched now.
pub fn started(app: &mut App) -> Vec<Effect> {
    let Some(Job::Wanted(source)) = app.spec.job.clone() else {
        return Vec::new();
    };
    let id = app.next_id;
    app.next_id += 1;
    app.status = Some((Level::Info, format!("reading the spec {}", shown(&source))));
    app.spec.job = Some(Job::Loading {
        id,
        source: source.clone(),
    });
    vec![Effect::LoadSpec { id, source }]
}

/// The answer to `Effect::LoadSpec`: the document becomes the rules' evidence, or a one-line
/// notice says why not; the drafts stay as they are either way.
pub fn loaded(app: &mut App, id: u64, result: Result<Box<Spec>, SpecError>) -> Vec<Effect> {
    if !matches!(&app.spec.job, Some(Job::Loading { id: i, .. }) if *i == id) {
        return Vec::new();
    }
    app.spec.job = None;
    match result {
        Ok(spec) => install(app, *spec, None),
        Err(e) => {
            app.status = Some((Level::Error, failure(&e)));
            Vec::new()
        }
    }
}

/// Makes `spec` the one the rules read: the lint is recomputed (`touch`) and every diagnosis
/// made without it is redone off the event loop. `found_at` is the URL discovery found it at.
pub(crate) fn install(app: &mut App, spec: Spec, found_at: Option<&str>) -> Vec<Effect> {
    let ops = spec.operation_count();
    let title = spec.title.clone().unwrap_or_else(|| "untitled".into());
    let text = match found_at {
        Some(url) => format!(
            "spec found at {} ({title}, {ops} operations); next time: --spec {}",
            shown(url),
            shown(url)
        ),
        None => format!(
            "spec loaded: {} ({title}, {ops} operations)",
            spec.source // masked when it was loaded (`send::document::load_spec`)
        ),
    };
    app.status = Some((Level::Info, text));
    app.spec.loaded = Some(Arc::new(spec));
    app.touch();
    rediagnose::stale(app).into_iter().collect()
}

/// A failure as the notice says it: the source (masked) and what went wrong, with the line and
/// column when the text is at fault.
pub fn failure(e: &SpecError) -> String {
    let message = e.message.replace(&e.source_name, &shown(&e.source_name));
    format!(
        "spec not loaded: {}: {}",
        shown(&e.source_name),
        crate::secret::mask_shaped(&message)
    )
}

/// A file or URL as the screen shows it: a URL with its credentials masked (`?api_key=…`,
/// `user:password@`), a path as given.
pub fn shown(source: &str) -> String {
    if crate::send::document::is_url(source) {
        crate::secret::masked_url_text(source)
    } else {
        source.to_string()
    }
}

/// What the loaded document says about the selected request, in a sentence: "POST
/// /api/v1/items wants the `X-API-Key` header (APIKeyHeader)". `None` without a document or
/// a request.
pub fn about_selected(app: &App) -> Option<String> {
    let spec = app.spec.loaded.as_deref()?;
    let draft = app.draft()?;
    let url = app.resolved.as_ref().map_or(&draft.url, |r| &r.url.text);
    Some(about(spec, &draft.method, url))
}

/// What `spec` says about `method` on `url`.
pub fn about(spec: &Spec, method: &str, url: &str) -> String {
    match spec.find(method, url) {
        Lookup::Found(found) => {
            let op = found.operation;
            let security = spec.security(op);
            let wants = if security.alternatives.is_empty() {
                "needs no credential".to_string()
            } else {
                format!("wants {}", security.describe())
            };
            let elsewhere = if found.host_matched {
                String::new()
            } else {
                format!(" (the spec's server is {}, another host)", found.server)
            };
            format!("{} {} {wants}{elsewhere}", op.method, op.path)
        }
        Lookup::OtherMethods { path, methods } => format!(
            "{path} is defined for {}, not {}",
            methods.join(", "),
            method.to_ascii_uppercase()
        ),
        Lookup::NoPath => {
            let path = crate::url_text::Url::parse(url).map_or(url.to_string(), |u| u.path);
            let path = path.split(['?', '#']).next().unwrap_or("").to_string();
            format!(
                "no operation of the spec matches {} {}",
                method.to_ascii_uppercase(),
                crate::secret::mask_shaped(&path)
            )
        }
    }
}
