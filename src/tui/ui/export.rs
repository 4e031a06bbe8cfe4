//! The `x` box: export targets on top, the selected one's code below, cut to the room there is.

use super::overlay::{boxed, centered};
use super::theme;
use crate::formats::export::Target;
use crate::tui::export::ExportView;
use ratatui::Frame;
use ratatui::text::Line;

pub fn render(f: &mut Frame, view: &ExportView) {
    let area = centered(f, 100, f.area().height.saturating_sub(2));
    // Borders, the targets, a rule, the key line.
    let room = (area.height as usize).saturating_sub(Target::ALL.len() + 4);
    let mut lines: Vec<Line<'static>> = Target::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let chosen = i == view.selected;
            let line = Line::raw(format!(" {} {}", if chosen { "▶" } else { " " }, t.name()));
            if chosen {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::styled(
        " Enter copies it · credentials are read from the environment, never written",
        theme::dim(),
    ));
    let inner = area.width.saturating_sub(2) as usize;
    lines.push(Line::styled("─".repeat(inner), theme::dim()));
    match &view.code {
        Ok(code) => code_lines(code, room, &mut lines),
        Err(why) => lines.push(Line::styled(
            format!(" cannot be written: {why}"),
            theme::error(),
        )),
    }
    boxed(f, area, "Export as code", lines);
}

/// The first `room` lines of the code, the last of them saying how many more were left out.
fn code_lines(code: &str, room: usize, out: &mut Vec<Line<'static>>) {
    let mut it = code.lines();
    for line in it.by_ref().take(room.saturating_sub(1)) {
        out.push(Line::raw(format!(" {line}")));
    }
    let rest: Vec<&str> = it.take(2).collect();
    match rest.as_slice() {
        [] => {}
        [last] => out.push(Line::raw(format!(" {last}"))),
        _ => out.push(Line::styled(
            " … more below (Enter copies it all)",
            theme::dim(),
        )),
    }
}
