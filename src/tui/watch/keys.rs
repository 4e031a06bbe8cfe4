//! What the watch screen's keys do, and how the events of the watch change its state.
//!
//! The exchange pane's keys are handed to the inspector (`inspect`): they scroll, reveal,
//! search and copy exactly as they do under a sent request.

use super::state::{Row, WatchPane, WatchState};
use super::{copy, export, inspect};
use crate::tui::app::{App, Level, Overlay, Pane};
use crate::tui::keymap::{self, Action, Ctx};
use crate::tui::msg::{Effect, Msg};
use crate::watch::Event;
use crossterm::event::KeyEvent;

/// The watch screen, if it is the one drawn.
pub fn shown(app: &App) -> Option<&WatchState> {
    app.watch.as_deref().filter(|w| w.shown)
}

/// A search is being typed in the watched exchange's body.
fn typing(app: &App) -> bool {
    let inspector = app.watch.as_ref().and_then(|w| w.inspect.as_ref());
    inspector.is_some_and(|i| i.editing.is_some())
}

fn watch_mut(app: &mut App) -> Option<&mut WatchState> {
    app.watch.as_deref_mut().filter(|w| w.shown)
}

/// The key contexts on the watch screen: the watch's own first (their keys are not bound in
/// the panes', so the order decides only the footer), then the focused pane's. The app's
/// anywhere keys (Ctrl+S sends a draft, F applies a fix…) are left out: nothing behind the
/// watch is edited; Ctrl+C is the watch's own quit.
pub fn contexts(app: &App) -> Vec<Ctx> {
    let Some(w) = app.watch.as_deref() else {
        return vec![Ctx::Always];
    };
    if typing(app) {
        return vec![Ctx::Editing, Ctx::Always];
    }
    let pane = match w.focus {
        WatchPane::List => Ctx::WatchList,
        WatchPane::Exchange => Ctx::Exchange,
        WatchPane::Findings => Ctx::WatchFindings,
        WatchPane::Output => Ctx::WatchOutput,
    };
    vec![Ctx::Watch, pane]
}

/// A key on the watch screen; `None` when the screen is not drawn or an overlay (help) takes
/// the keys, so the app's own handling applies.
pub fn key(app: &mut App, k: KeyEvent) -> Option<Vec<Effect>> {
    shown(app)?;
    if app.overlay.is_some() {
        return None;
    }
    let typing = typing(app);
    let effects = match keymap::lookup_in(&contexts(app), &k) {
        Some((Ctx::Exchange | Ctx::Editing, _)) => to_inspector(app, Msg::Key(k)),
        None if typing => to_inspector(app, Msg::Key(k)),
        Some((Ctx::Always, Action::Send)) => {
            let text =
                "the watch sends nothing itself: e copies this request into a draft you can send";
            app.status = Some((Level::Info, text.into()));
            Vec::new()
        }
        Some((_, action)) => act(app, action),
        None => Vec::new(),
    };
    sync(app);
    Some(effects)
}

/// Hands a key (or a paste into its search) to the inspector's exchange pane; what it says
/// goes to the status line.
fn to_inspector(app: &mut App, msg: Msg) -> Vec<Effect> {
    let Some(i) = app.watch.as_mut().and_then(|w| w.inspect.as_mut()) else {
        return Vec::new();
    };
    let effects = crate::tui::update::update(i, msg);
    if let Some(s) = i.status.take() {
        app.status = Some(s);
    }
    // Its draft never changes, so there is nothing to derive off the loop.
    effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::Derive(_)))
        .collect()
}

/// A paste on the watch screen: into the search being typed; a `curl …` command is imported
/// as anywhere else, the editor shown with it (`W` comes back).
pub fn paste(app: &mut App, text: String) -> Vec<Effect> {
    if typing(app) {
        return to_inspector(app, Msg::Paste(text));
    }
    if text.trim_start().starts_with("curl ") {
        if let Some(w) = app.watch.as_deref_mut() {
            w.shown = false;
        }
        return crate::tui::update::paste(app, &text);
    }
    let hint =
        "nothing here takes text: / searches the exchange's body; a curl command is imported";
    app.status = Some((Level::Info, hint.into()));
    Vec::new()
}

/// The answer to a body search the inspector asked for; `false` if it is not its search.
pub fn search_done(app: &mut App, id: u64, line: Option<usize>) -> bool {
    let Some(i) = app.watch.as_mut().and_then(|w| w.inspect.as_mut()) else {
        return false;
    };
    if i.exchange.searching != Some(id) {
        return false;
    }
    crate::tui::exchange::search_done(i, id, line);
    if let Some(s) = i.status.take() {
        app.status = Some(s);
    }
    true
}

fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => return crate::tui::quit::quit(app),
        Action::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::NextPane => cycle(app, 1),
        Action::PrevPane => cycle(app, 2),
        Action::WatchCopy => return copy::to_draft(app),
        Action::WatchExportHar => return export::har(app),
        Action::WatchKeep => return crate::tui::history_keep::keep_watched(app),
        _ => {
            let page = (app.drawn.watch.list_rows.max(2) - 1) as isize;
            let Some(w) = watch_mut(app) else {
                return Vec::new();
            };
            match w.focus {
                WatchPane::List => list_action(w, action, page),
                WatchPane::Output => output_action(w, action),
                WatchPane::Findings => findings_action(w, action),
                WatchPane::Exchange => {}
            }
        }
    }
    Vec::new()
}

fn list_action(w: &mut WatchState, action: Action, page: isize) {
    match action {
        Action::Down => w.select_by(1),
        Action::Up => w.select_by(-1),
        Action::PageDown => w.select_by(page),
        Action::PageUp => w.select_by(-page),
        Action::Top => w.select_by(isize::MIN),
        Action::Bottom => w.select_by(isize::MAX),
        Action::Activate => set_focus(w, WatchPane::Exchange),
        _ => {}
    }
}

/// j/k walk the findings; Enter shows the place of the response one points at (a place in
/// the request is named in its line: there is no editor here to move to).
fn findings_action(w: &mut WatchState, action: Action) {
    let Some(i) = w.inspect.as_mut() else { return };
    crate::tui::findings::findings_action(i, action);
    if action == Action::Activate {
        if i.focus == Pane::Exchange {
            w.focus = WatchPane::Exchange;
        } else {
            i.focus = Pane::Findings;
        }
    }
}

fn output_action(w: &mut WatchState, action: Action) {
    let most = w.output.len().saturating_sub(1);
    w.output_scroll = match action {
        Action::Up => (w.output_scroll + 1).min(most),
        Action::Down => w.output_scroll.saturating_sub(1),
        Action::Top => most,
        Action::Bottom => 0,
        _ => w.output_scroll,
    };
}

/// Tab walks list → exchange → findings → output (the output pane once there is output).
fn cycle(app: &mut App, step: usize) {
    let Some(w) = watch_mut(app) else { return };
    let mut panes = vec![WatchPane::List, WatchPane::Exchange, WatchPane::Findings];
    if !w.output.is_empty() {
        panes.push(WatchPane::Output);
    }
    let i = panes.iter().position(|p| *p == w.focus).unwrap_or(0);
    let step = if step == 1 { 1 } else { panes.len() - 1 };
    set_focus(w, panes[(i + step) % panes.len()]);
}

/// The focus moves; the inspector's exchange pane has it only while the watch's does (so
/// revealed secrets are hidden again on leaving it, as in the send view).
fn set_focus(w: &mut WatchState, pane: WatchPane) {
    w.focus = pane;
    if w.follow && !w.reading() {
        w.selected = w.rows.len().saturating_sub(1);
    }
    if let Some(i) = &mut w.inspect {
        crate::tui::update::set_focus(i, pane.inspector_pane());
    }
}

/// The mouse wheel scrolls the focused pane of the watch screen. Clicks do nothing yet: its
/// panes are not in `Drawn::areas`, which the app's clicks hit-test.
pub fn wheel(app: &mut App, kind: crossterm::event::MouseEventKind) -> Vec<Effect> {
    use crossterm::event::MouseEventKind as M;
    let (action, by) = match kind {
        M::ScrollDown => (Action::Down, 3),
        M::ScrollUp => (Action::Up, -3),
        _ => return Vec::new(),
    };
    let exchange = shown(app).is_some_and(|w| w.focus == WatchPane::Exchange);
    match app.watch.as_mut().and_then(|w| w.inspect.as_mut()) {
        Some(i) if exchange => crate::tui::exchange::scroll(i, by),
        _ => {
            act(app, action);
            sync(app);
        }
    }
    Vec::new()
}

/// An event of the watch, shown or not: the watch goes on while a copy is edited.
pub fn receive(app: &mut App, ev: Event) -> Vec<Effect> {
    let Some(w) = app.watch.as_deref_mut() else {
        return Vec::new();
    };
    match ev {
        Event::Listening { addr, mode, setup } => {
            w.listening = Some(super::state::Listening { addr, mode, setup })
        }
        Event::Exchange(x) => {
            w.learn_secrets(&x.sent);
            w.push(Row::Exchange(x.into()))
        }
        Event::Tunnel { id, at, host, port } => w.push(Row::Tunnel { id, at, host, port }),
        Event::Output { stream, line } => w.push_output(stream, line),
        Event::Exited { code } => {
            w.exited = Some(code);
            let text = format!("program exited with code {code}; q quits the watch");
            app.status = Some((Level::Info, text));
        }
        Event::Notice(text) => w.push_notice(text),
    }
    sync(app);
    Vec::new()
}

/// Keeps the inspector on the selected exchange.
pub fn sync(app: &mut App) {
    let (now, size) = (app.now, (app.width, app.height));
    if let Some(w) = app.watch.as_deref_mut() {
        inspect::sync(w, now, size);
    }
}
