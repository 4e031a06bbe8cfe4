//! One kept exchange as it is written: masked, cut, and read back into a list entry.

use super::{BODY_MAX, Keep, Source};
use crate::draft::{Body, Draft};
use crate::exchange::Exchange;
use crate::formats::export_mask::redact_exchange;
use crate::rules::Finding;
use crate::tui::app::{BodyIndex, Entry, EntryKind, Loaded, Outcome};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A record of `history.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Unix seconds of the diagnosis.
    pub at: i64,
    pub source: Source,
    pub name: String,
    /// Scrubbed: credentials only as `${…}` references (`session::scrub`).
    pub draft: Draft,
    /// Why the send ended without a final response, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Masked by the send's redactor; each body cut at `BODY_MAX`.
    pub exchange: Exchange,
    /// The findings as they were made then, never made again from the file.
    pub findings: Vec<Finding>,
}

/// The record's text as written: masked field by field, then as a whole by the same redactor,
/// so nothing the redactor knows survives in any field (a fix's value, a name).
pub fn text_of(keep: &Keep) -> String {
    let l = &keep.loaded;
    let mut exchange = redact_exchange(&l.exchange, &l.redactor);
    cut_exchange(&mut exchange);
    let mut draft = crate::tui::session::scrub(&keep.draft);
    cut_draft(&mut draft);
    let record = Record {
        at: keep.at,
        source: keep.source,
        name: crate::secret::masked_url(&keep.name),
        draft,
        error: keep.error.clone(),
        exchange,
        findings: l
            .findings
            .iter()
            .map(|f| without_secret_fix(f, l))
            .collect(),
    };
    l.redactor
        .redact(&serde_json::to_string(&record).unwrap_or_default())
}

/// A fix that would type a secret (`Bearer sk-…` for a lower-case `bearer`) would type its
/// mask once read back: it is left out, and the finding kept.
fn without_secret_fix(f: &Finding, l: &crate::tui::app::Loaded) -> Finding {
    let mut f = f.clone();
    let json = serde_json::to_string(&f.fix).unwrap_or_default();
    if l.redactor.redact(&json) != json {
        f.fix = None;
    }
    f
}

/// Response bodies past `BODY_MAX` are cut and marked `truncated` (the total kept), and a
/// request's body past it is cut and marked `raw_cut`: the exchange pane says both.
fn cut_exchange(ex: &mut Exchange) {
    for hop in &mut ex.hops {
        let body = &mut hop.response.body;
        if body.bytes.len() > BODY_MAX {
            let at = boundary(&body.bytes, BODY_MAX);
            body.bytes.truncate(at);
            body.truncated = true;
        }
        let req = &mut hop.request;
        let max = req.head_len.saturating_add(BODY_MAX);
        if req.raw.len() > max {
            let at = boundary(&req.raw, max);
            req.raw.truncate(at);
            req.raw_cut = true;
        }
    }
}

/// A text body typed past `BODY_MAX` is cut, with a line saying so where the editor shows it.
fn cut_draft(d: &mut Draft) {
    if let Body::Text { text, .. } = &mut d.body
        && text.len() > BODY_MAX
    {
        let total = text.len();
        text.truncate(boundary(text.as_bytes(), BODY_MAX));
        let note = format!("\n… [authlens history: the body was cut here, {total} bytes in all]");
        text.push_str(&note);
    }
}

/// `max`, moved back to the start of a UTF-8 character when the bytes are text there, so a
/// cut text stays text (JSON writes bytes as lossy UTF-8).
fn boundary(bytes: &[u8], max: usize) -> usize {
    let mut at = max.min(bytes.len());
    while at > 0 && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 && max - at < 4 {
        at -= 1;
    }
    at
}

/// The record as a history entry: its exchange indexed for viewing (off the event loop, like
/// a send's), its findings as they were, marked `restored` so they are never redone.
pub fn entry_of(r: Record) -> (Entry, Arc<Loaded>) {
    let bodies = r
        .exchange
        .hops
        .iter()
        .map(|h| BodyIndex::build(&h.response.body.bytes))
        .collect();
    let loaded = Arc::new(Loaded {
        exchange: r.exchange,
        redactor: Default::default(),
        bodies,
        sent: r.draft.clone(),
        findings: r.findings,
        spec: None,
        restored: Some(r.at),
    });
    let outcome = match r.error {
        None => Outcome::Done(loaded.clone()),
        Some(message) => Outcome::Failed {
            message,
            partial: Some(loaded.clone()),
        },
    };
    let entry = Entry {
        name: r.name,
        lesson: None,
        kind: EntryKind::History,
        sample_id: None,
        draft: r.draft,
        outcome: Some(outcome),
    };
    (entry, loaded)
}
