//! The Vars tab: every variable the request uses, its value (masked), where it came from and
//! what it shadowed, and where `.env` was looked for — "my notebook didn't load .env" at a glance.

use super::editor::Doc;
use super::{text, theme};
use crate::draft::{Draft, Place, Side};
use crate::secret::{is_credential_name, mask};
use crate::tui::app::{App, Target};
use crate::vars::{Source, find_refs};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(app: &App, d: &Draft, doc: &mut Doc) {
    doc.push(Line::styled(
        " request variables · a add · Enter value · n name · d delete",
        theme::dim(),
    ));
    if d.vars.is_empty() {
        doc.push(Line::styled("  none", theme::dim()));
    }
    for (i, (name, value)) in d.vars.iter().enumerate() {
        let prefix = vec![Span::styled(format!(" {name} = "), theme::header_name())];
        doc.gutter = super::findings::exchange_marks(
            app,
            |a| matches!(a, crate::rules::Anchor::Variable { name: n } if n == name),
        );
        doc.row(
            app,
            i + 1,
            prefix,
            shown(name, value),
            Some(Target::Draft(Place::Var(i, Side::Value))),
        );
    }
    super::jar::render(app, d.vars.len(), doc);
    program(app, doc);
    environments(app, doc);
    super::spec::render_vars(app, doc);
    doc.push(Line::styled(
        " in use",
        Style::new().add_modifier(ratatui::style::Modifier::BOLD),
    ));
    for name in used(d) {
        doc.extend(usage_lines(app, &name));
    }
    dotenv(app, doc);
}

/// The setting "your program's client and loader": authlens sends, but the findings can
/// also say what the user's own stack would do.
fn program(app: &App, doc: &mut Doc) {
    doc.push(Line::styled(
        " your program · o client · O loader · predicted in findings",
        theme::dim(),
    ));
    for (what, name) in [
        ("client", app.program.client_name()),
        ("loader", app.program.loader_name()),
    ] {
        let style = if name == crate::tui::program::ITSELF {
            theme::dim()
        } else {
            theme::header_name()
        };
        doc.push(Line::from(vec![
            Span::raw(format!("  {what}  ")),
            Span::styled(name, style),
        ]));
    }
}

/// Names referenced anywhere in the draft, in first-use order.
fn used(d: &Draft) -> Vec<String> {
    let mut texts: Vec<&str> = vec![&d.url];
    for r in d.headers.iter().chain(&d.query).filter(|r| r.enabled) {
        texts.push(&r.name);
        texts.push(&r.value);
    }
    let auth = serde_json::to_string(&d.auth).unwrap_or_default();
    let body = serde_json::to_string(&d.body).unwrap_or_default();
    texts.push(&auth);
    texts.push(&body);
    let mut names: Vec<String> = Vec::new();
    for t in texts {
        for r in find_refs(t) {
            if !names.contains(&r.name) {
                names.push(r.name);
            }
        }
    }
    names
}

fn shown_text(name: &str, value: &str) -> String {
    if is_credential_name(name) {
        mask(value)
    } else {
        value.to_string()
    }
}

fn shown(name: &str, value: &str) -> Vec<Span<'static>> {
    let style = if is_credential_name(name) {
        theme::masked()
    } else {
        Style::new()
    };
    let mut out = Vec::new();
    if is_credential_name(name) {
        out.push(Span::styled(mask(value), style));
    } else {
        text::visible(&mut out, value, style);
    }
    out
}

/// The value that won and where from, then every value it shadowed and why that one lost.
fn usage_lines(app: &App, name: &str) -> Vec<Line<'static>> {
    let Some(b) = app.vars.get(name) else {
        return vec![Line::from(vec![
            Span::styled("  ✗ ", theme::error()),
            Span::styled(format!("{name} "), theme::unresolved()),
            Span::styled(
                "not set: not a request variable, not in the environment, not in any .env read",
                theme::error(),
            ),
        ])];
    };
    let sev = super::findings::exchange_marks(
        app,
        |a| matches!(a, crate::rules::Anchor::Variable { name: n } if n == name),
    );
    let mut spans = vec![
        Span::styled("  ✓ ", theme::ok()),
        super::findings::gutter(sev),
        Span::styled(format!("{name} = "), theme::resolved()),
    ];
    let value = shown(name, &b.value).into_iter();
    spans.extend(value.map(|s| Span::styled(text::clip(&s.content, 40), s.style)));
    let mut out = vec![
        Line::from(spans),
        Line::styled(format!("      from {}", b.source), theme::dim()),
    ];
    for (value, source) in &b.shadowed {
        out.push(Line::from(vec![
            Span::styled("      shadows ", theme::warn()),
            Span::raw(text::clip(&shown_text(name, value), 40)),
            Span::styled(format!(" from {source}"), theme::dim()),
        ]));
    }
    let dotenv_lost = b
        .shadowed
        .iter()
        .any(|(_, s)| matches!(s, Source::Dotenv { .. }));
    if dotenv_lost && b.source == Source::Process {
        out.push(Line::styled(
            "      (dotenvy never overrides a variable already set in the environment)",
            theme::dim(),
        ));
    }
    out
}

/// The environments `E` switches between, the active one marked, and the files they come
/// from; and, for a request of a `.http` file, which file its `@name = value` lines are read
/// from. Nothing while no `.http` file has environments and this request is from none.
fn environments(app: &App, doc: &mut Doc) {
    let file = app.file_of(app.selected).map(|(_, f)| f);
    let names = crate::tui::collection::envs::names(&app.collection);
    if names.is_empty() && file.is_none() {
        return;
    }
    doc.push(Line::styled(
        " environment · E switches · above the process environment and .env",
        Style::new().add_modifier(ratatui::style::Modifier::BOLD),
    ));
    let active = app.collection.env.as_deref();
    let mut choices = vec![(None, ".env and the process environment only".to_string())];
    choices.extend(names.iter().map(|n| (Some(n.as_str()), n.clone())));
    for (name, shown) in choices {
        let (mark, style) = if name == active {
            ("  ▶ ", theme::ok())
        } else {
            ("    ", theme::dim())
        };
        doc.push(Line::styled(format!("{mark}{shown}"), style));
    }
    if let Some(f) = file {
        let mut from = vec![format!("{} (@name = value)", f.path.display())];
        from.extend(f.envs.paths().iter().map(|p| p.display().to_string()));
        doc.push(Line::styled(
            format!("  from {}", from.join(", ")),
            theme::dim(),
        ));
    }
}

fn dotenv(app: &App, doc: &mut Doc) {
    let report = &app.env.dotenv;
    let how = if report.explicit {
        "--env-file, in order"
    } else {
        "dotenvy's search: this directory, then parents; stops at the first"
    };
    doc.push(Line::styled(
        format!(" .env files · {how}"),
        Style::new().add_modifier(ratatui::style::Modifier::BOLD),
    ));
    if report.searched.is_empty() {
        doc.push(Line::styled("  (none looked for)", theme::dim()));
    }
    for path in &report.searched {
        let file = report.files.iter().find(|f| &f.path == path);
        let line = match file {
            Some(f) if f.error.is_some() => Line::from(vec![
                Span::styled("  ✗ ", theme::error()),
                Span::raw(path.display().to_string()),
                Span::styled(
                    format!(
                        "  {}",
                        f.error.as_ref().map(|e| e.to_string()).unwrap_or_default()
                    ),
                    theme::error(),
                ),
            ]),
            Some(f) => {
                let shown = path.display().to_string();
                let sev = super::findings::exchange_marks(
                    app,
                    |a| matches!(a, crate::rules::Anchor::DotenvLine { path: p, .. } if *p == shown),
                );
                let mut spans = vec![Span::styled("  ✓ ", theme::ok())];
                if sev.is_some() {
                    spans.push(super::findings::gutter(sev));
                }
                spans.push(Span::raw(shown));
                let n = f.entries.len();
                let keys = if n == 1 { "key" } else { "keys" };
                spans.push(Span::styled(format!("  read, {n} {keys}"), theme::dim()));
                Line::from(spans)
            }
            None => Line::from(vec![
                Span::styled("  · ", theme::dim()),
                Span::styled(format!("{}  not there", path.display()), theme::dim()),
            ]),
        };
        doc.push(line);
    }
}
