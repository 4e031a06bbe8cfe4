//! Finding `${NAME}` and `{{NAME}}` references in text, and substituting them with their spans.
//!
//! Spans are kept on both sides (in the typed text and in the result) so a finding about a
//! value can underline the variable the user typed, and a wire view can find the value.

use std::ops::Range;

/// One `${NAME}` or `{{NAME}}` in a piece of typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub name: String,
    /// Byte range of the whole reference (`${` to `}`) in the typed text.
    pub span: Range<usize>,
    /// Written `{{NAME}}` (REST Client, Postman) rather than `${NAME}` (shell, dotenv).
    pub mustache: bool,
}

/// The references in `text`, in order. An unterminated `${` or a name with invalid
/// characters is not a reference and stays literal text, as in shells and REST Client.
pub fn find_refs(text: &str) -> Vec<Ref> {
    let mut refs = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let mustache = rest.starts_with("{{");
        let found = if rest.starts_with("${") {
            parse_ref(rest, 2, "}")
        } else if mustache {
            parse_ref(rest, 2, "}}")
        } else {
            None
        };
        match found {
            Some((name, len)) => {
                refs.push(Ref {
                    name,
                    span: i..i + len,
                    mustache,
                });
                i += len;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    refs
}

/// Parses a name after an opener of `open` bytes up to `close`; returns the name and the
/// total length. `{{ name }}` may pad the name with spaces (REST Client allows it).
fn parse_ref(rest: &str, open: usize, close: &str) -> Option<(String, usize)> {
    let end = rest[open..].find(close)? + open;
    let inner = rest[open..end].trim_matches(' ');
    let valid = inner
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    valid.then(|| (inner.to_string(), end + close.len()))
}

/// Text with its references substituted, remembering where each one went.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interpolated {
    pub text: String,
    pub refs: Vec<Substituted>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substituted {
    pub name: String,
    /// Where the reference stood in the typed text.
    pub typed: Range<usize>,
    /// Where its value stands in the result; `None` when unresolved (the reference text is kept).
    pub value: Option<Range<usize>>,
}

impl Interpolated {
    pub fn unresolved(&self) -> impl Iterator<Item = &Substituted> {
        self.refs.iter().filter(|r| r.value.is_none())
    }
}

/// Substitutes every reference through `lookup`. Unresolved references stay as typed in the
/// text, but are listed so the sender can refuse rather than send `${KEY}` to a server.
pub fn interpolate(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Interpolated {
    interpolate_refs(text, |r| lookup(&r.name))
}

/// `interpolate` with a lookup that sees the whole reference, for callers whose answer
/// depends on how it was written (an unresolved `{{NAME}}` goes out literally from Postman
/// or REST Client, while an unset `${NAME}` becomes empty in a shell).
pub fn interpolate_refs(text: &str, lookup: impl Fn(&Ref) -> Option<String>) -> Interpolated {
    let mut out = Interpolated::default();
    let mut last = 0;
    for r in find_refs(text) {
        out.text.push_str(&text[last..r.span.start]);
        let value = lookup(&r).map(|v| {
            let start = out.text.len();
            out.text.push_str(&v);
            start..out.text.len()
        });
        if value.is_none() {
            out.text.push_str(&text[r.span.clone()]);
        }
        out.refs.push(Substituted {
            name: r.name,
            typed: r.span.clone(),
            value,
        });
        last = r.span.end;
    }
    out.text.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_syntaxes_with_spans() {
        let refs = find_refs("Bearer ${TOKEN} {{ host }}/x");
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].name, "TOKEN");
        assert_eq!(refs[0].span, 7..15);
        assert_eq!(refs[1].name, "host");
        assert!(!refs[0].mustache && refs[1].mustache);
    }

    #[test]
    fn malformed_references_stay_literal() {
        assert!(find_refs("${unterminated").is_empty());
        assert!(find_refs("${1BAD} {{a b}} $PLAIN").is_empty());
        assert!(find_refs("{\"json\": {\"a\": 1}}").is_empty());
    }

    #[test]
    fn interpolation_records_where_values_went() {
        let lookup = |n: &str| (n == "KEY").then(|| "EXAMPLE-k".to_string());
        let out = interpolate("a ${KEY} b ${MISSING}", lookup);
        assert_eq!(out.text, "a EXAMPLE-k b ${MISSING}");
        assert_eq!(out.refs[0].value, Some(2..11));
        assert_eq!(
            out.unresolved()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            ["MISSING"]
        );
    }

    #[test]
    fn multibyte_text_around_references_is_kept() {
        let out = interpolate("é${A}ü", |_| Some("x".into()));
        assert_eq!(out.text, "éxü");
    }
}
