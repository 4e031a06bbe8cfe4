//! The exchange view: each hop's request as it went over the wire, with who put each header
//! there, then the response head and a window onto the body (beside the request when wide),
//! scrolled together and saying what is cut.

use super::{block, findings, scroll, text, theme};
use crate::exchange::{Capture, Hop, Origin};
use crate::exchange::{hex_line, human_size};
use crate::rules::Anchor;
use crate::tui::app::{App, BodyIndex, ExchangeRoom, Loaded, Outcome, Pane, Target};
use crate::tui::search::Needle;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Bytes of one body line drawn at most; the rest of a huge line is summarised.
const LINE_CAP: usize = 2000;

/// The exchange pane's border, with the title saying whether secrets are shown.
fn frame_block(app: &App) -> ratatui::widgets::Block<'static> {
    let title = if app.exchange.reveal {
        "Exchange · SECRETS SHOWN (r hides)"
    } else {
        "Exchange"
    };
    block(title, app.focus == Pane::Exchange)
}

/// Draws the pane and says how its scroll offset relates to what it shows, with the offset a
/// pending "go to" (`ExchangeState::goto`) was drawn at.
pub fn render(app: &App, f: &mut Frame, area: Rect) -> (ExchangeRoom, Option<usize>) {
    let b = frame_block(app);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let sending_this = app
        .inflight
        .as_ref()
        .is_some_and(|i| i.entry == app.selected);
    let outcome = app.entry().and_then(|e| e.outcome.as_ref());
    if sending_this {
        let secs = app.inflight.as_ref().map_or(0.0, |i| {
            app.now.saturating_duration_since(i.started).as_secs_f64()
        });
        let msg = format!("Sending… {secs:.1} s — the UI stays live; Esc cancels.");
        f.render_widget(Paragraph::new(Span::styled(msg, theme::warn())), inner);
        return (ExchangeRoom::default(), None);
    }
    match outcome {
        None => hint(f, inner),
        Some(Outcome::Cancelled) => f.render_widget(
            Paragraph::new("Cancelled before a response arrived."),
            inner,
        ),
        Some(Outcome::Failed { message, .. }) => {
            let [msg, _] = failure_split(message, inner);
            let p = Paragraph::new(Span::styled(format!("✗ {message}"), theme::error()))
                .wrap(Wrap { trim: false });
            f.render_widget(p, msg);
        }
        Some(Outcome::Done(_)) => {}
    }
    match hops_area(app, inner) {
        Some((l, area)) => hops(app, l, f, area),
        None => (ExchangeRoom::default(), None),
    }
}

/// A failed send: its message on top, what came back before the failure (if anything) below.
fn failure_split(message: &str, inner: Rect) -> [Rect; 2] {
    let rows = (message.chars().count() + 2).div_ceil(inner.width.max(1) as usize) as u16;
    Layout::vertical([Constraint::Length(rows + 1), Constraint::Min(0)]).areas(inner)
}

/// The exchange to draw and where its hops go, if there is one to draw.
fn hops_area(app: &App, inner: Rect) -> Option<(&Loaded, Rect)> {
    if app
        .inflight
        .as_ref()
        .is_some_and(|i| i.entry == app.selected)
    {
        return None;
    }
    match app.entry()?.outcome.as_ref()? {
        Outcome::Done(l) => Some((l, inner)),
        Outcome::Failed {
            message,
            partial: Some(l),
        } => Some((l, failure_split(message, inner)[1])),
        _ => None,
    }
}

fn hint(f: &mut Frame, area: Rect) {
    let lines = vec![
        Line::raw("Not sent yet."),
        Line::raw("Ctrl+S sends from anywhere; Enter on the URL line sends too."),
        Line::styled(
            "You will see the request exactly as it went over the wire, beside the response.",
            theme::dim(),
        ),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// One scrolling column of the pane: head lines first, then the response body if the column
/// holds it.
///
/// `curl -v` and HTTPie print the request head, the response head and the body as one stream
/// the terminal scrolls, and that is what this pane does: narrow, one column (request, then
/// response head, then body); wide (90 columns and more), the request on the left and the
/// response head and body on the right. One offset (`ExchangeState::scroll`, in lines) moves
/// every column, so j/k, the wheel, PgUp/PgDn, g and G reach every line, and each column stops
/// when its last line is on screen, so a short request stays put beside a long body. Nothing
/// is capped to a share of the pane: what does not fit is below, said by a dim
/// `… N more lines` row, and a head scrolled away is said by `… N lines above` (or, inside the
/// body, by its header line). The body's header line (`── body · … · lines a–b of n`) sits just
/// before the first body line shown and stays on top while the body scrolls. Body lines are
/// built only for the window, so a 20 MiB body costs what is on screen.
struct Column<'a> {
    head: Vec<Line<'static>>,
    /// Which head line shows which place of the response (the status line, each header),
    /// recorded as the lines are built, so "go to the place" never reads the drawn text.
    anchors: Vec<(usize, Anchor)>,
    body: Option<Body<'a>>,
}

struct Body<'a> {
    idx: &'a BodyIndex,
    preview: &'a crate::exchange::BodyPreview,
}

impl Column<'_> {
    fn len(&self) -> usize {
        self.head.len() + self.body.as_ref().map_or(0, |b| b.idx.lines())
    }

    fn line(&self, app: &App, l: &Loaded, i: usize) -> Line<'static> {
        match (self.head.get(i), &self.body) {
            (Some(line), _) => line.clone(),
            (None, Some(b)) => {
                let shown = b.idx.shown(&b.preview.bytes);
                body_line(app, l, b.idx, b.idx.line(shown, i - self.head.len()))
            }
            (None, None) => Line::raw(""),
        }
    }

    /// The offset that shows this column's last line at the bottom.
    fn last_page(&self, app: &App, l: &Loaded, area: Rect) -> usize {
        let (h, w) = (self.head.len(), area.width as usize);
        let note = usize::from(self.body.is_some());
        scroll::last_page(
            self.len(),
            area.height as usize,
            |i| scroll::rows(&self.line(app, l, i), w),
            |o| note + usize::from(o > 0 && o < h),
        )
    }
}

/// The hop bar and the scrolling columns for the shown hop.
struct Plan<'a> {
    bar: Rect,
    hop: usize,
    columns: Vec<(Rect, Column<'a>)>,
}

fn plan<'a>(app: &App, l: &'a Loaded, area: Rect) -> Option<Plan<'a>> {
    let n = l.exchange.hops.len();
    if n == 0 {
        return None;
    }
    let i = app.exchange.hop.min(n - 1);
    let [bar, main] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let hop = &l.exchange.hops[i];
    let req = request_lines(app, l, i, hop);
    let (head, anchors) = response_head(app, l, i);
    let body = l
        .bodies
        .get(i)
        .filter(|idx| idx.lines() > 0)
        .map(|idx| Body {
            idx,
            preview: &hop.response.body,
        });
    let columns = if main.width >= 90 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(1)
            .areas(main);
        vec![
            (
                a,
                Column {
                    head: req,
                    anchors: Vec::new(),
                    body: None,
                },
            ),
            (
                b,
                Column {
                    head,
                    anchors,
                    body,
                },
            ),
        ]
    } else {
        let shift = req.len();
        let mut all = req;
        all.extend(head);
        let anchors = anchors.into_iter().map(|(i, a)| (i + shift, a)).collect();
        vec![(
            main,
            Column {
                head: all,
                anchors,
                body,
            },
        )]
    };
    Some(Plan {
        bar,
        hop: i,
        columns,
    })
}

impl Plan<'_> {
    /// How far the columns scroll together, measured from their last pages.
    fn room(&self, app: &App, l: &Loaded) -> ExchangeRoom {
        let mut g = ExchangeRoom::default();
        for (rect, col) in &self.columns {
            g.bottom = g.bottom.max(col.last_page(app, l, *rect));
            if col.body.is_some() {
                g.body_start = col.head.len();
            }
        }
        g
    }

    /// The scroll offset that brings a place of the shown hop's response to the top of its
    /// column — the status line, a header (by name, any case), or the body — for a finding's
    /// "go to the place". `None` when the pane shows no such place.
    fn offset_of(&self, anchor: &Anchor) -> Option<usize> {
        let (_, col) = self
            .columns
            .iter()
            .find(|(_, c)| c.body.is_some() || self.columns.len() == 1)?;
        let recorded = |wanted: &dyn Fn(&Anchor) -> bool| {
            col.anchors.iter().find(|(_, a)| wanted(a)).map(|(i, _)| *i)
        };
        match anchor {
            Anchor::ResponseStatus => recorded(&|a| *a == Anchor::ResponseStatus),
            Anchor::ResponseHeader { name } => recorded(
                &|a| matches!(a, Anchor::ResponseHeader { name: n } if n.eq_ignore_ascii_case(name)),
            ),
            Anchor::ResponseBody => col.body.as_ref().map(|_| col.head.len()),
            _ => None,
        }
    }
}

fn hops(app: &App, l: &Loaded, f: &mut Frame, area: Rect) -> (ExchangeRoom, Option<usize>) {
    let Some(p) = plan(app, l, area) else {
        f.render_widget(Paragraph::new("No response."), area);
        return (ExchangeRoom::default(), None);
    };
    let room = p.room(app, l);
    let goto = (app.exchange.goto.as_ref())
        .and_then(|a| p.offset_of(a))
        .map(|o| o.min(room.bottom));
    f.render_widget(Paragraph::new(hop_bar(app, l, p.hop)), p.bar);
    for (rect, col) in &p.columns {
        column(app, l, col, f, *rect, goto.unwrap_or(app.exchange.scroll));
    }
    (room, goto)
}

/// Draws the window of a column at the shared offset, with the markers for what is cut.
fn column(app: &App, l: &Loaded, col: &Column, f: &mut Frame, area: Rect, scroll: usize) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let (h, len, w) = (col.head.len(), col.len(), area.width as usize);
    // The last page is measured only when scrolled: at the top it cannot matter.
    let from = match scroll {
        0 => 0,
        s => s.min(col.last_page(app, l, area)),
    };
    let above = from > 0 && from < h;
    let first_body = from.max(h);
    let has_body = col.body.is_some();
    let filled = scroll::fill(
        from,
        len,
        area.height as usize - usize::from(above),
        w,
        |i| col.line(app, l, i),
        |i| usize::from(has_body && i == first_body),
    );
    let mut rows = Vec::new();
    if above {
        rows.push(scroll::more_above(from));
    }
    for (i, lines) in filled.lines {
        if let (true, Some(b)) = (i == first_body, &col.body) {
            let (a, z) = (first_body - h, filled.next - h);
            rows.push(note(b.idx, b.preview, a, z, from >= h && h > 0, w));
        }
        rows.extend(lines);
    }
    if filled.next < len {
        rows.push(scroll::more_below(len - filled.next));
    }
    f.render_widget(Paragraph::new(rows), area);
}

/// `hop 1 307 → hop 2 401`: where the chain went, the hop shown highlighted.
fn hop_bar(app: &App, l: &Loaded, current: usize) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, h) in l.exchange.hops.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" → "));
        }
        let sev = findings::exchange_marks(
            app,
            |a| matches!(a, Anchor::RedirectHop { index } if *index == i),
        );
        if sev.is_some() {
            spans.push(findings::gutter(sev));
        }
        let label = format!("hop {} {}", i + 1, h.response.status);
        let style = theme::status(h.response.status);
        spans.push(if i == current {
            Span::styled(format!("[{label}]"), style.add_modifier(Modifier::REVERSED))
        } else {
            Span::styled(label, style)
        });
    }
    if l.exchange.hops.len() > 1 {
        spans.push(Span::styled("   [ ] switch hop", theme::dim()));
    }
    if let Some(why) = &l.exchange.stopped {
        spans.push(Span::styled(format!("  ! stopped: {why}"), theme::warn()));
    }
    // On the bar every hop shares: whichever hop is shown, the mark is in view.
    if l.exchange.transport.tls_unverified {
        let mark = format!("  ! {} ", crate::exchange::TLS_NOT_VERIFIED);
        spans.push(Span::styled(
            mark,
            theme::error().add_modifier(Modifier::REVERSED),
        ));
    }
    Line::from(spans)
}

fn redact(app: &App, l: &Loaded, s: &str) -> String {
    if app.exchange.reveal {
        s.to_string()
    } else {
        l.redactor.redact(s)
    }
}

/// Who put a header there. A watched program's headers are all its own: "sent", not "typed".
fn origin_tag(o: Origin, watched: bool) -> (String, Style) {
    match o {
        Origin::Typed { row } if watched => {
            (format!("sent h{} ", row + 1), Style::new().fg(Color::Cyan))
        }
        Origin::Typed { row } => (format!("typed h{}", row + 1), Style::new().fg(Color::Cyan)),
        Origin::AuthHelper => ("helper  ".into(), theme::helper()),
        Origin::Client => ("client  ".into(), theme::dim()),
        Origin::CookieJar => ("jar     ".into(), theme::helper()),
    }
}

/// The jar's cookies hop `i` went without, and the `Set-Cookie`s of its response the jar
/// refused: the answer to "I logged in, why is the cookie not sent?". Names only; the
/// values stay in the jar. Loud on a 401 or 403, dim elsewhere: a session's jar keeps the
/// cookies of other paths, which a request that worked did not need.
fn jar_lines(app: &App, l: &Loaded, i: usize) -> Vec<Line<'static>> {
    let Some(c) = l.exchange.cookies.iter().find(|c| c.hop == i) else {
        return Vec::new();
    };
    let refused_status = l
        .exchange
        .hops
        .get(i)
        .is_some_and(|h| matches!(h.response.status, 401 | 403));
    let style = if refused_status {
        theme::warn()
    } else {
        theme::dim()
    };
    let withheld = c.withheld.iter().map(|w| {
        // The reason quotes the request's path, which may hold a key (`/v1/KEY/items`).
        let text = redact(
            app,
            l,
            &format!("cookie {} not sent: {}", w.name, w.why.describe()),
        );
        Line::from(vec![
            Span::styled("✂ jar    │ ", style),
            Span::styled(text, style),
        ])
    });
    let refused = c.refused.iter().map(|r| {
        let name = if r.name.is_empty() {
            "(no name)"
        } else {
            &r.name
        };
        let text = redact(
            app,
            l,
            &format!(
                "Set-Cookie {name} in the response was not stored: {}",
                r.reason
            ),
        );
        Line::from(vec![
            Span::styled("✂ jar    │ ", style),
            Span::styled(text, style),
        ])
    });
    withheld.chain(refused).collect()
}

fn request_lines(app: &App, l: &Loaded, i: usize, hop: &Hop) -> Vec<Line<'static>> {
    let r = &hop.request;
    let mut out = Vec::new();
    let label = match r.capture {
        Capture::Captured => Span::styled("▲ request · captured from the socket", theme::ok()),
        Capture::Reconstructed => Span::styled(
            "▲ request · RECONSTRUCTED, not the real bytes",
            theme::error(),
        ),
    };
    out.push(Line::from(label));
    let head = String::from_utf8_lossy(&r.raw[..r.head_len.min(r.raw.len())]);
    let start = head.split("\r\n").next().unwrap_or("").to_string();
    out.push(Line::styled(
        redact(app, l, &start),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    // What a redirect removed comes first: on a small screen it is the line that matters.
    for s in &r.stripped {
        out.push(Line::from(vec![
            Span::styled("✂ removed│ ", theme::error()),
            Span::styled(
                format!("{} ", s.name),
                theme::error().add_modifier(Modifier::CROSSED_OUT),
            ),
            Span::styled(
                format!("not sent on this hop: {}", s.reason),
                theme::error(),
            ),
        ]));
    }
    out.extend(jar_lines(app, l, i));
    let watched = app
        .entry()
        .is_some_and(|e| e.kind == crate::tui::app::EntryKind::Watched);
    for h in &r.headers {
        let (tag, style) = origin_tag(h.origin, watched);
        let mut spans = vec![
            Span::styled(format!("{tag:<9}│ "), style),
            Span::styled(format!("{}: ", h.name), theme::header_name()),
        ];
        text::visible(&mut spans, &redact(app, l, &h.value), Style::new());
        out.push(Line::from(spans));
    }
    let body = r.raw.get(r.head_len..).unwrap_or_default();
    out.extend(request_body(app, l, body));
    if r.raw_cut {
        let n = body.len();
        let cut = format!("  {n} body bytes captured; the capture stopped there, the body went on");
        out.push(Line::styled(cut, theme::warn()));
    }
    out
}

/// Request body lines shown under the wire view's headers, and the bytes looked at for them:
/// a multipart body's part heads (name, file name, type) are what a user checks, and a window
/// keeps a frame's cost the same for a 20 MiB upload.
const BODY_LINES: usize = 24;
const BODY_WINDOW: usize = 16 * 1024;

/// The request body as sent: text (a multipart body's text around its summarised binary
/// parts), masked, at most `BODY_LINES` lines; a binary body as its size.
fn request_body(app: &App, l: &Loaded, body: &[u8]) -> Vec<Line<'static>> {
    if body.is_empty() {
        return Vec::new();
    }
    let window = &body[..body.len().min(BODY_WINDOW)];
    let cut = window.len() < body.len();
    let mut out = vec![Line::styled(
        format!("── body · {} bytes as sent", body.len()),
        theme::dim(),
    )];
    let Some((lines, more)) = crate::exchange::text_lines(window, cut, BODY_LINES) else {
        out.push(Line::styled("  binary: not shown", theme::dim()));
        return out;
    };
    for line in lines {
        let mut spans = vec![Span::raw("  ")];
        text::visible(&mut spans, &redact(app, l, &line), Style::new());
        out.push(Line::from(spans));
    }
    if more > 0 || cut {
        out.push(Line::styled(
            "  … the rest of the body is not shown",
            theme::dim(),
        ));
    }
    out
}

/// The status line and the response headers, the challenge parsed under `WWW-Authenticate`,
/// with the line each response place is on.
fn response_head(app: &App, l: &Loaded, i: usize) -> (Vec<Line<'static>>, Vec<(usize, Anchor)>) {
    let hop = &l.exchange.hops[i];
    let resp = &hop.response;
    let t = &hop.timing;
    let status_sev = findings::exchange_marks(app, |a| *a == Anchor::ResponseStatus);
    // Measured phases say the same figures and more on their own line; a hop without them
    // (recorded, watched, older history) keeps the head and total beside its status.
    let figures = match t.phases.ttfb {
        Some(_) => String::new(),
        None => format!(
            "   {:.1} ms head · {:.1} ms total",
            t.head.as_secs_f64() * 1e3,
            t.total.as_secs_f64() * 1e3
        ),
    };
    let mut head = vec![Line::from(vec![
        findings::gutter(status_sev),
        Span::styled(
            format!("▼ {} {}", resp.status, resp.reason),
            theme::status(resp.status),
        ),
        Span::styled(figures, theme::dim()),
    ])];
    if t.phases.ttfb.is_some() {
        head.push(Line::from(Span::styled(
            format!("  timing: {}", t.phases.line(t.total)),
            theme::dim(),
        )));
    }
    let mut anchors = vec![(0, Anchor::ResponseStatus)];
    for (name, value) in &resp.headers {
        anchors.push((head.len(), Anchor::ResponseHeader { name: name.clone() }));
        let challenge = name.eq_ignore_ascii_case("www-authenticate");
        let style = if challenge {
            theme::warn()
        } else {
            theme::header_name()
        };
        let sev = findings::exchange_marks(
            app,
            |a| matches!(a, Anchor::ResponseHeader { name: n } if n.eq_ignore_ascii_case(name)),
        );
        let mark = if challenge { "» " } else { "  " };
        let value_style = sev.map_or(Style::new(), |s| {
            Style::new()
                .fg(findings::color(s))
                .add_modifier(Modifier::UNDERLINED)
        });
        head.push(Line::from(vec![
            findings::gutter(sev),
            Span::styled(format!("{mark}{name}: "), style),
            Span::styled(
                redact(app, l, &crate::secret::escape_controls(value)),
                value_style,
            ),
        ]));
        if challenge {
            head.extend(challenges(value));
        }
    }
    (head, anchors)
}

/// `WWW-Authenticate` parsed: which scheme the server wants, and its error if it gave one.
fn challenges(value: &str) -> Vec<Line<'static>> {
    crate::rules::www_authenticate::parse(value)
        .into_iter()
        .map(|c| {
            let mut what: Vec<String> = c.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if c.is_bare() {
                what.push("no error=: the server saw no usable credential".into());
            }
            let line = std::iter::once(format!("     ↳ wants {}", c.scheme)).chain(what);
            Line::styled(line.collect::<Vec<_>>().join(" · "), theme::dim())
        })
        .collect()
}

/// The body's header line: what it is, how big, which lines are on screen; cut to one row.
/// `head_above`: the head lines before the body are scrolled away (g goes back to them).
fn note(
    idx: &BodyIndex,
    p: &crate::exchange::BodyPreview,
    from: usize,
    to: usize,
    head_above: bool,
    width: usize,
) -> Line<'static> {
    let kind = match (idx.binary, idx.json, idx.pretty.is_some()) {
        (true, _, _) => "binary, as hex",
        (_, true, true) => "JSON, pretty-printed",
        (_, true, false) => "JSON",
        _ => "text",
    };
    let mut s = format!(
        "── body · {kind} · {} · lines {}–{to} of {} ",
        human_size(p.total),
        from + 1,
        idx.lines()
    );
    if p.truncated || p.total > p.bytes.len() as u64 {
        s.push_str(&format!(
            "· only the first {} held ",
            human_size(p.bytes.len() as u64)
        ));
    }
    if head_above {
        s.push_str("· head above (g) ");
    }
    Line::styled(text::clip(&s, width), theme::dim())
}

fn body_line(app: &App, l: &Loaded, idx: &BodyIndex, bytes: &[u8]) -> Line<'static> {
    if idx.binary {
        return Line::raw(hex_line(bytes));
    }
    let cut = bytes.len() > LINE_CAP;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(LINE_CAP)]);
    let text = crate::secret::escape_controls(&text);
    let text = redact(app, l, &text);
    let mut spans = if idx.json {
        json_spans(&text)
    } else {
        vec![Span::raw(text)]
    };
    let needle = Needle::new(search_needle(app));
    if !needle.is_empty() {
        spans = mark_search(spans, &needle);
    }
    if cut {
        spans.push(Span::styled(
            format!(" … {} more bytes on this line", bytes.len() - LINE_CAP),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// What is highlighted in the body: the query being typed after `/` (so each key shows what it
/// would find), else the last one searched for, which `n` finds again.
fn search_needle(app: &App) -> &str {
    match &app.editing {
        Some(e) if e.target == Target::Search && !e.input.text.is_empty() => &e.input.text,
        _ => &app.exchange.search,
    }
}

/// Splits the spans at every match of the query, which gets the highlight. The matcher is the
/// one `/` and `n` use (`tui::search`), so ranges are always on the text's char boundaries.
fn mark_search(spans: Vec<Span<'static>>, needle: &Needle) -> Vec<Span<'static>> {
    let hit = Style::new().bg(Color::Yellow).fg(Color::Black);
    let mut out = Vec::new();
    for s in spans {
        let found: Vec<_> = needle.find_iter(&s.content).collect();
        if found.is_empty() {
            out.push(s);
            continue;
        }
        let mut last = 0;
        for r in found {
            if r.start > last {
                out.push(Span::styled(s.content[last..r.start].to_string(), s.style));
            }
            out.push(Span::styled(s.content[r.clone()].to_string(), hit));
            last = r.end;
        }
        if last < s.content.len() {
            out.push(Span::styled(s.content[last..].to_string(), s.style));
        }
    }
    out
}

/// JSON colours for one line: keys, strings, numbers and literals.
pub fn json_spans(line: &str) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut Vec<Span<'static>>| {
        if !plain.is_empty() {
            out.push(Span::raw(std::mem::take(plain)));
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(b.len());
                let is_key = line[end..].trim_start().starts_with(':');
                flush(&mut plain, &mut out);
                let style = if is_key {
                    Style::new().fg(Color::Cyan)
                } else {
                    Style::new().fg(Color::Green)
                };
                out.push(Span::styled(line[i..end].to_string(), style));
                i = end;
            }
            c if c == b'-' || c.is_ascii_digit() => {
                let j = i + line[i..]
                    .find(|ch: char| !(ch.is_ascii_digit() || "-+.eE".contains(ch)))
                    .unwrap_or(line.len() - i);
                flush(&mut plain, &mut out);
                out.push(Span::styled(
                    line[i..j].to_string(),
                    Style::new().fg(Color::Magenta),
                ));
                i = j;
            }
            _ => {
                let rest = &line[i..];
                if let Some(w) = ["true", "false", "null"]
                    .iter()
                    .find(|w| rest.starts_with(**w))
                {
                    flush(&mut plain, &mut out);
                    out.push(Span::styled(w.to_string(), Style::new().fg(Color::Yellow)));
                    i += w.len();
                } else {
                    let ch = rest.chars().next().unwrap_or(' ');
                    plain.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
    }
    flush(&mut plain, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, query: &str) -> Vec<(String, bool)> {
        let spans = mark_search(vec![Span::raw(text.to_string())], &Needle::new(query));
        let hit = |s: &Span| s.style.bg == Some(Color::Yellow);
        spans
            .iter()
            .map(|s| (s.content.to_string(), hit(s)))
            .collect()
    }

    proptest::proptest! {
        /// Whatever the text and query, highlighting draws: the spans still spell the text,
        /// and every highlighted piece is the query in some case.
        #[test]
        fn highlighting_any_text_keeps_it_whole(
            text in "[İıiIẞßsSſKk\u{212A}Σσςa \u{307}😀]{0,12}|\\PC{0,30}",
            query in "[İıiIẞßsSſKk\u{212A}Σσςa]{1,3}|\\PC{1,3}",
        ) {
            let spans = marked(&text, &query);
            let whole: String = spans.iter().map(|(s, _)| s.as_str()).collect();
            proptest::prop_assert_eq!(&whole, &text);
            let fold = |s: &str| s.chars().map(crate::tui::search::fold).collect::<Vec<_>>();
            for (s, hit) in &spans {
                proptest::prop_assert!(!hit || fold(s) == fold(&query), "{s:?} for {query:?}");
            }
        }
    }

    #[test]
    fn a_match_whose_lower_case_moves_is_highlighted_where_it_is() {
        // `İẞ` lower-cases to 5 bytes too, with `ß` at byte 3: inside `ẞ` in the text shown.
        assert_eq!(
            marked("İẞ", "ß"),
            [("İ".to_string(), false), ("ẞ".to_string(), true)]
        );
        assert_eq!(
            marked("a Token, TOKEN", "token"),
            [
                ("a ".to_string(), false),
                ("Token".to_string(), true),
                (", ".to_string(), false),
                ("TOKEN".to_string(), true),
            ]
        );
    }

    #[test]
    fn json_lines_are_split_into_coloured_tokens() {
        let spans = json_spans(r#"  "error": {"code": 401, "ok": false, "s": "a\"b"}"#);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(
            text,
            r#"  "error": {"code": 401, "ok": false, "s": "a\"b"}"#
        );
        assert!(
            spans
                .iter()
                .any(|s| s.content == "401" && s.style.fg == Some(Color::Magenta))
        );
        assert!(
            spans
                .iter()
                .any(|s| s.content == "\"error\"" && s.style.fg == Some(Color::Cyan))
        );
    }
}
