//! What the editor pane's keys do to the draft: rows, tabs, the method, helpers and bodies.

use super::app::{App, Level, Overlay, Tab, Target};
use super::fields;
use super::keymap::Action;
use super::msg::Effect;
use super::update::{METHODS, MethodChoice, check_files, send, start_edit};
use crate::draft::{Body, Place, SettingField};

pub fn editor_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(d) = app.draft() else {
        return Vec::new();
    };
    let tab = app.editor.tab();
    let vars = d.vars.len();
    let rows = fields::row_count(d, tab) + if tab == Tab::Vars { app.jar.len() } else { 0 };
    let row = app.editor.row;
    // Row 0 is the URL line; row r ≥ 1 is item r - 1 of the tab.
    let item = row.checked_sub(1);
    // On the Vars tab, the jar's cookies follow the request's variables.
    let cookie = item
        .filter(|i| tab == Tab::Vars && *i >= vars)
        .map(|i| i - vars);
    if let Some(effects) = cookie.and_then(|j| cookie_action(app, action, j)) {
        return effects;
    }
    let Some(d) = app.draft() else {
        return Vec::new();
    };
    match action {
        // Past the last row, and back, j/k scroll what is below it (the Vars tab's sources).
        Action::Down if row >= rows => scroll_by(app, 1),
        Action::Up if app.editor.scroll > 0 => scroll_by(app, -1),
        Action::Down => app.editor.row = row + 1,
        Action::Up => app.editor.row = row.saturating_sub(1),
        Action::PageDown | Action::PageUp => {
            let page = app.drawn.editor_page as isize;
            let by = if action == Action::PageDown {
                page
            } else {
                -page
            };
            scroll_by(app, by);
        }
        Action::NextTab => switch_tab(app, 1),
        Action::PrevTab => switch_tab(app, Tab::ALL.len() - 1),
        Action::Activate if row == 0 => return send(app),
        Action::Activate if tab == Tab::Auth && row == 1 => cycle_auth(app),
        Action::Activate | Action::Edit
            if tab == Tab::Settings && row == fields::setting_row(SettingField::Insecure) =>
        {
            flip_verify(app)
        }
        Action::Activate if tab == Tab::Body && matches!(d.body, Body::None) => cycle_body(app),
        Action::Activate | Action::Edit => match item {
            None => start_edit(app, Target::Draft(Place::Url)),
            Some(i) => edit_target(app, fields::value_target(d, tab, i)),
        },
        Action::EditName => edit_target(app, item.and_then(|i| fields::name_target(d, tab, i))),
        Action::EditFilename => match item.and_then(|i| fields::filename_target(d, tab, i)) {
            Some(t) => start_edit(app, t),
            None => note(
                app,
                "only a file part has a file name (Body tab; f adds one)",
            ),
        },
        Action::EditContentType => match fields::content_type_target(d, tab, item) {
            Some(t) => start_edit(app, t),
            None => note(app, "T sets the content type of a text body or a file part"),
        },
        Action::AddRow | Action::AddFilePart => {
            return add_row(app, tab, action == Action::AddFilePart);
        }
        Action::DeleteRow | Action::ToggleRow | Action::MoveRowUp | Action::MoveRowDown => {
            return row_op(app, action, tab, item);
        }
        Action::PickMethod => {
            let selected = METHODS
                .iter()
                .position(|m| matches!(m, MethodChoice::Method(name) if *name == d.method))
                .unwrap_or(METHODS.len() - 1);
            app.overlay = Some(Overlay::MethodPicker { selected });
        }
        Action::PrettyBody => pretty_body(app),
        Action::CycleAuth if tab == Tab::Body => cycle_body(app),
        Action::CycleAuth => cycle_auth(app),
        Action::CycleClient => super::program::cycle_client(app),
        Action::CycleLoader => super::program::cycle_loader(app),
        _ => {}
    }
    Vec::new()
}

/// What a key does on a cookie row of the Vars tab; `None` for keys that act as anywhere
/// else in the editor (moving, switching tabs, sending).
fn cookie_action(app: &mut App, action: Action, j: usize) -> Option<Vec<Effect>> {
    match action {
        Action::Activate | Action::Edit => super::cookies::edit(app, j),
        Action::DeleteRow => super::cookies::delete(app, j),
        Action::EditName | Action::ToggleRow | Action::MoveRowUp | Action::MoveRowDown => note(
            app,
            "a cookie's name, domain and path are the server's: Enter edits its value, d deletes it",
        ),
        _ => return None,
    }
    Some(Vec::new())
}

/// Delete, toggle or move the selected row of the current tab.
fn row_op(app: &mut App, action: Action, tab: Tab, item: Option<usize>) -> Vec<Effect> {
    let Some(i) = item else { return Vec::new() };
    let Some(d) = app.draft_mut() else {
        return Vec::new();
    };
    match action {
        Action::DeleteRow if fields::delete_row(d, tab, i) => {
            let rows = fields::row_count(d, tab);
            app.editor.row = app.editor.row.min(rows);
            return check_files(app);
        }
        Action::ToggleRow => {
            let toggled = fields::toggle_row(d, tab, i);
            if !toggled && tab == Tab::Query {
                note(app, "a parameter in the URL is sent as typed; d removes it");
            }
        }
        Action::MoveRowUp | Action::MoveRowDown => {
            if let Some(j) = fields::move_row(d, tab, i, action == Action::MoveRowDown) {
                app.editor.row = j + 1;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Scrolls the editor's rows by `by` lines, within the document.
pub fn scroll_by(app: &mut App, by: isize) {
    let max = app.drawn.editor_max;
    app.editor.scroll = app.editor.scroll.saturating_add_signed(by).min(max);
}

fn edit_target(app: &mut App, target: Option<Target>) {
    match target {
        Some(t) => start_edit(app, t),
        None => note(app, "nothing to edit here; a adds a row"),
    }
}

fn note(app: &mut App, text: &str) {
    app.status = Some((Level::Info, text.to_string()));
}

fn switch_tab(app: &mut App, step: usize) {
    app.editor.tab_index = (app.editor.tab_index + step) % Tab::ALL.len();
    app.editor.scroll = 0;
    let rows = app
        .draft()
        .map_or(0, |d| fields::row_count(d, app.editor.tab()));
    app.editor.row = app.editor.row.min(rows);
}

/// Re-indents a JSON text body in place (values untouched); Ctrl+Z takes it back.
fn pretty_body(app: &mut App) {
    let Some(Body::Text { text, .. }) = app.draft_mut().map(|d| &mut d.body) else {
        return note(app, "p pretty-prints a JSON text body (Body tab)");
    };
    match crate::formats::json_pretty::pretty(text) {
        Ok(p) if p == *text => note(app, "the body is already pretty-printed"),
        Ok(p) => {
            *text = p;
            note(app, "body pretty-printed (Ctrl+Z takes it back)");
        }
        Err(e) => app.status = Some((Level::Error, format!("the body is not JSON: {e}"))),
    }
}

/// The next auth helper keeps the secret; only leaving Basic for none drops something (the
/// user and password), and the status line says so.
/// TLS verification on or off for this request; off is said at once, as every view says it.
fn flip_verify(app: &mut App) {
    let Some(d) = app.draft_mut() else { return };
    d.settings.insecure = !d.settings.insecure;
    app.status = Some(if d.settings.insecure {
        (
            Level::Error,
            "TLS verification is OFF for this request: any certificate is taken, and its exchange is marked TLS NOT VERIFIED".into(),
        )
    } else {
        (
            Level::Info,
            "TLS verification is back on for this request".into(),
        )
    });
}

fn cycle_auth(app: &mut App) {
    if let Some(d) = app.draft_mut() {
        let dropped = matches!(&d.auth, crate::draft::AuthHelper::Basic { user, password }
            if !user.is_empty() || !password.is_empty());
        d.auth = fields::next_auth(&d.auth);
        if dropped {
            note(
                app,
                "no auth helper now: the Basic user and password dropped; Ctrl+Z brings them back",
            );
        }
    }
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Auth).unwrap_or(0);
    app.editor.row = 1;
}

/// The next body kind; what the old one held is dropped, so the status line says so (the
/// change is on the undo stack like any other).
fn cycle_body(app: &mut App) {
    let Some(d) = app.draft_mut() else { return };
    let next = fields::next_body(&d.body);
    let dropped = match &d.body {
        Body::Text { text, .. } if !text.is_empty() => {
            let s = if text.len() == 1 { "" } else { "s" };
            Some(format!(
                "its text ({} byte{s}) dropped; Ctrl+Z brings it back",
                text.len()
            ))
        }
        Body::Multipart { parts } if parts.len() == 1 => {
            Some("its part dropped; Ctrl+Z brings it back".to_string())
        }
        Body::Multipart { parts } if !parts.is_empty() => Some(format!(
            "its {} parts dropped; Ctrl+Z brings them back",
            parts.len()
        )),
        _ => None,
    };
    let now = match next {
        Body::None => "no body",
        Body::Text { .. } => "text body",
        Body::Multipart { .. } => "multipart body",
    };
    d.body = next;
    app.editor.row = 1;
    if let Some(dropped) = dropped {
        let text = format!("{now} now: {dropped}");
        note(app, &text);
    }
}

fn add_row(app: &mut App, tab: Tab, file: bool) -> Vec<Effect> {
    let tab = if file { Tab::Body } else { tab };
    let Some((i, target)) = app.draft_mut().and_then(|d| fields::add_row(d, tab, file)) else {
        app.status = Some((
            Level::Info,
            "t switches the auth helper; its fields are edited with Enter".into(),
        ));
        return Vec::new();
    };
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
    app.editor.row = i + 1;
    start_edit(app, target);
    Vec::new()
}
