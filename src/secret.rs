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

/// A URL as an error message quotes it: what [`masked_url`] masks, plus the password of
/// `user:password@` and every credential-shaped word ([`mask_shaped`]) — a key pasted into the
/// path is no safer in an error line than one in the query.
pub fn masked_url_text(url: &str) -> String {
    let mut out = masked_url(url);
    if let Some(start) = out.find("://").map(|i| i + 3) {
        let end = out[start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |e| start + e);
        if let Some(at) = out[start..end].rfind('@').map(|a| start + a)
            && let Some(colon) = out[start..at].find(':').map(|c| start + c + 1)
            && colon < at
        {
            let password = out[colon..at].to_string();
            out.replace_range(colon..at, &mask(&password));
        }
    }
    mask_shaped(&out)
}

/// A command-line argument as an error message quotes it, with its credential masked: read
/// as a header (`Name: value`, and the spellings with the colon missing, `Name value` or
/// `Name=value`), the value of a credential header or field and the credential after a scheme
/// word; a URL as [`masked_url_text`]; and in any case every credential-shaped word.
///
/// `Authorization Bearer sk-proj-…` → `Authorization Bearer sk-pr…6789 (44 chars)`.
pub fn masked_arg(arg: &str) -> String {
    if arg.contains("://") {
        return masked_url_text(arg);
    }
    let Some(sep) = arg.find([':', '=', ' ', '\t']) else {
        return mask_shaped(arg);
    };
    let (name, value) = (arg[..sep].trim(), &arg[sep + 1..]);
    let v = value.trim_start_matches([' ', '\t']);
    let lead = value.len() - v.len();
    // A path (`-F name=@file`, `name=<file`) is what the message is about: it stays.
    let is_path = v.starts_with(['@', '<']);
    let mut secrets: Vec<&str> = if v.trim().is_empty() || is_path {
        Vec::new()
    } else if name.is_empty() || SCHEME_WORDS.contains(&name.to_ascii_lowercase().as_str()) {
        // No name to judge by, or a scheme word with the name missing: all of it.
        vec![v.trim()]
    } else {
        match header_secrets(name, v) {
            found if found.is_empty() && is_credential_name(name) => vec![v.trim()],
            found => found,
        }
    };
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut shown = v.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        shown = shown.replace(secret, &mask(secret));
    }
    mask_shaped(&format!("{}{}", &arg[..sep + 1 + lead], shown))
}

/// Does this word look like a credential by its shape alone: 20 or more ASCII letters,
/// digits, `-` and `_`, with both letters and digits in it — an `sk-proj-…` key, a hex or
/// base64url token — where a path segment or a host name has dots, slashes or no digits.
fn credential_shaped(word: &str) -> bool {
    word.len() >= 20
        && word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

/// The credential-shaped words of `text` (as [`mask_shaped`] finds them), for a redactor to
/// learn: a key pasted into a URL's path is masked wherever the URL is shown.
pub fn shaped_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| credential_shaped(w))
        .collect()
}

/// `text` with every credential-shaped run of letters, digits, `-` and `_` masked.
pub fn mask_shaped(text: &str) -> String {
    mask_words(
        text,
        |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        credential_shaped,
    )
}

/// `text` with each run of `word_char` characters that `secret` picks masked, the rest kept
/// as it is: one walk for every reader that masks keys inside prose (a URL, a server's words).
pub fn mask_words(
    text: &str,
    word_char: impl Fn(char) -> bool,
    secret: impl Fn(&str) -> bool,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if secret(word) {
            out.push_str(&mask(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
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
    if n == 0 {
        return "(empty)".to_string();
    }
    let (head, tail) = shown_ends(n);
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

/// How many characters a mask shows at the start and at the end of an `n`-character value.
pub fn shown_ends(n: usize) -> (usize, usize) {
    match n {
        0..=11 => (0, 0),
        12..=23 => (3, 2),
        _ => (5, 4),
    }
}

/// Control characters in a masked prefix or suffix would garble a terminal; show them as
/// [`control_picture`] does (a trailing newline becomes `␊`).
fn visible(c: char) -> String {
    control_picture(c).unwrap_or_else(|| c.to_string())
}

/// How a control character is shown so a terminal cannot act on it: C0 as its Unicode
/// control picture (`␛` for ESC, `␇` for BEL), DEL as `␡`, and C1 — which has no pictures,
/// and whose U+009B is a one-character CSI to many terminals — as `‹U+009B›`. `None` for
/// every other character.
pub fn control_picture(c: char) -> Option<String> {
    match c {
        '\u{0}'..='\u{1f}' => Some(char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string()),
        '\u{7f}' => Some("␡".to_string()),
        '\u{80}'..='\u{9f}' => Some(format!("‹U+{:04X}›", c as u32)),
        _ => None,
    }
}

/// Text for a terminal: every control character escaped as [`control_picture`] shows it —
/// C0 but the tab and line feed that lay text out, DEL, and C1 — so a server's header or body
/// cannot move the cursor, recolour, retitle or beep. The CLI prints everything through it.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let is_escaped = |c: char| c.is_control() && c != '\t' && c != '\n';
    if !text.chars().any(is_escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match control_picture(c).filter(|_| is_escaped(c)) {
            Some(picture) => out.push_str(&picture),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON for a terminal: serde_json escapes C0 inside strings but writes DEL and C1 as they
/// are; those become `\u007f` and `\u009b`, which mean the same to a JSON reader.
pub fn escape_json_controls(json: &str) -> std::borrow::Cow<'_, str> {
    let is_raw = |c: char| ('\u{7f}'..='\u{9f}').contains(&c);
    if !json.chars().any(is_raw) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_raw(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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

/// Is this variable, query-parameter, form-field or JSON-key name one whose value is a
/// credential? A name containing key, token, secret, password, passwd, auth, sig or
/// credential, or one with a short credential word as a whole word (split at anything not a
/// letter or digit) — `pass`, `pwd`, `code` (an OAuth code), `sid`, `session`, `jwt` — which
/// as substrings would also match `passenger` or `inside`.
pub fn is_credential_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const ANYWHERE: [&str; 8] = [
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "auth",
        "sig",
        "credential",
    ];
    const WORDS: [&str; 7] = ["pass", "pwd", "code", "sid", "session", "sessionid", "jwt"];
    // What a name ends in can say it is *about* a credential, not one: `token_type`,
    // `expires_in`, `auth_url`, `key_id`. And `author` is no `auth`.
    const ABOUT: [&str; 14] = [
        "type", "endpoint", "url", "uri", "in", "at", "expires", "expiry", "count", "length", "id",
        "name", "hint", "format",
    ];
    let words: Vec<&str> = n.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let about = words.len() > 1 && words.last().is_some_and(|w| ABOUT.contains(w));
    if about || n.starts_with("author") {
        return false;
    }
    ANYWHERE.iter().any(|w| n.contains(w)) || words.iter().any(|word| WORDS.contains(word))
}

/// Scheme words that make a header value a credential whatever the header is called
/// (`X-Custom: Bearer …`).
const SCHEME_WORDS: [&str; 6] = ["bearer", "basic", "token", "digest", "apikey", "key"];

/// A cookie named as a session or a credential: `sid`, `sessionid`, `connect.sid`, `auth`…
fn cookie_is_credential(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("sess") || n.ends_with("sid") || n.contains("auth") || is_credential_name(&n)
}

/// The secret parts of one header's value, to be masked wherever they appear:
/// - `Cookie`: every pair's value of 8 characters or more (`session=…`, not `theme=dark`),
///   and of 4 or more for a session- or credential-named cookie (`sid=a1b2c3`);
/// - `Set-Cookie`: the cookie's value, not its attributes (`Path`, `Expires`…);
/// - another credential header: the credential after a scheme word, or the whole value;
/// - any header whose value is a scheme word and a credential (`X-Custom: Bearer …`).
pub fn header_secrets<'a>(name: &str, value: &'a str) -> Vec<&'a str> {
    let n = name.to_ascii_lowercase();
    let v = value.trim();
    // A short cookie value (`lang=json`, `theme=dark`) is a preference, and masking it would
    // mask that word everywhere on the screen — unless the cookie's name says it is a session
    // or a credential (`sid=a1b2c3`), which is masked from 4 characters.
    let secret_pair = |pair: &'a str| {
        let (name, value) = pair.split_once('=')?;
        let value = value.trim().trim_matches('"');
        let least = if cookie_is_credential(name.trim()) {
            4
        } else {
            LEARNED_MIN
        };
        (value.chars().count() >= least).then_some(value)
    };
    if n == "cookie" {
        return v.split(';').filter_map(secret_pair).collect();
    }
    if n == "set-cookie" {
        return v
            .split(';')
            .next()
            .and_then(secret_pair)
            .into_iter()
            .collect();
    }
    // After the first word only: `Bearer` vs `bearer` is often the very thing to see.
    let after_word = v
        .split_once(' ')
        .map(|(word, cred)| (word.to_ascii_lowercase(), cred.trim()))
        .filter(|(_, cred)| !cred.is_empty());
    if is_credential_header(name) {
        return vec![after_word.map_or(v, |(_, cred)| cred)];
    }
    after_word
        .filter(|(word, _)| SCHEME_WORDS.contains(&word.as_str()))
        .map(|(_, cred)| cred)
        .into_iter()
        .collect()
}

/// The values of credential-named fields in a request or response body: JSON string values
/// under credential keys (at any depth), `application/x-www-form-urlencoded` pairs, and
/// nothing for anything else. Values are returned as they appear in the text, and for form
/// bodies also decoded.
pub fn body_secrets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(trimmed) {
            json_secrets(&v, &mut out);
        }
        return out;
    }
    if trimmed.contains('=') && !trimmed.contains(char::is_whitespace) {
        for pair in trimmed.split('&') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let decoded: String = url::form_urlencoded::parse(pair.as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            let name: String = url::form_urlencoded::parse(name.as_bytes())
                .next()
                .map(|(n, _)| n.into_owned())
                .unwrap_or_default();
            if is_credential_name(&name) && !value.is_empty() {
                out.push(value.to_string());
                out.push(decoded);
            }
        }
    }
    out
}

fn json_secrets(v: &serde_json::Value, out: &mut Vec<String>) {
    json_walk(v, false, out)
}

/// Every string under a credential key, however deep (`"api_keys": ["…"]`, `"api_key":
/// {"value": "…"}`), and credential keys anywhere.
fn json_walk(v: &serde_json::Value, secret: bool, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if secret => {
            out.push(s.clone());
            // As it stands in the JSON text, escapes and all.
            let quoted = serde_json::Value::String(s.clone()).to_string();
            out.push(quoted[1..quoted.len() - 1].to_string());
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                json_walk(v, secret || is_credential_name(k), out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| json_walk(i, secret, out)),
        _ => {}
    }
}

/// Values a server hands back, or cookie values, are masked only from this length on: a short
/// `lang=json` cookie must not mask every `json` on the screen.
const LEARNED_MIN: usize = 8;

/// `"access_token": "…"` pairs found in text that is not (or not all) JSON — a body cut at
/// 64 KiB, or JSON inside a log line — by a plain scan for quoted names and string values.
fn json_pair_secrets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(q) = rest.find('"') {
        let after = &rest[q + 1..];
        let Some(end) = after.find('"') else { break };
        let name = &after[..end];
        let tail = after[end + 1..].trim_start();
        if let Some(value) = tail.strip_prefix(':').map(str::trim_start)
            && let Some(v) = value.strip_prefix('"')
            && let Some(close) = v.find('"')
            && is_credential_name(name)
        {
            out.push(v[..close].to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

/// Masks every occurrence of known secret values in text.
///
/// Values shorter than 4 characters are not registered: masking every `a` in a body would
/// destroy the view and protect nothing.
///
/// One automaton over every secret finds them all in one pass, longest match first, so
/// masking stays linear in the text however many secrets a request has (10,000 key headers).
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<Secret>,
    /// Boxed, so a redactor carried in an error stays small.
    index: Box<Index>,
}

#[derive(Clone, Default)]
struct Index {
    seen: std::collections::HashSet<String>,
    /// Built on first use after a change: the automaton and each secret's mask.
    matcher: std::sync::OnceLock<Option<(aho_corasick::AhoCorasick, Vec<String>)>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets)
            .finish()
    }
}

impl PartialEq for Redactor {
    fn eq(&self, other: &Self) -> bool {
        self.index.seen == other.index.seen
    }
}

impl Eq for Redactor {}

/// `invalid_api_key`, `token_expired`, `unauthorized`: an error body's `code` is a word of the
/// API's vocabulary, not an OAuth `code` — lower-case letters and `_`, `.` or `-` only, which
/// no issued secret is. Masking it would hide the server's own words about the failure.
fn is_error_code(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_lowercase() || matches!(c, '_' | '.' | '-'))
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
        // Inside exported JSON a `"` or `\` in the key is escaped.
        let quoted = serde_json::Value::String(value.to_string()).to_string();
        let json = &quoted[1..quoted.len() - 1];
        for v in [value, trimmed, &form, &raw_query, json] {
            if v.chars().count() >= 4 && self.index.seen.insert(v.to_string()) {
                self.secrets.push(Secret::new(v));
                self.index.matcher = std::sync::OnceLock::new();
            }
        }
    }

    /// The automaton over every secret, leftmost-longest: a key is masked whole rather than
    /// around a shorter secret inside it.
    fn matcher(&self) -> Option<&(aho_corasick::AhoCorasick, Vec<String>)> {
        self.index
            .matcher
            .get_or_init(|| {
                if self.secrets.is_empty() {
                    return None;
                }
                let ac = aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(self.secrets.iter().map(|s| s.expose()))
                    .ok()?;
                let masks = self.secrets.iter().map(|s| mask(s.expose())).collect();
                Some((ac, masks))
            })
            .as_ref()
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Adds the secrets a server handed back: each `Set-Cookie` value, and credential fields of
    /// a JSON or form body (`access_token`, `refresh_token`, `client_secret`…) — the first
    /// 64 KiB of each hop's body, where a token response keeps them. Also the credential
    /// headers written by someone other than the draft: the `Cookie` header the jar wrote
    /// (it may carry a cookie set in an earlier send, whose `Set-Cookie` this exchange does
    /// not hold) and a proxy's `Proxy-Authorization` the client added from the proxy URL.
    pub fn learn_response(&mut self, ex: &crate::exchange::Exchange) {
        for hop in &ex.hops {
            for h in &hop.request.headers {
                let jar = h.origin == crate::exchange::Origin::CookieJar;
                let client = h.origin == crate::exchange::Origin::Client;
                if jar || (client && is_credential_header(&h.name)) {
                    for s in header_secrets(&h.name, &h.value) {
                        self.add(s);
                    }
                }
            }
            let r = &hop.response;
            for (name, value) in &r.headers {
                if name.eq_ignore_ascii_case("set-cookie") {
                    for s in header_secrets(name, value) {
                        self.add(s);
                    }
                }
            }
            let head = &r.body.bytes[..r.body.bytes.len().min(64 * 1024)];
            // A cut inside a character keeps the text before it.
            let text = match std::str::from_utf8(head) {
                Ok(t) => t,
                Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
            };
            for s in body_secrets(text)
                .into_iter()
                .chain(json_pair_secrets(text))
            {
                if s.chars().count() >= LEARNED_MIN && !is_error_code(&s) {
                    self.add(&s);
                }
            }
        }
    }

    /// The secrets this redactor masks, in the order they were added.
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// `redact` for bytes that are not text: each secret, in every spelling `add` knows, is
    /// replaced by its mask before the bytes are cut into lines (a hex dump's 16-byte rows
    /// would otherwise split a key where no text search finds it whole).
    pub fn redact_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        match self.matcher() {
            Some((ac, masks)) => ac.replace_all_bytes(bytes, masks),
            None => bytes.to_vec(),
        }
    }

    pub fn redact(&self, text: &str) -> String {
        match self.matcher() {
            Some((ac, masks)) => ac.replace_all(text, masks),
            None => text.to_string(),
        }
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
    fn an_argument_is_quoted_with_its_credential_masked() {
        let k = "sk-proj-FAKE0123456789abcdefABCDEF0123456789";
        let m = mask(k);
        assert_eq!(
            masked_arg(&format!("Authorization Bearer {k}")),
            format!("Authorization Bearer {m}")
        );
        assert_eq!(
            masked_arg("X-API-Key EXAMPLE-key"),
            "X-API-Key •••• (11 chars)"
        );
        assert_eq!(masked_arg("X-API-Key=hunter22"), "X-API-Key=•••• (8 chars)");
        assert_eq!(masked_arg("Bearer hunter22"), "Bearer •••• (8 chars)");
        assert_eq!(masked_arg(&format!(": {k}")), format!(": {m}"));
        assert_eq!(masked_arg("no colon"), "no colon");
        assert_eq!(
            masked_arg("Accept application/json"),
            "Accept application/json"
        );
        assert_eq!(
            masked_arg("api_key=@/tmp/a.txt;x=1"),
            "api_key=@/tmp/a.txt;x=1"
        );
        assert_eq!(masked_arg(k), m);
    }

    #[test]
    fn a_url_in_an_error_masks_userinfo_query_and_shaped_words() {
        let k = "sk-proj-FAKE0123456789abcdefABCDEF0123456789";
        let shown = masked_url_text(&format!(
            "http://user:hunter22@exa mple.com/{k}?token=abc12345&x=1"
        ));
        assert_eq!(
            shown,
            format!(
                "http://user:•••• (8 chars)@exa mple.com/{}?token=•••• (8 chars)&x=1",
                mask(k)
            )
        );
        let plain = "http://my-service.example.com/api/v1/vote-extraction/extract";
        assert_eq!(masked_url_text(plain), plain);
    }

    #[test]
    fn bytes_are_redacted_before_they_are_cut() {
        let mut r = Redactor::new();
        r.add("EXAMPLE-FAKE-KEY-0123456789");
        let bytes = [&[0u8, 0xff][..], b"EXAMPLE-FAKE-KEY-0123456789", &[0x80, 1]].concat();
        let out = r.redact_bytes(&bytes);
        assert!(memchr::memmem::find(&out, b"FAKE-KEY").is_none());
        assert!(out.starts_with(&[0, 0xff]) && out.ends_with(&[0x80, 1]));
        assert_eq!(&out[2..7], b"EXAMP");
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
    fn every_control_but_layout_is_escaped_for_the_terminal() {
        assert_eq!(
            escape_controls("a\u{1b}[31mb\u{7}c\u{9b}31md\u{7f}e\u{85}f\r\tg\nh"),
            "a␛[31mb␇c‹U+009B›31md␡e‹U+0085›f␍\tg\nh"
        );
        assert!(matches!(
            escape_controls("plain é ✓"),
            std::borrow::Cow::Borrowed(_)
        ));
        let json = serde_json::json!({ "h": "a\u{9b}b\u{7f}\u{1b}" }).to_string();
        let safe = escape_json_controls(&json);
        assert_eq!(safe, r#"{"h":"a\u009bb\u007f\u001b"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["h"], "a\u{9b}b\u{7f}\u{1b}");
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

    #[test]
    fn each_cookie_pair_is_a_secret_and_set_cookie_attributes_are_not() {
        let v = "session=sk-proj-FAKE0123456789abcdef; theme=dark";
        assert_eq!(
            header_secrets("Cookie", v),
            ["sk-proj-FAKE0123456789abcdef"]
        );
        let set =
            "sid=EXAMPLE-session-0000; Path=/; HttpOnly; Expires=Wed, 21 Oct 2026 07:28:00 GMT";
        assert_eq!(header_secrets("Set-Cookie", set), ["EXAMPLE-session-0000"]);
        // A short value is a secret when the cookie's name says session; a preference is not.
        assert_eq!(
            header_secrets("Cookie", "sid=a1b2c3d; lang=en; theme=dark"),
            ["a1b2c3d"]
        );
        assert_eq!(
            header_secrets("Set-Cookie", "sessionid=FAKE; Path=/"),
            ["FAKE"]
        );
    }

    #[test]
    fn a_scheme_word_makes_any_header_a_credential() {
        assert_eq!(
            header_secrets("X-Custom", "Bearer EXAMPLE-token-0000"),
            ["EXAMPLE-token-0000"]
        );
        assert!(header_secrets("X-Custom", "bearing north").is_empty());
        assert!(header_secrets("Accept", "application/json").is_empty());
        assert_eq!(header_secrets("X-API-Key", "EXAMPLE-key"), ["EXAMPLE-key"]);
        assert_eq!(
            header_secrets("Authorization", "bearer EXAMPLE-token"),
            ["EXAMPLE-token"]
        );
    }

    #[test]
    fn credential_fields_of_json_and_form_bodies() {
        let json = r#"{"user":"bob","api_key":"EXAMPLE\"quoted\\key","nested":{"client_secret":"FAKE-secret-0000"}}"#;
        let found = body_secrets(json);
        assert!(
            found.contains(&"EXAMPLE\"quoted\\key".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"EXAMPLE\\\"quoted\\\\key".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"FAKE-secret-0000".to_string()));
        assert!(!found.contains(&"bob".to_string()));
        let form = "grant_type=client_credentials&client_secret=FAKE%2Bsecret&password=hunter22";
        let found = body_secrets(form);
        assert!(found.contains(&"FAKE%2Bsecret".to_string()));
        assert!(found.contains(&"FAKE+secret".to_string()));
        assert!(found.contains(&"hunter22".to_string()));
        assert!(!found.iter().any(|f| f == "client_credentials"));
        assert!(body_secrets("just some text = here").is_empty());
    }

    #[test]
    fn short_credential_words_count_only_as_whole_words() {
        for n in [
            "pass",
            "code",
            "sid",
            "session",
            "user_pass",
            "auth_code",
            "jwt",
        ] {
            assert!(is_credential_name(n), "{n}");
        }
        for n in [
            "passenger",
            "inside",
            "zipcode2",
            "page",
            "q",
            "token_type",
            "expires_in",
            "auth_url",
            "key_id",
            "author",
            "token_endpoint",
        ] {
            assert!(!is_credential_name(n), "{n}");
        }
    }

    #[test]
    fn a_key_with_quotes_stays_masked_inside_json() {
        let mut r = Redactor::new();
        r.add("EXAMPLE\"FAKE\\key-0000");
        let json = serde_json::json!({ "value": "EXAMPLE\"FAKE\\key-0000" }).to_string();
        assert!(!r.redact(&json).contains("FAKE"), "{}", r.redact(&json));
    }
}

#[cfg(test)]
mod learned_tests {
    use super::*;
    use crate::exchange::{BodyPreview, Exchange, Hop, Response, Timing, WireRequest};

    fn learned_from(body: &str) -> Redactor {
        let response = Response {
            status: 401,
            body: BodyPreview::from_bytes(body.as_bytes().to_vec()),
            ..Response::default()
        };
        let request = WireRequest {
            method: "GET".into(),
            url: "https://api.example.org/".into(),
            capture: crate::exchange::Capture::Reconstructed,
            headers: Vec::new(),
            stripped: Vec::new(),
            raw: Vec::new(),
            head_len: 0,
            raw_cut: false,
        };
        let mut r = Redactor::new();
        r.learn_response(&Exchange {
            hops: vec![Hop {
                request,
                response,
                timing: Timing::default(),
            }],
            stopped: None,
            ..Default::default()
        });
        r
    }

    /// The server's own error words stay readable; an issued code or token is masked.
    #[test]
    fn an_error_code_is_words_an_issued_code_is_a_secret() {
        let body = r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#;
        assert_eq!(learned_from(body).redact(body), body);
        let issued = r#"{"code":"FAKEa8Kq0Zx91mNcode","access_token":"FAKEtok0000000000000"}"#;
        let shown = learned_from(issued).redact(issued);
        assert!(!shown.contains("FAKEa8Kq0Zx91mNcode"), "{shown}");
        assert!(!shown.contains("FAKEtok0000000000000"), "{shown}");
    }
}
