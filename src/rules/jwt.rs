//! Reading a JWT's claims without verifying it: enough to tell expired, not-yet-valid, or
//! issued for someone else — the lifecycle causes that a signature check would only hide.
//!
//! RFC 7519: three base64url segments without padding; header and payload are JSON objects.
//! Times are NumericDate seconds. The leeway is jsonwebtoken's default, 60 s.

use base64::Engine;
use serde_json::{Map, Value};

/// Clock-skew tolerance for `exp`, `nbf` and `iat` (jsonwebtoken `Validation::leeway`).
pub const LEEWAY_SECONDS: i64 = 60;

/// The claims that matter for authentication, decoded but not trusted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Jwt {
    pub header: Map<String, Value>,
    pub payload: Map<String, Value>,
}

impl Jwt {
    fn time(&self, claim: &str) -> Option<i64> {
        match self.payload.get(claim)? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            _ => None,
        }
    }
    pub fn exp(&self) -> Option<i64> {
        self.time("exp")
    }
    pub fn nbf(&self) -> Option<i64> {
        self.time("nbf")
    }
    pub fn iat(&self) -> Option<i64> {
        self.time("iat")
    }
    pub fn claim_str(&self, claim: &str) -> Option<&str> {
        self.payload.get(claim)?.as_str()
    }
    /// `aud` may be one string or an array of strings (RFC 7519 §4.1.3).
    pub fn audiences(&self) -> Vec<&str> {
        match self.payload.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
    /// `scope` (space-separated, RFC 8693 §4.2) or `scp` (a list, as Azure AD writes it).
    pub fn scopes(&self) -> Vec<&str> {
        match self
            .payload
            .get("scope")
            .or_else(|| self.payload.get("scp"))
        {
            Some(Value::String(s)) => s.split_whitespace().collect(),
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Shaped like an OIDC id_token: `nonce` or `at_hash`, or `aud` equal to `azp`.
    pub fn looks_like_id_token(&self) -> bool {
        let azp = self.claim_str("azp");
        self.payload.contains_key("nonce")
            || self.payload.contains_key("at_hash")
            || azp.is_some_and(|azp| self.audiences() == [azp])
    }
}

/// Decodes `header.payload.signature`; `None` unless both JSON parts are objects.
pub fn decode(token: &str) -> Option<Jwt> {
    let mut parts = token.split('.');
    let (h, p, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !h.starts_with("eyJ") {
        return None;
    }
    Some(Jwt {
        header: object(h)?,
        payload: object(p)?,
    })
}

/// Cheap shape test without decoding: `eyJ…` with exactly two dots.
pub fn looks_like_jwt(token: &str) -> bool {
    token.starts_with("eyJ") && token.matches('.').count() == 2
}

/// A JOSE header segment (of a JWT or a JWE), decoded.
pub fn decode_header(segment: &str) -> Option<Map<String, Value>> {
    object(segment)
}

fn object(segment: &str) -> Option<Map<String, Value>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

pub use crate::dates::format_iso8601 as format_time;

#[cfg(test)]
mod tests {
    use super::*;

    fn make(payload: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.RkFLRQ", e(r#"{"alg":"none"}"#), e(payload))
    }

    #[test]
    fn decodes_claims_without_padding() {
        let t = make(r#"{"exp":1772362800,"aud":["a","b"],"nonce":"n","scope":"read write"}"#);
        let j = decode(&t).unwrap();
        assert_eq!(j.exp(), Some(1_772_362_800));
        assert_eq!(j.audiences(), ["a", "b"]);
        assert!(j.looks_like_id_token());
        assert_eq!(j.scopes(), ["read", "write"]);
        assert!(looks_like_jwt(&t));
    }

    #[test]
    fn rejects_non_jwts() {
        assert!(decode("sk-proj-EXAMPLE").is_none());
        assert!(decode("eyJ.eyJ.x").is_none());
        assert!(decode(&make("[1,2]")).is_none());
    }

    #[test]
    fn formats_times() {
        assert_eq!(format_time(1_772_362_800), "2026-03-01T11:00:00Z");
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
    }
}
