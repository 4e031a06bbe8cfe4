//! Export as code: a draft written as a program of another client — curl, HTTPie, Python,
//! JavaScript, Rust or a `.http` block — that sends the same request authlens sends.
//!
//! Credentials never appear in the code. A `${NAME}` reference becomes a lookup of `NAME` in
//! the environment of the code's language; a secret typed literally becomes a lookup of the
//! `AUTHLENS_UNSAVED_…` name the trust rule (`vars::scrub`) gives it, which nothing sets, so the
//! code cannot quietly send some other key — a comment in the code says what to set.
//!
//! The request's settings (timeout, redirects, TLS trust, client certificate, proxy) go along
//! as far as each client takes them; one it cannot take is a comment saying what to do, never
//! dropped, and a skipped certificate check is said on a comment line above it.

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
    let block = file.write();
    // The directives are the `.http` writer's; the loud line goes right above `# @insecure`,
    // the first line of the block that can be it (directives come before the request line).
    Ok(match block.find("# @insecure\n") {
        Some(at) if draft.settings.insecure => {
            format!("{}# {NOT_VERIFIED}\n{}", &block[..at], &block[at..])
        }
        _ => block,
    })
}

/// The comment lines a program starts with, each after `marker`.
fn comments(r: &Request, marker: &str) -> String {
    r.notes.iter().map(|n| format!("{marker} {n}\n")).collect()
}

/// Said above a skipped certificate check in every target, as authlens marks it in its views.
const NOT_VERIFIED: &str = "TLS NOT VERIFIED: the server's certificate is not checked, so anyone on the way can read or change this request.";

/// Seconds as a user types them (`2.5`, `30`), for clients that take seconds.
fn seconds(ms: u64) -> String {
    let s = format!("{:.3}", ms as f64 / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Where the request goes out, as the settings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proxy<'a> {
    /// As the `*_PROXY` variables say: nothing to write.
    FromEnv,
    /// Directly, whatever the variables say (`none`).
    Off,
    Url(&'a str),
}

fn proxy(s: &crate::draft::Settings) -> Proxy<'_> {
    match s.proxy.as_deref() {
        None => Proxy::FromEnv,
        // As the `.http` writer reads it: `none` or an empty value ignores the variables.
        Some(p) if p.is_empty() || p.eq_ignore_ascii_case("none") => Proxy::Off,
        Some(p) => Proxy::Url(p),
    }
}
