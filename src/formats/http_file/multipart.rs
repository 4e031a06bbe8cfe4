//! Multipart bodies as `.http` files write them: `--boundary` lines (the boundary from the
//! request's `Content-Type`), each part's `Content-Disposition` and `Content-Type`, a blank
//! line, then text or `< ./file`; `--boundary--` ends the body.

use super::parse::{content, file_ref, joined};
use super::{HttpFileError, PartContent, PartSpec};
use std::path::Path;

/// The boundary of a `multipart/…` `Content-Type` header, quotes removed.
pub(super) fn boundary(headers: &[(String, String)]) -> Option<String> {
    let (_, value) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))?;
    if !value
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/")
    {
        return None;
    }
    param(value, "boundary")
}

/// `name="value"` (or unquoted) among the `;`-separated parameters of a header value.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The parts of a body whose first line is the boundary's delimiter; `None` when it is not
/// (then the body is sent as the text it is). `first` is the 1-based line of `raw[0]`.
pub(super) fn parse(
    path: &Path,
    raw: &[String],
    boundary: &str,
    first: usize,
) -> Result<Option<Vec<PartSpec>>, HttpFileError> {
    let delim = format!("--{boundary}");
    let end = format!("{delim}--");
    let text: Vec<&str> = raw.iter().map(|l| content(l).trim_end()).collect();
    let is_delim = |l: &str| l == delim || l == end;
    let mut i = text.iter().position(|l| !l.is_empty()).unwrap_or(0);
    if text.get(i).is_none_or(|l| *l != delim) {
        return Ok(None);
    }
    let mut parts = Vec::new();
    while i < text.len() && text[i] == delim {
        let at = first + i;
        i += 1;
        let mut part = PartSpec {
            name: String::new(),
            filename: None,
            content_type: None,
            content: PartContent::Text(String::new()),
        };
        while i < text.len() && !text[i].is_empty() && !is_delim(text[i]) {
            part_header(path, first + i, text[i], &mut part)?;
            i += 1;
        }
        if text.get(i).is_some_and(|l| l.is_empty()) {
            i += 1;
        }
        let start = i;
        while i < text.len() && !is_delim(text[i]) {
            i += 1;
        }
        let body = joined(&raw[start..i]);
        part.content = match file_ref(&body).filter(|_| start + 1 == i) {
            Some((file, _)) => PartContent::File(file),
            None => PartContent::Text(body),
        };
        if part.name.is_empty() {
            let message = "multipart part has no name (Content-Disposition: form-data; name=\"…\")";
            return Err(HttpFileError::at(path, at, message));
        }
        parts.push(part);
    }
    Ok(Some(parts))
}

fn part_header(
    path: &Path,
    line: usize,
    text: &str,
    part: &mut PartSpec,
) -> Result<(), HttpFileError> {
    let Some((name, value)) = text.split_once(':') else {
        let message = format!("multipart part header {:?} has no colon", text.trim());
        return Err(HttpFileError::at(path, line, message));
    };
    if name.trim().eq_ignore_ascii_case("content-disposition") {
        part.name = param(value, "name").unwrap_or_default();
        part.filename = param(value, "filename");
    } else if name.trim().eq_ignore_ascii_case("content-type") {
        part.content_type = Some(value.trim().to_string());
    }
    Ok(())
}

/// The body's lines (without endings) for `parts`.
pub(super) fn write(boundary: &str, parts: &[PartSpec]) -> Vec<String> {
    let mut out = Vec::new();
    for p in parts {
        out.push(format!("--{boundary}"));
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
        if let Some(f) = &p.filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        out.push(disposition);
        if let Some(ct) = &p.content_type {
            out.push(format!("Content-Type: {ct}"));
        }
        out.push(String::new());
        match &p.content {
            PartContent::File(path) => out.push(format!("< {path}")),
            PartContent::Text(text) => out.extend(text.split('\n').map(|l| content(l).to_string())),
        }
    }
    out.push(format!("--{boundary}--"));
    out
}
