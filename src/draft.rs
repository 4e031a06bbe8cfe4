//! The request as the user composed it, before variables are resolved or anything is sent.
//!
//! A `Draft` keeps what was typed — header order, duplicates, the case of names, `${VAR}`
//! references — because the rules engine judges what the user wrote, and the wire view shows
//! what the client made of it. Nothing here does I/O.

mod from_wire;
mod part_file;
mod place;
mod settings;

pub use part_file::{file_name, guess_type};
pub use place::{AuthField, PartField, Place, RowRef, Side};
use serde::{Deserialize, Serialize};
pub use settings::{SettingField, Settings};
use std::ops::Range;

/// A request being edited: everything needed to send it, nothing resolved yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// Any HTTP method token, custom ones included; validated when sending.
    pub method: String,
    /// May contain `${NAME}` / `{{NAME}}` references and a raw query string, sent as written.
    pub url: String,
    pub headers: Vec<Row>,
    /// Logical (unencoded) pairs appended to the URL's own query; the client encodes them.
    pub query: Vec<Row>,
    pub body: Body,
    pub auth: AuthHelper,
    /// Variables set on this request; they win over the process environment and `.env`.
    pub vars: Vec<(String, String)>,
    /// Timeout, redirects, TLS and proxy for this request; unset fields take the defaults.
    #[serde(default, skip_serializing_if = "Settings::is_default")]
    pub settings: Settings,
}

/// A name/value row of the header or query table; a disabled row is kept but not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub name: String,
    pub value: String,
    pub enabled: bool,
}

impl Row {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Row {
            name: name.into(),
            value: value.into(),
            enabled: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    #[default]
    None,
    /// A text payload; `content_type` is sent only when no typed `Content-Type` row exists.
    Text {
        content_type: Option<String>,
        text: String,
    },
    Multipart {
        parts: Vec<Part>,
    },
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub value: PartValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartValue {
    Text {
        text: String,
    },
    /// Read from disk on every send, so a 307/308 re-send carries the same file.
    File {
        path: String,
        filename: Option<String>,
        content_type: Option<String>,
    },
}

/// Credentials the tool writes for you; the header or parameter it produces is marked as
/// coming from the helper, so the wire view can tell it from what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthHelper {
    #[default]
    None,
    Bearer {
        token: String,
    },
    ApiKeyHeader {
        name: String,
        key: String,
    },
    ApiKeyQuery {
        name: String,
        key: String,
    },
    Basic {
        user: String,
        password: String,
    },
}

/// One `name=value` piece of the query typed inside a URL, as byte ranges of the URL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParam {
    /// The whole piece, `name=value`.
    pub piece: Range<usize>,
    pub name: Range<usize>,
    /// `None` for a bare `name` without `=`.
    pub value: Option<Range<usize>>,
}

/// The query pieces of `url` as typed (after the first `?`, before any `#`), empty pieces
/// skipped. Works on unresolved text too: `${BASE}/v1?key=${KEY}` has one piece.
pub fn url_params(url: &str) -> Vec<UrlParam> {
    let Some(q) = url.find('?') else {
        return Vec::new();
    };
    let end = url[q..].find('#').map_or(url.len(), |h| q + h);
    let mut out = Vec::new();
    let mut start = q + 1;
    for piece in url[q + 1..end].split('&') {
        let range = start..start + piece.len();
        start = range.end + 1;
        if piece.is_empty() {
            continue;
        }
        let (name, value) = match piece.find('=') {
            Some(eq) => (
                range.start..range.start + eq,
                Some(range.start + eq + 1..range.end),
            ),
            None => (range.clone(), None),
        };
        out.push(UrlParam {
            piece: range,
            name,
            value,
        });
    }
    out
}

impl Draft {
    pub fn new(method: &str, url: &str) -> Self {
        Draft {
            method: method.to_string(),
            url: url.to_string(),
            ..Draft::default()
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(Row::new(name, value));
        self
    }

    /// The enabled header rows with their index in the table (the index anchors findings).
    pub fn enabled_headers(&self) -> impl Iterator<Item = (usize, &Row)> {
        self.headers.iter().enumerate().filter(|(_, r)| r.enabled)
    }

    /// True when an enabled typed header has this name (compared case-insensitively, as HTTP does).
    pub fn has_header(&self, name: &str) -> bool {
        self.enabled_headers()
            .any(|(_, r)| r.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "${BASE}/v1?api_key=${KEY}&flag&q=a+b#frag";

    #[test]
    fn pieces_are_read_as_typed() {
        let got: Vec<(&str, Option<&str>)> = url_params(URL)
            .iter()
            .map(|p| (&URL[p.name.clone()], p.value.clone().map(|v| &URL[v])))
            .collect();
        assert_eq!(
            got,
            [
                ("api_key", Some("${KEY}")),
                ("flag", None),
                ("q", Some("a+b"))
            ]
        );
        assert!(url_params("${BASE}/v1").is_empty());
    }
}
