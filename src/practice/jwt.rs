//! HS256 JWTs signed with the practice secret: minted for the lessons, checked by the JWT
//! routes the way `jsonwebtoken`'s default validation does (signature, `exp` required,
//! `nbf` when present, 60 s leeway), plus the audience and, when present, the issuer.
//!
//! Written by hand on `ring`'s HMAC because the checks *are* the lesson: each failure maps to
//! one `error_description` a learner can read in the challenge.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde_json::{Value, json};

use super::keys;

/// Clock skew tolerated on `exp` and `nbf`, as `jsonwebtoken::Validation::default()`.
pub const LEEWAY_SECS: i64 = 60;

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn key() -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, keys::JWT_SECRET.as_bytes())
}

/// Signs `claims` as an HS256 JWT with the practice's fake secret ([`keys::JWT_SECRET`]).
pub fn mint_jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = hmac::sign(&key(), signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.as_ref())
    )
}

/// Claims of a token the routes accept, valid from `now` for an hour.
pub fn practice_claims(now: i64, subject: &str, scope: &str) -> Value {
    json!({
        "iss": keys::JWT_ISSUER,
        "sub": subject,
        "aud": keys::JWT_AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "scope": scope,
    })
}

/// A token `GET /jwt/profile` accepts: `exp` in one hour, the practice audience, scope `read`.
pub fn valid_jwt() -> String {
    mint_jwt(&practice_claims(now(), "learner", "read"))
}

/// Like [`valid_jwt`] with scope `read admin`, which `GET /admin/users` accepts.
pub fn admin_jwt() -> String {
    mint_jwt(&practice_claims(now(), "admin", "read admin"))
}

/// Expired an hour ago, far outside the leeway.
pub fn expired_jwt() -> String {
    let now = now();
    let mut claims = practice_claims(now - 7200, "learner", "read");
    claims["exp"] = json!(now - 3600);
    mint_jwt(&claims)
}

/// `nbf` an hour in the future: what a client with a fast clock would mint.
pub fn not_yet_valid_jwt() -> String {
    let now = now();
    let mut claims = practice_claims(now, "learner", "read");
    claims["nbf"] = json!(now + 3600);
    claims["exp"] = json!(now + 7200);
    mint_jwt(&claims)
}

/// Correctly signed and in date, but issued for another API.
pub fn wrong_audience_jwt() -> String {
    let mut claims = practice_claims(now(), "learner", "read");
    claims["aud"] = json!("authlens-other-api");
    mint_jwt(&claims)
}

/// Why a token was refused; [`JwtError::description`] is the challenge's `error_description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    Malformed(&'static str),
    Algorithm(String),
    Signature,
    MissingClaim(&'static str),
    ClaimType(&'static str),
    Expired(i64),
    NotYetValid(i64),
    Audience,
    Issuer,
}

impl JwtError {
    pub fn description(&self) -> String {
        match self {
            JwtError::Malformed(why) => format!("The token is malformed: {why}"),
            JwtError::Algorithm(alg) => {
                format!("The token algorithm {alg} is not accepted, only HS256")
            }
            JwtError::Signature => "The token signature is invalid".to_string(),
            JwtError::MissingClaim(c) => format!("The token has no {c} claim"),
            JwtError::ClaimType(c) => format!("The {c} claim is not a number"),
            JwtError::Expired(exp) => format!("The token expired at {}", iso8601(*exp)),
            JwtError::NotYetValid(nbf) => {
                format!("The token is not valid before {}", iso8601(*nbf))
            }
            JwtError::Audience => {
                format!("The audience is invalid, expected {}", keys::JWT_AUDIENCE)
            }
            JwtError::Issuer => format!("The issuer is invalid, expected {}", keys::JWT_ISSUER),
        }
    }
}

/// Checks a token at time `now` and returns its claims.
pub fn verify(token: &str, now: i64) -> Result<Value, JwtError> {
    let claims = verify_signature(token)?;
    let exp = numeric(&claims, "exp")?.ok_or(JwtError::MissingClaim("exp"))?;
    if exp < now - LEEWAY_SECS {
        return Err(JwtError::Expired(exp));
    }
    if let Some(nbf) = numeric(&claims, "nbf")?
        && nbf > now + LEEWAY_SECS
    {
        return Err(JwtError::NotYetValid(nbf));
    }
    check_audience(&claims)?;
    match claims.get("iss") {
        Some(iss) if iss != keys::JWT_ISSUER => Err(JwtError::Issuer),
        _ => Ok(claims),
    }
}

/// Splits, checks the algorithm and the HMAC, and decodes the claims object.
fn verify_signature(token: &str) -> Result<Value, JwtError> {
    let three_parts = JwtError::Malformed("a JWT has three dot-separated parts");
    let (signing_input, signature) = token.rsplit_once('.').ok_or(three_parts.clone())?;
    let (header, payload) = signing_input.split_once('.').ok_or(three_parts.clone())?;
    if payload.contains('.') {
        return Err(three_parts);
    }
    match decode_json(header)?.get("alg").and_then(Value::as_str) {
        Some("HS256") => {}
        other => return Err(JwtError::Algorithm(other.unwrap_or("(none)").to_string())),
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| JwtError::Malformed("the signature is not base64url"))?;
    hmac::verify(&key(), signing_input.as_bytes(), &signature).map_err(|_| JwtError::Signature)?;
    let claims = decode_json(payload)?;
    if claims.is_object() {
        Ok(claims)
    } else {
        Err(JwtError::Malformed("the claims are not a JSON object"))
    }
}

fn decode_json(part: &str) -> Result<Value, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed("a part is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed("a part is not JSON"))
}

/// A NumericDate claim (RFC 7519 §2): absent is fine, anything but a number is not.
fn numeric(claims: &Value, name: &'static str) -> Result<Option<i64>, JwtError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(|f| Some(f as i64))
            .ok_or(JwtError::ClaimType(name)),
    }
}

/// `aud` may be one string or an array of them (RFC 7519 §4.1.3); ours must be among them.
fn check_audience(claims: &Value) -> Result<(), JwtError> {
    let ok = match claims.get("aud") {
        None => return Err(JwtError::MissingClaim("aud")),
        Some(Value::String(a)) => a == keys::JWT_AUDIENCE,
        Some(Value::Array(list)) => list.iter().any(|a| a == keys::JWT_AUDIENCE),
        Some(_) => false,
    };
    if ok { Ok(()) } else { Err(JwtError::Audience) }
}

/// Does the `scope` claim (space-separated, RFC 8693 §4.2) grant `wanted`?
pub fn has_scope(claims: &Value, wanted: &str) -> bool {
    claims
        .get("scope")
        .and_then(Value::as_str)
        .is_some_and(|s| s.split(' ').any(|x| x == wanted))
}

/// Whether two practice tokens say the same but for when they were minted: the samples mint
/// theirs when they are built, so the same sample built a second later differs only in `iat`,
/// `nbf` and `exp` — moved together, by the same amount. A token not signed with the practice
/// secret (one the user typed) is never the same as a minted one.
pub fn same_but_minted_later(a: &str, b: &str) -> bool {
    match (verify_signature(a), verify_signature(b)) {
        (Ok(x), Ok(y)) => timeless(x) == timeless(y),
        _ => false,
    }
}

/// The claims without their times, and `nbf` and `exp` as offsets from `iat`.
fn timeless(mut claims: Value) -> (Value, Option<i64>, Option<i64>) {
    let iat = claims.get("iat").and_then(Value::as_i64);
    let after_iat = |c: &Value, name: &str| {
        let at = c.get(name).and_then(Value::as_i64)?;
        Some(at - iat?)
    };
    let (nbf, exp) = (after_iat(&claims, "nbf"), after_iat(&claims, "exp"));
    if let Some(o) = claims.as_object_mut() {
        for name in ["iat", "nbf", "exp"] {
            o.remove(name);
        }
    }
    (claims, nbf, exp)
}

pub use crate::dates::format_iso8601 as iso8601;

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_520_800; // 2026-01-04T10:00:00Z

    #[test]
    fn a_token_minted_later_is_the_same_token_another_is_not() {
        let at = |now: i64| mint_jwt(&practice_claims(now, "learner", "read"));
        assert!(same_but_minted_later(&at(NOW), &at(NOW + 5)));
        assert!(!same_but_minted_later(
            &at(NOW),
            &mint_jwt(&practice_claims(NOW, "admin", "read"))
        ));
        let mut later = practice_claims(NOW + 5, "learner", "read");
        later["exp"] = json!(NOW + 5 + 60);
        assert!(!same_but_minted_later(&at(NOW), &mint_jwt(&later)));
        assert!(!same_but_minted_later(&at(NOW), "eyJhbGciOiJub25lIn0.e30."));
    }

    #[test]
    fn minted_tokens_verify_and_keep_their_claims() {
        let claims = verify(&mint_jwt(&practice_claims(NOW, "learner", "read")), NOW).unwrap();
        assert_eq!(claims["sub"], "learner");
        assert!(has_scope(&claims, "read"));
        assert!(!has_scope(&claims, "admin"));
    }

    #[test]
    fn a_known_token_matches_an_independent_hs256_implementation() {
        // Signature computed with Python: hmac.new(secret, input, sha256), base64url, no padding.
        let token = mint_jwt(&json!({"sub": "x"}));
        assert_eq!(
            token,
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.jPc7yN7iJMAAv2FV5Qn0CqkDCUWf0yCyuT7ehmFUpU0"
        );
    }

    #[test]
    fn expiry_and_not_before_allow_sixty_seconds_of_leeway() {
        let mut c = practice_claims(NOW - 7200, "l", "read");
        c["exp"] = json!(NOW - 60);
        assert!(verify(&mint_jwt(&c), NOW).is_ok());
        c["exp"] = json!(NOW - 61);
        assert_eq!(verify(&mint_jwt(&c), NOW), Err(JwtError::Expired(NOW - 61)));
        let mut c = practice_claims(NOW, "l", "read");
        c["nbf"] = json!(NOW + 60);
        assert!(verify(&mint_jwt(&c), NOW).is_ok());
        c["nbf"] = json!(NOW + 61);
        assert_eq!(
            verify(&mint_jwt(&c), NOW),
            Err(JwtError::NotYetValid(NOW + 61))
        );
    }

    #[test]
    fn descriptions_name_the_time_in_iso_8601() {
        assert_eq!(
            JwtError::Expired(NOW).description(),
            "The token expired at 2026-01-04T10:00:00Z"
        );
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn audience_issuer_and_exp_are_checked() {
        let mut c = practice_claims(NOW, "l", "read");
        c["aud"] = json!(["other", keys::JWT_AUDIENCE]);
        assert!(verify(&mint_jwt(&c), NOW).is_ok());
        c["aud"] = json!("other");
        assert_eq!(verify(&mint_jwt(&c), NOW), Err(JwtError::Audience));
        let mut c = practice_claims(NOW, "l", "read");
        c["iss"] = json!("someone-else");
        assert_eq!(verify(&mint_jwt(&c), NOW), Err(JwtError::Issuer));
        c.as_object_mut().unwrap().remove("exp");
        assert_eq!(
            verify(&mint_jwt(&c), NOW),
            Err(JwtError::MissingClaim("exp"))
        );
    }

    #[test]
    fn tampering_and_alg_none_are_refused() {
        let token = mint_jwt(&practice_claims(NOW, "learner", "read"));
        let forged_claims =
            URL_SAFE_NO_PAD.encode(practice_claims(NOW, "admin", "read admin").to_string());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert_eq!(verify(&forged, NOW), Err(JwtError::Signature));
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            parts[1]
        );
        assert_eq!(verify(&none, NOW), Err(JwtError::Algorithm("none".into())));
        assert!(matches!(
            verify("not-a-jwt", NOW),
            Err(JwtError::Malformed(_))
        ));
    }

    #[test]
    fn ready_made_tokens_fail_for_their_one_reason() {
        let now = now();
        assert!(verify(&valid_jwt(), now).is_ok());
        assert!(has_scope(&verify(&admin_jwt(), now).unwrap(), "admin"));
        assert!(matches!(
            verify(&expired_jwt(), now),
            Err(JwtError::Expired(_))
        ));
        assert!(matches!(
            verify(&not_yet_valid_jwt(), now),
            Err(JwtError::NotYetValid(_))
        ));
        assert_eq!(verify(&wrong_audience_jwt(), now), Err(JwtError::Audience));
    }
}
