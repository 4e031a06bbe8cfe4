//! The API's spec on screen. One line heads the findings pane — where a newcomer reads why a
//! request failed — saying which document the findings read and what it says this request
//! needs, or that one can be looked for (`D`). The Vars tab, where the rest of the request's
//! context lives, has the whole of it: source, title, operations, and what discovery tried.

use super::editor::Doc;
use super::theme;
use crate::tui::app::App;
use crate::tui::keymap::{self, Ctx};
use crate::tui::spec::{self, Job, discover};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// The findings pane's first line, when there is something to say about a spec.
pub fn line(app: &App) -> Option<Line<'static>> {
    let label = Span::styled("spec ", theme::header_name());
    if app.spec.loaded.is_some() {
        let about = spec::about_selected(app).unwrap_or_default();
        return Some(Line::from(vec![label, Span::raw(about)]));
    }
    // The offer is drawn only where its key is bound.
    let offered = keymap::contexts(app).contains(&Ctx::SpecOffer);
    let (text, style) = match (&app.spec.job, discover::offer(app).filter(|_| offered)) {
        (Some(Job::Loading { source, .. } | Job::Wanted(source)), _) => {
            (format!("reading {}…", spec::shown(source)), theme::dim())
        }
        (Some(Job::Discovering { origin, .. }), _) => (
            format!("looking for the API's OpenAPI document on {origin}…"),
            theme::dim(),
        ),
        (None, Some(origin)) => (
            format!("none loaded · D looks for the API's OpenAPI document on {origin}"),
            theme::helper(),
        ),
        (None, None) => return None,
    };
    Some(Line::from(vec![label, Span::styled(text, style)]))
}

/// The Vars tab's section: the document loaded and what it says, then the last discovery.
/// Nothing while there is nothing to say: the findings pane offers discovery after a 401.
pub fn render_vars(app: &App, doc: &mut Doc) {
    let s = &app.spec;
    if s.loaded.is_none() && s.job.is_none() && s.discovery.is_none() {
        return;
    }
    doc.push(Line::styled(
        " the API's spec (OpenAPI) · --spec FILE|URL, or D after a 401",
        Style::new().add_modifier(Modifier::BOLD),
    ));
    match &app.spec.loaded {
        Some(s) => {
            let title = s.title.as_deref().unwrap_or("untitled");
            doc.push(Line::from(vec![
                Span::styled("  ✓ ", theme::ok()),
                Span::raw(s.source.clone()), // masked when it was loaded
            ]));
            doc.push(Line::styled(
                format!(
                    "      {title} · version {} · {} operations",
                    s.version,
                    s.operation_count()
                ),
                theme::dim(),
            ));
            if let Some(about) = spec::about_selected(app) {
                doc.push(Line::raw(format!("      this request: {about}")));
            }
        }
        None => {
            let text = match &app.spec.job {
                Some(Job::Loading { source, .. } | Job::Wanted(source)) => {
                    format!("  reading {}…", spec::shown(source))
                }
                Some(Job::Discovering { origin, .. }) => format!("  looking on {origin}…"),
                None => "  none loaded".into(),
            };
            doc.push(Line::styled(text, theme::dim()));
        }
    }
    if let Some(report) = &app.spec.discovery {
        doc.extend(discovery_lines(report));
    }
}

/// What discovery tried on the origin, in order, and the URL to pass as `--spec` next time.
fn discovery_lines(r: &discover::Report) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        format!("  looked on {} (GETs without credentials):", r.origin),
        theme::dim(),
    )];
    for t in &r.tried {
        out.push(Line::from(vec![
            Span::styled("    ✗ ", theme::error()),
            Span::raw(spec::shown(&t.url)),
            Span::styled(format!("  {}", t.outcome), theme::dim()),
        ]));
    }
    if let Some(url) = &r.found {
        out.push(Line::from(vec![
            Span::styled("    ✓ ", theme::ok()),
            Span::raw(spec::shown(url)),
            Span::styled("  found · next time: authlens --spec ", theme::dim()),
            Span::raw(spec::shown(url)),
        ]));
    }
    out
}
