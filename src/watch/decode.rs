//! The recorded copy of a compressed response, made readable. Clients ask for gzip, and an
//! API's 401 body — the server's own words, often the best evidence — then arrives
//! compressed. The program gets the bytes as the upstream sent them; only the record is
//! decoded, and a note says so.

use crate::exchange::{BodyPreview, Response};
use std::io::Read;

/// Decodes `r.body` in place when its `Content-Encoding` is gzip or deflate, at most `cap`
/// bytes of it; returns the note to attach, if any.
pub fn response_body(r: &mut Response, cap: usize) -> Option<String> {
    let encoding = r.header("content-encoding")?.trim().to_ascii_lowercase();
    if r.body.bytes.is_empty() || encoding == "identity" {
        return None;
    }
    let compressed = &r.body.bytes;
    let (decoded, complete) = match encoding.as_str() {
        "gzip" | "x-gzip" => read(flate2::read::MultiGzDecoder::new(&compressed[..]), cap),
        "deflate" => {
            let zlib = read(flate2::read::ZlibDecoder::new(&compressed[..]), cap);
            match zlib.0.is_empty() {
                true => read(flate2::read::DeflateDecoder::new(&compressed[..]), cap),
                false => zlib,
            }
        }
        other => {
            return Some(format!(
                "the response body is {other}-compressed: the record keeps it as sent, unread"
            ));
        }
    };
    if decoded.is_empty() {
        return Some(format!(
            "the response body says {encoding} but could not be decoded: kept as sent"
        ));
    }
    let truncated = !complete || r.body.truncated;
    let sent = r.body.total;
    r.body = BodyPreview {
        total: if truncated {
            sent.max(decoded.len() as u64)
        } else {
            decoded.len() as u64
        },
        bytes: decoded,
        truncated,
    };
    Some(format!(
        "the response body came {encoding}-compressed ({sent} bytes): the program got it so; the record shows it decoded"
    ))
}

/// Up to `cap` decoded bytes, and whether the stream ended cleanly within them.
fn read(decoder: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut limited = decoder.take(cap as u64 + 1);
    let clean = limited.read_to_end(&mut out).is_ok();
    let complete = clean && out.len() <= cap;
    out.truncate(cap);
    (out, complete)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    fn response(encoding: &str, body: Vec<u8>) -> Response {
        Response {
            status: 401,
            reason: "Unauthorized".into(),
            headers: vec![("Content-Encoding".into(), encoding.into())],
            body: BodyPreview::from_bytes(body),
        }
    }

    #[test]
    fn a_gzip_body_is_recorded_decoded_and_said() {
        let mut r = response("gzip", gzip(b"{\"error\":\"invalid_api_key\"}"));
        let note = response_body(&mut r, 1024).unwrap();
        assert_eq!(r.body.as_text(), Some("{\"error\":\"invalid_api_key\"}"));
        assert!(!r.body.truncated);
        assert!(note.contains("gzip-compressed"), "{note}");
    }

    #[test]
    fn a_cut_or_unknown_encoding_is_said_and_the_cap_holds() {
        let mut r = response("gzip", gzip(&[b'a'; 5000]));
        response_body(&mut r, 100).unwrap();
        assert_eq!(r.body.bytes.len(), 100);
        assert!(r.body.truncated);
        let mut r = response("br", vec![1, 2, 3]);
        let note = response_body(&mut r, 100).unwrap();
        assert!(note.contains("br-compressed"), "{note}");
        assert_eq!(r.body.bytes, vec![1, 2, 3]);
    }
}
