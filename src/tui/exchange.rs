//! What the exchange pane's keys do: scrolling, hops, search, reveal and copy.

use super::app::{App, ExchangeRoom, Level, Loaded, Target};
use super::keymap::Action;
use super::msg::Effect;
use super::search::{self, Needle};
use super::update::start_edit;
use crate::vars::resolve;
use std::sync::Arc;

pub fn exchange_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = (app.height as isize / 2).max(1);
    match action {
        Action::Down => scroll(app, 1),
        Action::Up => scroll(app, -1),
        Action::PageDown => scroll(app, page),
        Action::PageUp => scroll(app, -page),
        Action::Top => scroll(app, isize::MIN),
        Action::Bottom => scroll(app, isize::MAX),
        Action::NextHop | Action::PrevHop => {
            let hops = app.loaded().map_or(0, |l| l.exchange.hops.len());
            let h = &mut app.exchange.hop;
            *h = if action == Action::NextHop {
                (*h + 1).min(hops.saturating_sub(1))
            } else {
                h.saturating_sub(1)
            };
            app.exchange.scroll = 0;
            app.exchange.found = None;
            app.exchange.searching = None; // a search of the hop left is not awaited
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
        Action::NextMatch => return find_next(app),
        Action::CopyCurl => return copy_curl(app),
        Action::CopyBody => return copy_body(app),
        _ => {}
    }
    Vec::new()
}

/// Moves the pane's window by `by` lines, between the top and the last page (`G`: the last
/// line at the bottom, not alone at the top). The offset kept may be past the last page of a
/// pane that has since grown (focus, resize); moving starts from where the window is drawn.
pub fn scroll(app: &mut App, by: isize) {
    let bottom = app.drawn.exchange.bottom;
    let at = app.exchange.scroll.min(bottom);
    app.exchange.scroll = at.saturating_add_signed(by).min(bottom);
    app.exchange.found = None;
    app.exchange.goto = None;
}

/// Ends `/`: a new query is searched from the top of the window; an empty one searches again
/// for the last, after its last match (as `n` does), as in `less` and vim.
pub fn search(app: &mut App, typed: String) -> Vec<Effect> {
    if !typed.is_empty() {
        app.exchange.search = typed;
        app.exchange.found = None;
    }
    find_next(app)
}

/// Jumps to the next body line containing the search text: after the last match, or from the
/// first body line on screen. The match goes to the top of the window, or as high as the last
/// page lets it. A large body is searched off the event loop (`Effect::Search`); the jump
/// happens when the answer comes (`search_done`).
pub fn find_next(app: &mut App) -> Vec<Effect> {
    let needle = Needle::new(&app.exchange.search);
    let hop = app.exchange.hop;
    let g = app.drawn.exchange;
    let Some((l, idx)) = app.loaded().and_then(|l| Some((l, l.bodies.get(hop)?))) else {
        return Vec::new();
    };
    if needle.is_empty() {
        app.status = Some((Level::Info, "type a query after /".into()));
        return Vec::new();
    }
    if idx.binary {
        app.status = Some((Level::Info, "a binary body is not searched".into()));
        return Vec::new();
    }
    let bytes = idx.shown(&l.exchange.hops[hop].response.body.bytes);
    let on_screen = app
        .exchange
        .scroll
        .min(g.bottom)
        .saturating_sub(g.body_start);
    let from = app.exchange.found.map_or(on_screen, |f| f + 1);
    if bytes.len() <= search::INLINE_MAX {
        let found = search::find_line(idx, bytes, &needle, from, || false).unwrap_or(None);
        app.exchange.searching = None;
        show_found(app, found, g);
        return Vec::new();
    }
    let size = crate::exchange::human_size(bytes.len() as u64);
    let loaded = app
        .entry()
        .and_then(|e| e.outcome.as_ref()?.shared().cloned());
    let Some(loaded) = loaded else {
        return Vec::new();
    };
    let id = app.next_id;
    app.next_id += 1;
    app.exchange.searching = Some(id);
    let text = format!("searching the body ({size}) for {:?}…", app.exchange.search);
    app.status = Some((Level::Info, text));
    vec![Effect::Search(search::SearchJob {
        id,
        loaded,
        hop,
        query: app.exchange.search.clone(),
        from,
    })]
}

/// The answer of a search run off the event loop, if it is still the one awaited (not
/// superseded by a newer search, nor for a hop or request since left).
pub fn search_done(app: &mut App, id: u64, line: Option<usize>) -> Vec<Effect> {
    if app.exchange.searching != Some(id) {
        return Vec::new();
    }
    app.exchange.searching = None;
    let g = app.drawn.exchange;
    show_found(app, line, g);
    Vec::new()
}

fn show_found(app: &mut App, found: Option<usize>, g: ExchangeRoom) {
    match found {
        Some(i) => {
            app.exchange.scroll = (g.body_start + i).min(g.bottom);
            app.exchange.found = Some(i);
            app.status = Some((Level::Info, format!("match on line {}", i + 1)));
        }
        None => {
            app.status = Some((
                Level::Info,
                format!("{:?} not found in the body", app.exchange.search),
            ))
        }
    }
}

fn copy_curl(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.draft() else {
        return Vec::new();
    };
    if app.exchange.reveal {
        let text = crate::formats::curl::export(&resolve(d, &app.vars));
        let what = "curl command (secrets shown)";
        return vec![Effect::Copy { what, text }];
    }
    // Masked, but still runnable: credential variables stay shell references.
    let (cmd, used) = crate::formats::curl::export_with_references(d, &app.vars);
    let (text, what) = if used.is_empty() {
        (cmd, "curl command (secrets masked)")
    } else {
        let needs: Vec<String> = used.iter().map(|n| format!("{n}=…")).collect();
        let text = format!("# set first: export {}\n{cmd}", needs.join(" "));
        (text, "curl command (secrets as $VARIABLES, set them first)")
    };
    vec![Effect::Copy { what, text }]
}

/// `Y`: the shown hop's response body, masked unless secrets are revealed. A large body is
/// copied off the event loop (`Effect::CopyBody`): the text, its masking and the OSC 52
/// encoding of 20 MiB take longer than a frame.
fn copy_body(app: &mut App) -> Vec<Effect> {
    let hop = app.exchange.hop;
    let Some(loaded) = app
        .entry()
        .and_then(|e| e.outcome.as_ref()?.shared().cloned())
    else {
        return Vec::new();
    };
    let Some(h) = loaded.exchange.hops.get(hop) else {
        return Vec::new();
    };
    let job = CopyBody {
        large: h.response.body.bytes.len() > search::INLINE_MAX,
        loaded,
        hop,
        reveal: app.exchange.reveal,
    };
    if job.large {
        return vec![Effect::CopyBody(job)];
    }
    vec![Effect::Copy {
        what: CopyBody::WHAT,
        text: job.text(),
    }]
}

/// A response body to put on the clipboard, as `Y` copies it.
#[derive(Debug, Clone)]
pub struct CopyBody {
    pub loaded: Arc<Loaded>,
    pub hop: usize,
    /// Secrets shown: the body as it came; else masked.
    pub reveal: bool,
    large: bool,
}

impl PartialEq for CopyBody {
    fn eq(&self, other: &Self) -> bool {
        (self.hop, self.reveal) == (other.hop, other.reveal)
            && Arc::ptr_eq(&self.loaded, &other.loaded)
    }
}

impl CopyBody {
    pub const WHAT: &'static str = "response body";

    /// The text copied.
    pub fn text(&self) -> String {
        let Some(h) = self.loaded.exchange.hops.get(self.hop) else {
            return String::new();
        };
        let text = String::from_utf8_lossy(&h.response.body.bytes);
        if self.reveal {
            text.into_owned()
        } else {
            self.loaded.redactor.redact(&text)
        }
    }
}
