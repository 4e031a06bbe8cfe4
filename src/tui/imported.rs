//! `authlens FILE.har|collection.json|openapi.json|openapi.yaml`: the requests of a file
//! `authlens import` reads, opened as the user's own drafts at the end of the list — a HAR's
//! with the exchange it recorded and that exchange's findings, as after a send.

use super::app::{BodyIndex, Entry, EntryKind, Loaded, Outcome};
use crate::formats::import::{self, ImportedRequest};
use std::path::Path;
use std::sync::Arc;

/// The command line's argument when it names a file to import rather than a URL: a `.har`,
/// `.json`, `.yaml` or `.yml` that exists.
pub fn import_arg(url: &str) -> Option<&Path> {
    let path = Path::new(url);
    let ext = path.extension()?.to_str()?;
    (["har", "json", "yaml", "yml"].contains(&ext) && !url.contains("://") && path.is_file())
        .then_some(path)
}

/// The file's requests as list entries, or the one-line error naming the file and place.
pub fn entries(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let imported = import::read(&text).map_err(|e| match e.at {
        Some((line, column)) => format!("{}:{line}:{column}: {}", path.display(), e.message),
        None => format!("{}: {}", path.display(), e.message),
    })?;
    Ok(imported.requests.into_iter().map(entry).collect())
}

/// Puts the imported entries in the list and gives the index of the first. One the last
/// session already kept (same name, same draft once scrubbed) is replaced in place, so
/// opening the same file twice does not list its requests twice.
pub fn add(entries: &mut Vec<Entry>, imported: Vec<Entry>) -> Option<usize> {
    let mut first = None;
    for e in imported {
        let same = |k: &Entry| {
            k.kind == EntryKind::Yours
                && k.name == e.name
                && super::session::scrub(&k.draft) == super::session::scrub(&e.draft)
        };
        let at = match entries.iter().position(same) {
            Some(i) => {
                entries[i] = e;
                i
            }
            None => {
                entries.push(e);
                entries.len() - 1
            }
        };
        first = first.or(Some(at));
    }
    first
}

fn entry(r: ImportedRequest) -> Entry {
    let mut name = r.group.clone();
    name.push(r.name);
    let mut e = Entry::yours(name.join(" / "), r.draft);
    e.outcome = r
        .recorded
        .as_ref()
        .and_then(|file| recorded(file, &e.draft))
        .map(|l| Outcome::Done(Arc::new(l)));
    e
}

/// What the HAR recorded, shown as a send's result with the findings `diagnose` gives it.
fn recorded(file: &crate::formats::ExchangeFile, draft: &crate::draft::Draft) -> Option<Loaded> {
    let exchange = crate::formats::har::recorded_exchange(file)?;
    let last = exchange.hops.last()?;
    let redactor = crate::formats::wire_secrets::redactor(&last.request, Some(&last.response));
    let bodies = exchange
        .hops
        .iter()
        .map(|h| BodyIndex::build(&h.response.body.bytes))
        .collect();
    // Judged as the draft holds it (no `Host`, no pseudo-headers), so a finding's header
    // number is the draft's row; the exchange keeps every header recorded.
    let mut judged = file.clone();
    judged.request.headers = draft
        .headers
        .iter()
        .map(|r| (r.name.clone(), r.value.clone()))
        .collect();
    Some(Loaded {
        findings: crate::rules::diagnose_file(&judged),
        exchange,
        redactor,
        bodies,
        sent: draft.clone(),
        spec: None,
        restored: None,
    })
}
