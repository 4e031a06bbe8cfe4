//! The Query tab: the parameters typed in the URL (edited where they sit, raw) and the query
//! table (encoded by the client), plus the masking of credential parameters on the URL line.

use super::editor::{Doc, helper_line, row_spans};
use super::findings;
use super::{text, theme};
use crate::draft::{AuthHelper, Draft, Place, RowRef, Side};
use crate::secret::is_credential_name;
use crate::tui::app::{App, Target};
use crate::tui::url_params;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(app: &App, d: &Draft, doc: &mut Doc) {
    let in_url = url_params::params(&d.url);
    let u = in_url.len();
    if u + d.query.len() == 0 {
        doc.push(Line::styled(
            "  no query parameters — a adds one, or type ?name=value in the URL",
            theme::dim(),
        ));
    }
    if u > 0 {
        let note = "  in the URL, sent exactly as typed (d removes one from the URL)";
        doc.push(Line::styled(note, theme::dim()));
    }
    for (j, p) in in_url.iter().enumerate() {
        url_param_row(app, d, j, p, doc);
    }
    if u > 0 && !d.query.is_empty() {
        doc.push(Line::styled("  table, encoded by the client", theme::dim()));
    }
    for (i, q) in d.query.iter().enumerate() {
        let (name_at, value_at) = (
            Place::Query(RowRef::Typed(i), Side::Name),
            Place::Query(RowRef::Typed(i), Side::Value),
        );
        let (mut prefix, value) = row_spans(
            app,
            doc,
            (&q.name, &q.value),
            (name_at, value_at),
            q.enabled,
            is_credential_name(&q.name),
        );
        if app
            .editing
            .as_ref()
            .is_some_and(|e| e.target == Target::Draft(name_at))
        {
            prefix.truncate(1);
            doc.row(
                app,
                u + i + 1,
                prefix,
                Vec::new(),
                Some(Target::Draft(name_at)),
            );
        } else {
            doc.row(app, u + i + 1, prefix, value, Some(Target::Draft(value_at)));
        }
    }
    // The helper's query parameter is sent after the table's rows; show it there, marked.
    if matches!(d.auth, AuthHelper::ApiKeyQuery { .. })
        && let Some(line) = helper_line(app, &d.auth)
    {
        doc.push(line);
    }
}

/// A parameter typed in the URL, as a row: `URL api_key=…`, with the marks of findings that
/// point into it (the rules anchor those on the URL's bytes).
fn url_param_row(app: &App, d: &Draft, j: usize, p: &url_params::UrlParam, doc: &mut Doc) {
    let (marks, worst) = findings::marks(app, Place::Url, &d.url);
    let value_range = p.value.clone().unwrap_or(p.name.end..p.name.end);
    let in_range = |r: &std::ops::Range<usize>| findings::slice_marks(&marks, r.start, r.end);
    let (name_marks, value_marks) = (in_range(&p.name), in_range(&value_range));
    // The URL's worst finding, when one of its marks falls in this parameter.
    doc.gutter = worst.filter(|_| !name_marks.is_empty() || !value_marks.is_empty());
    let mut prefix = vec![Span::styled("URL ", theme::dim())];
    if app
        .editing
        .as_ref()
        .is_some_and(|e| e.target == Target::Draft(Place::UrlParam(j, Side::Name)))
    {
        return doc.row(
            app,
            j + 1,
            prefix,
            Vec::new(),
            Some(Target::Draft(Place::UrlParam(j, Side::Name))),
        );
    }
    let name = &d.url[p.name.clone()];
    let style = theme::header_name();
    prefix.extend(text::typed_marked(
        name,
        &app.vars,
        false,
        style,
        &name_marks,
    ));
    prefix.push(Span::raw("="));
    let secret = is_credential_name(name);
    let value = &d.url[value_range];
    let value = text::typed_marked(value, &app.vars, secret, Style::new(), &value_marks);
    doc.row(
        app,
        j + 1,
        prefix,
        value,
        Some(Target::Draft(Place::UrlParam(j, Side::Value))),
    );
}

/// The URL as typed, with the values of credential-named parameters (`?api_key=…`) masked
/// like a credential header's value.
pub(super) fn url_spans(app: &App, url: &str, marks: &[text::Mark]) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for p in url_params::params(url) {
        let Some(v) = p.value.filter(|_| is_credential_name(&url[p.name.clone()])) else {
            continue;
        };
        for (range, secret) in [(at..v.start, false), (v.clone(), true)] {
            let m = findings::slice_marks(marks, range.start, range.end);
            let part = &url[range];
            spans.extend(text::typed_marked(
                part,
                &app.vars,
                secret,
                Style::new(),
                &m,
            ));
        }
        at = v.end;
    }
    let m = findings::slice_marks(marks, at, url.len());
    spans.extend(text::typed_marked(
        &url[at..],
        &app.vars,
        false,
        Style::new(),
        &m,
    ));
    spans
}
