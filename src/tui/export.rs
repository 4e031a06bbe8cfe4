//! `x`: the selected request as code for another client — the targets of `authlens export` in
//! a list, the selected one's code beside it, Enter copies it. `y` in the exchange view still
//! copies curl at once.
//!
//! The code is what `formats::export` writes: credentials are environment lookups, never the
//! values, so the preview needs no masking and the clipboard gets nothing secret.

use super::app::{App, Level, Overlay};
use super::keymap::Action;
use super::msg::Effect;
use crate::formats::export::{self, Target};

/// The open list: the target under the cursor and its code, written when the cursor moves
/// (not per frame: a large body makes long code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportView {
    pub selected: usize,
    /// The code, or why the request cannot be written for this target.
    pub code: Result<String, String>,
}

/// Opens the list on the target last copied in this session (curl the first time).
pub fn open(app: &mut App) -> Vec<Effect> {
    if app.draft().is_none() {
        app.status = Some((Level::Info, "no request selected to export".into()));
        return Vec::new();
    }
    let view = view(app, app.export_target);
    app.overlay = Some(Overlay::Export(Box::new(view)));
    Vec::new()
}

fn view(app: &App, selected: usize) -> ExportView {
    let code = match app.draft() {
        Some(draft) => export::export(Target::ALL[selected], draft, &app.vars),
        None => Err("no request selected".into()),
    };
    ExportView { selected, code }
}

/// j/k move through the targets; Enter copies the code and closes the list.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Export(open)) = &app.overlay else {
        return Vec::new();
    };
    let n = Target::ALL.len();
    let at = open.selected;
    let moved = match action {
        Action::Down => (at + 1) % n,
        Action::Up => (at + n - 1) % n,
        Action::Activate => {
            let Some(Overlay::Export(view)) = app.overlay.take() else {
                return Vec::new();
            };
            app.export_target = at;
            return copy(app, Target::ALL[at], view.code);
        }
        _ => return Vec::new(),
    };
    let next = view(app, moved);
    app.overlay = Some(Overlay::Export(Box::new(next)));
    Vec::new()
}

fn copy(app: &mut App, target: Target, code: Result<String, String>) -> Vec<Effect> {
    match code {
        Ok(text) => vec![Effect::Copy {
            what: what(target),
            text,
        }],
        Err(why) => {
            let text = format!("not exported as {}: {why}", target.name());
            app.status = Some((Level::Error, text));
            Vec::new()
        }
    }
}

/// What the status line says was copied.
fn what(target: Target) -> &'static str {
    match target {
        Target::Curl => "curl command (credentials from the environment)",
        Target::Httpie => "HTTPie command (credentials from the environment)",
        Target::PythonRequests => "Python code (requests)",
        Target::PythonHttpx => "Python code (httpx)",
        Target::JsFetch => "JavaScript code (fetch)",
        Target::RustReqwest => "Rust code (reqwest)",
        Target::Http => ".http block",
    }
}
