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
    key_restricted_by_policy(case, out);
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
