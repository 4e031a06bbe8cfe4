//! The selected watched exchange as the send view shows a sent request.
//!
//! The exchange and findings panes draw an `App`'s selected entry and its outcome, and their
//! keys (scroll, hops, reveal, search, copy) act on it. Rather than teach them a second source,
//! the watch screen gives them what they already read: a small `App` whose one entry is the
//! watched request and whose outcome is what came back, masked by the same redactor a send of
//! that request would have (`formats::wire_secrets`).

use super::state::WatchState;
use crate::draft::Draft;
use crate::exchange::{Exchange, Hop, Response};
use crate::formats::wire_secrets;
use crate::tui::app::Server;
use crate::tui::app::{App, BodyIndex, Entry, EntryKind, EnvSnapshot, Loaded, Outcome};
use crate::watch::Watched;
use std::sync::Arc;
use std::time::Instant;

/// Rebuilds the inspector when the selection is on another exchange than it was built for.
pub fn sync(w: &mut WatchState, now: Instant, size: (u16, u16)) {
    let id = w.selected_row().map(|r| r.id());
    if id == w.inspecting {
        return;
    }
    w.inspecting = id;
    w.inspect = match w.selected_row() {
        Some(super::state::Row::Exchange(x)) => {
            let mut app = inspector(x, &w.upstream_url(x), now);
            (app.width, app.height) = size;
            app.focus = w.focus.inspector_pane();
            Some(Box::new(app))
        }
        _ => None,
    };
}

/// An `App` holding `x` as a request sent to `url` and what came back. Its draft is the
/// request the findings were made on (`Watched::file`, as `diagnose` reads it), so where a
/// finding points ("header 3") is named from the same rows; the exchange pane shows the
/// request as the program sent it.
pub fn inspector(x: &Watched, url: &str, now: Instant) -> App {
    let mut draft = crate::rules::from_file::draft_of(&x.file);
    if draft.url.is_empty() {
        draft = Draft::from_wire(&x.sent, url).0;
    }
    let loaded = Arc::new(loaded(x, &draft));
    let outcome = match (&x.response, &x.fault) {
        (Some(_), None) => Outcome::Done(loaded),
        (_, fault) => Outcome::Failed {
            message: fault.clone().unwrap_or_else(|| "no response".into()),
            partial: Some(loaded),
        },
    };
    let entry = Entry {
        name: format!("watched #{}", x.id),
        lesson: None,
        kind: EntryKind::Watched,
        sample_id: None,
        draft,
        outcome: Some(outcome),
    };
    App::new(vec![entry], EnvSnapshot::default(), Server::NotNeeded, now)
}

/// The exchange to show: the request as the program sent it (its header names in its case
/// and order), the response, and the proxy's findings; bodies indexed once, here. With no
/// response the request is still shown, over a status 0 (as a HAR writes it) that says so.
fn loaded(x: &Watched, draft: &Draft) -> Loaded {
    let response = x.response.clone().unwrap_or_else(|| Response {
        status: 0,
        reason: "(no response)".into(),
        ..Response::default()
    });
    let hops = vec![Hop {
        request: x.sent.clone(),
        response,
        timing: x.timing,
    }];
    let bodies = hops
        .iter()
        .map(|h| BodyIndex::build(&h.response.body.bytes))
        .collect();
    Loaded {
        exchange: Exchange {
            hops,
            stopped: None,
            ..Default::default()
        },
        redactor: wire_secrets::redactor(&x.sent, x.response.as_ref()),
        bodies,
        sent: draft.clone(),
        findings: x.findings.clone(),
        spec: None,
        restored: None,
    }
}
