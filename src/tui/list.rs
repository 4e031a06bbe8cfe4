//! The request list's keys: moving through the requests, deleting your own and history (at
//! once; Ctrl+Z puts it back), resetting a sample — and keeping every index that points into
//! the list right.

use super::app::{App, EntryKind, Level, Pane};
use super::keymap::Action;
use super::list_actions;
use super::msg::Effect;
use super::samples;
use super::undo::{self, Change, Deleted, Step};
use super::update::{check_files, set_focus};

pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.entries.len();
    match action {
        Action::Down if n > 0 => select(app, (app.selected + 1).min(n - 1)),
        Action::Up => select(app, app.selected.saturating_sub(1)),
        Action::Activate => {
            set_focus(app, Pane::Editor);
            Vec::new()
        }
        Action::DeleteRow => delete_entry(app),
        Action::ResetSample => {
            reset_sample(app);
            Vec::new()
        }
        Action::Rename => list_actions::start_rename(app),
        Action::Duplicate => list_actions::duplicate(app),
        Action::MoveRowUp => list_actions::move_by(app, false),
        Action::MoveRowDown => list_actions::move_by(app, true),
        _ => Vec::new(),
    }
}

/// `R` on a sample: its draft as shipped (Ctrl+Z takes the reset back).
fn reset_sample(app: &mut App) {
    let Some(e) = app.entries.get(app.selected) else {
        return;
    };
    let fresh = e
        .sample_id
        .as_deref()
        .and_then(|id| samples::pristine(id, &e.draft));
    match fresh {
        Some(d) if d == e.draft => {
            app.status = Some((Level::Info, "this sample is as it shipped".into()));
        }
        Some(d) => {
            if let Some(draft) = app.draft_mut() {
                *draft = d;
            }
            let text = "sample reset to how it shipped (Ctrl+Z takes it back)";
            app.status = Some((Level::Info, text.into()));
        }
        None => app.status = Some((Level::Info, "R resets samples; this is not one".into())),
    }
}

pub fn select(app: &mut App, i: usize) -> Vec<Effect> {
    if i == app.selected || i >= app.entries.len() {
        return Vec::new();
    }
    show(app, i)
}

/// Entry `i` selected and shown from its top, whatever was selected before.
pub(crate) fn show(app: &mut App, i: usize) -> Vec<Effect> {
    if app.lesson.as_ref().is_some_and(|l| l.entry != i) {
        super::lesson::close(app); // leaving the lesson's request leaves its world
    }
    app.selected = i;
    app.editing = None;
    app.editor.row = 0;
    app.editor.scroll = 0;
    app.exchange = Default::default();
    if let Some(l) = app.loaded() {
        app.exchange.hop = l.exchange.hops.len().saturating_sub(1);
    }
    app.selection_changed();
    app.sync_vars(); // check_files reads the new draft's variables
    check_files(app)
}

fn delete_entry(app: &mut App) -> Vec<Effect> {
    let sending_this = app
        .inflight
        .as_ref()
        .is_some_and(|f| f.entry == app.selected);
    match app.entry().map(|e| e.kind) {
        Some(EntryKind::Sample) => {
            app.status = Some((Level::Info, "samples stay; edit them freely".into()));
        }
        Some(_) if sending_this => {
            app.status = Some((Level::Info, "this request is in flight".into()));
        }
        Some(_) => {
            let gone = app.selected;
            if app.lesson.as_ref().is_some_and(|l| l.entry == gone) {
                super::lesson::close(app); // its request is gone, so is its world
            }
            let name = super::names::base(&app.entries[gone]);
            let entry = app.entries.remove(gone);
            app.selection_changed();
            let edits = renumber_after_delete(app, gone);
            app.selected = app.selected.min(app.entries.len().saturating_sub(1));
            app.exchange = Default::default();
            let text = format!("deleted \"{name}\" (Ctrl+Z brings it back)");
            app.status = Some((Level::Info, text));
            let deleted = Deleted { entry, edits };
            undo::push(&mut app.undo, gone, Step::Deleted(deleted));
        }
        None => {}
    }
    Vec::new()
}

/// Everything that points at an entry by index follows the entries after `gone` down one.
/// The deleted entry's own undo steps are taken off the stack, rather than applied to its
/// neighbour, and returned (oldest first) to go with it.
fn renumber_after_delete(app: &mut App, gone: usize) -> Vec<Change> {
    let shift = |i: &mut usize| {
        if *i > gone {
            *i -= 1;
        }
    };
    if let Some(f) = &mut app.inflight {
        shift(&mut f.entry);
    }
    if let Some(l) = &mut app.lesson {
        shift(&mut l.entry);
    }
    let (its, others): (Vec<_>, Vec<_>) = std::mem::take(&mut app.undo)
        .into_iter()
        .partition(|(i, _)| *i == gone);
    app.undo = others;
    for (i, _) in &mut app.undo {
        shift(i);
    }
    its.into_iter()
        .filter_map(|(_, step)| match step {
            Step::Edit(change) => Some(change),
            // Only the request at an index is deleted; a request deleted earlier at the same
            // index was another one, and its step stays on the stack.
            Step::Deleted(_) => None,
        })
        .collect()
}

/// Ctrl+Z after a delete: the request back at its index, selected, with its last exchange and
/// its own undo steps; everything after it moves up one again.
pub fn undelete(app: &mut App, at: usize, deleted: Deleted) -> Vec<Effect> {
    let at = at.min(app.entries.len());
    let shift = |i: &mut usize| {
        if *i >= at {
            *i += 1;
        }
    };
    if let Some(f) = &mut app.inflight {
        shift(&mut f.entry);
    }
    if let Some(l) = &mut app.lesson {
        shift(&mut l.entry);
    }
    for (i, _) in &mut app.undo {
        shift(i);
    }
    let text = format!("brought back \"{}\"", super::names::base(&deleted.entry));
    app.entries.insert(at, deleted.entry);
    for change in deleted.edits {
        undo::push(&mut app.undo, at, Step::Edit(change));
    }
    let effects = show(app, at);
    app.status = Some((Level::Info, text));
    effects
}
