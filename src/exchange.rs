//! What one send produced: every hop's request as it went over the wire, and what came back.
//!
//! These types are plain data so the rules engine, the CLI, the TUI and the exchange JSON
//! all read the same thing; nothing here knows how it was obtained.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A whole send: the redirect chain in order, the last hop being the final response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub hops: Vec<Hop>,
    /// Why the chain ended before a final response (redirect limit, loop, a file that could
    /// not be re-read for a 307/308); `None` when the last hop is the real final response.
    pub stopped: Option<String>,
    /// How the client connected, where it changes what the exchange proves.
    #[serde(default, skip_serializing_if = "Transport::is_plain")]
    pub transport: Transport,
    /// What the cookie jar did on each hop where it did something worth saying: cookies it
    /// held back and why, `Set-Cookie` headers it refused. Names only, never values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cookies: Vec<HopCookies>,
}

/// The cookie jar's part in one hop (index into `Exchange::hops`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HopCookies {
    pub hop: usize,
    /// Jar cookies not sent on this hop, each with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<WithheldCookie>,
    /// `Set-Cookie` headers of this hop's response that the jar did not store.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedCookie>,
}

/// A cookie the jar holds that did not go out with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldCookie {
    pub name: String,
    pub why: Withheld,
}

/// Why a cookie in the jar was not sent to a URL (RFC 6265 §5.4 step 1, and curl's rule for
/// a typed `Cookie` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Withheld {
    /// Its expiry (`Expires`/`Max-Age`) had passed: Unix seconds.
    Expired { at: i64 },
    /// `Secure`, and the request was plain http.
    SecureOverHttp,
    /// The request's host does not domain-match the cookie's domain.
    Domain {
        domain: String,
        host_only: bool,
        host: String,
    },
    /// The request's path is not under the cookie's path.
    Path { path: String, request_path: String },
    /// The draft has its own `Cookie` header, which is sent as typed instead of the jar's.
    TypedCookieHeader,
}

impl Withheld {
    /// One line for a person: `expired at 2026-03-01T12:00:00Z`, `Secure cookie, plain http`…
    pub fn describe(&self) -> String {
        match self {
            Withheld::Expired { at } => {
                format!("expired at {}", crate::dates::format_iso8601(*at))
            }
            Withheld::SecureOverHttp => {
                "it is Secure and the request is plain http (sent over https only)".into()
            }
            Withheld::Domain {
                domain,
                host_only: true,
                host,
            } => format!("it belongs to host {domain} only (no Domain attribute), not {host}"),
            Withheld::Domain { domain, host, .. } => {
                format!("its Domain {domain} does not match host {host}")
            }
            Withheld::Path { path, request_path } => {
                format!("its Path {path} does not cover {request_path}")
            }
            Withheld::TypedCookieHeader => {
                "the request has its own Cookie header, sent as typed (remove it to send the jar's)"
                    .into()
            }
        }
    }
}

/// A `Set-Cookie` the jar refused to store, and why (RFC 6265 §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedCookie {
    /// The cookie's name, or empty when the header had none.
    pub name: String,
    pub reason: String,
}

/// Settings of the send that every view must show: a skipped certificate check, a proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transport {
    /// `-k`: the server's certificate was not checked; the exchange proves less.
    #[serde(default)]
    pub tls_unverified: bool,
    /// The proxy the request went through (no userinfo).
    #[serde(default)]
    pub proxy: Option<String>,
}

impl Transport {
    pub fn is_plain(&self) -> bool {
        *self == Transport::default()
    }
}

/// The loud mark of a send with the certificate check off, the same words in every view.
pub const TLS_NOT_VERIFIED: &str = "TLS NOT VERIFIED";

impl Exchange {
    /// The last response received, which decides the exit code and the diagnosis.
    pub fn final_response(&self) -> Option<&Response> {
        self.hops.last().map(|h| &h.response)
    }

    /// What the cookie jar did on hop `index`, if anything.
    pub fn cookies_of(&self, index: usize) -> Option<&HopCookies> {
        self.cookies.iter().find(|c| c.hop == index)
    }
}

/// One request/response round trip of a (possibly redirected) send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub request: WireRequest,
    pub response: Response,
    pub timing: Timing,
}

/// The request of one hop as the server received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireRequest {
    pub method: String,
    pub url: String,
    /// Whether `raw` is the bytes written to the socket, or rebuilt from what we asked for.
    pub capture: Capture,
    /// Header lines in wire order, with the case the client wrote them in.
    pub headers: Vec<WireHeader>,
    /// Headers the previous hop had that this one does not, and why.
    pub stripped: Vec<Stripped>,
    /// The exact request bytes (head and body); binary-safe, serialized as a lossy string.
    #[serde(with = "lossy_bytes")]
    pub raw: Vec<u8>,
    /// Where the body starts in `raw` (the length of the head including the blank line).
    pub head_len: usize,
    /// The capture stopped at its cap: the request that went out was longer than `raw`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub raw_cut: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capture {
    /// Bytes read from the connection as the client wrote them (plaintext, before TLS).
    Captured,
    /// Rebuilt from the request we handed to the client; the real bytes were not observable.
    Reconstructed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireHeader {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// Who put a header on the wire: the answer to "I never typed that" and "where did mine go".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    /// Typed by the user, in header row `row` of the draft.
    Typed { row: usize },
    /// Written by the draft's auth helper (Bearer, API key, Basic).
    AuthHelper,
    /// Added by the HTTP client: host, content-length, content-type of a multipart body, …
    Client,
    /// The `Cookie` header the cookie jar wrote from what earlier responses set.
    CookieJar,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stripped {
    pub name: String,
    pub reason: String,
}

/// A response head and (a capped preview of) its body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    /// In the order received, with the original case of the names.
    pub headers: Vec<(String, String)>,
    pub body: BodyPreview,
}

impl Response {
    /// All values of a header, compared case-insensitively, in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn header<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.header_values(name).next()
    }
}

/// The body as held in memory: at most a cap, with the real total still known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BodyPreview {
    #[serde(with = "lossy_bytes")]
    pub bytes: Vec<u8>,
    /// Bytes received in all, including those past the cap.
    pub total: u64,
    /// True when `bytes` holds only the first part of the body.
    pub truncated: bool,
}

impl BodyPreview {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let total = bytes.len() as u64;
        BodyPreview {
            bytes,
            total,
            truncated: false,
        }
    }

    /// The body as text when it is text; `None` for binary, which views show as hex.
    pub fn as_text(&self) -> Option<&str> {
        text_of(&self.bytes, self.truncated)
    }
}

/// A body's first lines for a person: text as it is, a multipart body's text around its
/// binary parts with each binary run summarised (`‹N binary bytes…›`), at most `max` lines of
/// at most 400 characters; `None` when the body is binary through and through (a caller shows
/// hex). The second value counts the lines left out.
pub fn text_lines(bytes: &[u8], truncated: bool, max: usize) -> Option<(Vec<String>, usize)> {
    if let Some(text) = text_of(bytes, truncated) {
        let all: Vec<&str> = text.lines().collect();
        let shown = all.iter().take(max).map(|l| l.chars().take(400).collect());
        return Some((shown.collect(), all.len().saturating_sub(max)));
    }
    if !mostly_text(bytes) {
        return None;
    }
    let all: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let shown = all
        .iter()
        .take(max)
        .map(|l| summarise_binary(l.strip_suffix(b"\r").unwrap_or(l)));
    Some((shown.collect(), all.len().saturating_sub(max)))
}

/// A multipart body is text around binary parts: show the text, not a hex dump of it all.
fn mostly_text(bytes: &[u8]) -> bool {
    let text = bytes
        .iter()
        .filter(|&&b| b == b'\r' || b == b'\n' || (0x20..0x7f).contains(&b))
        .count();
    text * 10 >= bytes.len() * 7
}

/// A line with its runs of non-text bytes replaced by `‹N binary bytes›`.
fn summarise_binary(line: &[u8]) -> String {
    match std::str::from_utf8(line) {
        Ok(t) if !t.chars().any(|c| c.is_control() && c != '\t') => t.chars().take(400).collect(),
        _ => {
            let printable = line.iter().filter(|&&b| (0x20..0x7f).contains(&b)).count();
            format!(
                "‹{} binary bytes, {printable} of them printable›",
                line.len()
            )
        }
    }
}

/// `bytes` as text when they are text: valid UTF-8 (a cut-off last character is allowed when
/// `truncated`) with at most 1% control characters other than whitespace.
///
/// Works on bytes, not chars: it runs over every body as it arrives, 20 MiB included, and
/// decoding each char made it the slowest step between the last byte and the first frame.
pub fn text_of(bytes: &[u8], truncated: bool) -> Option<&str> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        // A cap can cut a multi-byte character in half; the part before it is still text.
        Err(e) if truncated && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    (control_chars(text) * 100 <= text.len().max(1)).then_some(text)
}

/// Counts the chars that are `is_control() && !is_whitespace()`: C0 but tab, LF, VT, FF, CR;
/// DEL; and C1 (U+0080..U+009F, two bytes from 0xC2) but NEL (U+0085).
fn control_chars(text: &str) -> usize {
    let b = text.as_bytes();
    // Branch-free, summed in u8 lanes per 255-byte chunk, so the compiler vectorises it.
    let is_c0 = |x: u8| u8::from(((x < 0x20) & !(0x09..=0x0d).contains(&x)) | (x == 0x7f));
    let c0: usize = b
        .chunks(255)
        .map(|c| c.iter().fold(0u8, |n, &x| n + is_c0(x)) as usize)
        .sum();
    let c1 = memchr::memchr_iter(0xc2, b)
        .filter(|&i| matches!(b.get(i + 1), Some(0x80..=0x84 | 0x86..=0x9f)))
        .count();
    c0 + c1
}

/// `512 B`, `1.5 KiB`, `20.0 MiB`: how a body's size is said to people, the same in the
/// exchange pane's notes and in the search's status line.
pub fn human_size(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.1} MiB", n as f64 / 1_048_576.0),
    }
}

/// `48 54 54 50 …  HTTP…`: one line of a hex dump (16 bytes at most) for a body `as_text`
/// refuses, hex on the left and printable ASCII on the right; the CLI and the TUI share it.
pub fn hex_line(chunk: &[u8]) -> String {
    let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
    let ascii: String = chunk
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    format!("{:<48} {ascii}", hex.join(" "))
}

/// Durations measured for one hop; `connect` is known only when the wire was captured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    #[serde(with = "opt_millis")]
    pub connect: Option<Duration>,
    #[serde(with = "millis")]
    pub head: Duration,
    #[serde(with = "millis")]
    pub total: Duration,
    /// The breakdown curl's `-w` gives; absent from files written before it was measured.
    #[serde(default)]
    pub phases: Phases,
}

/// One hop's phases, each its own span (they add up to at most `total`); a phase that was
/// not measured is `None` and shown as absent, never as zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    /// The name lookup; none for an IP literal, which is not looked up.
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub dns: Option<Duration>,
    /// TCP connect, for plain http.
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub connect: Option<Duration>,
    /// TCP connect and TLS handshake together, for https: the client does both in one step
    /// that cannot be timed apart from outside (see `send/phases.rs`).
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub connect_tls: Option<Duration>,
    /// From the connection being up to the response head (curl's starttransfer less connect).
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub ttfb: Option<Duration>,
    /// From the response head to the last body byte.
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    pub download: Option<Duration>,
}

impl Phases {
    /// `dns 1.2 ms · connect 0.4 ms · ttfb 20.3 ms · download 0.1 ms`: the measured phases,
    /// in order, as `send` prints them and the exchange view shows them.
    pub fn line(&self, total: Duration) -> String {
        let named = [
            ("dns", self.dns),
            ("connect", self.connect),
            ("connect+tls", self.connect_tls),
            ("ttfb", self.ttfb),
            ("download", self.download),
            ("total", Some(total)),
        ];
        named
            .iter()
            .filter_map(|(name, d)| d.map(|d| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// Bytes as text in JSON: exact for UTF-8, lossy (U+FFFD) for anything else.
mod lossy_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

/// Durations as fractional milliseconds, the unit people read timings in.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64() * 1000.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_secs_f64(
            f64::deserialize(d)?.max(0.0) / 1000.0,
        ))
    }
}

mod opt_millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&(d.as_secs_f64() * 1000.0)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let v = Option::<f64>::deserialize(d)?;
        Ok(v.map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_count_agrees_with_char_classes_for_every_char() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let want = usize::from(c.is_control() && !c.is_whitespace());
            assert_eq!(control_chars(&s), want, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn text_is_text_and_noise_is_binary() {
        assert_eq!(
            text_of(b"{\"ok\": true}\r\n", false),
            Some("{\"ok\": true}\r\n")
        );
        assert_eq!(text_of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false), None);
        let many_nuls = [b"text".as_slice(), &[0u8; 10]].concat();
        assert_eq!(text_of(&many_nuls, false), None);
        // A cap that cuts "é" in half leaves text, unless the body was whole.
        assert_eq!(text_of(b"caf\xc3", true), Some("caf"));
        assert_eq!(text_of(b"caf\xc3", false), None);
    }
}
