//! The request editor: method and URL, the tabs, and the rows of the current tab.

use super::findings;
use super::{block, text, theme, vars};
use crate::draft::{AuthHelper, Draft, Place, RowRef, Side};
use crate::rules::Severity;
use crate::secret::{is_credential_header, mask};
use crate::send::build as send_build;
use crate::tui::app::{App, Editing, Pane, Tab, Target};
use crate::tui::fields;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Lines of the editor, with the line index of the selected row and a cursor to place.
pub struct Doc<'a> {
    /// The severity icon for the next row's gutter (consumed by `row`).
    pub gutter: Option<Severity>,
    /// The next row's text would be refused by the send: drawn in the error style while it is
    /// typed (consumed by `row`).
    pub invalid: bool,
    /// The lines built, without those of the lazy run (`lazy_lines`).
    lines: Vec<Line<'static>>,
    lazy: Option<Lazy<'a>>,
    /// The selected row's line, when the editor has the focus.
    pub(super) selected_line: Option<usize>,
    /// Where the terminal cursor goes: (line, column) of the field being typed.
    pub(super) cursor: Option<(usize, usize)>,
}

/// A run of lines built only when measured or drawn: the lines of a body, so that a frame
/// builds the dozens on screen, not the 17 000 of a 1 MiB body.
struct Lazy<'a> {
    /// How many built lines come before the run.
    at: usize,
    /// Where each line of `text` starts.
    starts: Vec<usize>,
    text: &'a str,
    line: Box<dyn Fn(usize, &'a str) -> Line<'static> + 'a>,
}

impl<'a> Doc<'a> {
    /// The index the next line gets.
    pub(super) fn len(&self) -> usize {
        self.lines.len() + self.lazy.as_ref().map_or(0, |l| l.starts.len())
    }

    /// Line `i` of the document.
    fn line(&self, i: usize) -> std::borrow::Cow<'_, Line<'static>> {
        use std::borrow::Cow;
        match &self.lazy {
            Some(l) if i >= l.at && i - l.at < l.starts.len() => {
                let k = i - l.at;
                let end = l.starts.get(k + 1).map_or(l.text.len(), |e| e - 1);
                Cow::Owned((l.line)(k, &l.text[l.starts[k]..end]))
            }
            Some(l) if i >= l.at => Cow::Borrowed(&self.lines[i - l.starts.len()]),
            _ => Cow::Borrowed(&self.lines[i]),
        }
    }

    /// The lines of `text` (split at `\n`), each made by `line(index, text of the line)` only
    /// when it is measured or drawn. One run per document.
    pub fn lazy_lines(
        &mut self,
        text: &'a str,
        line: impl Fn(usize, &'a str) -> Line<'static> + 'a,
    ) {
        debug_assert!(self.lazy.is_none(), "one lazy run per document");
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        self.lazy = Some(Lazy {
            at: self.lines.len(),
            starts,
            text,
            line: Box::new(line),
        });
    }

    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn extend(&mut self, lines: Vec<Line<'static>>) {
        self.lines.extend(lines);
    }

    /// A selectable row: highlighted when selected, or drawn as a text field while edited.
    pub fn row(
        &mut self,
        app: &App,
        row: usize,
        prefix: Vec<Span<'static>>,
        value: Vec<Span<'static>>,
        target: Option<Target>,
    ) {
        let selected = app.editor.row == row && app.focus == Pane::Editor;
        if selected {
            self.selected_line = Some(self.len());
        }
        let mark = if selected { "▶" } else { " " };
        let mut spans = vec![Span::raw(mark), findings::gutter(self.gutter.take())];
        spans.extend(prefix);
        let invalid = std::mem::take(&mut self.invalid);
        match (&app.editing, target) {
            (
                Some(Editing {
                    target: t, input, ..
                }),
                Some(want),
            ) if *t == want => {
                let x: usize = spans.iter().map(|s| s.width()).sum();
                let (_, col) = input.cursor_line_col();
                self.cursor = Some((self.len(), x + col));
                let base = if invalid {
                    theme::error()
                } else {
                    Style::new()
                };
                spans.extend(typing(app, &input.text, base));
            }
            _ => spans.extend(value),
        }
        let line = Line::from(spans);
        self.push(if selected {
            line.style(theme::selected())
        } else {
            line
        });
    }

    /// A labelled field on a line of its own under a row (a file part's file name or type),
    /// drawn as a text field while it is the one being edited.
    pub fn field_line(
        &mut self,
        app: &App,
        label: Vec<Span<'static>>,
        value: Vec<Span<'static>>,
        target: Target,
    ) {
        let mut spans = vec![Span::raw("    ")];
        spans.extend(label);
        match &app.editing {
            Some(Editing {
                target: t, input, ..
            }) if *t == target => {
                let x: usize = spans.iter().map(|s| s.width()).sum();
                self.cursor = Some((self.len(), x + input.cursor_line_col().1));
                spans.extend(typing(app, &input.text, Style::new()));
            }
            _ => spans.extend(value),
        }
        self.push(Line::from(spans));
    }
}

/// A field being typed: underlined as a field, with its `${VAR}` references still coloured
/// (resolved or not) so a misspelt name shows while it is typed.
fn typing(app: &App, text: &str, base: Style) -> Vec<Span<'static>> {
    text::typed(text, &app.vars, false, base)
        .into_iter()
        .map(|s| {
            let style = s.style.add_modifier(Modifier::UNDERLINED);
            s.style(style)
        })
        .collect()
}

/// Draws the editor and says how far it can scroll: (rows of a page, the largest useful
/// `editor.scroll`), so PgUp after an overshoot is never a dead key.
pub fn render(app: &App, f: &mut Frame, area: Rect) -> (usize, usize) {
    let focused = app.focus == Pane::Editor;
    let b = block("Request", focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    match document(app, inner.width).filter(|_| inner.width > 0) {
        Some((doc, fixed)) => draw(f, inner, doc, fixed, app.editor.scroll),
        None => {
            f.render_widget(Paragraph::new("No request selected."), inner);
            (0, 0)
        }
    }
}

/// Every line of the editor for the selected draft, and how many of them (URL and tabs) stay
/// put while the rest scrolls.
fn document(app: &App, width: u16) -> Option<(Doc<'_>, usize)> {
    let d = app.draft()?;
    let mut doc = Doc {
        gutter: None,
        invalid: false,
        lines: Vec::new(),
        lazy: None,
        selected_line: None,
        cursor: None,
    };
    url_lines(app, d, &mut doc);
    tabs_line(app, d, &mut doc);
    let fixed = doc.lines.len();
    match app.editor.tab() {
        Tab::Headers => headers(app, d, &mut doc),
        Tab::Query => super::editor_query::render(app, d, &mut doc),
        Tab::Body => super::editor_body::render(app, d, &mut doc),
        Tab::Auth => auth(app, d, &mut doc),
        Tab::Vars => vars::render(app, d, &mut doc),
        Tab::Settings => super::editor_settings::render(app, d, &mut doc),
    }
    lesson(app, &mut doc, width);
    Some((doc, fixed))
}

/// Rows a line takes once wrapped to the pane's width.
fn height(line: &Line<'static>, width: u16) -> usize {
    Paragraph::new(line.clone())
        .wrap(Wrap { trim: false })
        .line_count(width)
        .max(1)
}

/// Which lines below the fixed ones are drawn. Lines are measured only near the window, so a
/// long body costs the lines on screen.
struct Window {
    /// Rows for the scrolled lines.
    rows: usize,
    /// The first line shown when not scrolled: the one keeping the selection (or the cursor)
    /// in view.
    follow: usize,
    /// The first line shown when scrolled to the end.
    last: usize,
    /// The first line shown, and how many.
    offset: usize,
    shown: usize,
}

impl Window {
    fn new(doc: &Doc, fixed: usize, inner: Rect, scroll: usize) -> Window {
        let w = inner.width;
        let fixed_h: usize = (0..fixed).map(|i| height(&doc.line(i), w)).sum();
        let rows = (inner.height as usize).saturating_sub(fixed_h).max(1);
        let n = doc.len() - fixed;
        // Rows of the scrolled line `k`.
        let h = |k: usize| height(&doc.line(fixed + k), w);
        // The first of the lines up to `upto` (exclusive) that fit in `budget` rows, counting back.
        let first_fitting = |upto: usize, budget: usize| {
            let mut used = 0;
            let mut first = upto;
            while first > 0 {
                used += h(first - 1);
                if used > budget && first < upto {
                    break;
                }
                first -= 1;
            }
            first
        };
        let last = first_fitting(n, rows);
        // The line to keep in view: the cursor's while typing, else the selected row's.
        let keep = doc
            .cursor
            .map(|(l, _)| l)
            .or(doc.selected_line)
            .and_then(|l| l.checked_sub(fixed))
            .filter(|l| *l < n);
        let follow = keep.map_or(0, |k| {
            // With lines after it, the last row is the "more lines" marker's.
            let budget = if k + 1 < n {
                rows.saturating_sub(1).max(1)
            } else {
                rows
            };
            first_fitting(k + 1, budget)
        });
        let follow = follow.min(last);
        let offset = (follow + scroll).min(last);
        // Everything left fits, or the rows less one for the marker.
        let mut used = 0;
        let mut shown = 0;
        for k in offset..n {
            used += h(k);
            if used > rows {
                break;
            }
            shown += 1;
        }
        if offset + shown < n {
            shown = 0;
            used = 0;
            for k in offset..n {
                used += h(k);
                if used > rows.saturating_sub(1) && shown > 0 {
                    break;
                }
                shown += 1;
            }
        }
        Window {
            rows,
            follow,
            last,
            offset,
            shown,
        }
    }
}

/// Draws the visible window: the URL and tabs stay, the rows scroll to keep the selection seen
/// (and further with PgDn), and a marker says how many lines are cut below.
fn draw(f: &mut Frame, inner: Rect, doc: Doc, fixed: usize, scroll: usize) -> (usize, usize) {
    let win = Window::new(&doc, fixed, inner, scroll);
    let room = (win.rows.saturating_sub(1).max(1), win.last - win.follow);
    let below = doc.len() - fixed - win.offset - win.shown;
    let w = inner.width;
    let rows = |r: std::ops::Range<usize>| r.map(|i| height(&doc.line(i), w)).sum::<usize>();
    // Where the cursor's line lands, in rows from the top, if it is shown.
    let cursor = doc.cursor.and_then(|(line, col)| {
        let before = if line < fixed {
            0..line
        } else if (win.offset..win.offset + win.shown).contains(&(line - fixed)) {
            0..fixed
        } else {
            return None;
        };
        let mut y = rows(before);
        if line >= fixed {
            y += rows(fixed + win.offset..line);
        }
        Some((y, col))
    });
    let window = fixed + win.offset..fixed + win.offset + win.shown;
    let mut shown: Vec<Line<'static>> = (0..fixed)
        .chain(window)
        .map(|i| doc.line(i).into_owned())
        .collect();
    if below > 0 {
        let s = if below == 1 { "" } else { "s" };
        shown.push(Line::styled(
            format!("  … {below} more line{s} (PgDn)"),
            theme::dim(),
        ));
    }
    f.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), inner);
    if let Some((y, x)) = cursor {
        let pos = Position::new(
            inner.x + x.min(inner.width as usize - 1) as u16,
            inner.y + y.min(u16::MAX as usize) as u16,
        );
        if inner.contains(pos) {
            f.set_cursor_position(pos);
        }
    }
    room
}

fn url_lines(app: &App, d: &Draft, doc: &mut Doc) {
    let method = Span::styled(
        format!(" {} ", d.method),
        theme::key().add_modifier(Modifier::BOLD),
    );
    let editing_method = app
        .editing
        .as_ref()
        .filter(|e| e.target == Target::Draft(Place::Method));
    // An empty method field is nothing typed yet: nothing to complain of.
    let method_problem = typed_problem(&d.method, send_build::method_problem)
        .filter(|_| editing_method.is_none_or(|e| !e.input.text.is_empty()));
    let method = match method_problem {
        Some(_) => method.style(theme::error().add_modifier(Modifier::REVERSED)),
        None => method,
    };
    let (marks, worst) = findings::marks(app, Place::Url, &d.url);
    let url = super::editor_query::url_spans(app, &d.url, &marks);
    doc.gutter = worst;
    let prefix = vec![method, Span::raw(" ")];
    if editing_method.is_some() {
        doc.invalid = method_problem.is_some();
        doc.row(
            app,
            0,
            vec![Span::raw("method: ")],
            Vec::new(),
            Some(Target::Draft(Place::Method)),
        );
    } else {
        doc.row(app, 0, prefix, url, Some(Target::Draft(Place::Url)));
    }
    // What will be sent, query table included, or why it cannot be: before Ctrl+S, not after.
    // Resolved once per change (`App::derive`), not per frame; a large draft just selected is
    // resolved off the event loop, for a moment.
    let note = match (method_problem, &app.resolved) {
        (Some(why), _) => Span::styled(format!("  ✗ {why}"), theme::error()),
        (None, None) => Span::styled("  … resolving the variables", theme::dim()),
        (None, Some(r)) if r.unresolved.is_empty() => match send_build::final_url(r) {
            Ok(url) => Span::styled(
                format!("  → {}", r.redactor.redact(url.as_str())),
                theme::dim(),
            ),
            Err(e) => Span::styled(format!("  ✗ {e}"), theme::error()),
        },
        (None, Some(r)) => {
            let names: Vec<&str> = r.unresolved.iter().map(|(n, _)| n.as_str()).collect();
            Span::styled(format!("  ✗ not set: {}", names.join(", ")), theme::error())
        }
    };
    doc.push(Line::from(note));
}

fn tabs_line(app: &App, d: &Draft, doc: &mut Doc) {
    let mut spans = Vec::new();
    for (i, t) in Tab::ALL.iter().enumerate() {
        let count = match t {
            Tab::Headers => d.headers.len(),
            Tab::Query => fields::url_rows(d) + d.query.len(),
            Tab::Vars => d.vars.len(),
            Tab::Settings => d.settings.count(),
            _ => 0,
        };
        let label = if count > 0 {
            format!(" {} {count} ", t.title())
        } else {
            format!(" {} ", t.title())
        };
        let style = if i == app.editor.tab_index {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            theme::dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    doc.push(Line::from(spans));
}

/// The checkbox, name and value of a table row, with the marks of findings pointing at it;
/// sets the row's gutter icon.
pub(super) fn row_spans(
    app: &App,
    doc: &mut Doc,
    (name, value): (&str, &str),
    (name_place, value_place): (Place, Place),
    enabled: bool,
    secret: bool,
) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
    let (name_marks, a) = findings::marks(app, name_place, name);
    let (value_marks, b) = findings::marks(app, value_place, value);
    doc.gutter = a.into_iter().chain(b).min();
    let check = if enabled { "[x] " } else { "[ ] " };
    let base = if enabled {
        Style::new()
    } else {
        theme::dim().add_modifier(Modifier::CROSSED_OUT)
    };
    let mut prefix = vec![Span::styled(check, base)];
    let name_style = if enabled { theme::header_name() } else { base };
    prefix.extend(text::typed_marked(
        name,
        &app.vars,
        false,
        name_style,
        &name_marks,
    ));
    prefix.push(Span::styled(": ", base));
    let value = text::typed_marked(value, &app.vars, secret, base, &value_marks);
    (prefix, value)
}

fn headers(app: &App, d: &Draft, doc: &mut Doc) {
    if d.headers.is_empty() {
        doc.push(Line::styled("  no headers — a adds one", theme::dim()));
    }
    for (i, h) in d.headers.iter().enumerate() {
        let (name_at, value_at) = (
            Place::Header(RowRef::Typed(i), Side::Name),
            Place::Header(RowRef::Typed(i), Side::Value),
        );
        let (mut prefix, value) = row_spans(
            app,
            doc,
            (&h.name, &h.value),
            (name_at, value_at),
            h.enabled,
            is_credential_header(&h.name),
        );
        // A new row's empty name is not yet a mistake; a name the send would refuse is, and
        // is said while it is typed rather than after Ctrl+S.
        let problem = Some(h.name.as_str())
            .filter(|n| !n.is_empty())
            .and_then(|n| typed_problem(n, send_build::header_name_problem));
        if problem.is_some() {
            doc.gutter = Some(Severity::Error);
            doc.invalid = true;
            // The name's spans: between the checkbox and the `: `.
            let n = prefix.len();
            for s in &mut prefix[1..n - 1] {
                s.style = s.style.patch(theme::error());
            }
        }
        if app
            .editing
            .as_ref()
            .is_some_and(|e| e.target == Target::Draft(name_at))
        {
            prefix.truncate(1);
            doc.row(app, i + 1, prefix, Vec::new(), Some(Target::Draft(name_at)));
        } else {
            doc.invalid = false;
            doc.row(app, i + 1, prefix, value, Some(Target::Draft(value_at)));
        }
        if let Some(why) = problem {
            doc.push(Line::styled(format!("       ✗ {why}"), theme::error()));
        }
    }
    if let Some(line) = helper_line(app, &d.auth) {
        doc.push(line);
    }
}

/// What the send would refuse in a method or header name as typed. A `${…}` reference is
/// left to the send, which checks the value it stands for once resolved; columns stay those of
/// the typed text.
fn typed_problem(typed: &str, check: fn(&str) -> Option<String>) -> Option<String> {
    let refs = crate::vars::find_refs(typed);
    let literal: String = typed
        .char_indices()
        .map(|(i, c)| {
            if refs.iter().any(|r| r.span.contains(&i)) {
                'x'
            } else {
                c
            }
        })
        .collect();
    check(&literal)
}

/// The header or parameter the auth helper will add, marked as the helper's.
pub(super) fn helper_line(app: &App, auth: &AuthHelper) -> Option<Line<'static>> {
    // A header is `name: value`; a query parameter is `?name=value`, as it goes in the URL.
    let (name, value) = match auth {
        AuthHelper::None => return None,
        AuthHelper::Bearer { token } => ("Authorization: ".to_string(), format!("Bearer {token}")),
        AuthHelper::ApiKeyHeader { name, key } => (format!("{name}: "), key.clone()),
        AuthHelper::ApiKeyQuery { name, key } => (format!("?{name}="), key.clone()),
        AuthHelper::Basic { .. } => ("Authorization: ".into(), String::new()),
    };
    let mut spans = vec![
        Span::styled(" ⚙  ", theme::helper()),
        Span::styled(name, theme::helper()),
    ];
    match auth {
        AuthHelper::Basic { user, password } => spans.extend(basic_preview(app, user, password)),
        _ => spans.extend(text::typed(&value, &app.vars, true, theme::helper())),
    }
    spans.push(Span::styled(
        "  [auth helper]",
        theme::helper().add_modifier(Modifier::ITALIC),
    ));
    Some(Line::from(spans))
}

/// `Basic base64(alice:hunt…22 (16 chars))`: the user as typed, the password masked as every
/// other credential is — never the whole `base64(…)` text masked as if it were the secret,
/// which showed a filled-in and an empty Basic in two different styles.
fn basic_preview(app: &App, user: &str, password: &str) -> Vec<Span<'static>> {
    let style = theme::helper();
    let mut spans = vec![Span::styled("Basic base64(", style)];
    match user {
        "" => spans.push(Span::styled("(no user)", theme::dim())),
        _ => spans.extend(text::typed(user, &app.vars, false, style)),
    }
    spans.push(Span::styled(":", style));
    // As the password field shows it: masked whole (a space in it is no scheme word to keep).
    match password {
        "" => spans.push(Span::styled("(no password)", theme::dim())),
        p if crate::vars::find_refs(p).is_empty() => {
            spans.push(Span::styled(mask(p), theme::masked()))
        }
        p => spans.extend(text::typed(p, &app.vars, true, style)),
    }
    spans.push(Span::styled(")", style));
    spans
}

fn auth(app: &App, d: &Draft, doc: &mut Doc) {
    let kind = vec![
        Span::raw("helper: "),
        Span::styled(fields::auth_kind(&d.auth), theme::helper()),
    ];
    doc.row(
        app,
        1,
        kind,
        vec![Span::styled("   (t or Enter: next kind)", theme::dim())],
        None,
    );
    for (i, (field, label)) in fields::auth_fields(&d.auth).iter().enumerate() {
        let value = fields::auth_field(&d.auth, *field).unwrap_or("");
        let secret = !matches!(
            field,
            crate::draft::AuthField::Name | crate::draft::AuthField::User
        );
        let prefix = vec![Span::styled(format!("  {label}: "), theme::header_name())];
        let spans = if secret && !value.contains("${") && !value.is_empty() {
            vec![Span::styled(mask(value), theme::masked())]
        } else {
            text::typed(value, &app.vars, false, Style::new())
        };
        doc.row(
            app,
            i + 2,
            prefix,
            spans,
            Some(Target::Draft(Place::Auth(*field))),
        );
    }
    match helper_line(app, &d.auth) {
        Some(line) => {
            doc.push(Line::raw(""));
            doc.push(Line::styled("  it adds to the request:", theme::dim()));
            doc.push(line);
        }
        None => doc.push(Line::styled(
            "  no helper: only the headers you type are sent",
            theme::dim(),
        )),
    }
}

/// In place of the lesson of a sample edited since it shipped.
const EDITED_SAMPLE: &str = "✎ edited: the lesson described this sample as it shipped. R in the \
    list restores it; ^Z takes back your last change.";

fn lesson(app: &App, doc: &mut Doc, width: u16) {
    let Some(e) = app.entry() else { return };
    let Some(l) = e.lesson.as_deref() else {
        return;
    };
    // The lesson was written about the sample as it shipped; an edited one may teach another.
    let (prefix, l) = if crate::tui::samples::is_edited(e) {
        ("  ", EDITED_SAMPLE)
    } else {
        ("  lesson: ", l)
    };
    doc.push(Line::raw(""));
    let w = width.saturating_sub(4).max(10) as usize;
    let mut line = String::from(prefix);
    for word in l.split_whitespace() {
        if line.chars().count() + word.chars().count() + 1 > w {
            doc.push(Line::styled(
                std::mem::replace(&mut line, "  ".into()),
                theme::dim(),
            ));
        }
        line.push_str(word);
        line.push(' ');
    }
    doc.push(Line::styled(line, theme::dim()));
}
