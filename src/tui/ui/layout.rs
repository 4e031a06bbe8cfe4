//! Where each pane goes for a terminal size — shared by drawing and by mouse clicks, so a
//! click lands on the pane that was drawn there.

use crate::tui::app::{App, Areas, Pane};
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the panes cannot show anything useful; a notice is drawn instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn too_small(app: &App) -> bool {
    app.width < MIN_WIDTH || app.height < MIN_HEIGHT
}

/// Wide: three columns. Medium: list beside editor over exchange. Narrow (80 columns): editor
/// over exchange, with the list taking the editor's place while it has the focus.
pub fn areas(app: &App) -> Areas {
    let full = Rect::new(0, 0, app.width, app.height);
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(full);
    let mut a = Areas {
        status,
        footer,
        ..Areas::default()
    };
    if app.width >= 150 {
        // Very wide screens widen the list too (long names of your own requests), and give
        // the rest to the exchange, so wire and response sit side by side.
        let wide = app.width >= 180;
        let [list, editor, exchange] = Layout::horizontal([
            Constraint::Length(if wide { 44 } else { 32 }),
            Constraint::Percentage(if wide { 34 } else { 40 }),
            Constraint::Min(40),
        ])
        .areas(main);
        (a.list, a.exchange) = (list, exchange);
        (a.editor, a.findings) = split_findings(app, editor);
        return a;
    }
    let (left, right) = if app.width >= 100 {
        let list = if app.width >= 120 { 32 } else { 28 };
        let [l, r] =
            Layout::horizontal([Constraint::Length(list), Constraint::Min(40)]).areas(main);
        (Some(l), r)
    } else {
        (None, main)
    };
    let top = match app.focus {
        Pane::Exchange => 40,
        _ => 55,
    };
    let [upper, lower] =
        Layout::vertical([Constraint::Percentage(top), Constraint::Min(5)]).areas(right);
    a.exchange = lower;
    let (upper, findings) = split_findings(app, upper);
    a.findings = findings;
    match left {
        Some(l) => (a.list, a.editor) = (l, upper),
        None if app.focus == Pane::List => a.list = upper,
        None => a.editor = upper,
    }
    a
}

/// The findings strip under the editor: one line per finding plus the selected one's
/// explanation, never more than 40% of the column (60% while it has the focus).
fn split_findings(app: &App, area: Rect) -> (Rect, Rect) {
    let n = app.findings.len() as u16;
    let spec = if super::spec::line(app).is_some() {
        2
    } else {
        0
    };
    let want = spec + if n == 0 { 3 } else { n * 2 + 8 };
    let share = if app.focus == Pane::Findings { 60 } else { 40 };
    let h = want.min(area.height * share / 100).max(3);
    let [top, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(h)]).areas(area);
    (top, bottom)
}
