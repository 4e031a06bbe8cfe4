//! `--spec FILE|URL|auto` for the headless commands: the API's OpenAPI document loaded once,
//! before anything is sent, and the hint that offers it after a 401 when none was given.
//!
//! `auto` looks on the request's own origin at the usual paths (`spec::DISCOVERY_PATHS`); it
//! sends requests, without credentials, so it runs only when the user asks for it.

use super::{CliError, print};
use crate::send::{self, InputError, document};
use crate::spec::Spec;
use std::sync::Arc;

/// The word that asks for discovery instead of naming a document.
pub const AUTO: &str = "auto";

/// The spec `--spec` names, or `None` without the flag. A document that cannot be read is
/// bad input naming it; `auto` that finds nothing is a warning, and the command goes on.
pub fn load(
    command: &str,
    source: Option<&str>,
    request_url: Option<&str>,
    options: &send::Options,
    runtime: &tokio::runtime::Runtime,
) -> Result<Option<Arc<Spec>>, CliError> {
    let Some(source) = source.map(str::trim) else {
        return Ok(None);
    };
    if source.eq_ignore_ascii_case(AUTO) {
        let Some(url) = request_url else {
            return Err(InputError::new(
                "--spec auto",
                "looks on the request's origin, and this command sends no request: give a file or URL",
            )
            .into());
        };
        return Ok(discover(command, url, options, runtime));
    }
    match runtime.block_on(document::load_spec(source, options)) {
        Ok(spec) => Ok(Some(Arc::new(spec))),
        Err(e) => Err(InputError::new(
            format!("--spec {}", crate::secret::masked_url_text(&e.source_name)),
            e.message,
        )
        .into()),
    }
}

fn discover(
    command: &str,
    url: &str,
    options: &send::Options,
    runtime: &tokio::runtime::Runtime,
) -> Option<Arc<Spec>> {
    let found = runtime.block_on(document::discover(url, options));
    match found.found {
        Some((at, spec)) => {
            print::errln(&format!(
                "authlens {command}: spec: {} ({}, {} operations); pass --spec {} next time",
                crate::secret::masked_url_text(&at),
                spec.title.as_deref().unwrap_or("untitled"),
                spec.operation_count(),
                crate::secret::masked_url_text(&at),
            ));
            Some(Arc::new(spec))
        }
        None => {
            print::errln(&format!(
                "authlens {command}: warning: --spec auto found no OpenAPI document: {}; going on without one",
                tried_text(&found.tried)
            ));
            None
        }
    }
}

/// "tried http://h/openapi.json, http://h/swagger.json (each: the server answered 404 Not
/// Found, not a document)", or each URL with its own outcome when they differ.
fn tried_text(tried: &[document::Tried]) -> String {
    let url = |t: &document::Tried| crate::secret::masked_url_text(&t.url);
    match tried.first() {
        Some(first) if tried.iter().all(|t| t.outcome == first.outcome) => format!(
            "tried {} (each: {})",
            tried.iter().map(url).collect::<Vec<_>>().join(", "),
            first.outcome
        ),
        _ => tried
            .iter()
            .map(|t| format!("{} ({})", url(t), t.outcome))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// After an authentication failure with no spec loaded: where the API's own word could come
/// from, and that looking sends requests (so it is the user's call).
pub fn hint(command: &str, url: &str) {
    let Some(origin) = document::origin(url) else {
        return;
    };
    print::errln(&format!(
        "authlens {command}: hint: the API's OpenAPI spec says which slot it reads: --spec FILE|URL, or --spec auto to look on {} ({} — GETs without credentials)",
        crate::secret::masked_url_text(&origin),
        crate::spec::DISCOVERY_PATHS.join(", ")
    ));
}
