//! The list's side of the history file: its entries put back when it has been read, each
//! finished send kept, a watched exchange kept on `s`, and at quit the entries deleted with
//! `d` forgotten. Only effects leave here; the history thread does the work
//! (`history_store`).
//!
//! What is kept: every send that got at least one response (as Postman and Insomnia keep
//! every request sent), and from a watch only what the user keeps with `s` — a watch can see
//! thousands of exchanges, and a history that fills with them would push every send out.
//! A send that got no response at all stays in this run's list but is not written: there is
//! no exchange to reopen.

use super::app::{App, Entry, EntryKind, Level, Outcome};
use super::history_store::{Keep, Op, Restored, Source};
use super::msg::Effect;
use crate::draft::Draft;
use std::sync::Arc;

/// What the app knows of the history file.
#[derive(Debug, Clone, Default)]
pub struct HistoryState {
    /// The file's entries are in the list: only then may quit say which were deleted.
    pub loaded: bool,
    /// The last query of `/` in the list, searched again by `/` then Enter.
    pub query: String,
}

/// The file's entries, after what is in the list already (appended, so no index held
/// elsewhere moves).
pub fn restored(app: &mut App, r: Restored) -> Vec<Effect> {
    app.history.loaded = true;
    if let Some(note) = r.note {
        app.status = Some((Level::Error, note));
    }
    app.entries.extend(r.entries);
    app.touch(); // an empty list (a watch's) now has a selected entry
    Vec::new()
}

/// The history entry a finished send just added, to keep on disk.
pub fn sent(app: &App, name: &str, draft: &Draft, outcome: &Outcome) -> Option<Effect> {
    let (loaded, error) = match outcome {
        Outcome::Done(l) => (l.clone(), None),
        Outcome::Failed {
            message,
            partial: Some(l),
        } => (l.clone(), Some(message.clone())),
        _ => return None,
    };
    Some(keep(app, name, draft, loaded, error, Source::Send))
}

fn keep(
    app: &App,
    name: &str,
    draft: &Draft,
    loaded: Arc<super::app::Loaded>,
    error: Option<String>,
    source: Source,
) -> Effect {
    Effect::History(Op::Keep(Box::new(Keep {
        name: name.to_string(),
        source,
        at: app.unix_now.unwrap_or(0),
        draft: draft.clone(),
        loaded,
        error,
    })))
}

/// `s` on the watch screen: the selected exchange into the list as a history entry, and kept
/// on disk — once: the same exchange kept again is said, not doubled.
pub fn keep_watched(app: &mut App) -> Vec<Effect> {
    let Some(entry) = app
        .watch
        .as_ref()
        .and_then(|w| w.inspect.as_ref())
        .and_then(|i| i.entry())
        .cloned()
    else {
        app.status = Some((Level::Info, "no exchange selected to keep".into()));
        return Vec::new();
    };
    let Some(loaded) = entry.outcome.as_ref().and_then(Outcome::shared).cloned() else {
        return Vec::new();
    };
    let error = match &entry.outcome {
        Some(Outcome::Failed { message, .. }) => Some(message.clone()),
        _ => None,
    };
    let status = loaded.exchange.final_response().map_or(0, |r| r.status);
    let name = format!(
        "{} · {status} {} {}",
        entry.name,
        entry.draft.method,
        crate::secret::masked_url(&entry.draft.url)
    );
    // This run's, by name: a watch numbers its exchanges from 1 each run.
    let this_runs = |e: &Entry| {
        let restored = e
            .outcome
            .as_ref()
            .and_then(Outcome::loaded)
            .map(|l| l.restored);
        e.kind == EntryKind::History && restored == Some(None)
    };
    if app.entries.iter().any(|e| this_runs(e) && e.name == name) {
        app.status = Some((Level::Info, format!("already in the history: {name}")));
        return Vec::new();
    }
    let effect = keep(
        app,
        &name,
        &entry.draft,
        loaded.clone(),
        error.clone(),
        Source::Watch,
    );
    let outcome = match error {
        None => Outcome::Done(loaded),
        Some(message) => Outcome::Failed {
            message,
            partial: Some(loaded),
        },
    };
    app.entries.push(Entry {
        name: name.clone(),
        lesson: None,
        kind: EntryKind::History,
        sample_id: None,
        draft: entry.draft,
        outcome: Some(outcome),
    });
    app.touch(); // an empty list (a watch's) now has a selected entry
    app.status = Some((Level::Info, format!("kept in the history: {name}")));
    vec![effect]
}

/// At quit: the history entries still in the list, so the file forgets those deleted — once
/// the file's own entries are back; before that the list does not know them.
pub fn at_quit(app: &App) -> Option<Effect> {
    if !app.history.loaded {
        return None;
    }
    let listed = app
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::History)
        .filter_map(|e| e.outcome.as_ref().and_then(Outcome::shared).cloned())
        .collect();
    Some(Effect::History(Op::Retain(listed)))
}

/// "diagnosed 2026-03-01 12:00 UTC, kept": the findings pane's title over a restored entry,
/// whose diagnosis is the one made then, whatever the rules say now.
pub fn diagnosed_on(at: i64) -> String {
    let iso = crate::dates::format_iso8601(at);
    let when = iso.get(..16).unwrap_or(&iso).replace('T', " ");
    format!("diagnosed {when} UTC, kept")
}
