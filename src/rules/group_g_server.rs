//! Group G — the server side and reading the response: a dev server whose own inbound key is
//! unset, authentication failures with a non-401 status, and 403s that are authorization.

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, Finding};
use super::jwt;
use super::messages::Meaning;
use super::response::{forbidden_shape, is_auth_failure, is_success, non_401_auth_shape};
use std::collections::BTreeMap;

/// Runs every group-G rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    server_expected_key_unset(case, out);
    auth_failure_non_401_status(case, out);
    forbidden_authorization_not_authentication(case, out);
}

/// Conventional names of a server's inbound key when nothing more specific is known.
const CONVENTIONAL_KEYS: [&str; 3] = ["API_KEY", "API_TOKEN", "AUTH_TOKEN"];

/// The variable the server compares inbound credentials with, and whether it is enforced
/// (`Some(true)`: `*_REQUIRED=true`; `Some(false)`: `*_REQUIRED=false`; `None`: unknown).
fn inbound_key(case: &Case, env: &BTreeMap<String, String>) -> Option<(String, Option<bool>)> {
    if let Some(pattern) = case.ctx.server_key_vars.first() {
        if let Some(prefix) = pattern.strip_suffix('*') {
            let name = env
                .keys()
                .find(|k| k.starts_with(prefix) && !k.ends_with("_REQUIRED"))
                .cloned();
            return Some((name.unwrap_or_else(|| pattern.clone()), None));
        }
        return Some((pattern.clone(), None));
    }
    let flag = env.iter().find(|(k, _)| k.ends_with("_REQUIRED"));
    if let Some((k, v)) = flag {
        let key = k.trim_end_matches("_REQUIRED").to_string();
        let on = matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on"
        );
        return Some((key, Some(on)));
    }
    // None of them is set at all: the conventional `API_KEY` is the one missing.
    let name = CONVENTIONAL_KEYS.iter().find(|k| env.contains_key(**k));
    Some((name.unwrap_or(&CONVENTIONAL_KEYS[0]).to_string(), None))
}

/// The server's `API_KEY` is empty, so `if not API_KEY or key != API_KEY` refuses everyone.
fn server_expected_key_unset(case: &Case, out: &mut Vec<Finding>) {
    let Some(env) = &case.ctx.server_env else {
        return;
    };
    let Some((name, required)) = inbound_key(case, env) else {
        return;
    };
    if env.get(&name).is_some_and(|v| !v.trim().is_empty()) {
        return;
    }
    let sent_credential = case.sent_credential();
    let enforced = match required {
        Some(on) => on && !is_success(case),
        None => is_auth_failure(case) && sent_credential,
    };
    if !enforced {
        return;
    }
    let f = case.finding(
        CauseId::ServerExpectedKeyUnset,
        Anchor::ResponseStatus,
        format!("The server's own {name} is {} while it enforces a key, so it compares every request against nothing (or the literal \"None\") and refuses even a correct key. Set the server-side key and restart, or make the server fail fast at startup when it is missing.", if env.contains_key(&name) { "empty" } else { "unset" }),
        format!("server env {name} = \"\""),
    );
    out.push(f);
}

/// FastAPI < 0.122's 403, API Gateway's 403, Google's 400, Slack's 200 `ok:false`…
fn auth_failure_non_401_status(case: &Case, out: &mut Vec<Finding>) {
    let Some(shape) = non_401_auth_shape(case).or_else(|| dead_token_refused(case, out)) else {
        return;
    };
    let f = case.finding(
        CauseId::AuthFailureNon401Status,
        Anchor::ResponseStatus,
        format!("This is an authentication failure although the status is not 401: {shape}. Treat it as a 401 and look at the other findings for the cause."),
        shape.clone(),
    );
    out.push(f);
}

/// A 400/403 that says nothing (no forbidden shape, no words) after a token the clock
/// already shows expired or not yet valid: the refusal is that token's, under another status.
fn dead_token_refused(case: &Case, found: &[Finding]) -> Option<String> {
    let r = case.response.as_ref()?;
    let dead = found
        .iter()
        .find(|f| matches!(f.id, CauseId::JwtExpired | CauseId::JwtNotYetValidClockSkew))?;
    let silent = r.text.trim().is_empty() && r.said.is_empty();
    (matches!(r.status, 400 | 403) && silent && forbidden_shape(case).is_none()).then(|| {
        format!(
            "HTTP {} with an empty body after a token that is {}",
            r.status,
            if dead.id == CauseId::JwtExpired {
                "expired"
            } else {
                "not yet valid"
            }
        )
    })
}

/// 403 with `insufficient_scope`, a permission error, or a policy block: the credential is fine.
fn forbidden_authorization_not_authentication(case: &Case, out: &mut Vec<Finding>) {
    let Some(r) = &case.response else { return };
    let shape = forbidden_shape(case).or_else(|| {
        // "Can only be accessed over HTTPS": the 403 is about the transport, not permission.
        let plain_http = r.says(Meaning::PlainHttp);
        (r.status == 403
            && case.sent_credential()
            && !plain_http
            && non_401_auth_shape(case).is_none())
        .then(|| {
            "403 after credentials were sent, with no sign they were missing or invalid".to_string()
        })
    });
    let Some(shape) = shape else { return };
    let scopes = scope_comparison(case);
    let f = case.finding(
        CauseId::ForbiddenAuthorizationNotAuthentication,
        Anchor::ResponseStatus,
        format!("403 here means \"authenticated but not allowed\" (or a routing or policy block), not bad credentials: {shape}.{scopes} Grant the scope or permission, fix the path or method, or address the block; the credential itself is fine."),
        shape.clone(),
    );
    out.push(f);
}

/// " The token grants `read:users`; the server asks for `admin:users`." (RFC 6750 §3 `scope`).
fn scope_comparison(case: &Case) -> String {
    let wanted = case
        .response
        .as_ref()
        .and_then(|r| r.challenges.iter().find_map(|c| c.param("scope")));
    let granted = case
        .creds
        .iter()
        .find_map(|c| jwt::decode(&c.value))
        .map(|j| j.scopes().join(" "))
        .filter(|s| !s.is_empty());
    match (granted, wanted) {
        (Some(g), Some(w)) => format!(" The token grants `{g}`; the server asks for `{w}`."),
        (None, Some(w)) => format!(" The server asks for the scope `{w}`."),
        _ => String::new(),
    }
}
