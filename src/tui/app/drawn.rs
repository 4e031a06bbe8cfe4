//! What the last frame measured: where each pane went and how far each can scroll.
//!
//! The view measures while it draws; the runtime hands the measurements back to the state
//! (`App::record`). Controllers read them here instead of asking the view, so a click lands on
//! the pane that was drawn there and a page is the page that was seen, and the view stays the
//! only code that knows how lines wrap.

use ratatui::layout::Rect;

/// Where each pane was drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// Zero-sized when the list is collapsed (narrow terminals, list not focused).
    pub list: Rect,
    pub editor: Rect,
    /// Below the editor (or the list, where the list takes the editor's place).
    pub findings: Rect,
    pub exchange: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn pane(&self, p: super::Pane) -> Rect {
        match p {
            super::Pane::List => self.list,
            super::Pane::Editor => self.editor,
            super::Pane::Findings => self.findings,
            super::Pane::Exchange => self.exchange,
        }
    }
}

/// How the exchange pane's one scroll offset relates to what it shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExchangeRoom {
    /// The scroll offset of the body's first line (the head lines before it in its column).
    pub body_start: usize,
    /// The largest useful offset: every column shows its last line.
    pub bottom: usize,
}

/// One frame's measurements. All zero before the first frame, when nothing can scroll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    pub areas: Areas,
    /// The first request shown in the list (the list keeps the selection in view).
    pub list_offset: usize,
    /// Rows of one editor page, for PgUp/PgDn.
    pub editor_page: usize,
    /// How far `editor.scroll` can go: past it PgUp would be a dead key.
    pub editor_max: usize,
    pub exchange: ExchangeRoom,
    /// The help overlay's last page, while it is open.
    pub help_bottom: usize,
    /// Where the pending "go to" place of the exchange (`ExchangeState::goto`) was drawn: the
    /// offset the frame used, kept as the pane's scroll. `None` when the pane shows no such
    /// place.
    pub goto_offset: Option<usize>,
    pub watch: WatchDrawn,
}

/// What the watch screen measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchDrawn {
    /// The first exchange shown in the list, kept so the list scrolls only to keep the
    /// selection in view.
    pub list_offset: usize,
    /// Rows of the list: a page for PgUp/PgDn.
    pub list_rows: usize,
    /// The inspector's exchange pane, handed to it (`App::record`) for its scrolling.
    pub exchange: ExchangeRoom,
    /// Where the inspector's pending "go to" was drawn (`Drawn::goto_offset`).
    pub goto: Option<usize>,
}

impl super::App {
    /// Keeps a frame's measurements and settles what they decide: a pending "go to" becomes
    /// the scroll it was drawn at, and an editor scroll past the end (after a deletion) comes
    /// back to the last page.
    pub fn record(&mut self, drawn: Drawn) {
        if self.exchange.goto.take().is_some()
            && let Some(offset) = drawn.goto_offset
        {
            self.exchange.scroll = offset;
        }
        self.editor.scroll = self.editor.scroll.min(drawn.editor_max);
        if let Some(i) = self.watch.as_mut().and_then(|w| w.inspect.as_mut()) {
            i.record(Drawn {
                exchange: drawn.watch.exchange,
                goto_offset: drawn.watch.goto,
                ..Drawn::default()
            });
        }
        self.drawn = drawn;
    }
}
