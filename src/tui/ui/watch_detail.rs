//! The watch screen's selected exchange, drawn by the send view's own panes (exchange and
//! findings) from the inspector (`tui::watch::inspect`), under a few lines of what the proxy
//! did with it; and the pane of the program's output.

use super::{block, exchange, findings, theme};
use crate::tui::app::ExchangeRoom;
use crate::tui::watch::{Row, WatchPane, WatchState};
use crate::watch::{Stream, Watched};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the selected row's detail; returns the exchange pane's measurements and where a
/// pending "go to" was drawn.
pub fn render(w: &WatchState, f: &mut Frame, area: Rect) -> (ExchangeRoom, Option<usize>) {
    let (x, app) = match (w.selected_row(), &w.inspect) {
        (Some(Row::Exchange(x)), Some(app)) => (x, app),
        (Some(Row::Tunnel { host, port, .. }), _) => {
            tunnel(f, area, host, *port);
            return Default::default();
        }
        _ => {
            let b = block("Exchange", w.focus == WatchPane::Exchange);
            f.render_widget(b, area);
            return Default::default();
        }
    };
    let proxy = proxy_lines(x, app);
    let n = app.findings.len() as u16;
    let find_h = if n == 0 {
        3
    } else {
        (n * 2 + 3).min(area.height / 3).max(3)
    };
    let [strip, ex, fi] = Layout::vertical([
        Constraint::Length(proxy.len() as u16),
        Constraint::Min(4),
        Constraint::Length(find_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(proxy), strip);
    let drawn = exchange::render(app, f, ex);
    findings::render(app, f, fi);
    drawn
}

/// What the proxy did with the request: where it forwarded it and what it changed on the
/// way, its notes, or why it was not forwarded. Values go through the exchange's redactor.
fn proxy_lines(x: &Watched, app: &crate::tui::app::App) -> Vec<Line<'static>> {
    let mask = |s: &str| match app.loaded() {
        Some(l) if !app.exchange.reveal => l.redactor.redact(s),
        _ => s.to_string(),
    };
    let who = x.client.as_deref().unwrap_or("your program");
    let mut spans = vec![Span::styled(format!("▲ as {who} sent it · "), theme::dim())];
    match &x.forwarded {
        Some(fw) => {
            let mut line = format!("forwarded as {} {}", fw.method, mask(&fw.url));
            let changed = header_changes(x, fw);
            if !changed.is_empty() {
                line.push_str(&format!(" · {changed}"));
            }
            spans.push(Span::raw(line));
        }
        None => spans.push(Span::styled("not forwarded", theme::error())),
    }
    let mut out = vec![Line::from(spans)];
    out.extend(
        x.notes
            .iter()
            .map(|n| Line::styled(format!("• {}", mask(n)), theme::warn())),
    );
    out
}

/// `changed Host · added X-Forwarded-For · removed Proxy-Connection`: header names only.
fn header_changes(x: &Watched, fw: &crate::exchange::WireRequest) -> String {
    let find = |hs: &[crate::exchange::WireHeader], name: &str| {
        hs.iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    let (mut changed, mut added, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for h in &fw.headers {
        match find(&x.sent.headers, &h.name) {
            None => added.push(h.name.clone()),
            Some(v) if v != h.value => changed.push(h.name.clone()),
            Some(_) => {}
        }
    }
    for h in &x.sent.headers {
        if find(&fw.headers, &h.name).is_none() {
            removed.push(h.name.clone());
        }
    }
    [("changed", changed), ("added", added), ("removed", removed)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(what, v)| format!("{what} {}", v.join(", ")))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn tunnel(f: &mut Frame, area: Rect, host: &str, port: u16) {
    let b = block(&format!("CONNECT {host}:{port}"), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lines = vec![
        Line::raw("An HTTPS tunnel: the proxy passed it through without reading it, so"),
        Line::raw("nothing of its requests is known — not their headers, not their status."),
        Line::raw(""),
        Line::styled(
            "To see them, run the watch with --mitm (your program must trust authlens's CA),"
                .to_string(),
            theme::warn(),
        ),
        Line::styled(
            format!("or in reverse mode, --upstream https://{host}, with your program's base URL"),
            theme::warn(),
        ),
        Line::styled("pointed at the proxy instead of HTTP_PROXY.", theme::dim()),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The program's output, newest at the bottom (or where it was scrolled to), stderr marked;
/// only the lines on screen are built.
pub fn output(w: &WatchState, f: &mut Frame, area: Rect) {
    let mut title = match w.exited {
        Some(code) => format!("Program output · exited with code {code}"),
        None => "Program output".to_string(),
    };
    if w.output_dropped > 0 {
        title.push_str(&format!(" · {} older lines dropped", w.output_dropped));
    }
    if w.output_scroll > 0 {
        title.push_str(&format!(" · {} newer below (G)", w.output_scroll));
    }
    let b = block(&title, w.focus == WatchPane::Output);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let h = inner.height as usize;
    let end = w.output.len().saturating_sub(w.output_scroll);
    let start = end.saturating_sub(h);
    let lines: Vec<Line> = w
        .output
        .range(start..end)
        .map(|(stream, line)| {
            let line = w
                .program_secrets
                .redact(&crate::secret::escape_controls(line));
            match stream {
                Stream::Stdout => Line::raw(format!("  {line}")),
                Stream::Stderr => Line::styled(format!("! {line}"), theme::warn()),
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
