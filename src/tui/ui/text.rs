//! Typed text as styled spans: `${VAR}` references coloured by whether they resolve, literal
//! credentials masked, and characters you cannot see (tabs, line breaks, trailing spaces)
//! drawn as symbols — a trailing space in a key is one of the things authlens is here to show.

use super::theme;
use crate::secret::mask;
use crate::vars::{Vars, find_refs};
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// A byte range of typed text to underline (a finding's anchor), with its style.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub range: Range<usize>,
    pub style: Style,
}

/// Spans for a typed value. `secret`: the literal part after a scheme word is masked.
pub fn typed(text: &str, vars: &Vars, secret: bool, base: Style) -> Vec<Span<'static>> {
    typed_marked(text, vars, secret, base, &[])
}

/// `typed`, with the marked byte ranges underlined: exactly where the text is shown as typed,
/// the whole span where it is shown transformed (a masked credential, a control picture).
pub fn typed_marked(
    text: &str,
    vars: &Vars,
    secret: bool,
    base: Style,
    marks: &[Mark],
) -> Vec<Span<'static>> {
    let mut out = Out {
        spans: Vec::new(),
        at: 0,
    };
    let mut last = 0;
    for r in find_refs(text) {
        out.at = last;
        literal(
            &mut out,
            &text[last..r.span.start],
            (secret && last == 0, false),
            secret,
            base,
        );
        let style = if vars.get(&r.name).is_some() {
            theme::resolved()
        } else {
            theme::unresolved()
        };
        out.spans.push((
            Span::styled(text[r.span.clone()].to_string(), style),
            r.span.clone(),
        ));
        last = r.span.end;
    }
    out.at = last;
    literal(
        &mut out,
        &text[last..],
        (secret && last == 0, true),
        secret,
        base,
    );
    apply_marks(out.spans, marks)
}

/// Spans with the byte range of typed text each one shows.
struct Out {
    spans: Vec<(Span<'static>, Range<usize>)>,
    /// Where the text being pushed starts in the typed value.
    at: usize,
}

impl Out {
    fn push(&mut self, span: Span<'static>, len: usize) {
        self.spans.push((span, self.at..self.at + len));
        self.at += len;
    }
}

fn apply_marks(spans: Vec<(Span<'static>, Range<usize>)>, marks: &[Mark]) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return spans.into_iter().map(|(s, _)| s).collect();
    }
    let mut out = Vec::new();
    for (span, range) in spans {
        let hits: Vec<&Mark> = marks
            .iter()
            .filter(|m| {
                m.range.start < range.end.max(range.start + 1)
                    && m.range.end.max(m.range.start + 1) > range.start
            })
            .collect();
        if hits.is_empty() {
            out.push(span);
        } else if span.content.len() != range.len() {
            out.push(span.patch_style(hits[0].style));
        } else {
            split_marked(&mut out, span, range, &hits);
        }
    }
    out
}

/// Splits a span shown as typed at the mark boundaries, styling the marked pieces.
fn split_marked(
    out: &mut Vec<Span<'static>>,
    span: Span<'static>,
    range: Range<usize>,
    hits: &[&Mark],
) {
    let text = span.content.to_string();
    let mut cuts = vec![0, text.len()];
    for m in hits {
        for b in [m.range.start, m.range.end] {
            let b = b.clamp(range.start, range.end) - range.start;
            if text.is_char_boundary(b) {
                cuts.push(b);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let abs = range.start + a..range.start + b;
        let hit = hits
            .iter()
            .find(|m| m.range.start < abs.end && m.range.end.max(m.range.start + 1) > abs.start);
        let piece = Span::styled(text[a..b].to_string(), span.style);
        out.push(match hit {
            Some(m) => piece.patch_style(m.style),
            None => piece,
        });
    }
}

/// `at`: (at the start of the value, at its end) — only spaces ending the value are marked.
fn literal(out: &mut Out, s: &str, at: (bool, bool), secret: bool, base: Style) {
    let (at_start, at_end) = at;
    if s.is_empty() {
        return;
    }
    let show = |out: &mut Out, s: &str, at_end: bool| {
        if at_end {
            visible_at(out, s, base)
        } else {
            let (head, tail) = s.split_at(s.trim_end_matches(' ').len());
            visible_at(out, head, base);
            if !tail.is_empty() {
                out.push(Span::styled(tail.to_string(), base), tail.len());
            }
        }
    };
    if !secret {
        return show(out, s, at_end);
    }
    // Keep the scheme word (`Bearer `, `bearer  `): its spelling is often the bug.
    let (scheme, cred) = match s.find(' ') {
        Some(i) if at_start && i > 0 => {
            let end = i + s[i..].len() - s[i..].trim_start_matches(' ').len();
            s.split_at(end)
        }
        _ => ("", s),
    };
    show(out, scheme, false);
    if cred.chars().count() >= 4 {
        out.push(Span::styled(mask(cred), theme::masked()), cred.len());
    } else {
        show(out, cred, at_end);
    }
}

/// `visible`, recording the typed range of each span.
fn visible_at(out: &mut Out, s: &str, base: Style) {
    let mut spans = Vec::new();
    visible(&mut spans, s, base);
    let trimmed = s.trim_end_matches(' ');
    let mut rest = trimmed;
    for span in spans {
        let len = if span.content.starts_with('·') {
            s.len() - trimmed.len()
        } else if span.style == theme::warn() && span.content.chars().count() == 1 {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            span.content.len()
        };
        rest = rest.get(len.min(rest.len())..).unwrap_or("");
        out.push(span, len);
    }
}

/// Pushes `s`, with tabs, line breaks, other control characters and trailing spaces drawn as
/// visible symbols.
pub fn visible(out: &mut Vec<Span<'static>>, s: &str, base: Style) {
    let trimmed = s.trim_end_matches(' ');
    let mut plain = String::new();
    for c in trimmed.chars() {
        match c {
            c if c.is_control() => {
                if !plain.is_empty() {
                    out.push(Span::styled(std::mem::take(&mut plain), base));
                }
                // C0 as control pictures (a tab and a line break too: they matter here), DEL
                // and C1 as `␡` and `‹U+009B›`: nothing a server sent moves the cursor.
                let pic = crate::secret::control_picture(c).unwrap_or_else(|| "?".into());
                out.push(Span::styled(pic, theme::warn()));
            }
            c => plain.push(c),
        }
    }
    if !plain.is_empty() {
        out.push(Span::styled(plain, base));
    }
    let trailing = s.len() - trimmed.len();
    if trailing > 0 {
        out.push(Span::styled("·".repeat(trailing), theme::warn()));
    }
}

/// Cuts a string to at most `max` chars, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `s` in at most `max` chars, cut in the middle: `the saved session … session.corrupt-1.json`.
pub fn clip_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep = max.saturating_sub(1);
    let head = keep * 2 / 5;
    let tail = keep - head;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_middle_keeps_both_ends() {
        assert_eq!(
            clip_middle("moved to /tmp/session.corrupt-42.json", 20),
            "moved t…rupt-42.json"
        );
        assert_eq!(clip_middle("short", 20), "short");
        assert_eq!(
            clip_middle("moved to /tmp/session.corrupt-42.json", 20)
                .chars()
                .count(),
            20
        );
    }
    use crate::vars::DotenvReport;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn references_are_coloured_and_literal_secrets_masked() {
        let vars = Vars::build(
            &[("T".into(), "EXAMPLE-token-0000".into())],
            [],
            DotenvReport::default(),
        );
        let s = typed("Bearer ${T} ${GONE}", &vars, true, Style::new());
        assert_eq!(text(&s), "Bearer ${T} ${GONE}");
        let style = |c: &str| s.iter().find(|x| x.content == c).unwrap().style;
        assert_eq!(style("${T}"), theme::resolved());
        assert_eq!(style("${GONE}"), theme::unresolved());
        let s = typed(
            "bearer sk-EXAMPLE-literal-000000",
            &vars,
            true,
            Style::new(),
        );
        assert_eq!(text(&s), "bearer sk-EX…0000 (25 chars)");
    }

    #[test]
    fn marks_underline_exact_bytes_or_the_whole_masked_span() {
        use ratatui::style::Modifier;
        let vars = Vars::default();
        let u = Style::new().add_modifier(Modifier::UNDERLINED);
        let mark = |r: Range<usize>| [Mark { range: r, style: u }];
        let underlined = |spans: &[Span]| -> String {
            spans
                .iter()
                .filter(|x| x.style.add_modifier.contains(Modifier::UNDERLINED))
                .map(|x| x.content.as_ref())
                .collect()
        };
        let s = typed_marked(
            "bearer sk-EXAMPLE-literal-000000",
            &vars,
            true,
            Style::new(),
            &mark(0..6),
        );
        let marked = underlined(&s);
        assert_eq!(marked, "bearer");
        let s = typed_marked(
            "Bearer sk-EXAMPLE-literal-000000",
            &vars,
            true,
            Style::new(),
            &mark(20..21),
        );
        let marked = underlined(&s);
        assert_eq!(marked, "sk-EX…0000 (25 chars)");
        let s = typed_marked("key\t", &vars, false, Style::new(), &mark(3..4));
        let marked = underlined(&s);
        assert_eq!(marked, "␉");
    }

    #[test]
    fn invisible_characters_become_visible() {
        let mut out = Vec::new();
        visible(&mut out, "a\tb  ", Style::new());
        assert_eq!(text(&out), "a␉b··");
    }
}
