//! The text view of an exchange for the terminal and logs: each hop's captured request with
//! who added each header, then the response head and a body preview.
//!
//! Everything passes through the redactor unless `--reveal` was given, so a pasted log never
//! carries a key.

use crate::exchange::hex_line;
use crate::exchange::{BodyPreview, Capture, Exchange, Hop, Origin};
use crate::secret::Redactor;
use std::fmt::Write;

/// Writes text to stdout with every control character a server could have put in it escaped
/// (`secret::escape_controls`): the one way the CLI prints text.
pub fn out(text: &str) {
    print!("{}", crate::secret::escape_controls(text));
}

/// `out`, then a line break.
pub fn outln(text: &str) {
    println!("{}", crate::secret::escape_controls(text));
}

/// Writes a JSON document to stdout with DEL and C1 written as `\u` escapes (serde_json leaves
/// them raw): the one way the CLI prints JSON.
pub fn json(text: &str) {
    println!("{}", crate::secret::escape_json_controls(text));
}

/// A piece of a JSON document, escaped like `json`, with no line break after it.
pub fn json_part(text: &str) {
    print!("{}", crate::secret::escape_json_controls(text));
}

/// One line on stderr, escaped like `out`.
pub fn errln(text: &str) {
    eprintln!("{}", crate::secret::escape_controls(text));
}

/// Lines of a text body shown before "… N more lines".
const BODY_LINES: usize = 40;
/// Bytes of a binary body shown as hex.
const HEX_BYTES: usize = 256;

pub fn exchange(ex: &Exchange, redactor: &Redactor) -> String {
    exchange_labelled(ex, redactor, true)
}

/// An exchange another program sent (`watch`): every header is that program's, so no column
/// says who added which.
pub fn program_exchange(ex: &Exchange, redactor: &Redactor) -> String {
    exchange_labelled(ex, redactor, false)
}

fn exchange_labelled(ex: &Exchange, redactor: &Redactor, labels: bool) -> String {
    let mut out = transport_lines(&ex.transport);
    let n = ex.hops.len();
    for (i, hop) in ex.hops.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        self::hop(
            &mut out,
            (i + 1, n),
            (hop, ex.cookies_of(i)),
            redactor,
            labels,
        );
    }
    if let Some(reason) = &ex.stopped {
        let _ = writeln!(out, "\n! stopped: {reason}");
    }
    redactor.redact(&out)
}

/// `! TLS NOT VERIFIED (-k)` and the proxy, above the hops: they change what the exchange
/// proves, so they come first.
pub fn transport_lines(t: &crate::exchange::Transport) -> String {
    let mut out = String::new();
    if t.tls_unverified {
        let _ = writeln!(
            out,
            "! {}: the server's certificate was not checked (-k/--insecure)\n",
            crate::exchange::TLS_NOT_VERIFIED
        );
    }
    if let Some(p) = &t.proxy {
        let _ = writeln!(out, "via proxy {p}\n");
    }
    out
}

fn hop(
    out: &mut String,
    (index, of): (usize, usize),
    (hop, jar): (&Hop, Option<&crate::exchange::HopCookies>),
    redactor: &Redactor,
    labels: bool,
) {
    let req = &hop.request;
    let label = match req.capture {
        Capture::Captured => "captured",
        Capture::Reconstructed => "RECONSTRUCTED (not the real bytes)",
    };
    let _ = writeln!(
        out,
        "> request {index} of {of} · {label} · {} {}",
        req.method, req.url
    );
    for s in &req.stripped {
        let _ = writeln!(out, "  - {} was not sent on this hop: {}", s.name, s.reason);
    }
    for w in jar.map_or(&[][..], |c| &c.withheld) {
        let why = w.why.describe();
        let _ = writeln!(
            out,
            "  - cookie {} from the jar was not sent: {why}",
            w.name
        );
    }
    let raw = String::from_utf8_lossy(&req.raw[..req.head_len.min(req.raw.len())]);
    let start_line = raw.split("\r\n").next().unwrap_or("");
    let _ = writeln!(out, "  {start_line}");
    // Masked before padding, so the origin column lines up with what is shown.
    let lines: Vec<String> = req
        .headers
        .iter()
        .map(|h| redactor.redact(&format!("{}: {}", h.name, h.value)))
        .collect();
    let width = lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(70);
    for (line, h) in lines.iter().zip(&req.headers) {
        match labels {
            true => writeln!(out, "  {line:<width$}   [{}]", origin(h.origin)),
            false => writeln!(out, "  {line}"),
        }
        .ok();
    }
    let body = BodyPreview::from_bytes(req.raw.get(req.head_len..).unwrap_or_default().to_vec());
    if !body.bytes.is_empty() {
        out.push('\n');
        preview(out, &body, redactor);
    }
    if req.raw_cut {
        let _ = writeln!(
            out,
            "  … the capture stopped after {} body bytes; the request body went on",
            body.bytes.len()
        );
    }
    let t = &hop.timing;
    let connect = t
        .connect
        .map(|c| format!("connected {:.1} ms · ", c.as_secs_f64() * 1e3))
        .unwrap_or_default();
    let resp = &hop.response;
    let _ = writeln!(
        out,
        "< {} {}   ({connect}head {:.1} ms · total {:.1} ms)",
        resp.status,
        resp.reason,
        t.head.as_secs_f64() * 1e3,
        t.total.as_secs_f64() * 1e3
    );
    if t.phases.ttfb.is_some() {
        let _ = writeln!(out, "  timing: {}", t.phases.line(t.total));
    }
    for (name, value) in &resp.headers {
        let _ = writeln!(out, "  {name}: {value}");
    }
    for r in jar.map_or(&[][..], |c| &c.refused) {
        let name = if r.name.is_empty() {
            "(unnamed)"
        } else {
            &r.name
        };
        let _ = writeln!(out, "  ! Set-Cookie {name} was not stored: {}", r.reason);
    }
    if resp.body.total > 0 {
        out.push('\n');
        preview(out, &resp.body, redactor);
    }
}

fn origin(o: Origin) -> String {
    match o {
        Origin::Typed { row } => format!("typed, header {}", row + 1),
        Origin::AuthHelper => "auth helper".into(),
        Origin::Client => "added by client".into(),
        Origin::CookieJar => "cookie jar".into(),
    }
}

/// Text bodies line by line (JSON as received), binary as a hex dump, with a note when cut.
/// Text is masked with the rest of the output; the hex dump's bytes are masked before they are
/// cut into rows, where a key would be split past any text search.
fn preview(out: &mut String, body: &BodyPreview, redactor: &Redactor) {
    match crate::exchange::text_lines(&body.bytes, body.truncated, BODY_LINES) {
        Some((lines, more)) => {
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
            if more > 0 && body.as_text().is_some() {
                let _ = writeln!(out, "  … {more} more lines");
            }
        }
        None => {
            let _ = writeln!(
                out,
                "  (binary, {} bytes; first {} as hex)",
                body.total,
                HEX_BYTES.min(body.bytes.len())
            );
            // Enough past the rows shown that a secret running over their end is masked whole.
            let window = &body.bytes[..body.bytes.len().min(HEX_BYTES + 64 * 1024)];
            let masked = redactor.redact_bytes(window);
            for chunk in masked[..HEX_BYTES.min(masked.len())].chunks(16) {
                let _ = writeln!(out, "  {}", hex_line(chunk));
            }
        }
    }
    if body.truncated || body.total > body.bytes.len() as u64 {
        let _ = writeln!(
            out,
            "  [cut: {} of {} bytes held in memory]",
            body.bytes.len(),
            body.total
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_lines_align_and_show_printable_bytes() {
        assert_eq!(hex_line(b"AB\x00"), format!("{:<48} AB.", "41 42 00"));
    }

    #[test]
    fn multipart_bodies_show_their_text_and_summarise_binary_parts() {
        let mut out = String::new();
        let body = b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\xff\xd8\xff\x00\x01\r\n--b--\r\n";
        preview(
            &mut out,
            &BodyPreview::from_bytes(body.to_vec()),
            &Redactor::new(),
        );
        assert!(
            out.contains("Content-Disposition: form-data; name=\"f\""),
            "{out}"
        );
        assert!(out.contains("‹5 binary bytes"), "{out}");
    }

    #[test]
    fn binary_bodies_are_hex_and_cut_bodies_say_so() {
        let mut out = String::new();
        let body = BodyPreview {
            bytes: vec![0u8, 159, 146, 150, 1, 2],
            total: 10_000,
            truncated: true,
        };
        preview(&mut out, &body, &Redactor::new());
        assert!(out.contains("(binary, 10000 bytes"), "{out}");
        assert!(
            out.contains("[cut: 6 of 10000 bytes held in memory]"),
            "{out}"
        );
    }
}
