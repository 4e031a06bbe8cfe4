//! What the list does to its requests as a collection: a new blank one, rename, duplicate,
//! move — and keeping every index that points into the list right as entries come and move.
//!
//! Which entries take which action follows what each kind is:
//! - **yours** (✎): renamed, copied, moved anywhere, past samples and history too;
//! - **samples**: copied (the copy is yours to rename and move), never renamed or moved —
//!   their names and their order are the lessons' (`L`), and `R` puts one back as shipped;
//! - **history** (↻): copied, never renamed or moved — it is a record of what was sent, in the
//!   order it was sent;
//! - **a lesson's request** (◆): none; it lives in its lesson's world, which a copy would leave.

use super::app::{App, Editing, Entry, EntryKind, Level, Pane, Target};
use super::input::TextInput;
use super::msg::Effect;
use super::names;
use super::update::{set_focus, start_edit};
use crate::draft::{Draft, Place};

/// `^N` anywhere, `n` in the list: a blank GET at the end of the list, selected, the cursor in
/// its URL. It has no name of its own, so the list names it by what is typed
/// (`names::from_draft`) until it is renamed.
pub fn new_request(app: &mut App) -> Vec<Effect> {
    app.editing = None;
    app.entries
        .push(Entry::yours(String::new(), Draft::new("GET", "")));
    let effects = super::list::show(app, app.entries.len() - 1);
    set_focus(app, Pane::Editor);
    start_edit(app, Target::Draft(Place::Url));
    let text = "new request: type its URL · Enter sends · Esc when done · m picks the method";
    app.status = Some((Level::Info, text.into()));
    effects
}

/// `r`/`F2`: the selected request's name, typed in place in the list.
pub fn start_rename(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.entry() else {
        return Vec::new();
    };
    if let Some(why) = refusal(e.kind, "renamed") {
        app.status = Some((Level::Info, why));
        return Vec::new();
    }
    let name = names::base(e);
    app.editing = Some(Editing {
        target: Target::EntryName,
        input: TextInput::new(&name, false),
        was: name,
        entry: app.selected,
        before: None,
    });
    let text = "rename: Enter keeps the new name · Esc keeps the old one";
    app.status = Some((Level::Info, text.into()));
    Vec::new()
}

/// Enter in the rename prompt. An empty name is refused and the prompt stays: a request
/// with no name would be named by its URL again, which is not what was asked.
pub fn finish_rename(app: &mut App, e: Editing) -> Vec<Effect> {
    let typed: String = e.input.text.replace(char::is_control, " ");
    let typed = typed.trim();
    if typed.is_empty() {
        let text = "a name cannot be empty: type one, or Esc keeps the old one";
        app.status = Some((Level::Error, text.into()));
        app.editing = Some(e);
        return Vec::new();
    }
    if typed != e.was
        && let Some(entry) = app.entries.get_mut(e.entry)
    {
        entry.name = typed.to_string();
    }
    app.status = Some((Level::Info, format!("renamed \"{typed}\"")));
    Vec::new()
}

/// Why an entry of this kind cannot be `renamed` or `moved`; `None` for your own requests.
fn refusal(kind: EntryKind, what: &str) -> Option<String> {
    let why = match kind {
        EntryKind::Yours => return None,
        EntryKind::Sample => "samples keep their names and order (the lessons'); ^D copies one",
        EntryKind::History => "history stays as it was sent; ^D copies it into a request of yours",
        EntryKind::Lesson | EntryKind::Watched => "a lesson's request stays as the lesson set it",
        EntryKind::File(_) => {
            "a .http file's request keeps the file's name and order; ^D copies it"
        }
    };
    Some(format!("not {what}: {why}"))
}

/// `^D`: a copy of the selected request right after it, selected, named `… (copy)`. The copy
/// is yours whatever it was copied from; its last exchange stays with the original.
pub fn duplicate(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.entry() else {
        return Vec::new();
    };
    if matches!(e.kind, EntryKind::Lesson | EntryKind::Watched) {
        let text = "a lesson's request lives in its lesson's world; L opens the lesson again";
        app.status = Some((Level::Info, text.into()));
        return Vec::new();
    }
    let original = match e.kind {
        EntryKind::History => names::from_draft(&e.draft),
        EntryKind::Sample => names::unmarked(e),
        _ => names::base(e),
    };
    let name = names::copy_name(&app.entries, &original);
    let copy = Entry::yours(name.clone(), e.draft.clone());
    let at = app.selected + 1;
    reindex(app, |i| if i >= at { i + 1 } else { i });
    app.entries.insert(at, copy);
    let effects = super::list::show(app, at);
    app.status = Some((Level::Info, format!("copied as \"{name}\" (r renames it)")));
    effects
}

/// `K`/`J`: your request one place up or down the list, past whatever is there.
pub fn move_by(app: &mut App, down: bool) -> Vec<Effect> {
    let Some(kind) = app.entry().map(|e| e.kind) else {
        return Vec::new();
    };
    if let Some(why) = refusal(kind, "moved") {
        app.status = Some((Level::Info, why));
        return Vec::new();
    }
    let i = app.selected;
    let j = if down { i + 1 } else { i.wrapping_sub(1) };
    if j >= app.entries.len() {
        return Vec::new();
    }
    app.entries.swap(i, j);
    reindex(app, |k| match k {
        k if k == i => j,
        k if k == j => i,
        k => k,
    });
    app.selected = j;
    app.selection_changed();
    Vec::new()
}

/// Everything that points at an entry by its index follows the entries as they move: the
/// request in flight, the lesson's request, the field being typed in, the undo steps.
fn reindex(app: &mut App, to: impl Fn(usize) -> usize) {
    if let Some(f) = &mut app.inflight {
        f.entry = to(f.entry);
    }
    if let Some(l) = &mut app.lesson {
        l.entry = to(l.entry);
    }
    if let Some(e) = &mut app.editing {
        e.entry = to(e.entry);
    }
    for (i, _) in &mut app.undo {
        *i = to(*i);
    }
}
