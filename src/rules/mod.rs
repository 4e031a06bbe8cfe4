//! The rules engine: why did this request get 401? One rule per cause of `docs/catalogue.md`,
//! grouped A–H in their own files, all pure functions of the draft, its variables (with
//! provenance), what was observed, and the context (clock injected).
//!
//! `lint` runs before sending (on every keystroke in the TUI), `diagnose*` when a response
//! arrives. Both end in `finish`: cause-specific suppressions the catalogue asks for, the
//! residual (`token-revoked-or-invalid` on the server's word, else `no-specific-cause`), ordering by severity then place, one finding per cause.

mod anchor;
mod anchor_read;
pub mod as_program;
pub(crate) mod case;
pub mod catalogue;
pub mod cause_id;
pub(crate) mod context;
pub(crate) mod credentials;
pub mod explain;
pub(crate) mod finding;
pub(crate) mod from_file;
pub(crate) mod input;
pub mod jwt;
mod loader_compose;
mod loader_node;
pub mod loaders;
pub(crate) mod messages;
pub(crate) mod providers;
pub(crate) mod response;
pub(crate) mod text;
pub mod vocabulary;
pub mod www_authenticate;

mod group_a_env;
mod group_b_shell;
mod group_b_value;
mod group_c_header;
mod group_d_kind;
mod group_d_provider;
mod group_e_cors;
mod group_e_tls;
mod group_e_transport;
mod group_f_clock;
mod group_f_lifecycle;
mod group_f_session;
mod group_g_server;
mod group_h_spec;
mod residual;

pub use as_program::AsStack;
pub use cause_id::CauseId;
pub use context::{Client, Context, Intermediary};
pub use finding::{Anchor, Confidence, Edit, EvidenceKind, Finding, Fix, RowRef, Severity};
pub use input::{CookieHop, Observed, ObservedResponse, Redirect};
pub use loaders::Loader;

use crate::draft::Draft;
use crate::exchange::Exchange;
use crate::formats::ExchangeFile;
use crate::vars::Vars;
use case::Case;

/// Before sending: what the draft and its variables already tell — and, when `ctx.program`
/// names the user's own stack, what that stack would meet besides (`as_program`).
pub fn lint(draft: &Draft, vars: &Vars, ctx: &Context) -> Vec<Finding> {
    let mut out = run(&Case::new(draft, vars, ctx, None));
    let predicted = as_program::predict(draft, vars, None, ctx, &out);
    out.extend(predicted);
    out
}

/// After a response (and its redirect chain) arrived: lint plus response findings, and the
/// predictions for the user's own stack as `lint` makes them.
pub fn diagnose(draft: &Draft, vars: &Vars, observed: &Observed, ctx: &Context) -> Vec<Finding> {
    let mut out = run(&Case::new(draft, vars, ctx, Some(observed)));
    let predicted = as_program::predict(draft, vars, Some(observed), ctx, &out);
    out.extend(predicted);
    out
}

/// After a live send: each hop's wire headers say what the client really carried.
pub fn diagnose_exchange(
    draft: &Draft,
    vars: &Vars,
    exchange: &Exchange,
    ctx: &Context,
) -> Vec<Finding> {
    diagnose(draft, vars, &input::observed_from_exchange(exchange), ctx)
}

/// What the user's program (`ctx.program`) would meet beyond `own`, authlens's diagnosis of
/// the same exchange: for a send whose diagnosis was made before the setting changed.
pub fn predict_exchange(
    draft: &Draft,
    vars: &Vars,
    exchange: &Exchange,
    ctx: &Context,
    own: &[Finding],
) -> Vec<Finding> {
    let observed = input::observed_from_exchange(exchange);
    as_program::predict(draft, vars, Some(&observed), ctx, own)
}

/// A recorded exchange file (a scenario, a saved send, a converted HAR entry).
pub fn diagnose_file(file: &ExchangeFile) -> Vec<Finding> {
    diagnose_file_as(file, &AsStack::default())
}

/// A recorded exchange file with its program's client or loader replaced by `stack`'s
/// (`diagnose --as-client/--as-loader`): the file is judged as if its context had named them.
pub fn diagnose_file_as(file: &ExchangeFile, stack: &AsStack) -> Vec<Finding> {
    diagnose_file_with(file, stack, None)
}

/// As [`diagnose_file_as`], judged against `spec` (`--spec`) instead of any spec the file
/// carries (`context.openapi`).
pub fn diagnose_file_with(
    file: &ExchangeFile,
    stack: &AsStack,
    spec: Option<&std::sync::Arc<crate::spec::Spec>>,
) -> Vec<Finding> {
    let mut i = from_file::from_file_as(file, stack);
    if let Some(spec) = spec {
        i.context.spec = Some(spec.clone());
    }
    if file.response.is_none() && file.exchange.is_none() {
        return lint(&i.draft, &i.vars, &i.context);
    }
    diagnose(&i.draft, &i.vars, &i.observed, &i.context)
}

fn run(case: &Case) -> Vec<Finding> {
    let mut out = Vec::new();
    group_a_env::run(case, &mut out);
    group_b_value::run(case, &mut out);
    group_b_shell::run(case, &mut out);
    group_c_header::run(case, &mut out);
    group_d_provider::run(case, &mut out);
    group_d_kind::run(case, &mut out);
    group_e_transport::run(case, &mut out);
    group_e_cors::run(case, &mut out);
    group_e_tls::run(case, &mut out);
    group_f_lifecycle::run(case, &mut out);
    group_f_clock::run(case, &mut out);
    group_f_session::run(case, &mut out);
    group_g_server::run(case, &mut out);
    group_h_spec::run(case, &mut out);
    finish(case, out)
}

fn has(findings: &[Finding], id: CauseId) -> bool {
    findings.iter().any(|f| f.id == id)
}

/// Suppressions, the residual cause, then order and de-duplicate.
fn finish(case: &Case, mut out: Vec<Finding>) -> Vec<Finding> {
    // Rule 4: when .netrc replaced the header, judge nothing about the replaced value.
    if has(&out, CauseId::NetrcOverridesAuthorization) {
        // …nor that nothing was sent: the client added the `.netrc` credentials.
        out.retain(|f| {
            !group_c_header::about_authorization_syntax(f.id)
                && f.id != CauseId::ApiKeySentAsBearer
                && f.id != CauseId::AuthHeaderMissing
        });
    }
    // The API's own spec decides the slot; the provider tables' guesses fold into it.
    group_h_spec::fold(case, &mut out);
    // A 403 shaped as authorization: the credential was accepted, so no format or validity
    // causes (a bare 403 without such a shape is reported, but proves nothing) — except a
    // missing scope, which is what such a 403 means.
    if response::forbidden_shape(case).is_some() {
        out.retain(|f| {
            f.severity == Severity::Info
                || STILL_TRUE_WHEN_ACCEPTED.contains(&f.id)
                || f.id == CauseId::SpecScopeMissing
        });
    }
    // A real success: nothing "will fail or has failed" (catalogue severity `error`).
    if response::is_success(case) {
        out.retain(|f| f.severity != Severity::Error);
    }
    drop_superseded(&mut out);
    // A finding that the credential is wrong contradicts one that says it is fine.
    let wrong_credential = out
        .iter()
        .any(|f| f.severity == Severity::Error && !STILL_TRUE_WHEN_ACCEPTED.contains(&f.id));
    if wrong_credential && response::forbidden_shape(case).is_none() {
        out.retain(|f| f.id != CauseId::ForbiddenAuthorizationNotAuthentication);
    }
    // The server's words first: the residual asks which findings they already prove.
    residual::attach_server_words(case, &mut out);
    if let Some(f) = residual::residual(case, &out) {
        out.push(f);
    }
    // The auth helper's header has no table row a fix could edit.
    for f in &mut out {
        if f.fix.as_ref().is_some_and(Fix::touches_helper) {
            f.fix = None;
        }
    }
    out.sort_by(|a, b| {
        // `CauseId`'s order is the catalogue's.
        (a.severity, &a.anchor, a.id).cmp(&(b.severity, &b.anchor, b.id))
    });
    let mut seen = Vec::new();
    out.retain(|f| {
        let new = !seen.contains(&f.id);
        seen.push(f.id);
        new
    });
    out
}

/// Pairs where the first, more specific finding makes the second redundant or misleading.
const SUPERSEDES: [(CauseId, CauseId); 9] = [
    // A preflight never carries credentials, by design.
    (
        CauseId::CorsPreflightUnauthenticated,
        CauseId::AuthHeaderMissing,
    ),
    (CauseId::TokenTypeWrongForApi, CauseId::TokenInQueryString),
    // A scheme word cannot make a credential of the wrong type acceptable.
    (CauseId::TokenTypeWrongForApi, CauseId::BearerSchemeMissing),
    // Where the key travels is beside the point when its restrictions refuse the caller.
    (CauseId::KeyRestrictedByPolicy, CauseId::TokenInQueryString),
    // A 407 comes from a forward proxy: the API never saw the request, so whether it needs a
    // credential is unknown (npm/npm#16811: a public registry GET behind an authenticating proxy).
    (CauseId::ProxyAuthRequired407, CauseId::AuthHeaderMissing),
    // "No credential at all" says less than "the key went out empty because its variable was
    // only in .env", which names the slot and the variable.
    (CauseId::EnvVarMissing, CauseId::AuthHeaderMissing),
    // Google's "Expected OAuth 2 access token" after a key sent as Bearer (alone, or beside
    // the right key header) is about the slot, not the key's type.
    (CauseId::ApiKeySentAsBearer, CauseId::TokenTypeWrongForApi),
    (
        CauseId::CredentialSentMultipleWays,
        CauseId::TokenTypeWrongForApi,
    ),
    // "Authenticated but not allowed … the credential itself is fine" is wrong when the
    // server refused the credential's kind (Twilio test credentials on the Fax API).
    (
        CauseId::TokenTypeWrongForApi,
        CauseId::ForbiddenAuthorizationNotAuthentication,
    ),
];

fn drop_superseded(out: &mut Vec<Finding>) {
    for (winner, loser) in SUPERSEDES {
        if has(out, winner) {
            out.retain(|f| f.id != loser);
        }
    }
}

/// Findings that stay true even when the server accepted the credential.
const STILL_TRUE_WHEN_ACCEPTED: [CauseId; 4] = [
    CauseId::TokenInQueryString,
    CauseId::CustomKeyHeaderLeakedOnRedirect,
    CauseId::RedirectHttpsDowngrade,
    CauseId::HeaderNameUnderscore,
];
