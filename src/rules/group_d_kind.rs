//! Group D — a real credential of the wrong kind: a Stripe object id or client secret where the
//! secret key belongs, a feed token where an API token is needed, a retired key type, an account
//! password where a token is required; and a valid key whose restrictions refuse this caller.
//!
//! Both are mostly told by the server's words (`messages`), and by prefixes the provider
//! documents for things that are not API keys (table below).

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, Finding};
use super::messages::Meaning;
use super::providers::ProviderId;
use super::text::shown;

/// Runs both rules, appending their findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    token_type_wrong_for_api(case, out);
    if !out.iter().any(|f| f.id == CauseId::TokenTypeWrongForApi) {
        variable_of_another_kind(case, out);
    }
    if !out.iter().any(|f| f.id == CauseId::TokenTypeWrongForApi) {
        ci_job_token_elsewhere(case, out);
    }
    key_restricted_by_policy(case, out);
}

/// The words of a header or variable name that say which credential it is: `X-Postmark-
/// Server-Token` → {postmark, server}; the generic words every credential name has are left out.
fn name_words(name: &str) -> Vec<String> {
    const GENERIC: [&str; 9] = [
        "x", "api", "key", "token", "auth", "access", "secret", "header", "id",
    ];
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|w| !w.is_empty() && !GENERIC.contains(&w.as_str()))
        .collect()
}

/// GitLab's `CI_JOB_TOKEN` sent as a Bearer or private token: a job token goes in `JOB-TOKEN`
/// and reaches only the endpoints job tokens may use (Nikita-Filonov/ai-review#51: merge
/// request discussions). The value equal to the job's `CI_JOB_TOKEN` is the proof.
fn ci_job_token_elsewhere(case: &Case, out: &mut Vec<Finding>) {
    let Some(job) = case.vars.get("CI_JOB_TOKEN").map(|b| b.value.trim()) else {
        return;
    };
    let Some(cred) = case.creds.iter().find(|c| {
        c.is_header() && !job.is_empty() && c.value.trim() == job && !c.goes_by("JOB-TOKEN")
    }) else {
        return;
    };
    out.push(case.finding(
        CauseId::TokenTypeWrongForApi,
        cred.anchor.clone(),
        format!("`{}` carries the CI job token (the value of CI_JOB_TOKEN). A job token goes in the `JOB-TOKEN` header and opens only the endpoints job tokens may use; for anything else use a project or personal access token in `PRIVATE-TOKEN` or `Authorization: Bearer`.", cred.label()),
        format!("{} = CI_JOB_TOKEN", cred.label()),
    ));
}

/// `X-Postmark-Server-Token: ${POSTMARK_ACCOUNT_TOKEN}` while `POSTMARK_SERVER_TOKEN` is set:
/// the header's own words name another variable than the one sent, so a credential of
/// another kind went into the slot (PipedreamHQ/pipedream: an account token as server token).
fn variable_of_another_kind(case: &Case, out: &mut Vec<Finding>) {
    if !super::response::is_auth_failure(case) {
        return;
    }
    for cred in case.creds.iter().filter(|c| c.is_header()) {
        let Some(sent) = cred.var.as_deref() else {
            continue;
        };
        let wanted = name_words(&cred.name);
        let covers = |var: &str| {
            let have = name_words(var);
            wanted.iter().all(|w| have.contains(w))
        };
        if wanted.is_empty() || covers(sent) {
            continue;
        }
        let sent_value = case.vars.get(sent).map(|b| b.value.trim());
        let Some(better) = case.vars.bindings.iter().find(|(name, b)| {
            name.as_str() != sent
                && covers(name)
                && crate::secret::is_credential_name(name)
                && !b.value.trim().is_empty()
                && Some(b.value.trim()) != sent_value
        }) else {
            continue;
        };
        out.push(case.finding(
            CauseId::TokenTypeWrongForApi,
            cred.anchor.clone(),
            format!("`{}` carries {sent}, but {} is set too and is the one the header's name asks for: a credential of another kind went into this slot. Send {} here.", cred.label(), better.0, better.0),
            format!("{} ← {sent}; {} is set", cred.label(), better.0),
        ));
        return;
    }
}

/// Prefixes a provider documents for values that are not API credentials (or no longer are).
const NOT_KEYS: [(ProviderId, &str, &str); 13] = [
    (ProviderId::Stripe, "tok_", "a card token from Stripe.js"),
    (ProviderId::Stripe, "pm_", "a PaymentMethod id"),
    (
        ProviderId::Stripe,
        "pi_",
        "a PaymentIntent id or client secret",
    ),
    (
        ProviderId::Stripe,
        "seti_",
        "a SetupIntent id or client secret",
    ),
    (ProviderId::Stripe, "cus_", "a Customer id"),
    (ProviderId::Stripe, "src_", "a Source id"),
    (ProviderId::Stripe, "acct_", "an account id"),
    (ProviderId::Stripe, "ch_", "a Charge id"),
    (
        ProviderId::GitHub,
        "ghr_",
        "a refresh token (exchange it for an access token)",
    ),
    (
        ProviderId::GitLab,
        "glft-",
        "a feed token (it only opens RSS and calendar feeds)",
    ),
    (ProviderId::GitLab, "glrt-", "a runner authentication token"),
    (
        ProviderId::Airtable,
        "key",
        "a legacy Airtable API key (retired on 2024-02-01; use a personal access token, pat…)",
    ),
    (
        ProviderId::Airtable,
        "sec",
        "a webhook or OAuth client secret",
    ),
];

/// What kind of non-key this value is at this provider, if its prefix says so.
fn not_a_key(case: &Case, value: &str) -> Option<&'static str> {
    let p = case.provider?;
    NOT_KEYS
        .iter()
        .find(|(id, prefix, _)| *id == p.id && value.starts_with(prefix))
        .map(|(_, _, what)| *what)
}

const JWE: &str = "an encrypted token (JWE: its header names `enc`), which only its issuer can read; an API validating signed JWTs needs an access token requested for its audience";

/// Five dot-separated parts whose header names a content encryption (`enc`): a JWE.
fn is_jwe(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 5 && super::jwt::decode_header(parts[0]).is_some_and(|h| h.get("enc").is_some())
}

/// Auth0 answers an authorize request that names no `audience` with an encrypted access
/// token for its own `/userinfo`: a JWE whose header carries Auth0's `iss`. The API can
/// neither read nor accept it — the audience is what is wrong (Xabaril/Esquio#202).
fn auth0_userinfo_jwe(case: &Case, cred: &super::case::Cred) -> Option<Finding> {
    let value = cred.value.trim();
    if !is_jwe(value) {
        return None;
    }
    let header = super::jwt::decode_header(value.split('.').next()?)?;
    let iss = header.get("iss")?.as_str()?;
    let host = crate::url_text::Url::parse(iss)?.host;
    if !(host.ends_with(".auth0.com") || host == "auth0.com") {
        return None;
    }
    Some(case.finding(
        CauseId::JwtAudienceOrIssuerMismatch,
        cred.anchor.clone(),
        format!("The token is an encrypted Auth0 token (JWE, issuer {iss}): Auth0 issues one for its own /userinfo audience when the authorize or token request names no `audience`. The API cannot read it. Request the token with the API's identifier as `audience`."),
        format!("JWE header: enc {}, iss {iss}", header.get("enc").and_then(|e| e.as_str()).unwrap_or("?")),
    ))
}

fn is_oauth_token(value: &str) -> bool {
    value.starts_with("ya29.") || super::jwt::looks_like_jwt(value)
}

/// A token of the wrong type for the endpoint (Stripe's publishable-key case keeps its own id).
fn token_type_wrong_for_api(case: &Case, out: &mut Vec<Finding>) {
    let said = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::WrongTokenType));
    for cred in case.creds.iter().filter(|c| !c.value.trim().is_empty()) {
        let value = cred.value.trim();
        // Both are true of it: the wrong kind of token (encrypted), asked for the wrong audience.
        if let Some(f) = auth0_userinfo_jwe(case, cred) {
            out.push(f);
        }
        // `Basic base64(user:password)`: the key is the user part (Stripe) or the password
        // (an empty user, OpenAI), so judge the decoded parts, not the base64 text.
        let basic = cred.basic_parts();
        let what = not_a_key(case, value)
            .or_else(|| basic.iter().find_map(|p| not_a_key(case, p)))
            .or_else(|| is_jwe(value).then_some(JWE));
        // "Expected OAuth 2 access token" after an OAuth token means that token is bad, not
        // that it is the wrong kind.
        let said = said.filter(|s| !(s.needle.contains("oauth") && is_oauth_token(value)));
        let why = match (what, said) {
            (Some(w), _) => format!("the value is {w}, not an API credential"),
            (None, Some(s)) => format!(
                "{} refuses this kind of credential here",
                super::response::describe(s)
            ),
            _ => continue,
        };
        let f = case.finding(
            CauseId::TokenTypeWrongForApi,
            cred.anchor.clone(),
            format!("The credential in {} is of the wrong type for this API: {why}. Use the credential type the endpoint documents (a secret API key, a personal access token, an OAuth access token, a bot token); do not rotate anything.", cred.label()),
            shown(&cred.value),
        );
        out.push(match said {
            Some(s) => case.said_by(f, s),
            None => f,
        });
        return;
    }
}

/// Google `API_KEY_HTTP_REFERRER_BLOCKED`, `API_KEY_SERVICE_BLOCKED`, an IP allow-list…
fn key_restricted_by_policy(case: &Case, out: &mut Vec<Finding>) {
    let Some(said) = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::KeyRestricted))
    else {
        return;
    };
    let anchor = case
        .creds
        .first()
        .map_or(Anchor::ResponseBody, |c| c.anchor.clone());
    let referer = case.headers_named("referer").next().is_none();
    let f = case.finding(
        CauseId::KeyRestrictedByPolicy,
        anchor,
        format!("The key is known but its restrictions refuse this request ({}).{} Edit the key's allowed referrers, IPs or APIs, or use a separate key restricted for server use. Do not rotate the key.", super::response::describe(said), if referer { " The request carries no Referer, so a key restricted to websites is refused from a server or a script." } else { "" }),
        super::response::describe(said),
    );
    out.push(case.said_by(f, said));
}
