//! The Body tab: no body, a text body with its content type, or multipart parts — a file
//! part with the file name and content type it will be sent with.

use super::editor::Doc;
use super::findings;
use super::{text, theme};
use crate::draft::{Body, Draft, PartField, PartValue, Place};
use crate::send::build as send_build;
use crate::tui::app::{App, Editing, Pane, Target};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render<'a>(app: &'a App, d: &'a Draft, doc: &mut Doc<'a>) {
    match &d.body {
        Body::None => doc.row(
            app,
            1,
            vec![Span::styled(
                "no body — Enter or t: text, then multipart",
                theme::dim(),
            )],
            Vec::new(),
            None,
        ),
        Body::Text { content_type, text } => {
            let ct = match content_type.as_deref() {
                Some(ct) => Span::raw(ct.to_string()),
                None => Span::styled("none: your Content-Type header decides", theme::dim()),
            };
            let label = Span::styled("content type: ", theme::header_name());
            doc.row(
                app,
                1,
                vec![label],
                vec![ct],
                Some(Target::Draft(Place::BodyContentType)),
            );
            let worst = findings::body_worst(app);
            doc.push(Line::from(vec![
                findings::gutter(worst),
                Span::styled(
                    format!(
                        "text body · {} bytes · Enter edits · p: pretty JSON · t: kind",
                        text.len()
                    ),
                    theme::dim(),
                ),
            ]));
            body_text(app, text, doc);
        }
        Body::Multipart { parts } => {
            let (_, worst) = findings::marks(app, Place::Body, "");
            doc.push(Line::from(vec![
                findings::gutter(worst),
                Span::styled(
                    "multipart/form-data · a: text part · f: file part · n: name",
                    theme::dim(),
                ),
            ]));
            if parts.is_empty() {
                doc.push(Line::styled("  no parts yet", theme::dim()));
            }
            for (i, p) in parts.iter().enumerate() {
                part_row(app, i, p, doc);
            }
        }
    }
}

/// The body's lines, built only for the window (`Doc::lazy_lines`): a 1 MiB body costs a
/// frame the lines on screen.
fn body_text<'a>(app: &'a App, body: &'a str, doc: &mut Doc<'a>) {
    match &app.editing {
        Some(Editing {
            target: Target::Draft(Place::Body),
            input,
            ..
        }) => {
            let (line, col) = input.cursor_line_col();
            doc.cursor = Some((doc.len() + line, col + 2));
            doc.lazy_lines(&input.text, |_, l| Line::raw(format!("  {l}")));
        }
        _ => {
            let selected = app.editor.row == 2 && app.focus == Pane::Editor;
            if selected {
                doc.selected_line = Some(doc.len());
            }
            doc.lazy_lines(body, move |i, l| {
                let mark = if selected && i == 0 { "▶ " } else { "  " };
                let mut spans = vec![Span::raw(mark)];
                spans.extend(text::typed(l, &app.vars, false, Style::new()));
                Line::from(spans)
            });
        }
    }
}

fn part_row(app: &App, i: usize, p: &crate::draft::Part, doc: &mut Doc) {
    let mut name = vec![Span::styled(format!("{} = ", p.name), theme::header_name())];
    let (value, meta) = match &p.value {
        PartValue::Text { text: t } => (text::typed(t, &app.vars, false, Style::new()), None),
        PartValue::File {
            path,
            filename,
            content_type,
        } => {
            let resolved = crate::vars::interpolate(path, |n| app.vars.value(n)).text;
            // The `@` stays in front while the path is typed: it says "the file at".
            name.push(Span::raw("@"));
            let mut v = text::typed(path, &app.vars, false, Style::new());
            if app.missing_files.contains(&resolved) {
                v.push(Span::styled("  ✗ file not found", theme::error()));
            }
            (v, Some((resolved, filename, content_type)))
        }
    };
    let editing_name = app
        .editing
        .as_ref()
        .is_some_and(|e| e.target == Target::Draft(Place::Part(i, PartField::Name)));
    if editing_name {
        doc.row(
            app,
            i + 1,
            Vec::new(),
            Vec::new(),
            Some(Target::Draft(Place::Part(i, PartField::Name))),
        );
    } else {
        doc.row(
            app,
            i + 1,
            name,
            value,
            Some(Target::Draft(Place::Part(i, PartField::Value))),
        );
    }
    if let Some((resolved, filename, content_type)) = meta {
        file_meta(app, i, &resolved, filename, content_type, doc);
    }
}

/// Two lines under a file part: the file name and the type the send will use, typed or
/// defaulted as curl does (and saying so), each with the key that changes it.
fn file_meta(
    app: &App,
    i: usize,
    path: &str,
    filename: &Option<String>,
    content_type: &Option<String>,
    doc: &mut Doc,
) {
    let shown = |typed: &Option<String>, default: String, why: &str| match typed {
        Some(v) => vec![Span::raw(v.clone())],
        None => vec![
            Span::raw(default),
            Span::styled(format!(" ({why})"), theme::dim()),
        ],
    };
    let label = |key: &str, what: &str| {
        vec![
            Span::styled(key.to_string(), theme::key()),
            Span::styled(format!(" {what}: "), theme::dim()),
        ]
    };
    let name = shown(filename, send_build::file_name(path), "from the path");
    doc.field_line(
        app,
        label("N", "file name"),
        name,
        Target::Draft(Place::Part(i, PartField::Filename)),
    );
    let guessed = send_build::guess_type(path).to_string();
    let mut ctype = shown(content_type, guessed, "from the extension");
    if content_type
        .as_deref()
        .is_some_and(|ct| !send_build::valid_mime(ct))
    {
        ctype.push(Span::styled("  ✗ not a MIME type", theme::error()));
    }
    doc.field_line(
        app,
        label("T", "type"),
        ctype,
        Target::Draft(Place::Part(i, PartField::ContentType)),
    );
}
