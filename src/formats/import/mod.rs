//! Requests written elsewhere — a HAR, a Postman collection v2.1, an OpenAPI / Swagger
//! document, a curl command — read into drafts, so `authlens import` can write them as a
//! `.http` collection without anyone retyping them. Reading only: nothing here writes a file.

mod har;
mod openapi;
mod postman;
mod postman_env;
mod skeleton;
mod to_http;

pub use postman_env::{EnvValue, PostmanEnv, read_env};
pub use to_http::{Written, to_http};

use super::ExchangeFile;
use crate::draft::Draft;
use serde_json::Value;

/// What one source file held.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub format: Format,
    pub requests: Vec<ImportedRequest>,
    /// Collection-level variables (Postman `variable`), as `name = value`.
    pub vars: Vec<(String, String)>,
    /// What the source held that the requests could not carry, one line each, for the user
    /// to redo by hand: `"Upload": body mode file (a path on the exporter's disk) left out`.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Har,
    Postman,
    OpenApi,
    Curl,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Har => "HAR",
            Format::Postman => "Postman collection v2.1",
            Format::OpenApi => "OpenAPI",
            Format::Curl => "curl command",
        }
    }
}

/// One request of the source.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRequest {
    /// The folders (Postman) or tag (OpenAPI) it sits in, outermost first.
    pub group: Vec<String>,
    pub name: String,
    pub draft: Draft,
    /// What a HAR recorded for it: the request, the response and any redirects, as the
    /// exchange file `authlens diagnose` reads.
    pub recorded: Option<ExchangeFile>,
}

/// Why a file could not be imported, and where in it when the parser says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line and column.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> Self {
        ImportError {
            at: None,
            message: message.into(),
        }
    }

    fn json(e: &serde_json::Error) -> Self {
        // serde_json's message ends in " at line L column C"; the position is said once.
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m)
            .to_string();
        ImportError {
            at: Some((e.line(), e.column())),
            message: format!("is not valid JSON: {message}"),
        }
    }
}

/// The formats read, said when a file is none of them.
pub const KNOWN: &str =
    "HAR 1.2, Postman collection v2.1, OpenAPI 3.x / Swagger 2.0 (JSON or YAML), or a curl command";

/// Reads `text`, telling its format by its content.
pub fn read(text: &str) -> Result<Imported, ImportError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with("curl") {
        let draft = crate::formats::curl::parse(trimmed.trim_end())
            .map_err(|m| ImportError::new(format!("curl command: {m}")))?;
        return Ok(single(Format::Curl, draft));
    }
    let value: Value = if trimmed.starts_with(['{', '[']) {
        serde_json::from_str(text).map_err(|e| ImportError::json(&e))?
    } else {
        yaml_serde::from_str(text)
            .map_err(|_| ImportError::new(format!("is not a known format: expected {KNOWN}")))?
    };
    if crate::formats::har::is_har(&value) {
        return har::read(text);
    }
    if let Some(schema) = value.pointer("/info/schema").and_then(Value::as_str) {
        return postman::read(&value, schema);
    }
    if value.get("openapi").is_some() || value.get("swagger").is_some() {
        return openapi::read(&value);
    }
    if value.get("requests").is_some_and(Value::is_array) && value.get("order").is_some() {
        return Err(ImportError::new(
            "is a Postman collection v1: only v2.1 is supported \
             (in Postman, export the collection as Collection v2.1)",
        ));
    }
    if value.get("values").is_some() && value.get("name").is_some() {
        return Err(ImportError::new(
            "is a Postman environment: import the collection and pass this file with --env",
        ));
    }
    Err(ImportError::new(format!(
        "is not a known format: expected {KNOWN}"
    )))
}

fn single(format: Format, draft: Draft) -> Imported {
    Imported {
        format,
        requests: vec![ImportedRequest {
            group: Vec::new(),
            name: name_of(&draft.method, &draft.url),
            draft,
            recorded: None,
        }],
        vars: Vec::new(),
        notes: Vec::new(),
    }
}

/// `GET /items/{id}`: a request named by its method and path, host and query left out.
pub fn name_of(method: &str, url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    format!("{method} {path}")
}

/// `APIKeyHeader` → `API_KEY_HEADER`, `bearerAuth` → `BEARER_AUTH`, `basic-auth` →
/// `BASIC_AUTH`: the environment variable a scheme's credential is read from.
pub fn upper_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        // The capitals before this one, back to the last word break: `API` of `APIKey` ends
        // an acronym, the lone `O` of `OAuth` does not.
        let run = chars[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (run >= 2 && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_names_become_variables() {
        assert_eq!(upper_snake("APIKeyHeader"), "API_KEY_HEADER");
        assert_eq!(upper_snake("bearerAuth"), "BEARER_AUTH");
        assert_eq!(upper_snake("basic-auth"), "BASIC_AUTH");
        assert_eq!(upper_snake("OAuth2"), "OAUTH2");
        assert_eq!(upper_snake("HTTPBearer"), "HTTP_BEARER");
        assert_eq!(
            upper_snake("OAuth2ClientCredentials"),
            "OAUTH2_CLIENT_CREDENTIALS"
        );
    }

    #[test]
    fn requests_are_named_by_method_and_path() {
        assert_eq!(name_of("GET", "https://h/a/b?x=1"), "GET /a/b");
        assert_eq!(name_of("POST", "{{base}}/items"), "POST /items");
    }
}
