//! What is left when the rules are done: `token-revoked-or-invalid` when the server's own words
//! say the credential is invalid, revoked or unknown, else `no-specific-cause`, which says what
//! was checked and what to check next. Also where the server's words are attached to the
//! findings they prove, so a finding says whether it was inferred or said.
//!
//! Evidence from the server outranks inference: "rotate your key" is advice only the server's
//! words can justify; a bare 401, a `Basic` challenge or a bare 403 cannot.

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, Confidence, EvidenceKind, Finding, Severity};
use super::messages::{Meaning, Signal};
use super::providers::{Provider, key_shape};
use super::response::{self, Resp};

/// Does this finding explain why a server refused the credential? The response classifiers
/// do not, nor do warnings about leaks (a query-string key the API accepts, a key header
/// forwarded on a redirect) or a `.env` error on a line this request does not use.
pub fn explains_rejection(f: &Finding) -> bool {
    let leak_only = f.severity == Severity::Warning
        && matches!(
            f.id,
            CauseId::TokenInQueryString
                | CauseId::CustomKeyHeaderLeakedOnRedirect
                | CauseId::DotenvParseErrorIgnored
        );
    !leak_only
        && f.severity != Severity::Info
        && f.id != CauseId::AuthFailureNon401Status
        && f.id != CauseId::ForbiddenAuthorizationNotAuthentication
}

/// The residual finding for this case, if the response was an authentication failure that
/// nothing else explains.
pub fn residual(case: &Case, found: &[Finding]) -> Option<Finding> {
    let r = case.response.as_ref()?;
    let failed = matches!(r.status, 401 | 403) || response::is_auth_failure(case);
    if !failed || r.status == 407 || response::is_success(case) {
        return None;
    }
    // A 403 the server itself called a matter of permission (`insufficient_scope`, "not
    // allowed") is explained by those words: nothing is left for a residual to say.
    let permission_said = found.iter().any(|f| {
        f.id == CauseId::ForbiddenAuthorizationNotAuthentication
            && f.confidence == Confidence::ServerSaid
    });
    if permission_said || found.iter().any(explains_rejection) {
        return None;
    }
    let cred = case.creds.iter().find(|c| !c.value.trim().is_empty());
    // "The signature key was not found" beside `invalid_token`: the token is fine as issued,
    // the server does not trust its issuer's key, so no "rotate your key".
    let invalid = r
        .signal(Meaning::Invalid)
        .filter(|_| !r.says(Meaning::UnknownSigningKey));
    match (cred, invalid, foreign_value(case)) {
        (Some(c), Some(said), None)
            if !has(found, CauseId::ForbiddenAuthorizationNotAuthentication) =>
        {
            Some(revoked(case, c.anchor.clone(), said))
        }
        _ => Some(no_specific_cause(case, r, found)),
    }
}

fn has(found: &[Finding], id: CauseId) -> bool {
    found.iter().any(|f| f.id == id)
}

/// The credential begins like none of the provider's keys (and is no token): it is something
/// else pasted in the key's place, so "rotate the key" is the wrong advice.
fn foreign_value(case: &Case) -> Option<(&'static Provider, String)> {
    let p = case.provider.filter(|p| !p.key_prefixes.is_empty())?;
    let cred = case.creds.iter().find(|c| !c.value.trim().is_empty())?;
    let v = cred.value.trim();
    let known = p.key_prefixes.iter().any(|k| v.starts_with(k))
        || super::jwt::looks_like_jwt(v)
        || key_shape(v).is_some();
    (!known).then(|| (p, cred.value.clone()))
}

fn revoked(case: &Case, anchor: Anchor, said: &'static Signal) -> Finding {
    let who = case.provider.map_or("the API", |p| p.name());
    let f = case.finding(
        CauseId::TokenRevokedOrInvalid,
        anchor,
        format!("The credential is well-formed and sent where {who} expects it, and the server says it is not valid ({}). It is revoked, expired, rotated or belongs to another project, org or workspace. Generate or rotate a key and check where it belongs.", response::describe(said)),
        response::describe(said),
    );
    case.said_by(f, said)
}

/// What was looked at, so "nothing found" is a statement, not a shrug.
fn checked(case: &Case) -> String {
    let vars = case.referenced_vars();
    let mut parts = Vec::new();
    if !vars.is_empty() {
        let names: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
        parts.push(format!(
            "{} set and non-empty ({})",
            names.join(", "),
            case.ctx.loader.name()
        ));
    }
    parts.push("the credential's bytes (no blanks, control or invisible characters, not masked, not a placeholder or a variable name)".into());
    parts.push(match case.provider {
        Some(p) => format!("the scheme and header {} documents", p.name()),
        None => "the scheme and header syntax".into(),
    });
    let hops = case.observed.map_or(0, |o| o.redirects.len());
    if hops > 0 {
        parts.push(format!("{hops} redirect hop(s) for stripped headers"));
    }
    if case.ctx.now.is_some() {
        parts.push("token times against the clock".into());
    }
    parts.join("; ")
}

/// What to check next, most likely first, for this provider, status and what was said.
fn next_steps(case: &Case, r: &Resp, said: Option<&Signal>) -> Vec<String> {
    let mut steps = Vec::new();
    if let Some((p, value)) = foreign_value(case) {
        steps.push(format!(
            "that the value is the key itself: it does not begin like a {} key ({}…), so a URL, a password or a key id may have been pasted in its place ({})",
            p.name(),
            p.key_prefixes.join("… / "),
            super::text::shown(&value)
        ));
    }
    match said.map(|s| s.meaning) {
        Some(Meaning::Account) => steps.push(
            "the account or organization in the provider's dashboard (membership, billing, restrictions): the server refuses the account, not the key's format".into(),
        ),
        Some(Meaning::Signature) => steps.push(
            "the secret key paired with the access key id, the region and service in the signature, and the canonical request (path, query order, signed headers)".into(),
        ),
        Some(Meaning::Invalid) => steps.push(
            "the key byte for byte against the dashboard (regenerate it if it was shown only once)".into(),
        ),
        Some(Meaning::UnknownSigningKey) => steps.push(
            "the token's issuer against the one the API trusts: the server has no key for this token's signature, so it came from another tenant, environment or authorization server (compare `iss` and `kid` with the API's authority and JWKS), or the API's key configuration is wrong".into(),
        ),
        Some(Meaning::PlainHttp) => steps.push(
            "the proxy between you and the API: the request arrived as plain HTTP, which happens when a client sends an `https://` URL to an HTTP proxy without a CONNECT tunnel (old axios with `proxy:`; use an HTTPS proxy agent); the key is not in question".into(),
        ),
        _ => {}
    }
    if r.status == 403 {
        steps.push("the key's permissions or scopes for this endpoint and method, and whether a WAF or IP allow-list refuses the caller".into());
    }
    steps.push("that the key belongs to the same project, organization, workspace and mode (test/live) as the resource".into());
    if let Some(c) = r.challenges.first() {
        let basic = c.scheme.eq_ignore_ascii_case("basic");
        let bearer_sent = case
            .authorization()
            .and_then(|a| a.scheme.as_deref())
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer"));
        if basic && bearer_sent {
            steps.push("the `Basic` challenge: many servers send it by default whatever they accept, so it proves little about the scheme; check the API's documented scheme".into());
        }
    }
    steps.push("what arrives at the server: send the same request with `curl -v` from the same machine, to rule out a proxy or gateway rewriting headers".into());
    steps
}

fn no_specific_cause(case: &Case, r: &Resp, found: &[Finding]) -> Finding {
    let said = r.deciding();
    let words = said.map_or_else(
        || format!("The server answered HTTP {} without words about the credential, which proves neither that it was wrong nor that it was fine.", r.status),
        |s| format!("The server said: \"{}\".", r.quote(s)),
    );
    let steps: Vec<String> = next_steps(case, r, said)
        .into_iter()
        .enumerate()
        .map(|(i, s)| format!("({}) {s}", i + 1))
        .collect();
    let classified = found
        .iter()
        .any(|f| f.id == CauseId::ForbiddenAuthorizationNotAuthentication);
    let mut f = case.finding(
        CauseId::NoSpecificCause,
        Anchor::ResponseStatus,
        format!(
            "No specific cause found{}. Checked and ruled out: {}. {words} Check next, most likely first: {}.",
            if classified { " beyond the 403's own shape" } else { "" },
            checked(case),
            steps.join(" ")
        ),
        said.map_or_else(|| format!("HTTP {}", r.status), |s| format!("HTTP {}; {}", r.status, response::describe(s))),
    );
    f.confidence = Confidence::Possible;
    f.evidence_kind = if said.is_some() {
        EvidenceKind::ServerWords
    } else {
        EvidenceKind::Response
    };
    f.server_words = said.map(|s| r.quote(s));
    f
}

/// The causes a phrase of each meaning proves, when a rule reported them from other evidence.
fn proves(meaning: Meaning) -> &'static [CauseId] {
    use CauseId::*;
    match meaning {
        Meaning::Missing => &[
            EnvVarMissing,
            EnvVarEmpty,
            AuthHeaderMissing,
            CredentialInWrongHeader,
            HeaderNameUnderscore,
            RedirectAuthStrippedCrossOrigin,
            ProxyStripsAuthorization,
            CredentialMangledByShell,
        ],
        Meaning::KeyUndefined => &[EnvVarMissing, EnvVarEmpty, CredentialIsVariableName],
        Meaning::WrongScheme => &[
            BearerSchemeMissing,
            AuthSchemeWrongForApi,
            AuthSchemeSeparatorInvalid,
        ],
        Meaning::Expired => &[JwtExpired],
        Meaning::ClockSkew => &[JwtNotYetValidClockSkew],
        Meaning::RequestSkew => &[RequestClockSkew, JwtNotYetValidClockSkew],
        Meaning::Audience => &[JwtAudienceOrIssuerMismatch],
        Meaning::OrgMismatch => &[OpenAiOrganizationMismatch],
        Meaning::StripeMode | Meaning::Publishable => &[StripeKeyTypeOrModeMismatch],
        Meaning::InvalidGrant => &[RefreshTokenInvalidGrant],
        Meaning::VersionHeader => &[AnthropicVersionMissing],
        Meaning::KeyRestricted => &[KeyRestrictedByPolicy],
        Meaning::WrongTokenType => &[TokenTypeWrongForApi, StripeKeyTypeOrModeMismatch],
        Meaning::Forbidden => &[ForbiddenAuthorizationNotAuthentication],
        Meaning::Invalid => &[TokenRevokedOrInvalid],
        Meaning::MultipleAuth => &[CredentialSentMultipleWays],
        _ => &[],
    }
}

/// Marks each finding the server's words prove as `server-said`, quoting those words.
pub fn attach_server_words(case: &Case, out: &mut [Finding]) {
    let Some(r) = &case.response else { return };
    for f in out.iter_mut() {
        if f.confidence == Confidence::ServerSaid {
            continue;
        }
        let said = r
            .said
            .iter()
            .find(|s| proves(s.meaning).contains(&f.id) && r.signal(s.meaning).is_some());
        if let Some(s) = said {
            f.server_words = Some(r.quote(s));
            f.confidence = Confidence::ServerSaid;
        }
    }
}
