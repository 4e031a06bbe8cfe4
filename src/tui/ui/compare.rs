//! The compare view: one column per slot side by side on a wide terminal, stacked on a narrow
//! one, and the summary sentence below. Every shown string goes through the compare redactor,
//! which knows the credential in each form the slots send it.

use super::{block, theme};
use crate::slots::{Outcome, Verdict};
use crate::tui::app::App;
use crate::tui::compare::CompareView;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// At this terminal width and above the four slots stand side by side.
pub const SIDE_BY_SIDE: u16 = 120;

/// Draws the view over `area` (everything above the status line).
pub fn render(app: &App, view: &CompareView, f: &mut Frame, area: Rect) {
    f.render_widget(ratatui::widgets::Clear, area);
    let mut title = format!("Compare — {}", view.redactor.redact(&view.request));
    if view.tls_unverified() {
        title.push_str(&format!("  ! {}", crate::exchange::TLS_NOT_VERIFIED));
    }
    let b = block(&title, true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some(outcomes) = &view.outcomes else {
        let secs = app
            .now
            .saturating_duration_since(view.started)
            .as_secs_f64();
        let msg = format!("sending the credential in every slot… {secs:.1} s (Esc cancels)");
        f.render_widget(Paragraph::new(Span::styled(msg, theme::warn())), inner);
        return;
    };
    let summary = view.redactor.redact(&view.summary().unwrap_or_default());
    // Borders, plus one spare line for word wrapping.
    let text_w = inner.width.saturating_sub(2).max(1);
    let summary_h = (summary.chars().count() as u16).div_ceil(text_w) + 3;
    let summary_h = summary_h.min(inner.height / 2).max(3);
    let [slots, bottom] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(summary_h)]).areas(inner);
    if area.width >= SIDE_BY_SIDE {
        side_by_side(view, outcomes, f, slots);
    } else {
        stacked(view, outcomes, f, slots);
    }
    let b = block("In one sentence", false);
    f.render_widget(
        Paragraph::new(summary).block(b).wrap(Wrap { trim: true }),
        bottom,
    );
}

fn side_by_side(view: &CompareView, outcomes: &[Outcome], f: &mut Frame, area: Rect) {
    let n = outcomes.len().max(1) as u32;
    let cols = Layout::horizontal(vec![Constraint::Ratio(1, n); n as usize]).split(area);
    for (o, col) in outcomes.iter().zip(cols.iter()) {
        let worked = o.verdict == Verdict::Worked;
        let title = if worked {
            format!("▶ {} ◀", o.slot)
        } else {
            o.slot.clone()
        };
        let b = block(&title, worked);
        let lines = slot_lines(view, o);
        f.render_widget(
            Paragraph::new(lines)
                .block(b)
                .wrap(Wrap { trim: false })
                .scroll((view.scroll as u16, 0)),
            *col,
        );
    }
}

fn stacked(view: &CompareView, outcomes: &[Outcome], f: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    for o in outcomes {
        let mark = if o.verdict == Verdict::Worked {
            "▶ "
        } else {
            "  "
        };
        lines.push(Line::styled(
            format!("{mark}{}", o.slot),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        lines.extend(slot_lines(view, o));
        lines.push(Line::raw(""));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll as u16, 0)),
        area,
    );
}

/// Verdict as icon and word (never colour alone), then what came back and why.
pub fn verdict(o: &Outcome) -> Span<'static> {
    let status = o.status.map_or(String::new(), |s| format!(" {s}"));
    match o.verdict {
        Verdict::Worked => Span::styled(format!("✔ worked{status}"), theme::status(200)),
        Verdict::Rejected => Span::styled(format!("✘ refused{status}"), theme::error()),
        Verdict::Failed => Span::styled("! failed (no response)".to_string(), theme::warn()),
    }
}

fn slot_lines(view: &CompareView, o: &Outcome) -> Vec<Line<'static>> {
    let mask = |s: &str| view.redactor.redact(s);
    let label = |l: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{l} "), theme::dim()),
            Span::raw(v),
        ])
    };
    let mut lines = vec![Line::from(verdict(o))];
    // The API's own spec, judged before sending (`--spec`): shown only when it said something.
    if let Some(mark) = o.spec_text() {
        lines.push(label("spec", mark));
    }
    lines.push(label("sent", mask(&o.sent_as)));
    if let Some(c) = &o.challenge {
        lines.push(label("challenge", mask(c)));
    }
    // A worked slot's "message" is just the response body: not an explanation.
    if let Some(m) = o.message.as_ref().filter(|_| o.verdict != Verdict::Worked) {
        lines.push(label("server", mask(m)));
    }
    for n in &o.notes {
        lines.push(label("redirect", mask(n)));
    }
    for fd in o.findings.iter().take(2) {
        lines.push(label(
            "finding",
            format!("{} {}: {}", fd.severity, fd.id, mask(&fd.title)),
        ));
    }
    lines
}
