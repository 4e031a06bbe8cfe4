//! A request of the file → the `Draft` authlens edits and sends. Variables stay as typed
//! (`{{NAME}}` is a reference the resolver already reads); paths are taken relative to the
//! file's directory, as both tools do; `Authorization: Basic user password` (or
//! `user:password`), which both tools encode before sending, becomes the Basic helper.

use super::{BodySpec, HttpFile, HttpFileError, PartContent, Request};
use crate::draft::{AuthHelper, Body, Draft, Part, PartValue, Row};
use std::path::Path;

impl HttpFile {
    /// Request `index` as a draft; `dir` is the directory relative paths are read from (the
    /// file's own). A `< ./body.json` body is read now; file parts are read when sent.
    pub fn to_draft(&self, index: usize, dir: &Path) -> Result<Draft, HttpFileError> {
        let Some((b, req)) = self.locate(index) else {
            let message = format!("has no request {}", index + 1);
            return Err(HttpFileError::file(&self.path, message));
        };
        // The only error is a body file that cannot be read: its `< path` line.
        let line = self.first_line(b) + req.spans.body.end.saturating_sub(1);
        let at = |message: String| HttpFileError::at(&self.path, line, message);
        draft_of(req, dir).map_err(at)
    }
}

fn draft_of(req: &Request, dir: &Path) -> Result<Draft, String> {
    let mut d = Draft::new(&req.method, &req.url);
    d.settings = super::settings::read(&req.directives, dir);
    let multipart = matches!(req.body, BodySpec::Multipart { .. });
    for (name, value) in &req.headers {
        // The client writes the boundary it picks; a typed one would not match the body.
        if multipart && name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        match basic(name, value) {
            Some(helper) if d.auth == AuthHelper::None => d.auth = helper,
            _ => d.headers.push(Row::new(name, value)),
        }
    }
    d.body = match &req.body {
        BodySpec::None => Body::None,
        BodySpec::Text(text) => text_body(text.clone()),
        BodySpec::File { path, .. } => {
            let full = in_dir(dir, path);
            let text =
                std::fs::read_to_string(&full).map_err(|e| format!("body file {path}: {e}"))?;
            text_body(text)
        }
        BodySpec::Multipart { parts, .. } => Body::Multipart {
            parts: parts
                .iter()
                .map(|p| Part {
                    name: p.name.clone(),
                    value: match &p.content {
                        PartContent::Text(text) => PartValue::Text { text: text.clone() },
                        PartContent::File(path) => PartValue::File {
                            path: in_dir(dir, path),
                            filename: p.filename.clone(),
                            content_type: p.content_type.clone(),
                        },
                    },
                })
                .collect(),
        },
    };
    Ok(d)
}

fn text_body(text: String) -> Body {
    Body::Text {
        content_type: None,
        text,
    }
}

/// `Authorization: Basic user password` or `Basic user:password`: credentials the tools
/// encode, unlike a `Basic dXNlcjpwYXNz` that is sent as written.
fn basic(name: &str, value: &str) -> Option<AuthHelper> {
    if !name.eq_ignore_ascii_case("authorization") {
        return None;
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    let (user, password) = match words[..] {
        [scheme, user, password] if scheme.eq_ignore_ascii_case("basic") => (user, password),
        [scheme, pair] if scheme.eq_ignore_ascii_case("basic") => pair.split_once(':')?,
        _ => return None,
    };
    Some(AuthHelper::Basic {
        user: user.to_string(),
        password: password.to_string(),
    })
}

/// `path` as read from `dir`: `./a.jpg` in `/p` is `/p/a.jpg`; absolute paths stay.
pub(super) fn in_dir(dir: &Path, path: &str) -> String {
    let rel = path.strip_prefix("./").unwrap_or(path);
    if Path::new(path).is_absolute() || dir.as_os_str().is_empty() {
        return rel.to_string();
    }
    dir.join(rel).display().to_string()
}

/// The inverse of `in_dir` for writing: a path under `dir` as `./rest`, others as they are.
pub(super) fn relative(dir: &Path, path: &str) -> String {
    match Path::new(path).strip_prefix(dir) {
        Ok(rest) if !dir.as_os_str().is_empty() => format!("./{}", rest.display()),
        _ if Path::new(path).is_relative() && !path.starts_with(['.', '{', '$']) => {
            format!("./{path}")
        }
        _ => path.to_string(),
    }
}
