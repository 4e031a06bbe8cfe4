//! Imported requests as the text of a `.http` file, written through the file's own writer so
//! it reads back as it was imported. A credential the source held literally (a Postman token,
//! a HAR's recorded `Authorization`) goes through the trust rule (`vars::scrub`) and is
//! written as a `{{NAME}}` reference the user sets — named after where it was (`AUTHORIZATION`,
//! `X_API_KEY`, a cookie's name), numbered when two different values would share a name.

use super::{ImportError, Imported};
use crate::draft::Draft;
use crate::formats::http_file;
use crate::vars::scrub::{UNSAVED, rename_refs, scrub_noting, to_mustache};
use std::path::Path;

/// The file's text and what the caller tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    /// Each request as the file holds it (references as `{{NAME}}`, disabled headers left
    /// to their comment lines), in file order.
    pub drafts: Vec<Draft>,
    /// Variables to set for the requests to send what the source sent: (name, where it was).
    pub to_set: Vec<(String, String)>,
    /// Every other variable the requests refer to and the file does not define
    /// (`baseUrl`, `API_KEY_HEADER`), sorted.
    pub referenced: Vec<String>,
}

/// Writes `imported` as a `.http` file at `path` (named in errors; file parts are written
/// relative to its directory). `source` names the file imported, in the header comment.
pub fn to_http(imported: &Imported, path: &Path, source: &str) -> Result<Written, ImportError> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut head = format!(
        "# Imported by authlens from {source} ({}).\n",
        imported.format.name()
    );
    // Names the source already refers to are taken: a literal key is never renamed into a
    // reference that stands for something else.
    let used = referenced(imported.requests.iter().map(|r| &r.draft));
    let mut to_set: Vec<(String, String, String)> = used
        .iter()
        .map(|n| (n.clone(), String::new(), String::new()))
        .collect();
    let taken = to_set.len();
    for (name, value) in &imported.vars {
        if crate::secret::is_credential_name(name) || !crate::secret::shaped_words(value).is_empty()
        {
            to_set.push((
                name.clone(),
                value.clone(),
                format!("collection variable {name}"),
            ));
        } else {
            head.push_str(&format!("@{name} = {value}\n"));
        }
    }
    let mut defined: Vec<String> = imported.vars.iter().map(|(n, _)| n.clone()).collect();
    let mut file = http_file::parse(path, &head).map_err(|e| ImportError::new(e.to_string()))?;
    let mut drafts = Vec::new();
    for r in &imported.requests {
        let draft = safe(&r.draft, &mut to_set);
        let title: Vec<&str> = r
            .group
            .iter()
            .map(String::as_str)
            .chain([r.name.as_str()])
            .collect();
        let title = title.join(" / ");
        let at = |e: http_file::HttpFileError| {
            ImportError::new(format!(
                "request {title:?} cannot be written: {}",
                e.message
            ))
        };
        file.append(Some(&title), &draft, dir).map_err(at)?;
        // A disabled header is written as a `# Name: value` comment, not read back as a row.
        let mut read_back = draft;
        read_back.headers.retain(|h| h.enabled);
        drafts.push(read_back);
    }
    let to_set: Vec<(String, String)> = to_set
        .into_iter()
        .skip(taken)
        .map(|(n, _, p)| (n, p))
        .collect();
    defined.extend(to_set.iter().map(|(n, _)| n.clone()));
    let mut referenced = referenced(drafts.iter());
    referenced.retain(|n| !defined.contains(n));
    Ok(Written {
        text: file.write(),
        drafts,
        to_set,
        referenced,
    })
}

/// The names of every `${NAME}` / `{{NAME}}` in the drafts, sorted, once each.
fn referenced<'a>(drafts: impl Iterator<Item = &'a Draft>) -> Vec<String> {
    let mut names: Vec<String> = drafts
        .flat_map(|d| {
            let text = serde_json::to_string(d).unwrap_or_default();
            crate::vars::find_refs(&text).into_iter().map(|r| r.name)
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The draft scrubbed, each `AUTHLENS_UNSAVED_X` renamed `X` (`X_2` when `X` already stands
/// for another value), and references spelled `{{NAME}}`.
fn safe(draft: &Draft, to_set: &mut Vec<(String, String, String)>) -> Draft {
    let (mut d, left) = scrub_noting(draft);
    let mut renames: Vec<(String, String)> = Vec::new();
    for l in left {
        if l.variable {
            continue;
        }
        let base = l.reference.trim_start_matches(UNSAVED).to_string();
        let mut name = base.clone();
        for n in 2.. {
            match to_set.iter().find(|(t, _, _)| *t == name) {
                Some((_, v, _)) if *v == l.value => break,
                Some(_) => name = format!("{base}_{n}"),
                None => {
                    to_set.push((name.clone(), l.value.clone(), l.place.clone()));
                    break;
                }
            }
        }
        renames.push((l.reference, name));
    }
    let map: Vec<(&str, &str)> = renames
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    rename_refs(&mut d, &map);
    to_mustache(&mut d);
    as_file_holds(d)
}

/// The draft in the shape a `.http` file holds and reads back: the query table in the URL,
/// a text body's content type as a typed `Content-Type` header (the file has neither).
fn as_file_holds(mut d: Draft) -> Draft {
    for q in std::mem::take(&mut d.query)
        .into_iter()
        .filter(|q| q.enabled)
    {
        d.url.push(if d.url.contains('?') { '&' } else { '?' });
        d.url
            .push_str(&format!("{}={}", encode(&q.name), encode(&q.value)));
    }
    if let crate::draft::Body::Text { content_type, .. } = &mut d.body
        && let Some(ct) = content_type.take()
        && !d
            .headers
            .iter()
            .any(|h| h.enabled && h.name.eq_ignore_ascii_case("content-type"))
    {
        d.headers.push(crate::draft::Row::new("Content-Type", ct));
    }
    d
}

/// A query pair's text as the `.http` writer puts it in a URL: what would end or split it
/// percent-encoded, references as typed.
fn encode(text: &str) -> String {
    let refs = crate::vars::find_refs(text);
    let mut out = String::new();
    for (i, c) in text.char_indices() {
        match c {
            '%' | ' ' | '&' | '#' | '=' | '+' if !refs.iter().any(|r| r.span.contains(&i)) => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}
