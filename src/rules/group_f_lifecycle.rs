//! Group F — token lifecycle: JWTs that expired, are not valid yet (clock skew), or were
//! issued for another audience or issuer, and a refresh step that failed (`invalid_grant`).
//! `token-revoked-or-invalid` is residual and lives in `mod.rs`, after all other rules.

use super::case::{Case, Cred};
use super::cause_id::CauseId;
use super::finding::{Anchor, Finding};
use super::group_f_clock::leeway;
use super::jwt::{self, Jwt, format_time};
use super::providers::Meaning;
use super::response::is_auth_failure;
use crate::dates::parse_http_date;

/// Runs every group-F rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    let in_cookies = cookie_jwts(case);
    let jwts: Vec<(&Cred, Jwt)> = case
        .creds
        .iter()
        .chain(&in_cookies)
        .filter(|c| jwt::looks_like_jwt(&c.value))
        .filter_map(|c| jwt::decode(&c.value).map(|j| (c, j)))
        .collect();
    for (cred, token) in &jwts {
        jwt_expired(case, cred, token, out);
        jwt_not_yet_valid_clock_skew(case, cred, token, out);
        jwt_audience_or_issuer_mismatch(case, cred, token, out);
    }
    refresh_token_invalid_grant(case, out);
}

/// Session JWTs carried in a `Cookie` header (`__session=eyJ…`, Clerk, Supabase, NextAuth):
/// each becomes a credential of its own, anchored on the cookie, so its times are judged too
/// (clerk/javascript "Clock skew detected … JWT cannot be used prior to not before date").
fn cookie_jwts(case: &Case) -> Vec<Cred> {
    let cookies = case
        .creds
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case("cookie"));
    cookies
        .flat_map(|c| {
            c.value
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .map(|(_, v)| v.trim())
                .filter(|v| jwt::looks_like_jwt(v))
                .map(|v| Cred {
                    value: v.to_string(),
                    ..c.clone()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn ago(seconds: i64) -> String {
    match seconds.abs() {
        s if s >= 7200 => format!("{} h", s / 3600),
        s if s >= 120 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// `exp` + leeway < now (jsonwebtoken `ExpiredSignature`, leeway 60 s).
fn jwt_expired(case: &Case, cred: &Cred, token: &Jwt, out: &mut Vec<Finding>) {
    let Some(exp) = token.exp() else { return };
    let said = case
        .response
        .as_ref()
        .is_some_and(|r| r.says(Meaning::Expired));
    let leeway = leeway(case);
    let expired = case.ctx.now.is_some_and(|now| exp + leeway < now);
    if !(expired || (said && case.ctx.now.is_none())) {
        return;
    }
    let when = case
        .ctx
        .now
        .map_or(String::new(), |now| format!(", {} ago", ago(now - exp)));
    let f = case.finding(
        CauseId::JwtExpired,
        cred.anchor.clone(),
        format!("The token's `exp` is {}{when} (allowing {leeway} s of clock skew). Refresh it (refresh_token grant) or re-authenticate, and refresh before `exp`.", format_time(exp)),
        format!("exp {}", format_time(exp)),
    );
    out.push(f);
}

/// `nbf`/`iat` in the future of the local clock or of the server's `Date`.
fn jwt_not_yet_valid_clock_skew(case: &Case, cred: &Cred, token: &Jwt, out: &mut Vec<Finding>) {
    let server_now = case
        .response
        .as_ref()
        .and_then(|r| r.header("date"))
        .and_then(parse_http_date);
    let leeway = leeway(case);
    let clocks = [
        ("your clock", case.ctx.now),
        ("the server's clock (Date header)", server_now),
    ];
    let early = clocks.iter().find_map(|(who, t)| {
        let t = (*t)?;
        [("nbf", token.nbf()), ("iat", token.iat())]
            .into_iter()
            .find_map(|(claim, v)| v.filter(|v| *v > t + leeway).map(|v| (claim, v, *who, t)))
    });
    let said = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::ClockSkew));
    let evidence = match (early, said) {
        (Some((claim, v, who, t)), _) => format!(
            "{claim} {} is {} ahead of {who} ({})",
            format_time(v),
            ago(v - t),
            format_time(t)
        ),
        (None, Some(s)) => super::response::describe(s),
        // The token's times are judged by the server's clock: a skewed Date explains a refusal.
        _ => match (case.ctx.now, server_now) {
            (Some(a), Some(b)) if (a - b).abs() > leeway.max(1) && is_auth_failure(case) => {
                format!("the server's Date is {} away from your clock", ago(a - b))
            }
            _ => return,
        },
    };
    let skew = match (case.ctx.now, server_now) {
        (Some(a), Some(b)) if (a - b).abs() > leeway.max(1) => format!(
            " The local clock and the server's Date differ by {}.",
            ago(a - b)
        ),
        _ => String::new(),
    };
    let f = case.finding(
        CauseId::JwtNotYetValidClockSkew,
        cred.anchor.clone(),
        format!("The token is not valid yet for the server: {evidence}.{skew} Sync the clock (NTP), and backdate `iat` by 60 s for self-issued JWTs."),
        evidence.clone(),
    );
    out.push(f);
}

/// `aud`/`iss` against the configured expectations; otherwise only on the server's word or an
/// id_token's shape — never against the request host.
fn jwt_audience_or_issuer_mismatch(case: &Case, cred: &Cred, token: &Jwt, out: &mut Vec<Finding>) {
    let aud = token.audiences();
    let iss = token.claim_str("iss");
    let reason = if let Some(want) = case
        .ctx
        .expected_audience
        .as_deref()
        .filter(|w| !aud.contains(w))
    {
        format!("`aud` is {aud:?}, but the API expects {want:?}")
    } else if let Some(want) = case
        .ctx
        .expected_issuer
        .as_deref()
        .filter(|w| iss != Some(*w))
    {
        format!(
            "`iss` is {:?}, but the API trusts {want:?}",
            iss.unwrap_or("(none)")
        )
    } else if let Some(s) = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::Audience))
        .filter(|_| !words_contradicted(case, &aud, iss))
    {
        format!(
            "{} (token aud {aud:?}, iss {:?})",
            super::response::describe(s),
            iss.unwrap_or("(none)")
        )
    } else if token.looks_like_id_token()
        && case.ctx.expected_audience.is_none()
        && cred
            .scheme
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
    {
        format!(
            "the token is an OIDC id_token (it has nonce/at_hash or aud = azp; aud {aud:?}), meant for the client, not for an API"
        )
    } else {
        return;
    };
    let f = case.finding(
        CauseId::JwtAudienceOrIssuerMismatch,
        cred.anchor.clone(),
        format!("The token was issued for someone else: {reason}. Request an access token for this API (audience/resource parameter) from the right issuer."),
        format!("aud {aud:?}, iss {:?}", iss.unwrap_or("(none)")),
    );
    out.push(f);
}

/// The server's audience complaint is contradicted by the data: the audience it says it
/// expects ("expected: X") is in the token's `aud`, or the context's expected audience and
/// issuer are both configured and both match. Then the verifier, not the token, is at fault.
fn words_contradicted(case: &Case, aud: &[&str], iss: Option<&str>) -> bool {
    let quoted = case.response.as_ref().and_then(|r| {
        let lower = r.text.to_ascii_lowercase();
        let at = lower
            .find("expected: ")
            .or_else(|| lower.find("expected "))?;
        let rest = &r.text[at..];
        let rest = &rest[rest.find(' ')? + 1..];
        let value: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | ',' | '\'' | ')' | '}'))
            .collect();
        Some(value.trim_end_matches('.').to_string())
    });
    let quoted_in_aud = quoted.is_some_and(|q| !q.is_empty() && aud.iter().any(|a| *a == q));
    let configured = case.ctx.expected_audience.is_some() || case.ctx.expected_issuer.is_some();
    let both_match = configured
        && case
            .ctx
            .expected_audience
            .as_deref()
            .is_none_or(|w| aud.contains(&w))
        && case
            .ctx
            .expected_issuer
            .as_deref()
            .is_none_or(|w| iss == Some(w));
    quoted_in_aud || both_match
}

/// `grant_type=refresh_token` answered by `invalid_grant` (RFC 6749 §5.2).
/// A token request for `grant_type=refresh_token`, as a form (RFC 6749 §6; pairs decoded,
/// stray whitespace ignored) or as the JSON body some identity providers also accept.
fn asks_for_refresh(body: &str) -> bool {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        return v["grant_type"].as_str().map(str::trim) == Some("refresh_token");
    }
    url::form_urlencoded::parse(body.trim().as_bytes())
        .any(|(k, v)| k.trim() == "grant_type" && v.trim() == "refresh_token")
}

fn refresh_token_invalid_grant(case: &Case, out: &mut Vec<Finding>) {
    let refresh = case
        .body
        .as_ref()
        .is_some_and(|b| asks_for_refresh(&b.text))
        || case
            .query
            .iter()
            .any(|q| q.name == "grant_type" && q.value.text.trim() == "refresh_token");
    let refused = case
        .response
        .as_ref()
        .is_some_and(|r| r.says(Meaning::InvalidGrant));
    if !(refresh && refused) {
        return;
    }
    let f = case.finding(
        CauseId::RefreshTokenInvalidGrant,
        Anchor::body(),
        "The token endpoint refused the refresh token itself (invalid_grant): it is expired, revoked, already rotated (reused), or belongs to another client. The API's following 401s are a consequence. Re-run the interactive login or authorization-code flow, and persist rotated refresh tokens atomically.",
        "error invalid_grant",
    );
    out.push(f);
}
