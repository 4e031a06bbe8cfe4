//! Drawing: a pure function of `&App`. Each pane is a small function over its rectangle, and
//! every pane draws only what fits — a 20 MiB body costs the lines on screen, not the body.

pub(crate) mod compare;
pub(crate) mod editor;
pub(crate) mod editor_body;
pub(crate) mod editor_query;
mod editor_settings;
pub(crate) mod exchange;
mod export;
pub(crate) mod findings;
mod jar;
pub mod layout;
mod list;
pub mod overlay;
pub(crate) mod scroll;
pub(crate) mod spec;
pub(crate) mod text;
pub(crate) mod theme;
pub(crate) mod vars;
mod watch;
mod watch_detail;

use super::app::{App, Drawn, Level, Server, Target};
use super::input::TextInput;
use super::keymap::{self, contexts};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Draws a frame and says what it measured, for `App::record`: drawing never changes the app,
/// and controllers never measure the view themselves.
pub fn render(app: &App, f: &mut Frame) -> Drawn {
    if layout::too_small(app) {
        too_small(app, f);
        return Drawn::default();
    }
    if let Some(w) = crate::tui::watch::keys::shown(app) {
        let mut drawn = watch::render(app, w, f);
        // A body search typed in the watched exchange has its prompt in the status line.
        let typing = w.inspect.as_deref().filter(|i| i.editing.is_some());
        status(typing.unwrap_or(app), f, drawn.areas.status);
        footer(app, f, drawn.areas.footer);
        drawn.help_bottom = overlay::render(app, f);
        return drawn;
    }
    let a = layout::areas(app);
    let mut drawn = Drawn {
        areas: a,
        ..Drawn::default()
    };
    if a.list.width > 0 {
        drawn.list_offset = list::render(app, f, a.list);
    }
    if a.editor.width > 0 {
        (drawn.editor_page, drawn.editor_max) = editor::render(app, f, a.editor);
    }
    if a.findings.width > 0 {
        findings::render(app, f, a.findings);
    }
    (drawn.exchange, drawn.goto_offset) = exchange::render(app, f, a.exchange);
    if let Some(view) = &app.compare {
        let full = f.area();
        let above_status = Rect {
            height: a.status.y.saturating_sub(full.y),
            ..full
        };
        compare::render(app, view, f, above_status);
    }
    status(app, f, a.status);
    footer(app, f, a.footer);
    drawn.help_bottom = overlay::render(app, f);
    drawn
}

fn too_small(app: &App, f: &mut Frame) {
    let msg = format!(
        "Terminal too small: authlens needs {}×{}, this is {}×{}. Enlarge it, or q to quit.",
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT,
        app.width,
        app.height
    );
    f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), f.area());
}

/// A bordered block whose border says whether the pane has the focus (colour and a ● mark).
pub fn block(title: &str, focused: bool) -> Block<'static> {
    let (style, mark) = if focused {
        (theme::focused_border(), "● ")
    } else {
        (theme::border(), "")
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(style)
        .title(Span::styled(format!(" {mark}{title} "), style))
}

/// The status line: what is happening, the last message, and the practice server's address
/// on the right — which gives way when a message needs the room. A message still too long
/// loses its middle, not its end (where paths and the "after" of a fix are).
fn status(app: &App, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if let Some(inflight) = &app.inflight {
        let elapsed = app.now.saturating_duration_since(inflight.started);
        let frame = (elapsed.as_millis() / 100) as usize % SPINNER.len();
        spans.push(Span::styled(
            format!(
                "{} sending… {:.1} s (Esc cancels)  ",
                SPINNER[frame],
                elapsed.as_secs_f64()
            ),
            theme::warn(),
        ));
    }
    // While a search is typed the status line is its prompt, as in less and vim.
    let mut cursor = None;
    let search = app.editing.as_ref().filter(|e| e.target == Target::Search);
    if let Some(e) = search {
        cursor = Some(search_prompt(app, &e.input, &mut spans));
    }
    let saving = app.editing.as_ref().filter(|e| e.target == Target::SaveAs);
    if let Some(e) = saving {
        cursor = Some(save_prompt(app, &e.input, &mut spans));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let message = match &app.status {
        _ if search.is_some() || saving.is_some() => None,
        Some((Level::Error, m)) => Some((format!("✗ {m}"), theme::error())),
        Some((Level::Info, m)) => Some((format!("• {m}"), Style::new())),
        None => None,
    };
    let right = match &app.server {
        Server::Starting => "practice server starting…".to_string(),
        Server::Ready { base, .. } => {
            format!("practice server {}", base.trim_start_matches("http://"))
        }
        Server::Failed(_) => "practice server failed".to_string(),
        Server::NotNeeded => String::new(),
    };
    let width = area.width as usize;
    let needed = used + message.as_ref().map_or(0, |(m, _)| m.chars().count());
    let right = if needed + right.chars().count() + 1 > width {
        String::new()
    } else {
        right
    };
    if let Some((m, style)) = message {
        let room = width.saturating_sub(used + right.chars().count() + 1);
        spans.push(Span::styled(text::clip_middle(&m, room), style));
    }
    let left_width = area.width.saturating_sub(right.chars().count() as u16 + 1);
    f.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            width: left_width,
            ..area
        },
    );
    if let Some(col) = cursor {
        f.set_cursor_position((area.x + col.min(left_width.saturating_sub(1)), area.y));
    }
    let r = Rect {
        x: area.x + left_width,
        width: area.width - left_width,
        ..area
    };
    f.render_widget(
        Paragraph::new(Span::styled(right, theme::dim())).right_aligned(),
        r,
    );
}

/// A first save's question on the status line: the file, then the name, with the cursor in
/// it. Returns the cursor's column.
fn save_prompt(app: &App, input: &TextInput, spans: &mut Vec<Span<'static>>) -> u16 {
    let asking_name = app
        .collection
        .saving
        .as_ref()
        .is_some_and(|s| s.file.is_some());
    let label = if asking_name {
        "save as name: "
    } else {
        "save into file: "
    };
    let before: u16 = spans.iter().map(|s| s.width() as u16).sum();
    spans.push(Span::styled(label, theme::key()));
    spans.push(Span::raw(input.text.clone()));
    spans.push(Span::styled("  Enter · Esc cancels", theme::dim()));
    before + label.chars().count() as u16 + input.cursor_line_col().1 as u16
}

/// The body search being typed, as `less` and vim show it: `/query` on the status line with
/// the cursor in it. An empty query says what Enter does with it. Returns the cursor's column.
fn search_prompt(app: &App, input: &TextInput, spans: &mut Vec<Span<'static>>) -> u16 {
    let before: u16 = spans.iter().map(|s| s.width() as u16).sum();
    spans.push(Span::styled("/", theme::key()));
    spans.push(Span::raw(input.text.clone()));
    if input.text.is_empty() {
        let (last, what) = if crate::tui::history_search::is_list_search(app) {
            (
                &app.history.query,
                "find a request: method, URL, status, finding id",
            )
        } else {
            (&app.exchange.search, "search the body")
        };
        let hint = match last.as_str() {
            "" => format!("  {what} · Enter finds · Esc cancels"),
            last => format!("  Enter: {last:?} again · type a new query · Esc cancels"),
        };
        spans.push(Span::styled(hint, theme::dim()));
    }
    before + 1 + input.cursor_line_col().1 as u16
}

/// The footer is generated from the keymap for the contexts in force: it cannot lie.
fn footer(app: &App, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (k, help) in keymap::footer(&contexts(app)) {
        let w = k.chars().count() + help.chars().count() + 4;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {k} "), theme::key()));
        spans.push(Span::styled(
            format!(" {help} "),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Draws the app into an off-screen buffer of the given size: for snapshots, screenshots and
/// benches, through the same code as the terminal.
pub fn render_to_buffer(app: &App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    render_measured(app, width, height).0
}

/// A frame at this size, and what it measured: what the runtime would hand to
/// `App::record` after drawing it.
pub fn render_measured(app: &App, width: u16, height: u16) -> (ratatui::buffer::Buffer, Drawn) {
    let mut app = app.clone();
    (app.width, app.height) = (width, height);
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut t = ratatui::Terminal::new(backend).expect("a test backend never fails");
    let mut drawn = Drawn::default();
    t.draw(|f| drawn = render(&app, f))
        .expect("a test backend never fails");
    (t.backend().buffer().clone(), drawn)
}

/// The buffer as plain text, one line per row, trailing spaces trimmed.
pub fn buffer_text(b: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..b.area.height {
        let mut line = String::new();
        for x in 0..b.area.width {
            line.push_str(b[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
