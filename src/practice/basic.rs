//! The Basic-auth lesson (RFC 7617): the credentials are base64 of `user:password`, which is
//! an encoding and not encryption, and a value that does not decode is its own kind of 401.

use hyper::StatusCode;
use serde_json::json;

use super::credentials::{BasicError, basic_credentials};
use super::keys;
use super::reply::{self, Reply};
use super::routes::{Ctx, Req};

/// `GET /basic/profile`.
pub(crate) fn profile(req: &Req, _ctx: &Ctx) -> Reply {
    let detail = match basic_credentials(&req.parts.headers) {
        Ok((user, password)) if user == keys::BASIC_USER && password == keys::BASIC_PASSWORD => {
            let body = json!({
                "user": user,
                "note": "Basic credentials are only base64: anyone who sees this request can decode the password. Use it over TLS only.",
            });
            return reply::json(StatusCode::OK, &body);
        }
        Ok(_) => "Invalid username or password.".to_string(),
        Err(e @ BasicError::Many(_)) => {
            return reply::json(StatusCode::BAD_REQUEST, &json!({ "detail": e.detail() }));
        }
        Err(e) => e.detail(),
    };
    reply::unauthorized(&reply::basic_challenge(), &json!({ "detail": detail }))
}
