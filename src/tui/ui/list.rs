//! The request list: samples, your drafts (✎), requests of `.http` files (≡), history (↻)
//! and a lesson's request (◆), each with the status it last got; the title names the active
//! environment when there are any to switch. Its keys are `tui/list.rs` and `tui/list_actions.rs`.

use super::{block, text, theme};
use crate::tui::app::{App, Entry, EntryKind, Outcome, Pane, Target};
use crate::tui::names;
use crate::tui::samples;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the list and says which entry it starts at, so a click picks the entry drawn there.
pub(super) fn render(app: &App, f: &mut Frame, area: Rect) -> usize {
    let focused = app.focus == Pane::List;
    let title = match crate::tui::collection::envs::label(&app.collection) {
        Some(env) => format!("Requests · {env}"),
        None => "Requests".to_string(),
    };
    let b = block(&title, focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let offset = first_shown(app, area.height);
    let shown = names::shown(&app.entries);
    let width = inner.width.saturating_sub(7) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, e) in app.entries.iter().enumerate().skip(offset) {
        if lines.len() >= inner.height as usize {
            break;
        }
        let renaming = renaming(app, i);
        let name = match renaming {
            Some(typed) => rename_prompt(f, inner, lines.len(), typed, width),
            None => name_span(&shown[i], width),
        };
        lines.push(entry_line(app, i, e, name));
    }
    // Where there is room below the requests, how to start one of your own.
    if lines.len() + 2 <= inner.height as usize {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" ^N new request", theme::dim()));
    }
    f.render_widget(Paragraph::new(lines), inner);
    offset
}

/// One entry: the selection, its kind's mark (✎ for a sample edited since it shipped: its
/// ✓/✗ no longer describe it), its name and the status its last send got.
fn entry_line<'a>(app: &App, i: usize, e: &Entry, name: Span<'a>) -> Line<'a> {
    let mark = match e.kind {
        EntryKind::Sample if samples::is_edited(e) => "✎",
        EntryKind::Sample => " ",
        EntryKind::Yours => "✎",
        EntryKind::History => "↻",
        EntryKind::Lesson => "◆",
        EntryKind::Watched => "◉",
        EntryKind::File(_) => "≡",
    };
    let status = match &e.outcome {
        Some(Outcome::Done(l)) => l.exchange.final_response().map(|r| r.status),
        _ => None,
    };
    let sel = if i == app.selected { "▶" } else { " " };
    let mut spans = vec![Span::raw(format!("{sel}{mark} ")), name];
    if let (
        Some(code),
        EntryKind::Sample | EntryKind::Yours | EntryKind::Lesson | EntryKind::File(_),
    ) = (status, e.kind)
    {
        spans.push(Span::styled(format!(" {code}"), theme::status(code)));
    }
    let line = Line::from(spans);
    if i == app.selected {
        line.style(theme::selected())
    } else {
        line
    }
}

/// The name in `width` columns, cut in the name and never in the suffix that tells it from
/// another entry of the same name (`names::shown`).
fn name_span((base, suffix): &(String, String), width: usize) -> Span<'static> {
    let suffix = text::clip_middle(suffix, width / 2);
    let room = width.saturating_sub(suffix.chars().count());
    Span::raw(format!("{}{suffix}", text::clip(base, room)))
}

/// The text typed so far if entry `i` is being renamed.
fn renaming(app: &App, i: usize) -> Option<&crate::tui::input::TextInput> {
    app.editing
        .as_ref()
        .filter(|e| e.target == Target::EntryName && e.entry == i)
        .map(|e| &e.input)
}

/// The rename prompt in place of the name: the end of what is typed (where the cursor
/// usually is), with the terminal's cursor in it.
fn rename_prompt(
    f: &mut Frame,
    inner: Rect,
    row: usize,
    input: &crate::tui::input::TextInput,
    width: usize,
) -> Span<'static> {
    let chars: Vec<char> = input.text.chars().collect();
    let cursor = input.text[..input.cursor].chars().count();
    let first = (cursor + 1).saturating_sub(width.max(1));
    let shown: String = chars.iter().skip(first).take(width).collect();
    let col = 3 + (cursor - first) as u16;
    f.set_cursor_position((
        inner.x + col.min(inner.width.saturating_sub(1)),
        inner.y + row as u16,
    ));
    Span::styled(shown, theme::key())
}

/// The first entry shown in a list of this height, keeping the selection visible.
fn first_shown(app: &App, height: u16) -> usize {
    let inner = height.saturating_sub(2).max(1) as usize;
    app.selected.saturating_sub(inner - 1)
}
