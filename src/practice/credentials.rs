//! Reading the `Authorization` header the way a careful server does (RFC 9110 §11.6.2):
//! the scheme is case-insensitive, one or more spaces separate it from the credentials, and
//! the header is a singleton. The strict lesson deliberately does *not* use this.

use base64::Engine;
use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;

use super::reply::BearerError;

/// The `Authorization` field lines of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthHeader {
    Missing,
    /// More than one line: RFC 9110 §5.3 forbids it for a singleton field.
    Many(usize),
    /// The value as text; bytes that are not UTF-8 become U+FFFD, so they never match a key.
    One(String),
}

pub(crate) fn authorization(headers: &HeaderMap) -> AuthHeader {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    match (values.next(), values.count()) {
        (None, _) => AuthHeader::Missing,
        (Some(v), 0) => AuthHeader::One(String::from_utf8_lossy(v.as_bytes()).into_owned()),
        (Some(_), more) => AuthHeader::Many(more + 1),
    }
}

/// Splits `scheme 1*SP credentials`; without a space the whole value is the scheme.
pub(crate) fn split_scheme(value: &str) -> (&str, &str) {
    match value.split_once([' ', '\t']) {
        Some((scheme, rest)) => (scheme, rest.trim_start_matches([' ', '\t'])),
        None => (value, ""),
    }
}

/// RFC 6750 §2.1 `b64token`: the characters a Bearer token may have.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// The one Bearer token of the request, or why there is none.
///
/// Another scheme (`Basic …`, `Token …`, a bare key) counts as no credential: RFC 6750 §3.1
/// treats "attempted using an unsupported authentication method" like a missing one.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Result<String, BearerError> {
    let value = match authorization(headers) {
        AuthHeader::Missing => return Err(BearerError::Missing),
        AuthHeader::Many(n) => {
            return Err(BearerError::InvalidRequest(format!(
                "Send exactly one Authorization header; this request had {n}"
            )));
        }
        AuthHeader::One(v) => v,
    };
    let (scheme, token) = split_scheme(&value);
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(BearerError::Missing);
    }
    if token.contains(',') {
        return Err(BearerError::InvalidRequest(
            "The Authorization header holds more than one credential".to_string(),
        ));
    }
    if !is_b64token(token) {
        return Err(BearerError::InvalidToken(
            "The access token has characters a Bearer token cannot contain".to_string(),
        ));
    }
    Ok(token.to_string())
}

/// Why Basic credentials could not be read; each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BasicError {
    Missing,
    Many(usize),
    NotBase64 { looks_unencoded: bool },
    NoColon,
}

impl BasicError {
    pub(crate) fn detail(&self) -> String {
        match self {
            BasicError::Missing => "Missing Basic credentials. Send Authorization: Basic base64(user:password).".into(),
            BasicError::Many(n) => format!("Send exactly one Authorization header; this request had {n}."),
            BasicError::NotBase64 { looks_unencoded: true } => "Malformed Basic credentials: the value after 'Basic ' is not base64. It looks like user:password sent unencoded; base64-encode it (curl -u user:password does this).".into(),
            BasicError::NotBase64 { .. } => "Malformed Basic credentials: the value after 'Basic ' is not valid base64 (RFC 4648, with padding).".into(),
            BasicError::NoColon => "Malformed Basic credentials: the decoded value has no ':' between user and password.".into(),
        }
    }
}

/// `Basic base64(user ":" password)` (RFC 7617 §2), decoded strictly.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Result<(String, String), BasicError> {
    let value = match authorization(headers) {
        AuthHeader::Missing => return Err(BasicError::Missing),
        AuthHeader::Many(n) => return Err(BasicError::Many(n)),
        AuthHeader::One(v) => v,
    };
    let (scheme, encoded) = split_scheme(&value);
    if !scheme.eq_ignore_ascii_case("basic") || encoded.is_empty() {
        return Err(BasicError::Missing);
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| BasicError::NotBase64 {
            looks_unencoded: encoded.contains(':'),
        })?;
    let decoded = String::from_utf8_lossy(&decoded);
    let (user, password) = decoded.split_once(':').ok_or(BasicError::NoColon)?;
    Ok((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(AUTHORIZATION, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_spaces_may_repeat() {
        for v in ["Bearer tok", "bearer tok", "BEARER tok", "Bearer   tok"] {
            assert_eq!(bearer_token(&headers(&[v])), Ok("tok".to_string()), "{v}");
        }
    }

    #[test]
    fn other_schemes_and_bare_tokens_count_as_missing() {
        for v in ["Token tok", "tok", "Basic dTpw", "Bearer"] {
            assert_eq!(
                bearer_token(&headers(&[v])),
                Err(BearerError::Missing),
                "{v}"
            );
        }
    }

    #[test]
    fn two_credentials_are_an_invalid_request() {
        assert!(matches!(
            bearer_token(&headers(&["Bearer a", "Bearer b"])),
            Err(BearerError::InvalidRequest(_))
        ));
        assert!(matches!(
            bearer_token(&headers(&["Bearer a, Bearer b"])),
            Err(BearerError::InvalidRequest(_))
        ));
    }

    #[test]
    fn basic_decodes_strictly() {
        assert_eq!(
            basic_credentials(&headers(&["basic dXNlcjpwYXNz"])),
            Ok(("user".to_string(), "pass".to_string()))
        );
        assert_eq!(
            basic_credentials(&headers(&["Basic user:pass"])),
            Err(BasicError::NotBase64 {
                looks_unencoded: true
            })
        );
        // "userpass" without padding is not canonical base64.
        assert_eq!(
            basic_credentials(&headers(&["Basic dXNlcnBhc3M"])),
            Err(BasicError::NotBase64 {
                looks_unencoded: false
            })
        );
        assert_eq!(
            basic_credentials(&headers(&["Basic dXNlcnBhc3M="])),
            Err(BasicError::NoColon)
        );
    }
}
