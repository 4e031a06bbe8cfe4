//! HAR 1.2 out: the exchanges `authlens watch` recorded, as a file DevTools, other tools and
//! `authlens diagnose` read. Secrets are masked on the way out, never resolved: the file is
//! for sharing.

use crate::exchange::{Response, Timing, WireRequest};
use crate::secret::Redactor;
use base64::Engine;
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// One recorded exchange to write.
pub struct HarEntry<'a> {
    /// When the request's first byte arrived.
    pub started: SystemTime,
    /// The request as the program sent it: its header names in its case and order.
    pub request: &'a WireRequest,
    /// Where it went: the absolute upstream URL (a HAR's URL is absolute).
    pub url: &'a str,
    pub response: Option<&'a Response>,
    pub timing: &'a Timing,
    /// Why there is no response, and what the proxy noticed, for the entry's `comment`.
    pub comment: Option<String>,
    /// Masks this exchange's secrets wherever they appear (`wire_secrets::redactor`).
    pub redactor: &'a Redactor,
}

/// The HAR document, pretty-printed.
pub fn write(entries: &[HarEntry]) -> String {
    let doc = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "authlens", "version": env!("CARGO_PKG_VERSION") },
            "pages": [],
            "entries": entries.iter().map(entry).collect::<Vec<_>>(),
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn entry(e: &HarEntry) -> Value {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let (head, total) = (ms(e.timing.head), ms(e.timing.total));
    let p = &e.timing.phases;
    let opt = |d: Option<std::time::Duration>| d.map_or(-1.0, ms);
    // Measured phases where the send had them (HAR counts TLS inside `connect`, as we
    // measure it); otherwise what every hop has: the connection's first write, head, total.
    let timings = if p.ttfb.is_some() {
        json!({
            "dns": opt(p.dns),
            "connect": opt(p.connect.or(p.connect_tls)),
            "send": 0,
            "wait": opt(p.ttfb),
            "receive": opt(p.download),
        })
    } else {
        json!({
            "connect": opt(e.timing.connect),
            "send": 0,
            "wait": head,
            "receive": (total - head).max(0.0),
        })
    };
    let mut out = json!({
        "startedDateTime": started(e.started),
        "time": total,
        "request": request(e),
        "response": response(e.response, e.redactor),
        "cache": {},
        "timings": timings,
    });
    if let Some(c) = &e.comment {
        out["comment"] = json!(e.redactor.redact(c));
    }
    out
}

/// ISO 8601 with milliseconds, as HAR wants.
fn started(at: SystemTime) -> String {
    let d = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let iso = crate::dates::format_iso8601(d.as_secs() as i64);
    format!("{}.{:03}Z", iso.trim_end_matches('Z'), d.subsec_millis())
}

fn pairs(items: impl Iterator<Item = (String, String)>) -> Vec<Value> {
    items
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect()
}

fn request(e: &HarEntry) -> Value {
    let r = e.request;
    let mask = |s: &str| e.redactor.redact(s);
    let url = mask(e.url);
    let query = crate::draft::url_params(&url).into_iter().map(|p| {
        let value = p.value.map_or(String::new(), |v| url[v].to_string());
        (url[p.name].to_string(), value)
    });
    let headers = r.headers.iter().map(|h| (h.name.clone(), mask(&h.value)));
    let body = r.raw.get(r.head_len..).unwrap_or_default();
    let mut out = json!({
        "method": r.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(headers),
        "queryString": pairs(query),
        "headersSize": r.head_len,
        "bodySize": body.len(),
    });
    if !body.is_empty() {
        let mime = header(
            r.headers.iter().map(|h| (&h.name, &h.value)),
            "content-type",
        );
        out["postData"] = json!({
            "mimeType": mime,
            "text": mask(&String::from_utf8_lossy(body)),
        });
    }
    out
}

fn header<'a>(mut headers: impl Iterator<Item = (&'a String, &'a String)>, name: &str) -> String {
    headers
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map_or(String::new(), |(_, v)| v.clone())
}

/// The response; status 0 (as browsers write it) when there was none.
fn response(r: Option<&Response>, redactor: &Redactor) -> Value {
    let Some(r) = r else {
        return json!({
            "status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
            "content": { "size": 0, "mimeType": "" }, "redirectURL": "",
            "headersSize": -1, "bodySize": -1,
        });
    };
    let mime = header(r.headers.iter().map(|(n, v)| (n, v)), "content-type");
    let mut content = json!({ "size": r.body.total, "mimeType": mime });
    match r.body.as_text() {
        Some(t) => content["text"] = json!(redactor.redact(t)),
        None => {
            let masked = redactor.redact_bytes(&r.body.bytes);
            content["text"] = json!(base64::engine::general_purpose::STANDARD.encode(masked));
            content["encoding"] = json!("base64");
        }
    }
    if r.body.truncated {
        content["comment"] = json!(format!(
            "only the first {} of {} bytes were recorded",
            r.body.bytes.len(),
            r.body.total
        ));
    }
    let headers = r
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), redactor.redact(v)));
    json!({
        "status": r.status,
        "statusText": r.reason,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(headers),
        "content": content,
        "redirectURL": header(r.headers.iter().map(|(n, v)| (n, v)), "location"),
        "headersSize": -1,
        "bodySize": r.body.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{BodyPreview, Capture, Origin, WireHeader};

    const KEY: &str = "sk-FAKEFAKEFAKEFAKEFAKE-EXAMPLE";

    fn sent() -> WireRequest {
        let head = format!(
            "POST /v1/chat?api_key={KEY} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Api-Key: {KEY}\r\nContent-Type: application/json\r\n\r\n"
        );
        let body = br#"{"model":"m"}"#;
        let mut raw = head.clone().into_bytes();
        raw.extend_from_slice(body);
        let h = |n: &str, v: &str| WireHeader {
            name: n.into(),
            value: v.into(),
            origin: Origin::Client,
        };
        WireRequest {
            method: "POST".into(),
            url: format!("http://127.0.0.1:8080/v1/chat?api_key={KEY}"),
            capture: Capture::Captured,
            headers: vec![
                h("Host", "127.0.0.1:8080"),
                h("X-Api-Key", KEY),
                h("Content-Type", "application/json"),
            ],
            stripped: vec![],
            head_len: head.len(),
            raw_cut: false,
            raw,
        }
    }

    fn response() -> Response {
        Response {
            status: 401,
            reason: "Unauthorized".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: BodyPreview::from_bytes(br#"{"error":"invalid_api_key"}"#.to_vec()),
        }
    }

    fn written() -> String {
        let (req, resp, timing) = (sent(), response(), Timing::default());
        let redactor = super::super::wire_secrets::redactor(&req, Some(&resp));
        let url = format!("https://api.example.com/v1/chat?api_key={KEY}");
        let e = HarEntry {
            started: UNIX_EPOCH + std::time::Duration::from_millis(1_772_362_800_250),
            request: &req,
            url: &url,
            response: Some(&resp),
            timing: &timing,
            comment: Some("a note".into()),
            redactor: &redactor,
        };
        write(&[e])
    }

    #[test]
    fn an_entry_keeps_the_programs_headers_and_masks_the_key() {
        let text = written();
        assert!(!text.contains(KEY), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let e = &v["log"]["entries"][0];
        assert_eq!(v["log"]["version"], "1.2");
        assert_eq!(e["startedDateTime"], "2026-03-01T11:00:00.250Z");
        assert_eq!(e["request"]["headers"][1]["name"], "X-Api-Key");
        assert_eq!(e["response"]["status"], 401);
        assert_eq!(e["request"]["postData"]["text"], r#"{"model":"m"}"#);
        assert!(
            e["request"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://api.example.com/v1/chat?api_key=sk-")
        );
    }

    #[test]
    fn the_har_reader_reads_it_back() {
        let text = written();
        let read: Vec<_> = super::super::har::read(&text).unwrap().unwrap().collect();
        assert_eq!(read.len(), 1);
        let file = &read[0].1;
        assert_eq!(file.request.method, "POST");
        assert_eq!(file.response.as_ref().unwrap().status, 401);
        assert!(file.request.headers.iter().any(|(n, _)| n == "X-Api-Key"));
    }

    #[test]
    fn measured_phases_fill_the_har_timings_and_tls_stays_inside_connect() {
        let ms = std::time::Duration::from_millis;
        let timing = Timing {
            connect: Some(ms(5)),
            head: ms(30),
            total: ms(32),
            phases: crate::exchange::Phases {
                dns: Some(ms(2)),
                connect_tls: Some(ms(9)),
                ttfb: Some(ms(19)),
                download: Some(ms(2)),
                ..Default::default()
            },
        };
        let (req, resp) = (sent(), response());
        let redactor = super::super::wire_secrets::redactor(&req, Some(&resp));
        let e = HarEntry {
            started: UNIX_EPOCH,
            request: &req,
            url: "https://api.example.com/v1/chat",
            response: Some(&resp),
            timing: &timing,
            comment: None,
            redactor: &redactor,
        };
        let v: Value = serde_json::from_str(&write(&[e])).unwrap();
        let t = &v["log"]["entries"][0]["timings"];
        assert_eq!(
            (t["dns"].as_f64(), t["connect"].as_f64()),
            (Some(2.0), Some(9.0))
        );
        assert_eq!(
            (t["wait"].as_f64(), t["receive"].as_f64()),
            (Some(19.0), Some(2.0))
        );
        assert!(t.get("ssl").is_none(), "no separate TLS figure: {t}");
    }

    #[test]
    fn no_response_is_status_zero_and_still_reads_back() {
        let (req, timing) = (sent(), Timing::default());
        let redactor = super::super::wire_secrets::redactor(&req, None);
        let e = HarEntry {
            started: UNIX_EPOCH,
            request: &req,
            url: "https://api.example.com/v1/chat",
            response: None,
            timing: &timing,
            comment: Some("upstream refused the connection".into()),
            redactor: &redactor,
        };
        let text = write(&[e]);
        let read: Vec<_> = super::super::har::read(&text).unwrap().unwrap().collect();
        assert_eq!(read[0].1.response.as_ref().unwrap().status, 0);
    }
}
