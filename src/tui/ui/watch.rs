//! The watch screen: where the proxy listens and what went wrong on its own (header), the
//! exchanges as they happen (list), the selected one as the send view shows a sent request
//! (`watch_detail`), and the program's output. Its keys are `tui/watch/keys.rs`.

use super::{block, findings, text, theme, watch_detail};
use crate::tui::app::{App, Drawn, WatchDrawn};
use crate::tui::watch::{Row, WatchPane, WatchState};
use crate::watch::{Mode, Watched};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the watch screen over the whole frame but the status line and footer.
pub fn render(app: &App, w: &WatchState, f: &mut Frame) -> Drawn {
    let full = f.area();
    // The program's last two lines while the exchanges are read; more when it has the focus.
    let out_h = match (w.output.is_empty(), w.focus) {
        (true, _) => 0,
        (false, WatchPane::Output) => (full.height / 3).clamp(4, 16),
        (false, _) => 4,
    };
    let [head, main, output, status, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(6),
        Constraint::Length(out_h),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(full);
    header(w, f, head);
    let (list, detail) = if full.width >= 140 {
        let [l, d] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Min(60)]).areas(main);
        (l, d)
    } else {
        // A third of the height at most: on a short terminal the exchange needs the rows.
        let rows = (w.rows.len() as u16 + 2).min(main.height / 3).max(3);
        let [l, d] = Layout::vertical([Constraint::Length(rows), Constraint::Min(4)]).areas(main);
        (l, d)
    };
    let (exchange, goto) = watch_detail::render(w, f, detail);
    let watch = WatchDrawn {
        list_offset: list_pane(app, w, f, list),
        list_rows: list.height.saturating_sub(2) as usize,
        exchange,
        goto,
    };
    if out_h > 0 {
        watch_detail::output(w, f, output);
    }
    let mut drawn = Drawn {
        watch,
        ..Drawn::default()
    };
    drawn.areas.status = status;
    drawn.areas.footer = footer;
    drawn
}

/// Two lines: where the proxy listens and how it ended; then the newest fault of the proxy,
/// or while nothing went wrong the first hint of how to point a program at it.
fn header(w: &WatchState, f: &mut Frame, area: Rect) {
    let mut top = vec![Span::styled("authlens watch", theme::focused_border())];
    // First, so a narrow header cuts the counts rather than how the program ended.
    if let Some(code) = w.exited {
        let style = if code == 0 {
            theme::ok()
        } else {
            theme::error()
        };
        top.push(Span::styled(
            format!(" · program exited with code {code}"),
            style,
        ));
    }
    match &w.listening {
        Some(l) => {
            let to = match &l.mode {
                Mode::Reverse { upstream } => format!(" → {upstream}"),
                Mode::Forward => " (HTTP_PROXY)".to_string(),
            };
            top.push(Span::raw(format!(" · {}{to}", l.addr)));
        }
        None => top.push(Span::styled(" · starting…", theme::dim())),
    }
    let n = w.rows.len();
    top.push(Span::styled(
        format!(" · {n} exchange{}", if n == 1 { "" } else { "s" }),
        theme::dim(),
    ));
    if w.dropped > 0 {
        let kept = crate::tui::watch::MAX_ROWS;
        top.push(Span::styled(
            format!(" (newest {kept}; {} older dropped)", w.dropped),
            theme::warn(),
        ));
    }
    let second = match (w.notices.back(), w.listening.as_ref()) {
        (Some(last), _) => {
            let more = match w.notices_total {
                1 => String::new(),
                n => format!(" ({n} faults)"),
            };
            Line::styled(format!("! {last}{more}"), theme::warn())
        }
        (None, Some(l)) => Line::styled(l.setup.first().cloned().unwrap_or_default(), theme::dim()),
        (None, None) => Line::raw(""),
    };
    f.render_widget(Paragraph::new(vec![Line::from(top), second]), area);
}

/// The exchanges, the selection kept in view; returns the first one drawn. Only the rows on
/// screen are built.
fn list_pane(app: &App, w: &WatchState, f: &mut Frame, area: Rect) -> usize {
    let title = match (w.follow, w.reading()) {
        (true, false) => "Exchanges · following",
        (true, true) => "Exchanges · following once you are back here",
        (false, _) => "Exchanges · G follows",
    };
    let b = block(title, w.focus == WatchPane::List);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if w.rows.is_empty() {
        let mut lines = vec![Line::raw(
            "Nothing yet: requests appear here as your program sends them.",
        )];
        if let Some(l) = &w.listening {
            lines.extend(
                l.setup
                    .iter()
                    .map(|s| Line::styled(s.clone(), theme::dim())),
            );
        }
        f.render_widget(Paragraph::new(lines), inner);
        return 0;
    }
    let h = (inner.height as usize).max(1);
    let prev = app
        .drawn
        .watch
        .list_offset
        .min(w.rows.len().saturating_sub(1));
    let offset = if w.selected < prev {
        w.selected
    } else if w.selected >= prev + h {
        w.selected + 1 - h
    } else {
        prev
    };
    let width = inner.width as usize;
    let end = (offset + h).min(w.rows.len());
    let lines: Vec<Line> = (offset..end)
        .zip(w.rows.range(offset..end))
        .map(|(i, r)| {
            let line = row_line(r, width);
            if i == w.selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
    offset
}

/// `#12 POST  /v1/chat            401   132 ms  ✗ bearer-scheme-case`
fn row_line(r: &Row, width: usize) -> Line<'static> {
    match r {
        Row::Tunnel { id, host, port, .. } => Line::from(vec![
            Span::styled(format!("#{id:<4}"), theme::dim()),
            Span::raw(format!("CONNECT {host}:{port}  ")),
            Span::styled(
                format!("tunnel, not read: --upstream https://{host} shows its requests"),
                theme::dim(),
            ),
        ]),
        Row::Exchange(x) => exchange_line(x, width),
    }
}

fn exchange_line(x: &Watched, width: usize) -> Line<'static> {
    let path = crate::secret::masked_url(crate::tui::watch::state::path_and_query(&x.sent.url));
    // The path and the finding share what the number, method, status and time leave.
    let path_w = (width.saturating_sub(5 + 8 + 4 + 8) / 2).clamp(12, 48);
    let mut spans = vec![
        Span::styled(format!("#{:<4}", x.id), theme::dim()),
        Span::raw(format!("{:<7} ", text::clip(&x.sent.method, 7))),
        Span::raw(format!("{:<path_w$} ", text::clip(&path, path_w))),
    ];
    match &x.response {
        Some(r) => spans.push(Span::styled(
            format!("{:<3} ", r.status),
            theme::status(r.status),
        )),
        None => spans.push(Span::styled("--- ", theme::error())),
    }
    let ms = x.timing.total.as_secs_f64() * 1e3;
    spans.push(Span::styled(format!("{:>7} ", format_ms(ms)), theme::dim()));
    match (x.findings.first(), &x.fault) {
        (Some(top), _) => spans.push(Span::styled(
            format!("{} {}", findings::icon(top.severity), top.id),
            Style::new().fg(findings::color(top.severity)),
        )),
        (None, Some(fault)) => spans.push(Span::styled(format!("✗ {fault}"), theme::error())),
        (None, None) => spans.push(Span::styled("✓", theme::ok())),
    }
    Line::from(spans)
}

fn format_ms(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.0} s", ms / 1e3)
    } else {
        format!("{ms:.0} ms")
    }
}
