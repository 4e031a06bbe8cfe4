//! Reading HTTP/1.1 heads back out of captured bytes, and saying who put each header there.
//!
//! The captured request is the truth; the draft only tells us which of its lines the user
//! typed or the auth helper wrote. Everything else on the wire (host, accept, content-length,
//! a multipart content-type, user-agent) was the client's doing, and is marked so.

use super::capture::head_end;
use super::redirect::Outgoing;
use crate::exchange::{Origin, WireHeader};

/// Splits a head into its header lines (after the start line), keeping case and order.
/// Returns the head length (including the blank line) and the lines.
pub fn parse_head(bytes: &[u8]) -> (usize, Vec<(String, String)>) {
    let head_len = head_end(bytes).unwrap_or(bytes.len());
    let text = String::from_utf8_lossy(&bytes[..head_len]);
    let lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_string(), v.trim_matches([' ', '\t']).to_string()))
        .collect();
    (head_len, lines)
}

/// `HTTP/1.1 401 Unauthorized` → (401, "Unauthorized").
pub fn parse_status_line(head: &[u8]) -> Option<(u16, String)> {
    let line_end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    let line = String::from_utf8_lossy(&head[..line_end]);
    let line = line.strip_suffix('\r').unwrap_or(&line);
    let mut parts = line.splitn(3, ' ');
    let _version = parts.next()?;
    let status = parts.next()?.parse().ok()?;
    Some((status, parts.next().unwrap_or("").to_string()))
}

/// Marks each wire header with its origin by matching it, in order, against what we asked
/// for; a line matched once is not matched again, so duplicates are attributed one by one.
pub fn mark_origins(lines: Vec<(String, String)>, asked: &[Outgoing]) -> Vec<WireHeader> {
    let mut used = vec![false; asked.len()];
    lines
        .into_iter()
        .map(|(name, value)| {
            let hit = asked.iter().enumerate().position(|(i, a)| {
                !used[i]
                    && a.name.eq_ignore_ascii_case(&name)
                    && a.value.trim_matches([' ', '\t']) == value
            });
            let origin = match hit {
                Some(i) => {
                    used[i] = true;
                    asked[i].origin
                }
                None => Origin::Client,
            };
            WireHeader {
                name,
                value,
                origin,
            }
        })
        .collect()
}

/// The head a client would write when the real bytes could not be captured; always shown
/// labelled *reconstructed*, since the order and the client's own additions are guesses.
pub fn reconstruct(method: &str, url: &reqwest::Url, asked: &[Outgoing], body: &[u8]) -> Vec<u8> {
    let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for h in asked {
        head.push_str(&format!("{}: {}\r\n", h.name.to_ascii_lowercase(), h.value));
    }
    if !body.is_empty()
        && !asked
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(p) => head.push_str(&format!("host: {host}:{p}\r\n\r\n")),
        None => head.push_str(&format!("host: {host}\r\n\r\n")),
    }
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body);
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_lines_keep_case_order_and_duplicates() {
        let raw = b"GET / HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\nHost: h\r\n\r\nbody";
        let (len, lines) = parse_head(raw);
        assert_eq!(len, raw.len() - 4);
        assert_eq!(
            lines,
            [
                ("X-A".into(), "1".into()),
                ("x-a".into(), "2".into()),
                ("Host".into(), "h".into())
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_read_as_a_head_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let (len, _) = parse_head(&bytes);
            proptest::prop_assert!(len <= bytes.len());
            let _ = parse_status_line(&bytes);
        }
    }

    #[test]
    fn a_head_with_bare_lf_lines_ends_at_its_blank_line() {
        let raw =
            b"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"x\"\n\n{\"detail\":1}";
        let (len, lines) = parse_head(raw);
        assert_eq!(&raw[len..], b"{\"detail\":1}");
        assert_eq!(
            lines,
            [("WWW-Authenticate".into(), "Bearer realm=\"x\"".into())]
        );
        assert_eq!(parse_status_line(raw), Some((401, "Unauthorized".into())));
        let mixed = b"HTTP/1.1 200 OK\r\nA: 1\n\r\nbody";
        assert_eq!(parse_head(mixed).0, mixed.len() - 4);
    }

    #[test]
    fn status_line_is_parsed_with_its_reason() {
        assert_eq!(
            parse_status_line(b"HTTP/1.1 401 Unauthorized\r\n\r\n"),
            Some((401, "Unauthorized".into()))
        );
        assert_eq!(
            parse_status_line(b"HTTP/1.1 204\r\n"),
            Some((204, String::new()))
        );
        assert_eq!(parse_status_line(b"garbage"), None);
    }

    #[test]
    fn origins_distinguish_typed_helper_and_client_lines() {
        let asked = [
            Outgoing {
                name: "X-API-Key".into(),
                value: "k1".into(),
                origin: Origin::Typed { row: 0 },
            },
            Outgoing {
                name: "Authorization".into(),
                value: "Bearer t".into(),
                origin: Origin::AuthHelper,
            },
            Outgoing {
                name: "X-API-Key".into(),
                value: "k2".into(),
                origin: Origin::Typed { row: 3 },
            },
        ];
        let lines = vec![
            ("x-api-key".into(), "k1".into()),
            ("x-api-key".into(), "k2".into()),
            ("authorization".into(), "Bearer t".into()),
            ("host".into(), "h".into()),
        ];
        let origins: Vec<_> = mark_origins(lines, &asked)
            .into_iter()
            .map(|h| h.origin)
            .collect();
        assert_eq!(
            origins,
            [
                Origin::Typed { row: 0 },
                Origin::Typed { row: 3 },
                Origin::AuthHelper,
                Origin::Client
            ]
        );
    }

    #[test]
    fn a_reconstruction_has_a_request_line_the_asked_headers_and_a_host() {
        let url = reqwest::Url::parse("http://127.0.0.1:8000/v1/models?x=1").unwrap();
        let asked = [Outgoing {
            name: "X-API-Key".into(),
            value: "k".into(),
            origin: Origin::Typed { row: 0 },
        }];
        let raw = String::from_utf8(reconstruct("POST", &url, &asked, b"hi")).unwrap();
        assert_eq!(
            raw,
            "POST /v1/models?x=1 HTTP/1.1\r\nx-api-key: k\r\ncontent-length: 2\r\nhost: 127.0.0.1:8000\r\n\r\nhi"
        );
    }
}
