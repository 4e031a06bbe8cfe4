//! A draft from a request recorded on the wire: what `authlens watch` turns a program's
//! request into, so the user can fix it in the editor and send it again.

use super::{Body, Draft, Row};
use crate::exchange::WireRequest;

/// Headers that describe one connection or one framing of the body, not the request: the
/// client writes its own when the draft is sent (a copied `Host: 127.0.0.1:8080` would name
/// the proxy, a copied `Content-Length` could disagree with an edited body).
const PER_CONNECTION: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
];

impl Draft {
    /// The request as the program sent it, to be sent to `url` (the upstream URL, not the
    /// proxy's): its method, its header rows in the program's order and case (values
    /// literal, so a key it sent is typed into the draft as a key pasted in would be), and
    /// its body when the body is text. Returns whether a body was left out (binary, or cut
    /// off by the capture), so the caller can say so.
    pub fn from_wire(req: &WireRequest, url: &str) -> (Draft, bool) {
        let headers = req
            .headers
            .iter()
            .filter(|h| !PER_CONNECTION.contains(&h.name.to_ascii_lowercase().as_str()))
            .map(|h| Row::new(h.name.clone(), h.value.clone()))
            .collect();
        let bytes = req.raw.get(req.head_len..).unwrap_or_default();
        let text = std::str::from_utf8(bytes).ok().filter(|_| !req.raw_cut);
        let body = match text {
            Some("") | None => Body::None,
            Some(t) => Body::Text {
                content_type: None,
                text: t.to_string(),
            },
        };
        let dropped = !bytes.is_empty() && text.is_none();
        let draft = Draft {
            method: req.method.clone(),
            url: url.to_string(),
            headers,
            body,
            ..Draft::default()
        };
        (draft, dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{Capture, Origin, WireHeader};

    fn wire(head: &str, body: &[u8], names: &[(&str, &str)]) -> WireRequest {
        let mut raw = head.as_bytes().to_vec();
        raw.extend_from_slice(body);
        WireRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:8080/v1/chat".into(),
            capture: Capture::Captured,
            headers: names
                .iter()
                .map(|(n, v)| WireHeader {
                    name: n.to_string(),
                    value: v.to_string(),
                    origin: Origin::Client,
                })
                .collect(),
            stripped: vec![],
            head_len: head.len(),
            raw_cut: false,
            raw,
        }
    }

    #[test]
    fn headers_keep_their_case_and_order_and_connection_headers_go() {
        let names = [
            ("Host", "127.0.0.1:8080"),
            ("x-api-key", "sk-FAKEFAKEFAKE-EXAMPLE"),
            ("Content-Length", "2"),
            ("Content-Type", "application/json"),
        ];
        let (d, dropped) = Draft::from_wire(&wire("HEAD\r\n\r\n", b"{}", &names), "https://a/v1");
        let got: Vec<(&str, &str)> = d
            .headers
            .iter()
            .map(|r| (r.name.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("x-api-key", "sk-FAKEFAKEFAKE-EXAMPLE"),
                ("Content-Type", "application/json")
            ]
        );
        assert_eq!(
            (d.method.as_str(), d.url.as_str()),
            ("POST", "https://a/v1")
        );
        assert!(matches!(&d.body, Body::Text { text, .. } if text == "{}"));
        assert!(!dropped);
    }

    #[test]
    fn a_binary_body_is_left_out_and_said() {
        let (d, dropped) = Draft::from_wire(&wire("HEAD\r\n\r\n", b"\xff\xfe", &[]), "http://a/");
        assert_eq!(d.body, Body::None);
        assert!(dropped);
    }
}
