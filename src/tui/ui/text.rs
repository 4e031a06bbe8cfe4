//! Typed text as styled spans: `${VAR}` references coloured by whether they resolve, literal
//! credentials masked, and characters you cannot see (tabs, line breaks, trailing spaces)
//! drawn as symbols — a trailing space in a key is one of the things authlens is here to show.

use super::theme;
use crate::secret::mask;
use crate::vars::{Vars, find_refs};
use ratatui::style::Style;
use ratatui::text::Span;

/// Spans for a typed value. `secret`: the literal part after a scheme word is masked.
pub fn typed(text: &str, vars: &Vars, secret: bool, base: Style) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut last = 0;
    for r in find_refs(text) {
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
        out.push(Span::styled(text[r.span.clone()].to_string(), style));
        last = r.span.end;
    }
    literal(
        &mut out,
        &text[last..],
        (secret && last == 0, true),
        secret,
        base,
    );
    out
}

/// `at`: (at the start of the value, at its end) — only spaces ending the value are marked.
fn literal(out: &mut Vec<Span<'static>>, s: &str, at: (bool, bool), secret: bool, base: Style) {
    let (at_start, at_end) = at;
    if s.is_empty() {
        return;
    }
    let show = |out: &mut Vec<Span<'static>>, s: &str, at_end: bool| {
        if at_end {
            visible(out, s, base)
        } else {
            let (head, tail) = s.split_at(s.trim_end_matches(' ').len());
            visible(out, head, base);
            if !tail.is_empty() {
                out.push(Span::styled(tail.to_string(), base));
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
        out.push(Span::styled(mask(cred), theme::masked()));
    } else {
        show(out, cred, at_end);
    }
}

/// Pushes `s`, with tabs, line breaks and trailing spaces drawn as visible symbols.
pub fn visible(out: &mut Vec<Span<'static>>, s: &str, base: Style) {
    let trimmed = s.trim_end_matches(' ');
    let mut plain = String::new();
    for c in trimmed.chars() {
        match c {
            '\t' | '\r' | '\n' | '\u{0}'..='\u{1f}' => {
                if !plain.is_empty() {
                    out.push(Span::styled(std::mem::take(&mut plain), base));
                }
                let pic = char::from_u32(0x2400 + c as u32).unwrap_or('?');
                out.push(Span::styled(pic.to_string(), theme::warn()));
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

#[cfg(test)]
mod tests {
    use super::*;
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
    fn invisible_characters_become_visible() {
        let mut out = Vec::new();
        visible(&mut out, "a\tb  ", Style::new());
        assert_eq!(text(&out), "a␉b··");
    }
}
