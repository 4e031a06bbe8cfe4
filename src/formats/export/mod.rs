//! Export as code: a draft written as a program of another client — curl, HTTPie, Python,
//! JavaScript, Rust or a `.http` block — that sends the same request authlens sends.
//!
//! Credentials never appear in the code. A `${NAME}` reference becomes a lookup of `NAME` in
//! the environment of the code's language; a secret typed literally becomes a lookup of the
//! `AUTHLENS_UNSAVED_…` name the trust rule (`vars::scrub`) gives it, which nothing sets, so the
//! code cannot quietly send some other key — a comment in the code says what to set.

mod js;
mod model;
mod python;
mod rust;
mod shell;

use crate::draft::Draft;
use crate::vars::Vars;
pub use model::{Body, Part, PartValue, Piece, Request, Text};

/// A language or client the request can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Curl,
    Httpie,
    PythonRequests,
    PythonHttpx,
    JsFetch,
    RustReqwest,
    Http,
}

impl Target {
    /// Every target, in the order lists show them.
    pub const ALL: [Target; 7] = [
        Target::Curl,
        Target::Httpie,
        Target::PythonRequests,
        Target::PythonHttpx,
        Target::JsFetch,
        Target::RustReqwest,
        Target::Http,
    ];

    /// The name `--as` takes.
    pub fn name(self) -> &'static str {
        match self {
            Target::Curl => "curl",
            Target::Httpie => "httpie",
            Target::PythonRequests => "python-requests",
            Target::PythonHttpx => "python-httpx",
            Target::JsFetch => "js-fetch",
            Target::RustReqwest => "rust-reqwest",
            Target::Http => "http",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The names, comma-separated, for an error that lists them.
    pub fn names() -> String {
        Target::ALL.map(Target::name).join(", ")
    }
}

/// `draft` as code for `target`, with `vars` deciding which references are written as
/// values (those holding no secret) — or why the target cannot hold it.
pub fn export(target: Target, draft: &Draft, vars: &Vars) -> Result<String, String> {
    if target == Target::Http {
        return http_block(draft);
    }
    let r = model::build(draft, vars);
    let code = match target {
        Target::Curl => shell::curl(&r),
        Target::Httpie => shell::httpie(&r),
        Target::PythonRequests => python::requests(&r),
        Target::PythonHttpx => python::httpx(&r),
        Target::JsFetch => js::fetch(&r),
        Target::RustReqwest => rust::reqwest(&r),
        Target::Http => unreachable!("written above"),
    };
    // Belt and braces: a secret that slipped past the scrub is masked, never written.
    Ok(crate::vars::resolve(draft, vars).redactor.redact(&code))
}

/// A `.http` block, written as saving into a collection writes it (`{{NAME}}` references).
fn http_block(draft: &Draft) -> Result<String, String> {
    let (safe, _) = crate::formats::http_file::safe_draft(draft);
    let mut file = crate::formats::http_file::parse("export.http", "").map_err(|e| e.message)?;
    file.append(None, &safe, std::path::Path::new(""))
        .map_err(|e| e.message)?;
    Ok(file.write())
}

/// The comment lines a program starts with, each after `marker`.
fn comments(r: &Request, marker: &str) -> String {
    r.notes.iter().map(|n| format!("{marker} {n}\n")).collect()
}
