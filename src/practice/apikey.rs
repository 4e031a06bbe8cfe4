//! The FastAPI-style upload API of the notebook story (docs/ARCHITECTURE.md §8): a
//! form-extraction endpoint guarded by an `X-API-Key` header whose enforcement depends on the
//! server's own `API_KEY` and `API_KEY_REQUIRED`. The lesson: the key goes in the header the API names, with no scheme
//! word, and a server whose own key is unset can reject everyone.

use hyper::StatusCode;
use hyper::header::CONTENT_TYPE;
use serde_json::{Value, json};

use super::multipart;
use super::reply::{self, Reply};
use super::routes::{Ctx, Req};

/// The challenge FastAPI ≥ 0.122 sends for its API-key security classes.
const CHALLENGE: &str = "APIKey";
/// The header the key is read from; `/openapi.json` names the same constant.
pub(crate) const HEADER: &str = "X-API-Key";
const MISSING: &str = "Missing API key. Include X-API-Key header in your request.";
const INVALID: &str = "Invalid API key";

/// How the server is configured to treat the key, in words for the health route.
fn auth_mode(ctx: &Ctx) -> &'static str {
    match (ctx.config.effective_api_key(), ctx.config.api_key_required) {
        (None, false) => "open: API_KEY is empty and API_KEY_REQUIRED is false",
        (None, true) => {
            "misconfigured: API_KEY_REQUIRED is true but API_KEY is empty, so every request gets 401"
        }
        (Some(_), _) => "X-API-Key required",
    }
}

/// The story's `verify_api_key`: open when no key is set and none is required; otherwise the
/// `X-API-Key` header must be present and equal the server's key (never equal to an unset one).
/// Returns the refusal, if any.
fn refusal(req: &Req, ctx: &Ctx) -> Option<Reply> {
    let expected = ctx.config.effective_api_key();
    if expected.is_none() && !ctx.config.api_key_required {
        return None;
    }
    // Only the first line counts, like Starlette's `headers.get`; empty counts as missing.
    let sent = req
        .parts
        .headers
        .get(HEADER)
        .map(|v| v.as_bytes())
        .filter(|v| !v.is_empty());
    match (sent, expected) {
        (None, _) => Some(reply::unauthorized(
            CHALLENGE,
            &json!({ "detail": MISSING }),
        )),
        (Some(sent), Some(key)) if sent == key.as_bytes() => None,
        (Some(_), _) => Some(reply::unauthorized(
            CHALLENGE,
            &json!({ "detail": INVALID }),
        )),
    }
}

/// `POST /api/v1/vote-extraction/extract`: checks the key first (as FastAPI resolves the
/// security dependency before it reports body errors), then describes the uploaded parts.
pub(crate) fn extract(req: &Req, ctx: &Ctx) -> Reply {
    if let Some(denied) = refusal(req, ctx) {
        return denied;
    }
    let content_type = req
        .parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let parts = match multipart::boundary(content_type)
        .and_then(|b| multipart::parse(&req.body, &b))
    {
        Ok(parts) => parts,
        Err(detail) => return reply::json(StatusCode::BAD_REQUEST, &json!({ "detail": detail })),
    };
    if !parts.iter().any(|p| p.filename.is_some()) {
        let detail = "No file parts: send one or more images as form parts with a filename (curl -F files=@page1.jpg).";
        return reply::json(StatusCode::BAD_REQUEST, &json!({ "detail": detail }));
    }
    let described: Vec<Value> = parts
        .iter()
        .map(|p| {
            json!({
                "field": p.name,
                "filename": p.filename,
                "content_type": p.content_type,
                "size": p.size,
            })
        })
        .collect();
    let body = json!({
        "status": "ok",
        "auth": auth_mode(ctx),
        "parts": described,
        "note": "Practice server: the parts were received and measured, nothing was extracted.",
    });
    reply::json(StatusCode::OK, &body)
}

/// `GET /api/v1/health`: open, and says how the key check is configured, because "every
/// request is 401 even with the right key" is often the server's own empty `API_KEY`.
pub(crate) fn health(_req: &Req, ctx: &Ctx) -> Reply {
    reply::json(
        StatusCode::OK,
        &json!({ "status": "healthy", "auth": auth_mode(ctx) }),
    )
}
