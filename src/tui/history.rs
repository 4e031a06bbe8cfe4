//! A history entry is a record of what was sent; it is never edited. Editing or sending it
//! works on a copy, made the moment the first change (or send) happens.

use super::app::{App, Entry, EntryKind, Level};
use crate::draft::Draft;

/// If the selected entry is history, adds a copy of it holding `draft` as the user's own
/// request and selects it; the history entry keeps `original`. Returns whether it forked.
pub fn fork(app: &mut App, original: Draft, draft: Draft) -> bool {
    let sel = app.selected;
    let Some(e) = app
        .entries
        .get_mut(sel)
        .filter(|e| e.kind == EntryKind::History)
    else {
        return false;
    };
    e.draft = original;
    // Unnamed: the list names it by its method and path as it is edited (`names::from_draft`).
    app.entries.push(Entry::yours(String::new(), draft));
    app.selected = app.entries.len() - 1;
    app.selection_changed();
    app.exchange = Default::default();
    let text = "history keeps what was sent: your changes went to a copy (✎, at the end)";
    app.status = Some((Level::Info, text.into()));
    true
}

/// `fork` before a change that has not happened yet (typing starts, a send).
pub fn fork_unchanged(app: &mut App) -> bool {
    if app.entry().is_none_or(|e| e.kind != EntryKind::History) {
        return false;
    }
    match app.draft().cloned() {
        Some(d) => fork(app, d.clone(), d),
        None => false,
    }
}
