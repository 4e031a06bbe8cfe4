//! Masking an exchange before it is written out (`send --format json`, `watch --format jsonl`):
//! every secret the redactor knows replaced by its mask, and the list of masks with what is
//! safe to know of each, so `diagnose` reading the file back judges shapes, not mask strings.

use crate::exchange::Exchange;
use crate::formats::ExchangeFile;
use crate::masked::{MaskedValue, install_key};
use crate::secret::{Redactor, mask};
use crate::vars::Vars;

/// Every mask the exported file will hold — secrets the redactor masks and variables masked by
/// their name — with what is safe to know of each, so `diagnose` reads shapes, not masks.
pub fn masks_of(file: &ExchangeFile, vars: &Vars, redactor: &Redactor) -> Vec<MaskedValue> {
    let text = redactor.redact(&serde_json::to_string(file).unwrap_or_default());
    let by_name = file.env.iter().filter_map(|(n, shown)| {
        vars.get(n)
            .map(|b| b.value.as_str())
            .filter(|v| *v != shown)
    });
    let key = install_key();
    let mut out: Vec<MaskedValue> = Vec::new();
    let mut ambiguous: Vec<String> = Vec::new();
    for secret in redactor.secrets().iter().map(|s| s.expose()).chain(by_name) {
        let shown = mask(secret);
        if !text.contains(&shown) {
            continue;
        }
        match out.iter().find(|m| m.shown == shown) {
            None => out.push(MaskedValue::of(secret, key.as_deref())),
            // Two different secrets behind one mask (`•••• (8 chars)`): one stand-in for both
            // would tell `diagnose` they are equal. Such a mask is not listed.
            Some(m)
                if m.length != secret.chars().count()
                    || MaskedValue::of(secret, key.as_deref()) != *m =>
            {
                ambiguous.push(shown)
            }
            Some(_) => {}
        }
    }
    out.retain(|m| !ambiguous.contains(&m.shown));
    out
}

/// The exchange with every secret the redactor knows masked: URLs, header values, the raw
/// bytes (their head length measured again) and response bodies.
pub fn redact_exchange(ex: &Exchange, r: &Redactor) -> Exchange {
    let mut ex = ex.clone();
    if r.is_empty() {
        return ex;
    }
    for hop in &mut ex.hops {
        let req = &mut hop.request;
        req.url = r.redact(&req.url);
        for h in &mut req.headers {
            h.value = r.redact(&h.value);
        }
        // Bytes, not lossy text: a binary upload keeps its size in memory (JSON writes it
        // lossily anyway).
        req.raw = r.redact_bytes(&req.raw);
        req.head_len = head_len(&req.raw);
        for (_, v) in &mut hop.response.headers {
            *v = r.redact(v);
        }
        let body = &mut hop.response.body;
        body.bytes = match body.as_text() {
            Some(t) => r.redact(t).into_bytes(),
            // A binary body is not text to redact, but a key in it is still a key.
            None => r.redact_bytes(&body.bytes),
        };
    }
    ex
}

/// The length of a request head up to and including its blank line (the whole text when it
/// has none), as `send::wire` reads a captured head.
fn head_len(raw: &[u8]) -> usize {
    let mut line_start = 0;
    for i in memchr::memchr_iter(b'\n', raw) {
        let line = &raw[line_start..i];
        if line_start > 0 && (line.is_empty() || line == b"\r") {
            return i + 1;
        }
        line_start = i + 1;
    }
    raw.len()
}
