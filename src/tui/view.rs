//! What the exchange pane's keys do: scrolling, hops, search, reveal and copy.

use super::app::{App, Level, Loaded, Target};
use super::keymap::Action;
use super::msg::Effect;
use super::update::start_edit;
use crate::vars::resolve;

pub fn exchange_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = (app.height as isize / 2).max(1);
    match action {
        Action::Down => scroll(app, 1),
        Action::Up => scroll(app, -1),
        Action::PageDown => scroll(app, page),
        Action::PageUp => scroll(app, -page),
        Action::Top => app.exchange.scroll = 0,
        Action::Bottom => app.exchange.scroll = body_lines(app).saturating_sub(1),
        Action::NextHop | Action::PrevHop => {
            let hops = app.loaded().map_or(0, |l| l.exchange.hops.len());
            let h = &mut app.exchange.hop;
            *h = if action == Action::NextHop {
                (*h + 1).min(hops.saturating_sub(1))
            } else {
                h.saturating_sub(1)
            };
            app.exchange.scroll = 0;
        }
        Action::Reveal => {
            app.exchange.reveal = !app.exchange.reveal;
            let s = if app.exchange.reveal {
                "secrets shown until you leave this pane"
            } else {
                "secrets masked"
            };
            app.status = Some((Level::Info, s.into()));
        }
        Action::Search => start_edit(app, Target::Search),
        Action::NextMatch => return find_next(app, true),
        Action::CopyCurl => return copy_curl(app),
        Action::CopyBody => return copy_body(app),
        _ => {}
    }
    Vec::new()
}

fn body_lines(app: &App) -> usize {
    app.loaded()
        .and_then(|l| l.bodies.get(app.exchange.hop))
        .map_or(0, |b| b.lines())
}

pub fn scroll(app: &mut App, by: isize) {
    let max = body_lines(app).saturating_sub(1);
    let s = app.exchange.scroll as isize + by;
    app.exchange.scroll = s.clamp(0, max as isize) as usize;
}

/// Jumps to the next body line containing the search text (after the current one if `skip`).
pub fn find_next(app: &mut App, skip: bool) -> Vec<Effect> {
    let needle = app.exchange.search.to_lowercase();
    let hop = app.exchange.hop;
    let Some((l, idx)) = app.loaded().and_then(|l| Some((l, l.bodies.get(hop)?))) else {
        return Vec::new();
    };
    if needle.is_empty() || idx.binary {
        return Vec::new();
    }
    let bytes = idx.shown(&l.exchange.hops[hop].response.body.bytes);
    let from = app.exchange.scroll + usize::from(skip);
    let found = (from..idx.lines())
        .chain(0..from.min(idx.lines()))
        .find(|&i| {
            String::from_utf8_lossy(idx.line(bytes, i))
                .to_lowercase()
                .contains(&needle)
        });
    match found {
        Some(i) => {
            app.exchange.scroll = i;
            app.status = Some((Level::Info, format!("match on line {}", i + 1)));
        }
        None => {
            app.status = Some((
                Level::Info,
                format!("{:?} not found in the body", app.exchange.search),
            ))
        }
    }
    Vec::new()
}

fn copy_curl(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.draft() else {
        return Vec::new();
    };
    let r = resolve(d, &app.vars);
    let text = crate::formats::curl::export(&r);
    let text = if app.exchange.reveal {
        text
    } else {
        r.redactor.redact(&text)
    };
    let what = if app.exchange.reveal {
        "curl command (secrets shown)"
    } else {
        "curl command (secrets masked)"
    };
    vec![Effect::Copy { what, text }]
}

fn copy_body(app: &mut App) -> Vec<Effect> {
    let hop = app.exchange.hop;
    let Some(l): Option<&Loaded> = app.loaded() else {
        return Vec::new();
    };
    let Some(h) = l.exchange.hops.get(hop) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&h.response.body.bytes).into_owned();
    let text = if app.exchange.reveal {
        text
    } else {
        l.redactor.redact(&text)
    };
    vec![Effect::Copy {
        what: "response body",
        text,
    }]
}
