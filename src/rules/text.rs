//! Small judgements about credential text shared by several rules: is it a placeholder, does
//! it look like a token, does it decode as strict base64, and how to show it without leaking.

use super::providers::key_shape;
use crate::secret::mask;
use base64::Engine;

/// Scheme words a credential may start with (RFC 9110 §11.1 registry plus common ones).
pub const KNOWN_SCHEMES: [&str; 15] = [
    "Bearer",
    "Basic",
    "Token",
    "Digest",
    "Negotiate",
    "NTLM",
    "AWS4-HMAC-SHA256",
    "DPoP",
    "HOBA",
    "Mutual",
    "OAuth",
    "ApiKey",
    "JWT",
    // Discord bot tokens.
    "Bot",
    // Okta's static API tokens (OAuth access tokens go as Bearer).
    "SSWS",
];

/// The canonical spelling of a known scheme word, compared case-insensitively.
pub fn known_scheme(word: &str) -> Option<&'static str> {
    KNOWN_SCHEMES
        .iter()
        .find(|s| s.eq_ignore_ascii_case(word))
        .copied()
}

/// How a secret is shown: prefix, suffix and length only (`secret::mask`).
pub fn shown(value: &str) -> String {
    mask(value)
}

/// Does the text look like a credential (JWT, known key prefix, hex, long base64url)?
pub fn looks_like_token(s: &str) -> bool {
    if s.len() < 16 || s.contains(char::is_whitespace) {
        return false;
    }
    let token68 = s
        .trim_end_matches('=')
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c));
    token68
        && (s.starts_with("eyJ")
            || key_shape(s).is_some()
            || s.len() >= 20
            || s.chars().all(|c| c.is_ascii_hexdigit()))
}

/// RFC 4648 base64 as `Basic` requires it: length a multiple of 4, `=` only as final padding.
pub fn strict_base64(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || !s.len().is_multiple_of(4) {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Why a value is a placeholder or template, if it is one (catalogue A,
/// `credential-placeholder-value`). `EXAMPLE` is deliberately not a marker.
pub fn placeholder_reason(value: &str, example: Option<&str>) -> Option<&'static str> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    if example.is_some_and(|e| e == v) {
        return Some("it equals the value in .env.example");
    }
    if v.starts_with('#') {
        return Some("it starts with `#` (a comment loaded as the value)");
    }
    const WORDS: [&str; 9] = [
        "changeme",
        "change_me",
        "replace_me",
        "replaceme",
        "placeholder",
        "todo",
        "none",
        "null",
        "undefined",
    ];
    if WORDS.contains(&lower.as_str()) {
        return Some("it is a placeholder word");
    }
    if your_key_pattern(&lower) {
        return Some("it reads like \"your key here\"");
    }
    if filler_words_only(&lower) {
        return Some("it is made of words like `some-token` or `my-api-key`, not a key");
    }
    // `y0ur4p1tok3n`: the same words in digits-for-letters spelling.
    let unleet: String = lower
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            c => c,
        })
        .collect();
    if unleet != lower && your_key_pattern(&unleet) {
        return Some("it reads like \"your key here\" in digits-for-letters spelling");
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(
            "it is a URL, not a key (an endpoint or dashboard address pasted in its place)",
        );
    }
    if lower.ends_with("_here") || lower.ends_with("-here") {
        return Some("it ends in `_here`");
    }
    if [
        "add_", "insert_", "put_", "enter_", "add-", "insert-", "put-", "enter-",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return Some("it starts with an instruction (`add_`, `insert_`, …)");
    }
    if (v.starts_with('<') && v.ends_with('>')) || (v.starts_with('{') && v.ends_with('}')) {
        return Some("it is wrapped in `<…>` or `{…}`, a template slot");
    }
    let body = key_shape(v).map_or(v, |s| &v[s.prefix.len()..]);
    let body = body.trim_start_matches(['-', '_']);
    let after_generic = strip_generic_prefix(v);
    let x_run = |s: &str| s.len() >= 3 && s.chars().all(|c| matches!(c, 'x' | 'X' | '*'));
    if x_run(body) || x_run(after_generic) {
        return Some("it is a run of `x` or `*`");
    }
    if ["...", "…"].contains(&body) || ["...", "…"].contains(&after_generic) {
        return Some("it is an ellipsis, not a key");
    }
    None
}

/// `sk-...`, `sk-xxxx`: a prefix-looking start that no table row names.
fn strip_generic_prefix(v: &str) -> &str {
    match v.find(['-', '_']) {
        Some(i) if i <= 4 => &v[i + 1..],
        _ => v,
    }
}

/// `some-token`, `my_api_key`, `dummy-secret`: a filler word and a credential noun, nothing
/// else (timothystewart6/paperless-stack#6 shipped `some-token` in a template `.env`).
/// `example`, `fake` and `test` are not fillers: real fixtures and test keys use them.
fn filler_words_only(lower: &str) -> bool {
    const FILLERS: [&str; 7] = ["some", "my", "dummy", "sample", "foo", "bar", "the"];
    const NOUNS: [&str; 8] = [
        "key", "token", "secret", "password", "pass", "apikey", "api", "access",
    ];
    let words: Vec<&str> = lower.split(['-', '_']).collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| FILLERS.contains(w) || NOUNS.contains(w))
        && words.iter().any(|w| FILLERS.contains(w))
        && words
            .iter()
            .any(|w| NOUNS.contains(w) && *w != "api" && *w != "access")
}

/// `your` followed within a few characters by `key`, `token` or `secret`.
fn your_key_pattern(lower: &str) -> bool {
    lower.match_indices("your").any(|(i, _)| {
        let window: String = lower[i + 4..].chars().take(16).collect();
        ["key", "token", "secret"]
            .iter()
            .any(|w| window.contains(w))
    })
}

/// Control characters that `http::HeaderValue` rejects: below 0x20 except TAB, and 0x7F.
pub fn control_chars(value: &str) -> Vec<(usize, char)> {
    value
        .char_indices()
        .filter(|(_, c)| (*c < ' ' && *c != '\t') || *c == '\u{7f}')
        .collect()
}

/// Characters outside printable ASCII (above U+007E).
pub fn non_ascii(value: &str) -> Vec<(usize, char)> {
    value
        .char_indices()
        .filter(|(_, c)| *c > '\u{7e}')
        .collect()
}

/// `U+200B ZERO WIDTH SPACE` style names for the characters people meet in keys.
pub fn char_name(c: char) -> String {
    let name = match c {
        '\n' => "LINE FEED (\\n)",
        '\r' => "CARRIAGE RETURN (\\r)",
        '\0' => "NUL",
        '\u{7f}' => "DELETE",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{feff}' => "BYTE ORDER MARK",
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{201c}' | '\u{201d}' => "typographic double quote",
        '\u{2018}' | '\u{2019}' => "typographic single quote",
        '\u{a9}' => "COPYRIGHT SIGN",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} {name}", c as u32)
    }
}

/// The first `max` bytes of `s`, cut back to a character boundary.
pub fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_words_are_placeholders_but_fixture_words_are_not() {
        for v in ["some-token", "my_api_key", "dummy-secret", "foo-bar-token"] {
            assert!(placeholder_reason(v, None).is_some(), "{v}");
        }
        for v in [
            "EXAMPLE-token",
            "fake-key",
            "test_token",
            "my-EXAMPLE00-key",
            "some-thing",
        ] {
            assert!(placeholder_reason(v, None).is_none(), "{v}");
        }
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "sk-your-api-key-here",
            "YOUR_OPENAI_API_KEY",
            "ADD_YOUR_KEY_HERE",
            "<token>",
            "{{key}}",
            "xxxxxxxx",
            "sk-xxxx",
            "sk-...",
            "changeme",
            "# todo",
            "…",
            "y0ur4p1tok3n",
            "https://proxy.example.net/v1",
        ] {
            assert!(placeholder_reason(p, None).is_some(), "{p}");
        }
    }

    #[test]
    fn real_looking_keys_are_not_placeholders() {
        for k in [
            "sk-proj-EXAMPLEkeyDoNotUse0000",
            "ghp_EXAMPLE00000000000000000000000000000",
            "dev-EXAMPLE-key-2f9c",
            "EXAMPLEpk",
            "xoxb-1111-EXAMPLE",
            "4f3c0a7e15b2d9c8e6a1",
        ] {
            assert_eq!(placeholder_reason(k, None), None, "{k}");
        }
        assert!(placeholder_reason("same", Some("same")).is_some());
    }

    #[test]
    fn token_shapes_and_base64() {
        assert!(looks_like_token("eyJhbGciOiJIUzI1NiJ9.e30.sig"));
        assert!(looks_like_token("deadbeefdeadbeefdeadbeef"));
        assert!(!looks_like_token("hello world"));
        assert_eq!(strict_base64("YWRtaW4=").unwrap(), b"admin");
        assert!(strict_base64("sk_test_EXAMPLE").is_none());
        assert_eq!(control_chars("ab\r\n"), [(2, '\r'), (3, '\n')]);
        assert_eq!(char_name('\u{200b}'), "U+200B ZERO WIDTH SPACE");
    }

    #[test]
    fn prefix_never_splits_a_character() {
        assert_eq!(prefix("aé", 2), "a");
        assert_eq!(prefix("abc", 10), "abc");
    }
}
