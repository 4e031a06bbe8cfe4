//! The findings pane, and the marks findings leave on the rest of the screen: an underline on
//! the exact bytes, a severity icon in the gutter. Severity is always a word or an icon too,
//! never colour alone.

use super::text::Mark;
use super::{block, theme};
use crate::draft::Place;
use crate::rules::{Anchor, Finding, Severity};
use crate::tui::app::{App, EntryKind, Pane};
use crate::vars::find_refs;
use crate::vars::resolve::ResolvedBody;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn color(s: Severity) -> Color {
    match s {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

pub fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Info => "i",
    }
}

pub fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The underline a finding leaves on the text it points at; the selected one is also bold.
fn mark_style(s: Severity, selected: bool) -> Style {
    let st = Style::new()
        .fg(color(s))
        .add_modifier(Modifier::UNDERLINED)
        .underline_color(color(s));
    if selected {
        st.add_modifier(Modifier::BOLD)
    } else {
        st
    }
}

/// The marks for `text`, the text at `place` in the draft, and the most serious severity
/// pointing there.
pub fn marks(app: &App, place: Place, text: &str) -> (Vec<Mark>, Option<Severity>) {
    let mut marks = Vec::new();
    let mut worst: Option<Severity> = None;
    for (i, f) in app.findings.iter().enumerate() {
        let style = mark_style(f.severity, i == app.finding_sel);
        let before = marks.len();
        let mut here = false;
        match (&f.anchor, place) {
            (Anchor::Draft { place: at, bytes }, _) if *at == place => match (at, bytes) {
                // A body is not underlined whole; the gutter beside it says it.
                (Place::Body, None) => here = true,
                (_, None) => marks.push(Mark {
                    range: 0..text.len().max(1),
                    style,
                }),
                (Place::Url, Some(b)) => marks.push(Mark {
                    range: b.clone(),
                    style,
                }),
                // An empty range (a missing scheme, say) underlines the byte it is before.
                (_, Some(b)) => marks.push(Mark {
                    range: b.start..b.end.max(b.start + 1),
                    style,
                }),
            },
            (Anchor::Request, Place::Url) => here = true,
            (Anchor::Variable { name }, _) => {
                for r in find_refs(text).into_iter().filter(|r| r.name == *name) {
                    marks.push(Mark {
                        range: r.span,
                        style,
                    });
                }
            }
            _ => {}
        }
        if here || marks.len() > before {
            worst = Some(worst.map_or(f.severity, |w| w.min(f.severity)));
        }
    }
    (marks, worst)
}

/// The most serious finding about a text body: on the body, or on a variable it refers to.
/// The body's references are read from the resolved draft (found once per change), not
/// looked for in the text on every frame: `marks` for `Place::Body`, without the marks.
pub fn body_worst(app: &App) -> Option<Severity> {
    let refs = match app.resolved.as_ref().map(|r| &r.body) {
        Some(ResolvedBody::Text { text, .. }) => text.refs.as_slice(),
        _ => &[],
    };
    app.findings
        .iter()
        .filter(|f| match &f.anchor {
            Anchor::Draft {
                place: Place::Body, ..
            } => true,
            Anchor::Variable { name } => refs.iter().any(|r| r.name == *name),
            _ => false,
        })
        .map(|f| f.severity)
        .min()
}

/// The gutter cell: the icon of the most serious finding on the row, in its colour.
pub fn gutter(s: Option<Severity>) -> Span<'static> {
    match s {
        Some(s) => Span::styled(
            format!("{} ", icon(s)),
            Style::new().fg(color(s)).add_modifier(Modifier::BOLD),
        ),
        None => Span::raw("  "),
    }
}

/// Findings pointing at the exchange: a redirect hop, a response header, the status.
pub fn exchange_marks(app: &App, anchor_matches: impl Fn(&Anchor) -> bool) -> Option<Severity> {
    app.findings
        .iter()
        .filter(|f| anchor_matches(&f.anchor))
        .map(|f| f.severity)
        .min()
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    // A watched exchange's findings are the proxy's, and their fix needs a draft: `e` first.
    let watched = app.entry().is_some_and(|e| e.kind == EntryKind::Watched);
    // A history entry read back from disk shows the diagnosis made then, and says when.
    let restored = app.loaded().and_then(|l| l.restored);
    let what = match restored.filter(|_| app.findings_from_send()) {
        _ if watched => "diagnosis of the watched exchange".to_string(),
        Some(at) => crate::tui::history_keep::diagnosed_on(at),
        None if app.findings_from_send() => "diagnosis of the last send".to_string(),
        None => "lint of the draft".to_string(),
    };
    let checking = if app.deriving() {
        " · checking…"
    } else {
        ""
    };
    let title = format!("Findings {} · {what}{checking}", app.findings.len());
    let b = block(&title, app.focus == Pane::Findings);
    let mut inner = b.inner(area);
    f.render_widget(b, area);
    if let Some(line) = super::spec::line(app).filter(|_| inner.height > 2) {
        // Two rows at most: what the operation wants is the end of the line, not to be cut.
        let rows = (line.width() as u16)
            .div_ceil(inner.width.max(1))
            .clamp(1, 2);
        let [top, rest] =
            Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
        f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), top);
        inner = rest;
    }
    let Some(d) = app.draft() else { return };
    if app.findings.is_empty() && app.deriving() {
        let line = Line::styled("checking this request…", theme::dim());
        return f.render_widget(Paragraph::new(line), inner);
    }
    if app.findings.is_empty() {
        let line = Line::styled("✓ nothing to report on this request", theme::ok());
        return f.render_widget(Paragraph::new(line), inner);
    }
    let list_h = (app.findings.len() as u16).min(inner.height.saturating_sub(2).max(1)) as usize;
    let offset = app.finding_sel.saturating_sub(list_h - 1);
    let mut lines: Vec<Line> = app
        .findings
        .iter()
        .enumerate()
        .skip(offset)
        .take(list_h)
        .map(|(i, x)| finding_line(x, i == app.finding_sel, &x.describe_anchor(d), !watched))
        .collect();
    if let Some(sel) = app.selected_finding() {
        lines.extend(detail(sel, !watched));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// `keys`: the finding's fix and lesson keys work here (not on a watched exchange).
fn finding_line(x: &Finding, selected: bool, place: &str, keys: bool) -> Line<'static> {
    let sev = Style::new()
        .fg(color(x.severity))
        .add_modifier(Modifier::BOLD);
    let mut spans = vec![
        Span::raw(if selected { "▶" } else { " " }),
        Span::styled(
            format!("{} {:<7} ", icon(x.severity), label(x.severity)),
            sev,
        ),
        Span::raw(x.title.clone()),
        Span::styled(format!("  — {place}"), theme::dim()),
    ];
    if x.fix.is_some() && keys {
        spans.push(Span::styled("  [fix: F]", theme::helper()));
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme::selected())
    } else {
        line
    }
}

fn detail(x: &Finding, keys: bool) -> Vec<Line<'static>> {
    let (fix_key, lesson_key) = if keys {
        ("   F applies it", "   L opens it")
    } else {
        ("   e copies the request to a draft to fix", "")
    };
    let mut out = vec![Line::styled(
        format!("  {}  ({})", x.explanation, x.id),
        Style::new(),
    )];
    if !x.evidence.is_empty() {
        out.push(Line::styled(
            format!("  seen ({}): {}", x.confidence, x.evidence),
            theme::dim(),
        ));
    }
    if let Some(words) = &x.server_words {
        out.push(Line::styled(
            format!("  the server said: \"{words}\""),
            theme::dim(),
        ));
    }
    if let Some(fix) = &x.fix {
        out.push(Line::from(vec![
            Span::styled("  fix: ", theme::helper()),
            Span::raw(fix.label.clone()),
            Span::styled(fix_key, theme::helper().add_modifier(Modifier::BOLD)),
        ]));
    }
    if let Some(l) = crate::lessons::for_finding(x.id) {
        out.push(Line::from(vec![
            Span::styled("  lesson: ", theme::helper()),
            Span::raw(l.title.as_str()),
            Span::styled(lesson_key, theme::helper().add_modifier(Modifier::BOLD)),
        ]));
    }
    out
}

/// The marks that fall in bytes `from..to` of a text, relative to that slice: for showing a
/// piece of the URL (a query parameter) on its own.
pub fn slice_marks(marks: &[Mark], from: usize, to: usize) -> Vec<Mark> {
    marks
        .iter()
        .filter(|m| m.range.start < to && m.range.end > from)
        .map(|m| Mark {
            range: m.range.start.max(from) - from..m.range.end.min(to) - from,
            style: m.style,
        })
        .collect()
}
