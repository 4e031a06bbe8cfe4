//! A draft → the lines of a request, and those lines put into the file: replacing one
//! request keeps each of its parts (request line, headers, body) that the draft did not
//! change exactly as written, and touches nothing outside the request.

use super::parse::{self, is_handler, is_separator};
use super::to_draft::relative;
use super::{BodySpec, HttpFile, HttpFileError, PartContent, PartSpec, multipart, settings};
use crate::draft::{AuthHelper, Body, Draft, PartValue};
use std::path::Path;

/// The boundary of a multipart body authlens writes, when the request had none.
const BOUNDARY: &str = "authlens-boundary";

/// A draft as the file writes it: the auth helper and the query table folded into headers
/// and the URL, since `.http` files have neither.
#[derive(Debug, PartialEq, Eq)]
struct Flat {
    method: String,
    url: String,
    headers: Vec<String>,
    body: Vec<String>,
}

impl HttpFile {
    /// Puts `draft` in place of request `index`, rewriting only the parts it changed. `dir`
    /// is the file's directory (file parts are written relative to it). Request variables
    /// the file does not define are written as `@name = value` lines before the request.
    pub fn replace(
        &mut self,
        index: usize,
        draft: &Draft,
        dir: &Path,
    ) -> Result<(), HttpFileError> {
        let Some((b, req)) = self.locate(index) else {
            let message = format!("has no request {}", index + 1);
            return Err(HttpFileError::file(&self.path, message));
        };
        let boundary = match &req.body {
            BodySpec::Multipart { boundary, .. } => boundary.clone(),
            _ => BOUNDARY.to_string(),
        };
        let new = flatten(draft, dir, &boundary).map_err(|m| self.error(m))?;
        let old_draft = self.to_draft(index, dir).ok();
        let settings_same = old_draft
            .as_ref()
            .is_some_and(|d| d.settings == draft.settings);
        let old = old_draft.and_then(|d| flatten(&d, dir, &boundary).ok());
        let version = req.version.clone();
        let spans = req.spans.clone();
        let vars = self.missing_vars(draft);
        let nl = self.newline;
        let raw = &self.blocks[b].lines;
        let ended =
            |lines: Vec<String>| -> Vec<String> { lines.into_iter().map(|l| l + nl).collect() };
        let same = |f: &dyn Fn(&Flat) -> bool| old.as_ref().is_some_and(f);
        let mut lines = raw[..spans.line.start].to_vec();
        if !settings_same {
            // Only the settings' own directive lines change; other comments stay.
            lines.retain(|l| !settings::is_setting_line(l));
            lines.extend(ended(settings::write(&draft.settings, dir)));
        }
        lines.extend(ended(vars));
        if same(&|o| o.method == new.method && o.url == new.url) {
            lines.extend_from_slice(&raw[spans.line.clone()]);
        } else if same(&|o| o.url == new.url) {
            // Only the method: the URL keeps its continuation lines.
            lines.push(with_method(&raw[spans.line.start], &new.method));
            lines.extend_from_slice(&raw[spans.line.start + 1..spans.line.end]);
        } else {
            lines.extend(ended(vec![request_line(&new, version.as_deref())]));
        }
        if same(&|o| o.headers == new.headers) {
            lines.extend_from_slice(&raw[spans.headers.clone()]);
        } else {
            lines.extend(ended(new.headers.clone()));
        }
        if same(&|o| o.body == new.body) {
            lines.extend_from_slice(&raw[spans.body.clone()]);
        } else if !new.body.is_empty() {
            lines.extend(ended(
                std::iter::once(String::new())
                    .chain(new.body.clone())
                    .collect(),
            ));
        }
        let end = spans.line.end.max(spans.headers.end).max(spans.body.end);
        lines.extend_from_slice(&raw[end..]);
        if !raw.last().is_some_and(|l| l.ends_with('\n'))
            && let Some(last) = lines.last_mut()
        {
            *last = parse::content(last).to_string();
        }
        self.blocks[b].lines = lines;
        self.reparse()
    }

    /// Adds `draft` as a new request at the end, named `name`; returns its index.
    pub fn append(
        &mut self,
        name: Option<&str>,
        draft: &Draft,
        dir: &Path,
    ) -> Result<usize, HttpFileError> {
        let new = flatten(draft, dir, BOUNDARY).map_err(|m| self.error(m))?;
        let vars = self.missing_vars(draft);
        let nl = self.newline;
        let mut text = self.write();
        // `# @name` is an identifier both tools reference responses by; a name with spaces
        // (`POST /api/items`) is the separator's title instead, which both show as its name.
        let identifier = |n: &str| n.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
        let title = name.filter(|n| !identifier(n));
        let separator = title.map_or("###".to_string(), |t| format!("### {t}"));
        if !text.is_empty() {
            if !text.ends_with('\n') {
                text.push_str(nl);
            }
            if !parse::content(&text).ends_with('\n') {
                text.push_str(nl);
            }
            text.push_str(&format!("{separator}{nl}"));
        } else if title.is_some() {
            text.push_str(&format!("{separator}{nl}"));
        }
        let mut lines: Vec<String> = name
            .filter(|n| identifier(n))
            .map(|n| format!("# @name {n}"))
            .into_iter()
            .collect();
        lines.extend(settings::write(&draft.settings, dir));
        lines.extend(vars);
        lines.push(request_line(&new, None));
        lines.extend(new.headers);
        if !new.body.is_empty() {
            lines.push(String::new());
            lines.extend(new.body);
        }
        for l in lines {
            text.push_str(&l);
            text.push_str(nl);
        }
        *self = parse::file(self.path.clone(), &text)?;
        Ok(self.requests().len() - 1)
    }

    fn reparse(&mut self) -> Result<(), HttpFileError> {
        *self = parse::file(self.path.clone(), &self.write())?;
        Ok(())
    }

    fn error(&self, message: String) -> HttpFileError {
        HttpFileError::file(&self.path, message)
    }

    /// `@name = value` lines for the draft's variables the file does not define.
    fn missing_vars(&self, draft: &Draft) -> Vec<String> {
        let defined: Vec<&str> = self
            .blocks
            .iter()
            .flat_map(|b| &b.vars)
            .map(|(_, n, _)| n.as_str())
            .collect();
        draft
            .vars
            .iter()
            .filter(|(n, _)| !defined.contains(&n.as_str()))
            .map(|(n, v)| format!("@{n} = {v}"))
            .collect()
    }
}

/// A request line (with its ending) with its method replaced, or put before a bare URL.
fn with_method(line: &str, method: &str) -> String {
    let t = line.trim_start();
    match t.split_once(char::is_whitespace) {
        Some((m, rest)) if !m.is_empty() && m.chars().all(|c| c.is_ascii_uppercase()) => {
            format!("{method} {rest}")
        }
        _ => format!("{method} {t}"),
    }
}

fn request_line(flat: &Flat, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{} {} {v}", flat.method, flat.url),
        None => format!("{} {}", flat.method, flat.url),
    }
}

/// The draft's lines, or why the format cannot hold it.
fn flatten(d: &Draft, dir: &Path, boundary: &str) -> Result<Flat, String> {
    let mut url = d.url.clone();
    let mut query: Vec<(&str, &str)> = d
        .query
        .iter()
        .filter(|q| q.enabled)
        .map(|q| (q.name.as_str(), q.value.as_str()))
        .collect();
    let mut headers: Vec<String> = d
        .headers
        .iter()
        .map(|r| match r.enabled {
            true => format!("{}: {}", r.name, r.value),
            false => format!("# {}: {}", r.name, r.value),
        })
        .collect();
    match &d.auth {
        AuthHelper::None => {}
        AuthHelper::Bearer { token } => headers.push(format!("Authorization: Bearer {token}")),
        AuthHelper::ApiKeyHeader { name, key } => headers.push(format!("{name}: {key}")),
        AuthHelper::ApiKeyQuery { name, key } => query.push((name, key)),
        AuthHelper::Basic { user, password } => {
            headers.push(format!("Authorization: Basic {user} {password}"))
        }
    }
    for (name, value) in query {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&format!("{}={}", encode(name), encode(value)));
    }
    let typed_type = d.has_header("content-type");
    let body = match &d.body {
        Body::None => Vec::new(),
        Body::Text { content_type, text } => {
            if let Some(ct) = content_type.as_ref().filter(|_| !typed_type) {
                headers.push(format!("Content-Type: {ct}"));
            }
            let lines: Vec<String> = text
                .split('\n')
                .map(|l| parse::content(l).to_string())
                .collect();
            if let [only] = &lines[..]
                && parse::file_ref(only).is_some()
            {
                return Err(format!("the body {only:?} would be read as a file to send"));
            }
            lines
        }
        Body::Multipart { parts } => {
            if !typed_type {
                headers.push(format!(
                    "Content-Type: multipart/form-data; boundary={boundary}"
                ));
            }
            multipart::write(boundary, &part_specs(parts, dir))
        }
    };
    if let Some(bad) = body.iter().find(|l| is_separator(l) || is_handler(l)) {
        return Err(format!(
            "a body line starts like a separator or a response handler: {bad:?}"
        ));
    }
    if url.contains(['\n', '\r']) || headers.iter().any(|h| h.contains(['\n', '\r'])) {
        return Err("a URL or header holds a line break".into());
    }
    Ok(Flat {
        method: d.method.clone(),
        url,
        headers,
        body,
    })
}

fn part_specs(parts: &[crate::draft::Part], dir: &Path) -> Vec<PartSpec> {
    parts
        .iter()
        .map(|p| match &p.value {
            PartValue::Text { text } => PartSpec {
                name: p.name.clone(),
                filename: None,
                content_type: None,
                content: PartContent::Text(text.clone()),
            },
            PartValue::File {
                path,
                filename,
                content_type,
            } => PartSpec {
                name: p.name.clone(),
                // Both tools send a part with no file name as a field; name the file.
                filename: filename.clone().or_else(|| file_name(path)),
                content_type: content_type.clone(),
                content: PartContent::File(relative(dir, path)),
            },
        })
        .collect()
}

fn file_name(path: &str) -> Option<String> {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
}

/// A query pair's text for the URL: the bytes that would end or split it percent-encoded,
/// references left as typed.
fn encode(text: &str) -> String {
    let refs = crate::vars::find_refs(text);
    let mut out = String::new();
    for (i, c) in text.char_indices() {
        let in_ref = refs.iter().any(|r| r.span.contains(&i));
        match c {
            '%' | ' ' | '&' | '#' | '=' | '+' if !in_ref => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}
