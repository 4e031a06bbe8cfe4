//! Group E — the CORS preflight: browsers send `OPTIONS` without credentials (Fetch §4.8), so a
//! server that authenticates `OPTIONS` refuses every cross-origin call before the real request
//! leaves; the console shows a CORS error, and the missing `Authorization` is by design.

use super::case::Case;
use super::cause_id::CauseId;
use super::context::Client;
use super::finding::{Anchor, Finding};

/// Runs the rule, appending its finding.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    cors_preflight_unauthenticated(case, out);
}

/// Is this request a CORS preflight?
pub fn is_preflight(case: &Case) -> bool {
    let options = case.draft.method.trim().eq_ignore_ascii_case("OPTIONS");
    let asks = case
        .headers_named("access-control-request-method")
        .next()
        .is_some()
        || case.headers_named("origin").next().is_some()
        || case.ctx.client == Client::BrowserFetch;
    options && asks
}

fn cors_preflight_unauthenticated(case: &Case, out: &mut Vec<Finding>) {
    let Some(r) = case
        .response
        .as_ref()
        .filter(|r| matches!(r.status, 401 | 403))
    else {
        return;
    };
    if !is_preflight(case) {
        return;
    }
    out.push(case.finding(
        CauseId::CorsPreflightUnauthenticated,
        Anchor::ResponseStatus,
        format!("This is the browser's CORS preflight (`OPTIONS`), which never carries credentials, and the server answered {}. The real request is never sent; the browser reports a CORS error. Let `OPTIONS` through before authentication (CORS middleware first, `permitAll` for OPTIONS) and allow `Authorization` in Access-Control-Allow-Headers.", r.status),
        format!("OPTIONS → HTTP {}", r.status),
    ));
}
