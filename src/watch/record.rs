//! One watched exchange written down: the captured bytes become a [`Watched`] — the request as
//! the program sent it and as it was forwarded, the response, the exchange file `diagnose`
//! reads (secrets masked), and the findings on it.
//!
//! This is the slow part (parsing, masking, the rules), so it runs on the writer thread after
//! the response has been passed back: the program never waits for a diagnosis.

use super::Watched;
use crate::exchange::{BodyPreview, Capture, Exchange, Hop, Origin, Response, Timing, WireRequest};
use crate::formats::ExchangeFile;
use crate::formats::exchange_json::{Context, FileRequest, FileResponse};
use crate::formats::export_mask;
use crate::rules::{self, AsStack};
use crate::secret::{self, Redactor};
use crate::send::wire::{parse_head, parse_status_line};
use std::time::SystemTime;

/// What the proxy saw of one exchange, as raw as it came.
#[derive(Debug, Default)]
pub struct Captured {
    pub id: u64,
    pub at: Option<SystemTime>,
    pub method: String,
    /// Where the request went: the upstream URL with the request's path and query.
    pub url: String,
    /// The program's bytes (head, then the body up to the cap) and whether they were cut.
    pub sent: (Vec<u8>, bool),
    /// The request body's bounded copy (decoded from any chunking).
    pub sent_body: BodyPreview,
    /// The bytes authlens wrote upstream, when it got that far.
    pub forwarded: Option<(Vec<u8>, bool)>,
    /// The response as hyper parsed it (names lowercased) and the upstream's own head bytes,
    /// which keep the names' case.
    pub response: Option<(Response, Vec<u8>)>,
    pub fault: Option<String>,
    pub timing: Timing,
    pub notes: Vec<String>,
    /// The cap on the recorded copy of a body, also once decoded.
    pub max_body: usize,
    /// `--as-client` / `--as-loader` as typed, written into the file's `context`.
    pub as_client: Option<String>,
    pub as_loader: Option<String>,
    /// The launched program's `.env` and environment, shared by every exchange.
    pub program: Option<std::sync::Arc<super::program_env::ProgramEnv>>,
}

/// How recorded exchanges are judged: as the user's own stack would meet them
/// (`--as-client`, `--as-loader`), and against the API's spec (`--spec`).
#[derive(Debug, Clone, Default)]
pub struct Judging {
    pub stack: AsStack,
    pub spec: Option<std::sync::Arc<crate::spec::Spec>>,
}

/// Builds the [`Watched`] and diagnoses it as `judging` says.
pub fn assemble(mut c: Captured, judging: &Judging) -> Watched {
    let sent = wire_request(&c.method, &c.url, &c.sent.0, c.sent.1);
    let forwarded = c
        .forwarded
        .as_ref()
        .map(|(raw, cut)| wire_request(&c.method, &c.url, raw, *cut));
    let mut response = c.response.take().map(|(r, head)| with_wire_case(r, &head));
    if let Some(note) = response
        .as_mut()
        .and_then(|r| super::decode::response_body(r, c.max_body))
    {
        c.notes.push(note);
    }
    let user_agent = sent
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("user-agent"))
        .map(|h| h.value.as_str());
    let client = c
        .as_client
        .clone()
        .or_else(|| user_agent.and_then(super::client::recognise));
    let mut redactor = redactor_for(&sent, &c.sent_body, response.as_ref());
    for secret in c.program.iter().flat_map(|p| p.secrets()) {
        redactor.add(secret);
    }
    let file = exchange_file(
        &sent,
        &c.sent_body,
        response.as_ref(),
        &c,
        &client,
        &redactor,
    );
    let findings = rules::diagnose_file_with(&file, &judging.stack, judging.spec.as_ref());
    let notes = c.notes.iter().map(|n| redactor.redact(n)).collect();
    Watched {
        id: c.id,
        at: c.at.unwrap_or_else(SystemTime::now),
        sent,
        forwarded,
        response,
        fault: c.fault.map(|f| redactor.redact(&f)),
        timing: c.timing,
        client,
        notes,
        file,
        findings,
    }
}

/// Captured request bytes as a wire request: every header is the program's own, so each is
/// marked typed, in the row the exchange file's request lists it.
fn wire_request(method: &str, url: &str, raw: &[u8], cut: bool) -> WireRequest {
    let (head_len, lines) = parse_head(raw);
    WireRequest {
        method: method.to_string(),
        url: url.to_string(),
        capture: Capture::Captured,
        headers: lines
            .into_iter()
            .enumerate()
            .map(|(row, (name, value))| crate::exchange::WireHeader {
                name,
                value,
                origin: Origin::Typed { row },
            })
            .collect(),
        stripped: Vec::new(),
        raw: raw.to_vec(),
        head_len,
        raw_cut: cut,
    }
}

/// The response with the header lines as the upstream wrote them (case, order, reason
/// phrase), when its head was captured whole.
fn with_wire_case(mut r: Response, head: &[u8]) -> Response {
    let (head_len, lines) = parse_head(head);
    if (head_len < head.len() || head.ends_with(b"\n"))
        && let Some((status, reason)) = parse_status_line(head)
        && status == r.status
        && !lines.is_empty()
    {
        r.reason = reason;
        r.headers = lines;
    }
    r
}

/// The watch's masking is the watch screen's and the HAR export's (`formats::wire_secrets`),
/// plus what only the proxy has: key-shaped words in the URL and the secrets of the bounded
/// body copy, which may be decoded from chunking where the raw bytes are not.
fn redactor_for(sent: &WireRequest, body: &BodyPreview, response: Option<&Response>) -> Redactor {
    let mut r = crate::formats::wire_secrets::redactor(sent, response);
    for word in secret::shaped_words(&sent.url) {
        r.add(word);
    }
    if let Some(text) = body.as_text() {
        for s in secret::body_secrets(text) {
            r.add(&s);
        }
    }
    r
}

/// The exchange as `diagnose` reads it, masked as `send --format json` masks it.
fn exchange_file(
    sent: &WireRequest,
    body: &BodyPreview,
    response: Option<&Response>,
    c: &Captured,
    client: &Option<String>,
    redactor: &Redactor,
) -> ExchangeFile {
    let text_body = body.as_text().filter(|_| !body.truncated);
    let request = FileRequest {
        method: sent.method.clone(),
        url: redactor.redact(&sent.url),
        headers: sent
            .headers
            .iter()
            .map(|h| (h.name.clone(), redactor.redact(&h.value)))
            .collect(),
        query: None,
        body: text_body.map(|t| redactor.redact(t)),
    };
    let exchange = response.map(|resp| {
        let hop = Hop {
            request: sent.clone(),
            response: resp.clone(),
            timing: c.timing,
        };
        let ex = Exchange {
            hops: vec![hop],
            stopped: None,
            ..Default::default()
        };
        export_mask::redact_exchange(&ex, redactor)
    });
    let mut file = ExchangeFile {
        request,
        response: response.map(|r| FileResponse {
            status: r.status,
            headers: r
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), redactor.redact(v)))
                .collect(),
            body: r.body.as_text().map(|t| redactor.redact(t)),
        }),
        context: Some(Context {
            client: client.clone(),
            loader: c.as_loader.clone(),
            cwd: std::env::current_dir()
                .ok()
                .map(|p| p.display().to_string()),
            ..Context::default()
        }),
        exchange,
        // What the launched program's directory and environment held, masked.
        dotenv: c.program.as_ref().map(|p| redactor.redact(&p.dotenv)),
        env: c.program.as_ref().map_or_else(Default::default, |p| {
            p.env
                .iter()
                .map(|(n, v)| (n.clone(), redactor.redact(v)))
                .collect()
        }),
        ..ExchangeFile::default()
    };
    file.masked = export_mask::masks_of(&file, &crate::vars::Vars::default(), redactor);
    file
}
