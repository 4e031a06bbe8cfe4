//! Boxes drawn over the panes: the `?` help (generated from the keymap), the method picker,
//! and the questions at quit: a request still in flight, typed secrets that would be dropped.

use super::{scroll, theme};
use crate::tui::app::{App, Overlay, UnsavedQuestion};
use crate::tui::keep::GitState;
use crate::tui::keymap::{self, BINDINGS, Ctx};
use crate::tui::update::METHODS;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

/// Draws the open overlay; for the help, says its last page (j stops there rather than
/// scrolling into blank space), else 0.
pub fn render(app: &App, f: &mut Frame) -> usize {
    match &app.overlay {
        Some(Overlay::Help { scroll }) => return help(f, *scroll),
        Some(Overlay::MethodPicker { selected }) => picker(f, *selected),
        Some(Overlay::Export(view)) => super::export::render(f, view),
        Some(Overlay::ConfirmQuit) => confirm(f),
        Some(Overlay::UnsavedSecrets(q)) => unsaved(f, q),
        Some(Overlay::Lessons { selected }) => lesson_list(f, *selected),
        Some(Overlay::Lesson { scroll }) => lesson_text(app, f, *scroll),
        None => {}
    }
    0
}

pub(super) fn centered(f: &Frame, w: u16, h: u16) -> Rect {
    let a = f.area();
    let (w, h) = (w.min(a.width), h.min(a.height));
    Rect::new(a.x + (a.width - w) / 2, a.y + (a.height - h) / 2, w, h)
}

pub(super) fn boxed(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>) {
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
    let mut lines = help_intro();
    let mut last_title = "";
    for ctx in HELP_ORDER {
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

/// Every key context, in the order the help lists them: where you start, the panes in the
/// order Tab walks them, typing, then the views and boxes that open over the panes. A context
/// left out here would hide its keys from `?` (a test checks every binding is listed).
pub const HELP_ORDER: [Ctx; 24] = [
    Ctx::Always,
    Ctx::Global,
    Ctx::List,
    Ctx::Editor,
    Ctx::Findings,
    Ctx::Exchange,
    Ctx::SpecOffer,
    Ctx::Editing,
    Ctx::EditingBody,
    Ctx::Renaming,
    Ctx::SavingAs,
    Ctx::Compare,
    Ctx::LessonList,
    Ctx::Lesson,
    Ctx::MethodPicker,
    Ctx::ExportPicker,
    Ctx::ConfirmQuit,
    Ctx::UnsavedSecrets,
    Ctx::Watch,
    Ctx::WatchList,
    Ctx::WatchFindings,
    Ctx::WatchOutput,
    Ctx::WatchAway,
    Ctx::Help,
];

fn help_intro() -> Vec<Line<'static>> {
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
    lines.push(Line::raw(
        "Request list: ✓/✗ a sample built to pass/fail · ✎ yours · ≡ a .http file's · ↻ as sent · ◆ a lesson.",
    ));
    lines
}

/// Where the help box goes on a screen of this size: up to 90 wide, all but the last row.
fn help_rect(full: Rect) -> Rect {
    let h = full.height.saturating_sub(1);
    let w = 90.min(full.width);
    Rect::new(full.x + (full.width - w) / 2, full.y, w, h)
}

fn last_page_of(lines: &[Line<'static>], inner: Rect) -> usize {
    scroll::last_page(
        lines.len(),
        inner.height as usize,
        |i| scroll::rows(&lines[i], inner.width as usize),
        |o| usize::from(o > 0),
    )
}

/// The help from line `offset` (kept within its last page), with markers for what is cut.
fn help(f: &mut Frame, offset: usize) -> usize {
    let full = f.area();
    let area = help_rect(full);
    let inner = area.inner(Margin::new(1, 1));
    let lines = help_lines();
    let bottom = last_page_of(&lines, inner);
    let from = offset.min(bottom);
    let mut rows = Vec::new();
    if from > 0 {
        rows.push(scroll::more_above(from));
    }
    let room = (inner.height as usize).saturating_sub(rows.len());
    let filled = scroll::fill(
        from,
        lines.len(),
        room,
        inner.width as usize,
        |i| lines[i].clone(),
        |_| 0,
    );
    rows.extend(filled.lines.into_iter().flat_map(|(_, r)| r));
    if filled.next < lines.len() {
        rows.push(scroll::more_below(lines.len() - filled.next));
    }
    boxed(f, area, "Help", rows);
    bottom
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

/// Secrets listed by name before "… and N more".
const UNSAVED_LISTED: usize = 5;

/// What quitting would drop, where `w` would write it, what git would make of that, and the
/// keys — from the keymap, like the footer.
fn unsaved(f: &mut Frame, q: &UnsavedQuestion) {
    let n = q.lost.len();
    let mut lines = vec![Line::raw(match n {
        1 => " 1 secret you typed is not saved with the drafts:".to_string(),
        n => format!(" {n} secrets you typed are not saved with the drafts:"),
    })];
    for l in q.lost.iter().take(UNSAVED_LISTED) {
        lines.push(Line::from(vec![
            Span::raw(format!("   {} · {}  ", l.entry_name, l.left.place)),
            Span::styled(crate::secret::mask(&l.left.value), theme::masked()),
        ]));
    }
    if n > UNSAVED_LISTED {
        lines.push(Line::raw(format!("   … and {} more", n - UNSAVED_LISTED)));
    }
    lines.push(Line::raw(
        " Quit now and they are gone: the saved drafts say ${AUTHLENS_UNSAVED_…} there.",
    ));
    let path = q
        .path
        .as_ref()
        .map_or("(no working directory)".to_string(), |p| {
            p.display().to_string()
        });
    lines.push(Line::raw(format!(" w adds them to {path} (0600 if new)")));
    lines.push(Line::raw(
        " and saves the drafts referring to them by name.",
    ));
    let warn = match q.git {
        GitState::Tracked => Some(" ⚠ git tracks that file: the secrets would go into a commit"),
        GitState::NotIgnored => {
            Some(" ⚠ git does not ignore that file: `git add .` would commit it")
        }
        GitState::Safe | GitState::Unknown => None,
    };
    if let Some(w) = warn {
        lines.push(Line::styled(w, theme::warn()));
    }
    lines.push(Line::raw(""));
    for b in BINDINGS.iter().filter(|b| b.ctx == Ctx::UnsavedSecrets) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<5}", keymap::keys_label(b)),
                theme::header_name(),
            ),
            Span::raw(b.help),
        ]));
    }
    if q.writing.is_some() {
        lines.push(Line::styled(format!(" writing {path}…"), theme::dim()));
    }
    let width = 84.min(f.area().width);
    let inner = width.saturating_sub(2) as usize;
    let rows: usize = lines.iter().map(|l| scroll::rows(l, inner)).sum();
    let area = centered(f, width, rows as u16 + 2);
    boxed(f, area, Ctx::UnsavedSecrets.title(), lines);
}

fn lesson_list(f: &mut Frame, selected: usize) {
    let all = crate::lessons::all();
    let area = centered(f, 72, all.len() as u16 + 4);
    // Borders and the hint take three rows; the rest scrolls to keep the selection in view.
    let rows = (area.height as usize).saturating_sub(3).max(1);
    let offset = (selected + 1).saturating_sub(rows);
    let mut lines: Vec<Line> = all
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, l)| {
            let mark = if i == selected { "▶" } else { " " };
            let line = Line::raw(format!(" {mark} {}", l.title));
            if i == selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::styled(
        " Enter opens a lesson and loads its broken request",
        theme::dim(),
    ));
    boxed(f, area, "Lessons", lines);
}

/// The lesson's Markdown as wrapped text, headings bold; the progress of the last send first.
fn lesson_text(app: &App, f: &mut Frame, scroll: usize) {
    let Some(active) = &app.lesson else { return };
    let mut lines = vec![match &active.progress {
        Some(p) => Line::styled(
            crate::tui::lesson::progress_text(p),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        None => Line::styled(
            "Not sent yet: Esc, then ^S sends the request.",
            theme::dim(),
        ),
    }];
    let which = if active.fixed_loaded {
        "fixed"
    } else {
        "broken"
    };
    lines.push(Line::styled(
        format!("The {which} request is loaded. f: fixed · b: broken · Esc: back to it"),
        theme::dim(),
    ));
    lines.push(Line::raw(""));
    lines.extend(markdown_lines(&active.lesson.text));
    let lines: Vec<Line> = lines.into_iter().skip(scroll).collect();
    let a = f.area();
    let area = centered(f, 100, a.height.saturating_sub(2));
    boxed(f, area, &active.lesson.title, lines);
}

/// Markdown as plain lines: `#` headings bold without their marks, the rest as written.
pub fn markdown_lines(text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|l| match l.strip_prefix('#') {
            Some(h) => Line::styled(
                h.trim_start_matches('#').trim().to_string(),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            None => Line::raw(l.to_string()),
        })
        .collect()
}
