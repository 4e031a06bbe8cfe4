//! What the findings pane's keys do: walk the findings, jump to the place one points at, and
//! apply its fix — saying exactly what the fix changed.

use super::app::{App, Level, Pane, Tab};
use super::keymap::Action;
use super::msg::Effect;
use super::update::set_focus;
use crate::draft::{Body, Draft};
use crate::rules::Anchor;
use crate::secret::masked_url;

pub fn findings_action(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.findings.len();
    match action {
        Action::Down if n > 0 => app.finding_sel = (app.finding_sel + 1).min(n - 1),
        Action::Up => app.finding_sel = app.finding_sel.saturating_sub(1),
        Action::Activate => jump(app),
        Action::FindingLesson => return finding_lesson(app),
        _ => {}
    }
    Vec::new()
}

/// Opens the lesson that teaches the selected finding's cause, if there is one.
fn finding_lesson(app: &mut App) -> Vec<Effect> {
    let id = app.selected_finding().map(|f| f.id);
    match id.and_then(crate::lessons::for_finding) {
        Some(lesson) => super::lesson::start(app, lesson.clone()),
        None => {
            app.status = Some((
                super::app::Level::Info,
                "no lesson teaches this finding; L outside the findings lists them all".into(),
            ));
            Vec::new()
        }
    }
}

fn tab_index(t: Tab) -> usize {
    Tab::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// Moves the focus to where the selected finding points: a row of the editor or a hop.
fn jump(app: &mut App) {
    let Some(f) = app.selected_finding() else {
        return;
    };
    let anchor = f.anchor.clone();
    let last_hop = app
        .loaded()
        .map_or(0, |l| l.exchange.hops.len().saturating_sub(1));
    let editor = |app: &mut App, tab: Tab, row: usize| {
        app.editor.tab_index = tab_index(tab);
        app.editor.row = row;
        set_focus(app, Pane::Editor);
    };
    match anchor {
        Anchor::Draft { place, .. } => {
            let at = |d: &Draft| super::fields::editor_row(d, place);
            let (tab, row) = app.draft().map_or_else(|| at(&Draft::default()), at);
            editor(app, tab, row)
        }
        Anchor::Request => editor(app, Tab::Headers, 0),
        Anchor::Variable { name } => {
            let row = app
                .draft()
                .and_then(|d| d.vars.iter().position(|(n, _)| *n == name))
                .map_or(0, |i| i + 1);
            editor(app, Tab::Vars, row)
        }
        Anchor::DotenvLine { .. } => editor(app, Tab::Vars, 0),
        Anchor::RedirectHop { index } => {
            app.exchange.hop = index.min(last_hop);
            set_focus(app, Pane::Exchange);
        }
        // The response: its hop, scrolled so the status, header or body is at the top.
        other => {
            app.exchange.hop = last_hop;
            set_focus(app, Pane::Exchange);
            // The offset depends on the layout the focus change brings: the next frame
            // works it out and keeps it (`App::record`).
            app.exchange.goto = Some(other);
        }
    }
}

/// Applies the selected finding's fix to the draft and says what changed.
pub fn apply_fix(app: &mut App) -> Vec<Effect> {
    let Some(f) = app.selected_finding().cloned() else {
        app.status = Some((Level::Info, "no findings to fix".into()));
        return Vec::new();
    };
    let Some(fix) = f.fix else {
        let msg = format!(
            "{}: no automatic fix; the explanation says what to do",
            f.id
        );
        app.status = Some((Level::Info, msg));
        return Vec::new();
    };
    app.editing = None;
    let Some(d) = app.draft_mut() else {
        return Vec::new();
    };
    let before = d.clone();
    fix.apply(d);
    let change = describe_change(&before, d);
    app.status = Some((
        Level::Info,
        format!("fixed ({}): {change} — Ctrl+S to send again", fix.label),
    ));
    Vec::new()
}

/// Puts back the draft as it was before the last change made outside a text field, or the
/// request deleted last.
pub fn undo_change(app: &mut App) -> Vec<Effect> {
    let Some((entry, step)) = app.undo.pop() else {
        app.status = Some((Level::Info, "nothing to take back".into()));
        return Vec::new();
    };
    let step = match step {
        super::undo::Step::Edit(change) => change,
        super::undo::Step::Deleted(deleted) => return super::list::undelete(app, entry, deleted),
    };
    if let Some(e) = app.entries.get(entry) {
        let mut before = e.draft.clone();
        if !step.revert(&mut before) {
            let text = "that change cannot be taken back: the body has changed since";
            app.status = Some((Level::Info, text.into()));
            return Vec::new();
        }
        let change = describe_change(&e.draft, &before);
        if let Some(d) = app.entry_draft_mut(entry) {
            *d = before;
        }
        app.status = Some((Level::Info, format!("taken back: {change}")));
    }
    Vec::new()
}

/// A header value for a message: a credential header's literal secret masked (after its
/// scheme word), `${NAME}` references left as typed.
fn shown_value(name: &str, value: &str) -> String {
    if !crate::secret::is_credential_header(name) || value.contains("${") || value.contains("{{") {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, cred)) => format!("{scheme} {}", crate::secret::mask(cred)),
        None => crate::secret::mask(value),
    }
}

/// One line saying what an edit changed: `Authorization: "bearer …" → "Bearer …"`.
pub fn describe_change(before: &Draft, after: &Draft) -> String {
    let mut out = Vec::new();
    if before.url != after.url {
        let (a, b) = (masked_url(&before.url), masked_url(&after.url));
        out.push(format!("URL {a:?} → {b:?}"));
    }
    let rows = before.headers.len().max(after.headers.len());
    for i in 0..rows {
        match (before.headers.get(i), after.headers.get(i)) {
            (Some(a), Some(b)) if a.enabled != b.enabled => {
                let now = if b.enabled { "enabled" } else { "disabled" };
                out.push(format!("header {} \"{}\" {now}", i + 1, b.name))
            }
            (Some(a), Some(b)) if a.name == b.name && a.value != b.value => out.push(format!(
                "{}: \"{}\" → \"{}\"",
                b.name,
                shown_value(&a.name, &a.value),
                shown_value(&b.name, &b.value)
            )),
            (Some(a), Some(b)) if a != b => out.push(format!(
                "header {}: \"{}: {}\" → \"{}: {}\"",
                i + 1,
                a.name,
                shown_value(&a.name, &a.value),
                b.name,
                shown_value(&b.name, &b.value)
            )),
            (None, Some(b)) => out.push(format!(
                "added header \"{}: {}\"",
                b.name,
                shown_value(&b.name, &b.value)
            )),
            (Some(a), None) => out.push(format!("removed header \"{}\"", a.name)),
            _ => {}
        }
    }
    if before.method != after.method {
        out.push(format!("method {:?} → {:?}", before.method, after.method));
    }
    if before.query != after.query {
        out.push("query parameters changed".into());
    }
    if before.body != after.body {
        let (a, b) = (body_summary(&before.body), body_summary(&after.body));
        out.push(if a == b {
            format!("{a} changed")
        } else {
            format!("{a} → {b}")
        });
    }
    if before.auth != after.auth {
        out.push("auth helper changed".into());
    }
    if before.vars != after.vars {
        out.push("request variables changed".into());
    }
    if out.is_empty() {
        "nothing changed".into()
    } else {
        out.join("; ")
    }
}

/// `multipart body (2 parts)`: a body named by its kind and size, for what a change did to it.
pub fn body_summary(b: &Body) -> String {
    let plural = |n: usize, one: &str, many: &str| match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    match b {
        Body::None => "no body".into(),
        Body::Text { text, .. } => format!("text body ({})", plural(text.len(), "byte", "bytes")),
        Body::Multipart { parts } => {
            format!("multipart body ({})", plural(parts.len(), "part", "parts"))
        }
    }
}
