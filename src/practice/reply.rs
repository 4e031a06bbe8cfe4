//! Building responses, and above all correct challenges: every 401 a lesson sends must itself
//! be a good example (RFC 9110 §15.5.2, RFC 6750 §3).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{Value, json};

use super::keys;

pub(crate) type Reply = Response<Full<Bytes>>;

/// A response with a body and a content type. Building it cannot fail: every header we set is
/// a constant or text we composed, and one that were not valid would be left out, not panic.
pub(crate) fn bytes(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Reply {
    let mut reply = Response::new(Full::new(body.into()));
    *reply.status_mut() = status;
    with_header(reply, "content-type", content_type)
}

pub(crate) fn json(status: StatusCode, body: &Value) -> Reply {
    bytes(status, "application/json", body.to_string())
}

pub(crate) fn text(status: StatusCode, body: String) -> Reply {
    bytes(status, "text/plain; charset=utf-8", body)
}

pub(crate) fn with_header(mut reply: Reply, name: &str, value: &str) -> Reply {
    if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
        reply.headers_mut().append(n, v);
    }
    reply
}

/// A 401 with its challenge; the pair that must never be sent apart.
pub(crate) fn unauthorized(challenge: &str, body: &Value) -> Reply {
    with_header(
        json(StatusCode::UNAUTHORIZED, body),
        "www-authenticate",
        challenge,
    )
}

/// What went wrong with a Bearer credential, in RFC 6750 §3.1 terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BearerError {
    /// No usable credential at all: the challenge carries no `error=` (RFC 6750 §3.1).
    Missing,
    InvalidRequest(String),
    InvalidToken(String),
    InsufficientScope {
        scope: &'static str,
        description: String,
    },
}

/// `Bearer realm="…"` plus the error parameters that fit the failure.
pub(crate) fn bearer_challenge(realm: &str, error: &BearerError) -> String {
    let mut out = format!("Bearer realm={}", quote(realm));
    let (code, description, scope) = match error {
        BearerError::Missing => return out,
        BearerError::InvalidRequest(d) => ("invalid_request", d, None),
        BearerError::InvalidToken(d) => ("invalid_token", d, None),
        BearerError::InsufficientScope { scope, description } => {
            ("insufficient_scope", description, Some(*scope))
        }
    };
    out.push_str(&format!(
        ", error={}, error_description={}",
        quote(code),
        quote(description)
    ));
    if let Some(scope) = scope {
        out.push_str(&format!(", scope={}", quote(scope)));
    }
    out
}

pub(crate) fn basic_challenge() -> String {
    format!("Basic realm={}, charset=\"UTF-8\"", quote(keys::REALM))
}

/// An auth-param quoted-string. RFC 6750 §3 allows no `"` or `\` in `error_description` at
/// all, so they are replaced rather than escaped, as are characters outside printable ASCII.
fn quote(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || !(' '..='~').contains(&c) {
                '\''
            } else {
                c
            }
        })
        .collect();
    format!("\"{clean}\"")
}

/// `sk-ab****9f3c`, the way OpenAI names a wrong key: enough to recognise it, not to use it.
pub(crate) fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        return "****".to_string();
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The answer when the body could not be read: too large, too slow, or the client broke off.
pub(crate) fn body_error(status: StatusCode) -> Reply {
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("Request body larger than {} bytes", super::MAX_BODY)
        }
        StatusCode::REQUEST_TIMEOUT => "The request body did not arrive in time".to_string(),
        _ => "The request body could not be read".to_string(),
    };
    // The rest of an oversized body is still on the wire; this connection cannot be reused.
    with_header(
        json(status, &json!({ "detail": detail })),
        "connection",
        "close",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_credentials_get_a_bare_challenge() {
        assert_eq!(
            bearer_challenge("r", &BearerError::Missing),
            "Bearer realm=\"r\""
        );
    }

    #[test]
    fn scope_errors_name_the_scope_and_descriptions_lose_quotes() {
        let e = BearerError::InsufficientScope {
            scope: "admin",
            description: "say \"hi\"".into(),
        };
        assert_eq!(
            bearer_challenge("r", &e),
            "Bearer realm=\"r\", error=\"insufficient_scope\", error_description=\"say 'hi'\", scope=\"admin\""
        );
    }

    #[test]
    fn masks_keep_five_and_four_characters() {
        assert_eq!(mask_key("sk-abEXAMPLE00009f3c"), "sk-ab****9f3c");
        assert_eq!(mask_key("short"), "****");
    }
}
