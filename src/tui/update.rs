//! `update(&mut App, Msg) -> Vec<Effect>`: every change of state, and nothing else.
//!
//! No I/O, no awaiting, no clock (the runtime sets `app.now`): tests drive it with messages
//! and read the state and the effects it asked for.

use super::app::{App, Editing, Entry, EntryKind, Level, Overlay, Pane, Server, Target};
use super::fields;
use super::input::TextInput;
use super::keymap::{self, Action, contexts};
pub use super::list::select;
use super::msg::{Effect, Msg};
use super::samples;
pub use super::sending::send;
use super::sending::{cancel, send_done};
use crate::draft::{Body, Draft, PartField, PartValue, Place, SettingField};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use std::sync::Arc;

/// An entry of the method picker: a common method, or typing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodChoice {
    Method(&'static str),
    /// Opens the method for typing (WebDAV's PROPFIND, a custom PURGE…).
    Custom,
}

impl std::fmt::Display for MethodChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MethodChoice::Method(m) => m,
            MethodChoice::Custom => "custom…",
        })
    }
}

/// What the picker offers, in order; the last entry types a custom method.
pub const METHODS: [MethodChoice; 8] = [
    MethodChoice::Method("GET"),
    MethodChoice::Method("POST"),
    MethodChoice::Method("PUT"),
    MethodChoice::Method("PATCH"),
    MethodChoice::Method("DELETE"),
    MethodChoice::Method("HEAD"),
    MethodChoice::Method("OPTIONS"),
    MethodChoice::Custom,
];

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let editing = app
        .editing
        .as_ref()
        .map(|e| (e.entry, e.target, e.before.clone()));
    // The pointer moving changes nothing here (the runtime does not redraw for it either);
    // with mouse capture on it is the most frequent message, so skip even the checks below.
    if let Msg::Mouse(m) = &msg
        && matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_))
    {
        return Vec::new();
    }
    let mut effects = match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => key(app, k),
        Msg::Key(_) => Vec::new(),
        Msg::Mouse(m) => mouse(app, m),
        Msg::Paste(text) if super::watch::keys::shown(app).is_some() => {
            super::watch::keys::paste(app, text)
        }
        Msg::Paste(text) => paste(app, &text),
        Msg::Resize(w, h) => {
            (app.width, app.height) = (w, h);
            if let Some(i) = app.watch.as_mut().and_then(|w| w.inspect.as_mut()) {
                (i.width, i.height) = (w, h);
            }
            Vec::new()
        }
        Msg::Watch(ev) => super::watch::keys::receive(app, ev),
        Msg::SearchDone { id, line } if super::watch::keys::search_done(app, id, line) => {
            Vec::new()
        }
        Msg::Tick => Vec::new(),
        Msg::ServerReady { base, other, page } => server_ready(app, base, other, page),
        Msg::ServerFailed(e) => {
            app.status = Some((Level::Error, format!("practice server did not start: {e}")));
            app.server = Server::Failed(e);
            Vec::new()
        }
        Msg::SendDone { id, result } => send_done(app, id, result),
        Msg::JarAfterSend { id, jar } => {
            super::sending::jar_after_send(app, id, *jar);
            Vec::new()
        }
        Msg::CompareDone { id, outcomes } => super::compare::done(app, id, outcomes),
        Msg::FilesChecked(missing) => {
            app.missing_files = missing;
            Vec::new()
        }
        Msg::PathCompleted {
            target,
            typed,
            found,
        } => path_completed(app, target, &typed, &found),
        Msg::SearchDone { id, line } => super::exchange::search_done(app, id, line),
        Msg::Derived(result) => {
            app.derived(*result);
            Vec::new()
        }
        Msg::Note { error, text } => {
            app.status = Some((if error { Level::Error } else { Level::Info }, text));
            Vec::new()
        }
        Msg::EnvGit { path, state } => {
            super::quit::env_git(app, path, state);
            Vec::new()
        }
        Msg::EnvWritten(result) => super::quit::env_written(app, result),
        Msg::Terminate => super::quit::quit_now(app),
        Msg::Started => super::spec::started(app),
        Msg::SpecLoaded { id, result } => super::spec::loaded(app, id, result),
        Msg::SpecDiscovered { id, discovery } => {
            super::spec::discover::discovered(app, id, *discovery)
        }
        Msg::Rediagnosed(done) => {
            super::spec::rediagnose::done(app, done);
            Vec::new()
        }
        Msg::HistoryLoaded(restored) => super::history_keep::restored(app, *restored),
        Msg::HttpSaved(result) => super::collection::save::saved(app, *result),
    };
    if let Some((entry, target, Some(before))) = editing {
        finished_edit(app, entry, target, &before);
    }
    // Only what a change made stale is recomputed: after a tick or a key release, nothing
    // (unless the clock moved on a second, which the lint of a JWT reads). A large draft is
    // resolved and linted off the event loop.
    if let Some(job) = app.derive_or_ask(true) {
        effects.push(Effect::Derive(Box::new(job)));
    }
    #[cfg(debug_assertions)]
    app.assert_derived();
    // A change that shortened the document (a row deleted, the window grown) is settled by
    // the next frame: `App::record` brings a scroll past its end back to the last page.
    effects
}

/// When typing in a field has ended (Enter, Esc, a send, another field) and the draft differs
/// from when it began, that edit is one Ctrl+Z step outside the field.
fn finished_edit(app: &mut App, entry: usize, target: Target, before: &Draft) {
    let still = app
        .editing
        .as_ref()
        .is_some_and(|e| e.entry == entry && e.target == target);
    if !still && app.entries.get(entry).is_some_and(|e| e.draft != *before) {
        push_undo(app, entry, before);
    }
}

/// Keeps what entry `entry`'s draft was before its last change, as the change's undo step.
fn push_undo(app: &mut App, entry: usize, before: &Draft) {
    if let Some(e) = app.entries.get(entry) {
        let change = super::undo::Change::between(before, &e.draft);
        super::undo::push(&mut app.undo, entry, super::undo::Step::Edit(change));
    }
}

fn key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    if let Some(effects) = super::watch::keys::key(app, k) {
        return effects;
    }
    match keymap::lookup(&contexts(app), &k) {
        Some(action) => act(app, action),
        None if app.editing.is_some() => {
            type_key(app, k);
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// A key with no binding while typing: text and cursor movement.
fn type_key(app: &mut App, k: KeyEvent) {
    let Some(e) = &mut app.editing else { return };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char('u') if ctrl => e.input.clear_to_start(),
        KeyCode::Char(c) if !ctrl => e.input.insert(c.encode_utf8(&mut [0; 4])),
        KeyCode::Backspace => e.input.backspace(),
        KeyCode::Delete => e.input.delete(),
        KeyCode::Left => e.input.left(),
        KeyCode::Right => e.input.right(),
        KeyCode::Home => e.input.home(),
        KeyCode::End => e.input.end(),
        _ => return,
    }
    write_back(app);
}

/// Copies the field being typed in back into the draft, so everything else sees it at once.
fn write_back(app: &mut App) {
    // Borrowed field by field: the input carries its undo history, not worth a copy per key.
    let Some(e) = &app.editing else { return };
    if matches!(
        e.target,
        Target::Search | Target::EntryName | Target::SaveAs | Target::Cookie(_)
    ) {
        // A query is used on Enter, until then it only highlights (ui::exchange); a name is
        // taken on Enter too (`list_actions::finish_rename`).
        return;
    }
    let text = match e.target {
        Target::Draft(Place::Method) if e.input.text.is_empty() => &e.was,
        _ => &e.input.text,
    };
    if let Some(entry) = app.entries.get_mut(app.selected) {
        fields::set(&mut entry.draft, e.target, text);
    }
    app.touch();
}

/// Most undo-worthy changes (a fix, a deleted row, a new method) happen outside a text field;
/// each leaves the draft it replaced on the undo stack.
fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let (entry, which) = (app.selected, app.which());
    // Debug builds copy the draft up front, to check that every change went through
    // `draft_mut` (which copies it, once, only when an action changes it).
    #[cfg(debug_assertions)]
    let check = app.draft().cloned();
    app.watch_changes();
    let effects = dispatch(app, action);
    let before = app
        .take_before()
        .filter(|(i, _)| *i == entry)
        .map(|(_, d)| d);
    // The same request still selected (a deleted one's neighbour at its index is another).
    let same = app.which() == which;
    let changed = same && before.as_ref().is_some_and(|b| Some(b) != app.draft());
    #[cfg(debug_assertions)]
    if same && app.editing.is_none() && check.as_ref() != app.draft() {
        assert!(
            before == check,
            "{action:?} changed the draft without App::draft_mut: no undo step"
        );
    }
    // A change to a history entry lands on a copy; its undo step belongs to the copy.
    let mut changed_entry = entry;
    let history = app.entry().is_some_and(|e| e.kind == EntryKind::History);
    if changed
        && history
        && let (Some(before), Some(after)) = (before.clone(), app.draft().cloned())
        && super::history::fork(app, before, after)
    {
        changed_entry = app.selected;
    }
    if changed
        && app.editing.is_none()
        && action != Action::UndoFix
        && let Some(before) = before
    {
        push_undo(app, changed_entry, &before);
    }
    effects
}

fn dispatch(app: &mut App, action: Action) -> Vec<Effect> {
    let compare_key = matches!(action, Action::Up | Action::Down | Action::CloseOverlay);
    if compare_key && app.overlay.is_none() && app.compare.is_some() {
        return super::compare::action(app, action);
    }
    match action {
        Action::Compare => super::compare::open(app),
        Action::Lessons if app.lesson.is_some() => open(app, Overlay::Lesson { scroll: 0 }),
        Action::Lessons => super::lesson::open_list(app),
        Action::Quit => super::quit::quit(app),
        Action::ConfirmYes => super::quit::confirmed(app),
        Action::KeepSecrets => super::quit::keep(app),
        Action::DropSecrets => super::quit::drop_and_quit(app),
        Action::Help => open(app, Overlay::Help { scroll: 0 }),
        // The quit question stays while `w` writes `.env`: its answer quits.
        Action::CloseOverlay if super::quit::writing(app) => Vec::new(),
        Action::CloseOverlay => {
            app.overlay = None;
            Vec::new()
        }
        Action::NextPane => cycle_focus(app, 1),
        Action::PrevPane => cycle_focus(app, Pane::ALL.len() - 1),
        Action::Send => send(app),
        Action::Cancel => cancel(app),
        Action::Commit => commit(app),
        Action::CancelEdit => {
            if app
                .editing
                .take()
                .is_some_and(|e| e.target == Target::SaveAs)
            {
                super::collection::save::cancel(app);
            }
            Vec::new()
        }
        Action::CompletePath => complete_path(app),
        Action::NewLine | Action::LineUp | Action::LineDown => {
            if let Some(e) = &mut app.editing {
                match action {
                    Action::NewLine => e.input.insert("\n"),
                    Action::LineUp => e.input.up(),
                    _ => e.input.down(),
                }
            }
            write_back(app);
            Vec::new()
        }
        Action::Undo => {
            if let Some(e) = &mut app.editing
                && !e.input.undo()
            {
                app.status = Some((Level::Info, "nothing to undo in this field".into()));
            }
            write_back(app);
            Vec::new()
        }
        _ if matches!(
            app.overlay,
            Some(Overlay::Lessons { .. } | Overlay::Lesson { .. })
        ) =>
        {
            super::lesson::overlay_action(app, action)
        }
        _ if matches!(app.overlay, Some(Overlay::Export(_))) => super::export::action(app, action),
        _ if app.overlay.is_some() => overlay_action(app, action),
        Action::ExportAs => super::export::open(app),
        Action::WatchShow => super::watch::copy::back(app),
        Action::DiscoverSpec => super::spec::discover::start(app),
        Action::NewRequest => super::list_actions::new_request(app),
        Action::SaveToFile => super::collection::save::save(app),
        Action::SwitchEnv => super::collection::envs::cycle(app),
        Action::ApplyFix => super::findings::apply_fix(app),
        Action::UndoFix => super::findings::undo_change(app),
        Action::ClearCookies => {
            super::cookies::clear(app);
            Vec::new()
        }
        Action::Search if app.focus == Pane::List => super::history_search::start(app),
        _ => match app.focus {
            Pane::List => super::list::action(app, action),
            Pane::Editor => super::editor::editor_action(app, action),
            Pane::Findings => super::findings::findings_action(app, action),
            Pane::Exchange => super::exchange::exchange_action(app, action),
        },
    }
}

fn open(app: &mut App, overlay: Overlay) -> Vec<Effect> {
    app.overlay = Some(overlay);
    Vec::new()
}

pub fn set_focus(app: &mut App, pane: Pane) {
    if app.focus == Pane::Exchange && pane != Pane::Exchange {
        app.exchange.reveal = false;
    }
    app.focus = pane;
}

fn cycle_focus(app: &mut App, step: usize) -> Vec<Effect> {
    let i = Pane::ALL.iter().position(|p| *p == app.focus).unwrap_or(0);
    set_focus(app, Pane::ALL[(i + step) % Pane::ALL.len()]);
    Vec::new()
}

fn overlay_action(app: &mut App, action: Action) -> Vec<Effect> {
    // j stops at the help's last page, as the last frame measured it.
    let help_bottom = app.drawn.help_bottom;
    match (&mut app.overlay, action) {
        (Some(Overlay::Help { scroll }), Action::Down) => *scroll = (*scroll + 1).min(help_bottom),
        (Some(Overlay::Help { scroll }), Action::Up) => *scroll = scroll.saturating_sub(1),
        (Some(Overlay::MethodPicker { selected }), Action::Down) => {
            *selected = (*selected + 1) % METHODS.len()
        }
        (Some(Overlay::MethodPicker { selected }), Action::Up) => {
            *selected = (*selected + METHODS.len() - 1) % METHODS.len()
        }
        (Some(Overlay::MethodPicker { selected }), Action::Activate) => {
            let choice = METHODS[*selected];
            app.overlay = None;
            match choice {
                MethodChoice::Custom => {
                    // Typed from scratch: the old method left in front would give "GETPROPFIND".
                    start_edit(app, Target::Draft(Place::Method));
                    if let Some(e) = &mut app.editing {
                        e.input = TextInput::new("", false);
                        let note = format!("type the method · left empty, it stays {}", e.was);
                        app.status = Some((Level::Info, note));
                    }
                }
                MethodChoice::Method(m) => {
                    if let Some(d) = app.draft_mut() {
                        d.method = m.to_string();
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

pub fn start_edit(app: &mut App, target: Target) {
    let text = match target {
        // A new query starts empty; Enter on it searches the last one again.
        Target::Search => Some(String::new()),
        t => app.draft().and_then(|d| fields::text(d, t)),
    };
    if let Some(text) = text {
        if target != Target::Search {
            super::history::fork_unchanged(app);
        }
        if is_file_path(app, target) {
            let hint = "Tab completes the path · Enter when done";
            app.status = Some((Level::Info, hint.into()));
        }
        // The field being typed in is kept in view: scrolled away from, it would be typed blind.
        app.editor.scroll = 0;
        let input = TextInput::new(&text, target == Target::Draft(Place::Body));
        app.editing = Some(Editing {
            target,
            input,
            was: text,
            entry: app.selected,
            before: app.draft().cloned().map(Arc::new),
        });
    }
}

fn commit(app: &mut App) -> Vec<Effect> {
    let Some(e) = app.editing.take() else {
        return Vec::new();
    };
    if e.target == Target::EntryName {
        return super::list_actions::finish_rename(app, e);
    }
    if e.target == Target::SaveAs {
        return super::collection::save::answer(app, e);
    }
    if let Target::Cookie(_) = e.target {
        super::cookies::commit(app, e);
        return Vec::new();
    }
    // A setting that does not parse stays open with what was typed, and says what it takes.
    if let Some(problem) = fields::setting_error(e.target, &e.input.text) {
        app.status = Some((Level::Error, problem));
        app.editing = Some(e);
        return Vec::new();
    }
    // A name is half a row: Enter goes on to its value, so the value is not typed as keys.
    if let Some(value) = app.draft().and_then(|d| fields::value_of_name(d, e.target)) {
        start_edit(app, value);
        return Vec::new();
    }
    match e.target {
        Target::Draft(Place::Url) => send(app),
        Target::Search if super::history_search::is_list_search(app) => {
            super::history_search::find(app, e.input.text)
        }
        Target::Search => super::exchange::search(app, e.input.text),
        Target::Draft(Place::Part(_, PartField::Value)) => check_files(app),
        _ => Vec::new(),
    }
}

/// Tab in a file part's path asks the runtime for the matching paths.
fn complete_path(app: &mut App) -> Vec<Effect> {
    let Some(e) = &app.editing else {
        return Vec::new();
    };
    let target = e.target;
    let typed = e.input.text.clone();
    if !is_file_path(app, target) {
        return Vec::new();
    }
    if typed.contains("${") || typed.contains("{{") {
        let text = "a path with variables is not completed; type it out or drop the variable";
        app.status = Some((Level::Info, text.into()));
        return Vec::new();
    }
    vec![Effect::CompletePath { target, typed }]
}

fn is_file_path(app: &App, target: Target) -> bool {
    match target {
        Target::Draft(Place::Part(i, PartField::Value)) => app
            .draft()
            .and_then(fields::parts)
            .and_then(|p| p.get(i))
            .is_some_and(|p| matches!(p.value, PartValue::File { .. })),
        Target::Draft(Place::Setting(
            SettingField::CaBundle | SettingField::ClientCert | SettingField::ClientKey,
        )) => true,
        _ => false,
    }
}

fn path_completed(app: &mut App, target: Target, typed: &str, found: &[String]) -> Vec<Effect> {
    // Typing went on while the directory was read: this answer is for an older text.
    let Some(e) = app
        .editing
        .as_mut()
        .filter(|e| e.target == target && e.input.text == typed)
    else {
        return Vec::new();
    };
    let done = super::complete::apply(typed, found);
    e.input.end();
    e.input.insert(&done.append);
    app.status = done.note.map(|n| (Level::Info, n));
    write_back(app);
    Vec::new()
}

/// Which multipart files to stat: the runtime answers with `FilesChecked`.
pub fn check_files(app: &App) -> Vec<Effect> {
    let Some(d) = app.draft() else {
        return Vec::new();
    };
    let Body::Multipart { parts } = &d.body else {
        return Vec::new();
    };
    let paths: Vec<String> = parts
        .iter()
        .filter_map(|p| match &p.value {
            PartValue::File { path, .. } => {
                Some(crate::vars::interpolate(path, |n| app.vars.value(n)).text)
            }
            _ => None,
        })
        .collect();
    if paths.is_empty() {
        Vec::new()
    } else {
        vec![Effect::CheckFiles(paths)]
    }
}

fn server_ready(app: &mut App, base: String, other: String, page: String) -> Vec<Effect> {
    samples::set_practice_vars(&mut app.entries, &base, &page);
    app.server = Server::Ready { base, other, page };
    app.touch();
    app.sync_vars(); // check_files reads the variables
    check_files(app)
}

pub(crate) fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    // Terminals paste line breaks as CR (what the Enter key sends); the text meant LF.
    let text = &text.replace("\r\n", "\n").replace('\r', "\n");
    let is_curl = text.trim_start().starts_with("curl ");
    let in_url = matches!(&app.editing, Some(e) if e.target == Target::Draft(Place::Url));
    if is_curl && (in_url || app.editing.is_none()) {
        return import_curl(app, text);
    }
    match &mut app.editing {
        Some(e) => {
            e.input.insert(text);
            write_back(app);
        }
        None => {
            app.status = Some((
                Level::Info,
                "to paste, edit a field first (e), or paste a curl command".into(),
            ))
        }
    }
    Vec::new()
}

fn import_curl(app: &mut App, text: &str) -> Vec<Effect> {
    match crate::formats::curl::parse(text) {
        Ok(draft) => {
            app.editing = None;
            // Unnamed: the list names it by its method and path (`names::from_draft`).
            app.entries.push(Entry::yours(String::new(), draft));
            // `show`, not `select`: with no request before it (a watch starts with none) the
            // new one's index is the selection's already, and `select` would change nothing.
            let last = app.entries.len() - 1;
            let effects = super::list::show(app, last);
            set_focus(app, Pane::Editor);
            app.status = Some((Level::Info, "curl command imported as a new request".into()));
            effects
        }
        Err(e) => {
            app.status = Some((Level::Error, format!("pasted curl command: {e}")));
            Vec::new()
        }
    }
}

fn mouse(app: &mut App, m: crossterm::event::MouseEvent) -> Vec<Effect> {
    if app.overlay.is_some() {
        return Vec::new();
    }
    if super::watch::keys::shown(app).is_some() {
        return super::watch::keys::wheel(app, m.kind);
    }
    let areas = app.drawn.areas;
    let hit = |r: ratatui::layout::Rect| r.width > 0 && r.contains((m.column, m.row).into());
    let pane = Pane::ALL.into_iter().find(|p| hit(areas.pane(*p)));
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let Some(pane) = pane else { return Vec::new() };
            app.editing = None;
            set_focus(app, pane);
            if pane == Pane::List {
                let inner_y = m.row.saturating_sub(areas.list.y + 1) as usize;
                let i = app.drawn.list_offset + inner_y;
                return select(app, i);
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = m.kind == MouseEventKind::ScrollDown;
            match pane {
                Some(Pane::Exchange) => super::exchange::scroll(app, if down { 3 } else { -3 }),
                Some(Pane::Editor) => super::editor::scroll_by(app, if down { 3 } else { -3 }),
                Some(Pane::List) => {
                    let n = app.entries.len();
                    let i = if down {
                        (app.selected + 1).min(n.saturating_sub(1))
                    } else {
                        app.selected.saturating_sub(1)
                    };
                    return select(app, i);
                }
                _ => {}
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
