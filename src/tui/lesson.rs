//! Lessons in the TUI: pick one, its broken request becomes the selected draft in the
//! lesson's own world (variables, environment, `.env`), and every send of it says whether
//! the lesson is fixed yet. The text and checks come from `crate::lessons`.

use super::app::{App, Entry, EntryKind, EnvSnapshot, Level, Outcome, Overlay};
use super::keymap::Action;
use super::msg::Effect;
use crate::lessons::{self, Lesson, LessonRequest, Progress};
use std::path::PathBuf;

/// The lesson being worked on.
#[derive(Debug, Clone)]
pub struct ActiveLesson {
    pub lesson: Lesson,
    /// The entry holding its request.
    pub entry: usize,
    /// Whether the fixed version is loaded (for comparison) rather than the broken one.
    pub fixed_loaded: bool,
    /// The result of the last send of its request.
    pub progress: Option<Progress>,
    /// The app's own environment, put back when the lesson is closed.
    pub saved_env: EnvSnapshot,
}

/// Where the lesson files go; written by the runtime (`Effect::WriteLessonAssets`).
pub fn assets_dir() -> PathBuf {
    std::env::temp_dir().join(format!("authlens-lessons-{}", std::process::id()))
}

/// `L`: the list of lessons.
pub fn open_list(app: &mut App) -> Vec<Effect> {
    app.overlay = Some(Overlay::Lessons { selected: 0 });
    Vec::new()
}

/// Keys in the lesson list and the lesson text.
pub fn overlay_action(app: &mut App, action: Action) -> Vec<Effect> {
    let n = lessons::all().len();
    match (&mut app.overlay, action) {
        (Some(Overlay::Lessons { selected }), Action::Down) => *selected = (*selected + 1) % n,
        (Some(Overlay::Lessons { selected }), Action::Up) => *selected = (*selected + n - 1) % n,
        (Some(Overlay::Lessons { selected }), Action::Activate) => {
            if let Some(lesson) = lessons::all().get(*selected) {
                return start(app, lesson.clone());
            }
        }
        (Some(Overlay::Lesson { scroll }), Action::Down) => *scroll += 1,
        (Some(Overlay::Lesson { scroll }), Action::Up) => *scroll = scroll.saturating_sub(1),
        (Some(Overlay::Lesson { .. }), Action::LoadFixed) => load(app, true),
        (Some(Overlay::Lesson { .. }), Action::LoadBroken) => load(app, false),
        _ => {}
    }
    Vec::new()
}

/// Opens `lesson`: its broken request selected, its text shown, its files written.
pub fn start(app: &mut App, lesson: Lesson) -> Vec<Effect> {
    let saved_env = match app.lesson.take() {
        Some(old) => old.saved_env,
        None => app.env.clone(),
    };
    app.entries.push(Entry {
        name: format!("lesson: {}", lesson.title),
        lesson: Some(lesson.title.clone()),
        kind: EntryKind::Lesson,
        sample_id: None,
        draft: crate::draft::Draft::new("GET", ""),
        outcome: None,
    });
    app.lesson = Some(ActiveLesson {
        lesson,
        entry: app.entries.len() - 1,
        fixed_loaded: false,
        progress: None,
        saved_env,
    });
    load(app, false);
    app.overlay = Some(Overlay::Lesson { scroll: 0 });
    vec![Effect::WriteLessonAssets(assets_dir())]
}

/// Puts the broken or fixed request, in the lesson's world, into the lesson's entry.
fn load(app: &mut App, fixed: bool) {
    let Some(active) = app.lesson.as_mut() else {
        return;
    };
    active.fixed_loaded = fixed;
    active.progress = None;
    let req: &LessonRequest = if fixed {
        &active.lesson.fixed
    } else {
        &active.lesson.broken
    };
    let (base, other) = match &app.server {
        super::app::Server::Ready { base, other, .. } => (base.clone(), other.clone()),
        _ => (String::new(), String::new()),
    };
    let practice = lessons::practice_vars_at(&base, &other);
    let (mut draft, vars) = req.build(&practice, &assets_dir());
    draft.vars = request_vars(&vars);
    let entry = active.entry;
    let env = EnvSnapshot {
        process: req.env.clone().into_iter().collect(),
        dotenv: vars.dotenv.clone(),
        rules: req.context(app.unix_now.unwrap_or(0), &practice),
    };
    app.set_env(env);
    if let Some(d) = app.entry_draft_mut(entry) {
        *d = draft;
    }
    if let Some(e) = app.entries.get_mut(entry) {
        e.outcome = None;
    }
    if app.selected != entry {
        app.selected = entry;
        app.selection_changed();
    }
    let which = if fixed { "fixed" } else { "broken" };
    app.status = Some((
        Level::Info,
        format!("loaded the {which} request; ^S sends it"),
    ));
}

/// The request-level variables (the lesson's own and the practice values), which the draft
/// carries; the environment and `.env` go into the app's world instead.
fn request_vars(vars: &crate::vars::Vars) -> Vec<(String, String)> {
    vars.bindings
        .iter()
        .filter(|(_, b)| b.source == crate::vars::Source::Request)
        .map(|(k, b)| (k.clone(), b.value.clone()))
        .collect()
}

/// Leaves the lesson: the app's own environment comes back.
pub fn close(app: &mut App) {
    if let Some(active) = app.lesson.take() {
        app.set_env(active.saved_env);
    }
}

/// After a send of the lesson's request: "Fixed!" or "Not yet: …" in the status line.
pub fn after_send(app: &mut App, entry: usize) {
    let Some(active) = app.lesson.as_mut().filter(|l| l.entry == entry) else {
        return;
    };
    let progress = match app.entries.get(entry).and_then(|e| e.outcome.as_ref()) {
        Some(Outcome::Done(l)) => {
            lessons::check(&active.lesson, &Ok(l.exchange.clone()), &l.findings)
        }
        Some(Outcome::Failed { message, .. }) => {
            Progress::NotYet(format!("the request was not sent: {message}"))
        }
        _ => return,
    };
    let text = progress_text(&progress);
    app.status = Some((Level::Info, text));
    active.progress = Some(progress);
}

pub fn progress_text(p: &Progress) -> String {
    match p {
        Progress::Fixed => "Fixed! The server said yes and the cause is gone.".into(),
        Progress::NotYet(why) => format!("Not yet: {why}"),
    }
}
