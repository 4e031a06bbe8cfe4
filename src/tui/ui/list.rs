//! The request list: samples, your drafts (✎), history (↻) and a lesson's request (◆), each
//! with the status it last got. Its keys are `tui/list.rs`.

use super::{block, text, theme};
use crate::tui::app::{App, EntryKind, Outcome, Pane};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the list and says which entry it starts at, so a click picks the entry drawn there.
pub(super) fn render(app: &App, f: &mut Frame, area: Rect) -> usize {
    let focused = app.focus == Pane::List;
    let b = block("Requests", focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let offset = first_shown(app, area.height);
    let lines: Vec<Line> = app
        .entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height as usize)
        .map(|(i, e)| {
            let mark = match e.kind {
                EntryKind::Sample => " ",
                EntryKind::Yours => "✎",
                EntryKind::History => "↻",
                EntryKind::Lesson => "◆",
                EntryKind::Watched => "◉",
            };
            let status = match &e.outcome {
                Some(Outcome::Done(l)) => l.exchange.final_response().map(|r| r.status),
                _ => None,
            };
            let sel = if i == app.selected { "▶" } else { " " };
            let width = inner.width.saturating_sub(7) as usize;
            let mut spans = vec![
                Span::raw(format!("{sel}{mark} ")),
                Span::raw(text::clip(&e.name, width)),
            ];
            if let (Some(code), EntryKind::Sample | EntryKind::Yours | EntryKind::Lesson) =
                (status, e.kind)
            {
                spans.push(Span::styled(format!(" {code}"), theme::status(code)));
            }
            let line = Line::from(spans);
            if i == app.selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
    offset
}

/// The first entry shown in a list of this height, keeping the selection visible.
fn first_shown(app: &App, height: u16) -> usize {
    let inner = height.saturating_sub(2).max(1) as usize;
    app.selected.saturating_sub(inner - 1)
}
