//! The OpenAI-style Bearer API and its strict twin.
//!
//! The lenient routes read the credential as RFC 9110 allows (any case of `Bearer`, one or
//! more spaces) and only from `Authorization`, so a key in `X-API-Key` is "no key". The strict
//! route compares bytes like much real server code does, so the same request can pass one and
//! fail the other: that difference is the lesson.

use hyper::StatusCode;
use hyper::header::AUTHORIZATION;
use serde_json::{Value, json};

use super::credentials::bearer_token;
use super::keys;
use super::reply::{self, BearerError, Reply};
use super::routes::{Ctx, Req};

const MISSING: &str = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

/// An error body in OpenAI's shape.
fn error_body(message: &str, code: Option<&str>) -> Value {
    json!({ "error": { "message": message, "type": "invalid_request_error", "param": null, "code": code } })
}

/// The Bearer check shared by the OpenAI-style routes (the admin token is a valid key too);
/// returns the refusal, if any.
fn refusal(req: &Req) -> Option<Reply> {
    let challenge = |e: &BearerError| reply::bearer_challenge(keys::REALM, e);
    match bearer_token(&req.parts.headers) {
        Ok(t) if t == keys::BEARER_TOKEN || t == keys::ADMIN_TOKEN => None,
        Err(e @ BearerError::Missing) => Some(reply::unauthorized(
            &challenge(&e),
            &error_body(MISSING, None),
        )),
        Err(BearerError::InvalidRequest(message)) => {
            let reply = reply::json(StatusCode::BAD_REQUEST, &error_body(&message, None));
            let e = BearerError::InvalidRequest(message);
            Some(reply::with_header(
                reply,
                "www-authenticate",
                &challenge(&e),
            ))
        }
        Ok(_) | Err(_) => {
            let sent = bearer_text(req);
            let message = format!("Incorrect API key provided: {}", reply::mask_key(&sent));
            let e = BearerError::InvalidToken("The API key is incorrect".into());
            Some(reply::unauthorized(
                &challenge(&e),
                &error_body(&message, Some("invalid_api_key")),
            ))
        }
    }
}

/// Whatever followed the scheme, for the masked echo in the error message.
fn bearer_text(req: &Req) -> String {
    let value = req
        .parts
        .headers
        .get(AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()));
    value
        .map(|v| super::credentials::split_scheme(&v).1.to_string())
        .unwrap_or_default()
}

/// `GET /v1/models`.
pub(crate) fn models(req: &Req, _ctx: &Ctx) -> Reply {
    if let Some(denied) = refusal(req) {
        return denied;
    }
    let model = |id: &str| json!({ "id": id, "object": "model", "created": 0, "owned_by": "authlens-practice" });
    let body =
        json!({ "object": "list", "data": [model("practice-small"), model("practice-large")] });
    reply::json(StatusCode::OK, &body)
}

/// `POST /v1/chat/completions`: a canned answer; no model runs, the point is getting in.
pub(crate) fn chat_completions(req: &Req, _ctx: &Ctx) -> Reply {
    if let Some(denied) = refusal(req) {
        return denied;
    }
    let content = "Your Bearer token was accepted. (authlens practice server: no model ran.)";
    let body = json!({
        "id": "chatcmpl-practice",
        "object": "chat.completion",
        "created": 0,
        "model": "practice-small",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content },
            "finish_reason": "stop",
        }],
    });
    reply::json(StatusCode::OK, &body)
}

/// What the naive check of `GET /strict/v1/models` saw, or `None` when it passes.
///
/// It models `value.split(" ")`, then `parts[0] == "Bearer"` and `parts[1] == TOKEN`, the
/// shape of many hand-written servers.
fn naive_verdict(value: &str) -> Option<String> {
    let mut parts = value.split(' ');
    let scheme = parts.next().unwrap_or("");
    let token = parts.next();
    if scheme != "Bearer" {
        return Some(if scheme.eq_ignore_ascii_case("bearer") {
            format!(
                "The scheme is written '{scheme}'. A naive check for the exact text 'Bearer ' fails, although RFC 9110 §11.1 makes the scheme case-insensitive; /v1/models accepts it."
            )
        } else {
            "The value does not start with 'Bearer ' (Bearer, one space, the token).".into()
        });
    }
    match token {
        Some("") => Some("There is more than one space after 'Bearer'. A naive split(' ')[1] gives an empty token, although RFC 9110 allows 1*SP; /v1/models accepts it.".into()),
        Some(t) if t == keys::BEARER_TOKEN && parts.next().is_none() => None,
        _ => Some("The token after 'Bearer ' is not the practice token.".into()),
    }
}

/// `GET /strict/v1/models`: byte-exact `Bearer <token>`, and a body explaining the refusal.
pub(crate) fn strict_models(req: &Req, ctx: &Ctx) -> Reply {
    let realm = "authlens-practice-strict";
    let values: Vec<_> = req.parts.headers.get_all(AUTHORIZATION).iter().collect();
    let value = match values.as_slice() {
        [] => {
            let body = json!({ "detail": "Missing Authorization header. Send: Authorization: Bearer <token>" });
            return reply::unauthorized(
                &reply::bearer_challenge(realm, &BearerError::Missing),
                &body,
            );
        }
        [one] => String::from_utf8_lossy(one.as_bytes()).into_owned(),
        _ => "(several Authorization headers)".to_string(),
    };
    let Some(saw) = naive_verdict(&value) else {
        return models(req, ctx);
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((&value, ""));
    let body = json!({
        "detail": "Unauthorized",
        "naive_server_saw": { "scheme": scheme, "after_first_space": reply::mask_key(rest), "problem": saw },
        "fix": "Write exactly: Bearer, one space, the token.",
    });
    let e = BearerError::InvalidToken(
        "Expected the exact text Bearer, one space, then the token".into(),
    );
    reply::unauthorized(&reply::bearer_challenge(realm, &e), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_naive_check_passes_only_the_canonical_spelling() {
        assert_eq!(
            naive_verdict(&format!("Bearer {}", keys::BEARER_TOKEN)),
            None
        );
        for v in ["bearer ", "BEARER ", "Bearer  ", "Token ", "Bearer\t"] {
            let value = format!("{v}{}", keys::BEARER_TOKEN);
            assert!(naive_verdict(&value).is_some(), "{value:?}");
        }
        assert!(
            naive_verdict(&format!("bearer {}", keys::BEARER_TOKEN))
                .unwrap()
                .contains("'bearer'")
        );
        assert!(
            naive_verdict(&format!("Bearer  {}", keys::BEARER_TOKEN))
                .unwrap()
                .contains("empty token")
        );
    }
}
