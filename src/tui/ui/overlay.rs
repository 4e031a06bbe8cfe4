//! Boxes drawn over the panes: the `?` help (generated from the keymap), the method picker,
//! and the quit question asked only while a request is in flight.

use super::theme;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::{self, BINDINGS, Ctx};
use crate::tui::update::METHODS;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

pub fn render(app: &App, f: &mut Frame) {
    match &app.overlay {
        Some(Overlay::Help { scroll }) => help(f, *scroll),
        Some(Overlay::MethodPicker { selected }) => picker(f, *selected),
        Some(Overlay::ConfirmQuit) => confirm(f),
        None => {}
    }
}

fn centered(f: &Frame, w: u16, h: u16) -> Rect {
    let a = f.area();
    let (w, h) = (w.min(a.width), h.min(a.height));
    Rect::new(a.x + (a.width - w) / 2, a.y + (a.height - h) / 2, w, h)
}

fn boxed(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>) {
    f.render_widget(Clear, area);
    let b = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::focused_border())
        .title(format!(" {title} "));
    f.render_widget(
        Paragraph::new(lines).block(b).wrap(Wrap { trim: false }),
        area,
    );
}

/// Every binding, grouped by where it applies — the same table the keys are read from.
pub fn help_lines() -> Vec<Line<'static>> {
    let order = [
        Ctx::Always,
        Ctx::Global,
        Ctx::List,
        Ctx::Editor,
        Ctx::Exchange,
        Ctx::Compare,
        Ctx::Editing,
        Ctx::Help,
    ];
    let mut lines = vec![Line::styled(
        "authlens — why did this request get 401?  Keys (Esc closes, j/k scroll):",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    lines.push(Line::raw(
        "Tab walks the panes: Requests → Request → Findings → Exchange. Ctrl+S sends from anywhere.",
    ));
    lines.push(Line::raw(
        "Findings underline the exact bytes they are about; F applies the selected one's fix.",
    ));
    let mut last_title = "";
    for ctx in order {
        let title = ctx.title();
        if title != last_title {
            lines.push(Line::raw(""));
            lines.push(Line::styled(title.to_string(), theme::focused_border()));
            last_title = title;
        }
        for b in BINDINGS.iter().filter(|b| b.ctx == ctx) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<16}", keymap::keys_label(b)),
                    theme::header_name(),
                ),
                Span::raw(b.help),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Paste a `curl …` command anywhere to import it. Mouse: click a pane or a request, wheel scrolls.", theme::dim()));
    lines
}

fn help(f: &mut Frame, scroll: usize) {
    let area = centered(f, 90, f.area().height.saturating_sub(1)).intersection(Rect {
        height: f.area().height.saturating_sub(1),
        ..f.area()
    });
    let lines: Vec<Line> = help_lines().into_iter().skip(scroll).collect();
    boxed(f, area, "Help", lines);
}

fn picker(f: &mut Frame, selected: usize) {
    let lines = METHODS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let line = Line::raw(format!(" {} {m}", if i == selected { "▶" } else { " " }));
            if i == selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    let area = centered(f, 24, METHODS.len() as u16 + 2);
    boxed(f, area, "Method", lines);
}

fn confirm(f: &mut Frame) {
    let lines = vec![
        Line::raw(" A request is still in flight."),
        Line::raw(" Quit anyway? y: quit · n/Esc: stay"),
    ];
    let area = centered(f, 44, 4);
    boxed(f, area, "Quit?", lines);
}
