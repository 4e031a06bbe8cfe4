//! Credentials that cannot leak by accident.
//!
//! `Secret` masks itself in `Debug` and `Display`, so a `{:?}` in a log line or an error never
//! prints a key. `Redactor` masks known secret values wherever they appear in text we show
//! (wire bytes, URLs, echoed response bodies), because a key is still a key after the client
//! has copied it into a request line.

use std::fmt;

/// `url` for display: the literal value of each credential-named query parameter
/// (`?api_key=sk-…`) masked; `${NAME}` references are not secrets and stay as typed. For the
/// names of requests and messages, which are shown and saved where a URL line would mask.
pub fn masked_url(url: &str) -> String {
    let mut out = url.to_string();
    for p in crate::draft::url_params(url).into_iter().rev() {
        let Some(v) = p.value else { continue };
        let value = &url[v.clone()];
        let only_refs = crate::vars::find_refs(value)
            .iter()
            .map(|r| r.span.len())
            .sum::<usize>()
            == value.len();
        if is_credential_name(&url[p.name]) && !value.is_empty() && !only_refs {
            out.replace_range(v, &mask(value));
        }
    }
    out
}

/// A credential value. The real text is reachable only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value; call it only where the bytes are needed (sending) or shown on request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.0))
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.0))
    }
}

/// `sk-ab…9f3c (51 chars)`: enough to recognise a key, never enough to use it.
///
/// Short values reveal less: below 12 characters only the length is shown, because a prefix
/// and suffix of an 8-character password is most of it.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0 => return "(empty)".to_string(),
        1..=11 => (0, 0),
        12..=23 => (3, 2),
        _ => (5, 4),
    };
    let shown = |range: &[char]| -> String { range.iter().map(|c| visible(*c)).collect() };
    if head == 0 {
        format!("•••• ({n} chars)")
    } else {
        format!(
            "{}…{} ({n} chars)",
            shown(&chars[..head]),
            shown(&chars[n - tail..])
        )
    }
}

/// Control characters in a masked prefix or suffix would garble a terminal; show them as
/// the Unicode control pictures instead (a trailing newline becomes `␊`).
fn visible(c: char) -> String {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string(),
        '\u{7f}' => "␡".to_string(),
        _ => c.to_string(),
    }
}

/// Does this header carry the API's credential (docs/catalogue.md §2, `auth-header-missing`)?
/// `Authorization`, cookies, or a name mentioning key, token, auth, secret or session —
/// except names that carry no credential (`Idempotency-Key`, `Sec-WebSocket-Key`, CSRF
/// tokens). The rules engine's definition.
pub fn carries_credential(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const NOT_CREDENTIALS: [&str; 4] = [
        "idempotency-key",
        "sec-websocket-key",
        "x-csrf-token",
        "x-xsrf-token",
    ];
    if NOT_CREDENTIALS.contains(&n.as_str()) {
        return false;
    }
    n == "cookie"
        || ["key", "token", "auth", "secret", "session"]
            .iter()
            .any(|w| n.contains(w))
}

/// Is this header's value to be masked? Every header that `carries_credential`, and the
/// secrets that are not the API's credential: `Set-Cookie`, a password header.
pub fn is_credential_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    carries_credential(name) || n == "set-cookie" || n.contains("password")
}

/// Is this variable or query-parameter name one whose value is a credential?
pub fn is_credential_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "auth",
        "sig",
        "credential",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Masks every occurrence of known secret values in text.
///
/// Values shorter than 4 characters are not registered: masking every `a` in a body would
/// destroy the view and protect nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    secrets: Vec<Secret>,
}

impl Redactor {
    pub fn new() -> Self {
        Redactor::default()
    }

    /// Masks `value`, trimmed or not, and also the forms a URL gives it: a query row's value is
    /// form-encoded by the client (`+` → `%2B`) and a raw query is percent-encoded by the url
    /// crate (space → `%20`), and a masked key must stay masked in the request line.
    pub fn add(&mut self, value: &str) {
        let trimmed = value.trim();
        let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let raw_query = url::Url::parse(&format!("http://h/?{value}"))
            .ok()
            .and_then(|u| u.query().map(str::to_string))
            .unwrap_or_default();
        for v in [value, trimmed, &form, &raw_query] {
            if v.chars().count() >= 4 && !self.secrets.iter().any(|s| s.expose() == v) {
                self.secrets.push(Secret::new(v));
            }
        }
        // Longest first, so a key is masked whole rather than around a shorter secret inside it.
        self.secrets
            .sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.expose()) {
                out = out.replace(s.expose(), &mask(s.expose()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_key_in_a_url_is_masked_for_display_and_a_reference_is_not() {
        let shown = masked_url("${BASE}/v1?api_key=EXAMPLE-FAKE-KEY&page=2&token=${TOKEN}");
        assert_eq!(
            shown,
            "${BASE}/v1?api_key=EXA…EY (16 chars)&page=2&token=${TOKEN}"
        );
    }

    #[test]
    fn a_key_stays_masked_after_the_url_encodes_it() {
        let mut r = Redactor::new();
        r.add("EXAMPLE+FAKE/key=0000 1111");
        let line = "GET /v1?key=EXAMPLE%2BFAKE%2Fkey%3D0000+1111&raw=EXAMPLE+FAKE/key=0000%201111";
        let out = r.redact(line);
        assert!(!out.contains("EXAMPLE%2BFAKE"), "{out}");
        assert!(!out.contains("0000%201111"), "{out}");
    }

    #[test]
    fn long_key_shows_prefix_suffix_and_length() {
        let key = "sk-abEXAMPLEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAK9f3c";
        assert_eq!(mask(key), format!("sk-ab…9f3c ({} chars)", key.len()));
    }

    #[test]
    fn short_values_show_only_their_length() {
        assert_eq!(mask("hunter2"), "•••• (7 chars)");
        assert_eq!(mask(""), "(empty)");
        assert_eq!(mask("EXAMPLE-key-00"), "EXA…00 (14 chars)");
    }

    #[test]
    fn a_trailing_newline_is_shown_as_a_control_picture() {
        let key = "EXAMPLE-FAKE-KEY-0000-0000-00\n";
        assert!(mask(key).contains("00␊"), "{}", mask(key));
    }

    #[test]
    fn debug_and_display_never_print_the_value() {
        let s = Secret::new("EXAMPLE-FAKE-SECRET-VALUE-123456");
        assert!(!format!("{s:?}").contains("SECRET-VALUE"));
        assert!(!format!("{s}").contains("SECRET-VALUE"));
        assert_eq!(s.expose(), "EXAMPLE-FAKE-SECRET-VALUE-123456");
    }

    #[test]
    fn redactor_masks_every_occurrence_and_leaves_other_text() {
        let mut r = Redactor::new();
        r.add("EXAMPLE-FAKE-KEY-0000000000");
        let out =
            r.redact("x-api-key: EXAMPLE-FAKE-KEY-0000000000\r\nlog EXAMPLE-FAKE-KEY-0000000000");
        assert!(!out.contains("EXAMPLE-FAKE-KEY-0000000000"));
        assert!(out.starts_with("x-api-key: EXAMP…0000 (27 chars)"));
        assert_eq!(out.matches("(27 chars)").count(), 2);
    }

    #[test]
    fn credential_header_names() {
        for n in [
            "Authorization",
            "X-API-Key",
            "api-key",
            "PRIVATE-TOKEN",
            "Cookie",
        ] {
            assert!(is_credential_header(n), "{n}");
        }
        for n in [
            "Idempotency-Key",
            "Sec-WebSocket-Key",
            "X-CSRF-Token",
            "Accept",
            "Host",
        ] {
            assert!(!is_credential_header(n), "{n}");
        }
    }
}
