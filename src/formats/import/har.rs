//! A HAR's entries as requests, each carrying what was recorded for it (`formats::har` reads
//! the entries and their redirect chains), so a request imported from DevTools keeps the
//! response its findings are about.

use super::{Format, ImportError, Imported, ImportedRequest, name_of};
use crate::draft::{Body, Draft, Row};
use crate::formats::ExchangeFile;

pub fn read(text: &str) -> Result<Imported, ImportError> {
    let exchanges = crate::formats::har::read(text)
        .ok_or_else(|| ImportError::new("is not a HAR: log.entries is not an array"))?
        .map_err(ImportError::new)?;
    let requests = exchanges
        .map(|(_, file)| {
            let draft = draft_of(&file);
            ImportedRequest {
                group: Vec::new(),
                name: name_of(&draft.method, &draft.url),
                draft,
                recorded: file.response.is_some().then_some(file),
            }
        })
        .collect();
    Ok(Imported {
        format: Format::Har,
        requests,
        vars: Vec::new(),
        notes: Vec::new(),
    })
}

/// The recorded request as a draft: headers as the browser sent them, minus the ones a
/// client adds itself on every send (HTTP/2 pseudo-headers, `Host`, `Content-Length`).
fn draft_of(file: &ExchangeFile) -> Draft {
    let r = &file.request;
    let mut d = Draft::new(&r.method, &r.url);
    d.headers = r
        .headers
        .iter()
        .filter(|(n, _)| {
            !n.starts_with(':')
                && !n.eq_ignore_ascii_case("host")
                && !n.eq_ignore_ascii_case("content-length")
        })
        .map(|(n, v)| Row::new(n, v))
        .collect();
    if let Some(text) = r.body.as_ref().filter(|t| !t.is_empty()) {
        d.body = Body::Text {
            content_type: None,
            text: text.clone(),
        };
    }
    d
}
