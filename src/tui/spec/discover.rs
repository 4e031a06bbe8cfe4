//! Discovery, with consent: after an authentication failure, and while no document is
//! loaded, one key (`D`) tries the paths where APIs publish their OpenAPI document on the
//! origin that answered. It sends up to five GETs without credentials, so only on that key.

use super::Job;
use crate::rules::CauseId;
use crate::send::document::{self, Discovery, Tried};
use crate::tui::app::{App, EntryKind, Level, Loaded};
use crate::tui::msg::Effect;

/// What the last discovery tried, and where it found the document if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub origin: String,
    /// The URLs that gave no document, in order, with why.
    pub tried: Vec<Tried>,
    /// The URL the document came from: the `--spec` to pass next time.
    pub found: Option<String>,
}

/// The origin discovery would look on, when it is on offer: the selected request's last send
/// failed authentication, no document is loaded or being fetched, and this origin was not
/// already searched in vain. Not for an exchange the watch recorded: the watch screen has
/// no spec of its own to load into.
pub fn offer(app: &App) -> Option<String> {
    let watched = app.entry().is_some_and(|e| e.kind == EntryKind::Watched);
    if watched || app.spec.loaded.is_some() || app.spec.job.is_some() {
        return None;
    }
    let loaded = app.loaded()?;
    if !auth_failed(loaded) {
        return None;
    }
    let url = &loaded.exchange.hops.last()?.request.url;
    let origin = document::origin(url)?;
    let searched = app
        .spec
        .discovery
        .as_ref()
        .is_some_and(|r| r.origin == origin && r.found.is_none());
    (!searched).then_some(origin)
}

/// A 401 or 407, or a response the diagnosis calls an authentication failure under another
/// status (FastAPI's 403, Slack's `ok: false`…).
fn auth_failed(l: &Loaded) -> bool {
    let status = l.exchange.final_response().map(|r| r.status);
    matches!(status, Some(401 | 407))
        || l.findings
            .iter()
            .any(|f| f.id == CauseId::AuthFailureNon401Status)
}

/// `D`: looks for the document on the origin on offer (the key is bound only while it is).
pub fn start(app: &mut App) -> Vec<Effect> {
    let Some(origin) = offer(app) else {
        return Vec::new();
    };
    let id = app.next_id;
    app.next_id += 1;
    app.status = Some((
        Level::Info,
        format!("looking for the API's spec on {origin} (GETs without credentials)"),
    ));
    app.spec.job = Some(Job::Discovering {
        id,
        origin: origin.clone(),
    });
    vec![Effect::DiscoverSpec { id, origin }]
}

/// The answer to `Effect::DiscoverSpec`: the document found is loaded as `--spec` would load
/// it, and the report says which URL it came from; or what every URL answered.
pub fn discovered(app: &mut App, id: u64, found: Discovery) -> Vec<Effect> {
    let Some(Job::Discovering { id: asked, origin }) = app.spec.job.clone() else {
        return Vec::new();
    };
    if asked != id {
        return Vec::new();
    }
    app.spec.job = None;
    let url = found.found.as_ref().map(|(url, _)| url.clone());
    app.spec.discovery = Some(Report {
        origin: origin.clone(),
        tried: found.tried,
        found: url.clone(),
    });
    match found.found {
        Some((url, spec)) => super::install(app, spec, Some(&url)),
        None => {
            let n = app.spec.discovery.as_ref().map_or(0, |r| r.tried.len());
            let text =
                format!("no spec found on {origin}: {n} paths tried (the Vars tab lists them)");
            app.status = Some((Level::Error, text));
            Vec::new()
        }
    }
}
