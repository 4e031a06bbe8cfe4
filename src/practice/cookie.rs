//! The cookie-session lesson: log in once, and the session cookie — not a header the user
//! types — is the credential of every later request. A client without a cookie jar, a cookie
//! its jar will not send (Secure over http, another path), or one the server has expired,
//! all end in the same 401, and the body says which.

use hyper::StatusCode;
use serde_json::json;

use super::credentials::basic_credentials;
use super::keys;
use super::reply::{self, Reply};
use super::routes::{Ctx, Req};

/// The cookie's name and path: it is sent back under `/cookie` only.
pub const NAME: &str = "session";
pub const PATH: &str = "/cookie";

/// A cookie challenge (draft-broyer-http-cookie-auth): RFC 9110 wants a challenge with every
/// 401, and this one says where to log in and which cookie the server reads.
fn challenge() -> String {
    format!(
        "Cookie realm=\"{}\", form-action=\"/cookie/login\", cookie-name=\"{NAME}\"",
        keys::REALM
    )
}

/// `POST /cookie/login`: Basic, or a form with `username` and `password`. Success is a 303
/// to `/cookie/me` setting the session cookie; `?max_age=N` gives it a lifetime, `?secure=1`
/// marks it Secure (kept off plain http, loopback aside) and `?path=P` sets its Path.
pub(crate) fn login(req: &Req, _ctx: &Ctx) -> Reply {
    let (user, password) = match basic_credentials(&req.parts.headers) {
        Ok(pair) => pair,
        Err(_) => form_credentials(&req.body),
    };
    if user != keys::BASIC_USER || password != keys::BASIC_PASSWORD {
        let body = json!({
            "detail": "Log in with the practice user: Basic credentials or a form with username and password.",
        });
        return reply::unauthorized(&reply::basic_challenge(), &body);
    }
    let query = query_pairs(req);
    // `?path=/cookie/admin`: a Path too narrow for /cookie/me, a login bug seen in the wild.
    let path = query
        .iter()
        .find(|(k, v)| k == "path" && v.starts_with('/') && !v.contains(';'))
        .map_or(PATH, |(_, v)| v.as_str());
    let mut cookie = format!("{NAME}={}; Path={path}; HttpOnly", keys::SESSION_COOKIE);
    if let Some(age) = query
        .iter()
        .find(|(k, _)| k == "max_age")
        .and_then(|(_, v)| v.parse::<i64>().ok())
    {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if query.iter().any(|(k, v)| k == "secure" && v == "1") {
        cookie.push_str("; Secure");
    }
    see_other(
        &cookie,
        "Logged in: the session cookie is the credential from now on.",
    )
}

/// `POST /cookie/logout`: clears the cookie (`Max-Age=0`) and sends the client to
/// `/cookie/me`, which then answers 401.
pub(crate) fn logout(_req: &Req, _ctx: &Ctx) -> Reply {
    let cookie = format!("{NAME}=; Path={PATH}; HttpOnly; Max-Age=0");
    see_other(
        &cookie,
        "Logged out: the server cleared the session cookie.",
    )
}

/// `GET /cookie/me`: 200 with the session cookie; 401 without it, or with a session the
/// server does not know (expired, logged out), which it also clears.
pub(crate) fn me(req: &Req, _ctx: &Ctx) -> Reply {
    match session_of(req) {
        Some(v) if v == keys::SESSION_COOKIE => reply::json(
            StatusCode::OK,
            &json!({ "user": keys::BASIC_USER, "note": "The session cookie authenticated this request." }),
        ),
        Some(_) => {
            let body = json!({
                "detail": "The session cookie is expired or unknown: log in again with POST /cookie/login.",
            });
            let r = reply::unauthorized(&challenge(), &body);
            let clear = format!("{NAME}=; Path={PATH}; HttpOnly; Max-Age=0");
            reply::with_header(r, "set-cookie", &clear)
        }
        None => {
            let body = json!({
                "detail": "The session cookie is missing: log in with POST /cookie/login first, and send the cookie it sets.",
            });
            reply::unauthorized(&challenge(), &body)
        }
    }
}

fn see_other(cookie: &str, detail: &str) -> Reply {
    let r = reply::json(StatusCode::SEE_OTHER, &json!({ "detail": detail }));
    let r = reply::with_header(r, "set-cookie", cookie);
    reply::with_header(r, "location", "/cookie/me")
}

/// The `session` cookie's value from every `Cookie` header of the request.
fn session_of(req: &Req) -> Option<String> {
    req.parts
        .headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(';')
                .filter_map(|p| p.split_once('='))
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .find(|(n, _)| n == NAME)
        .map(|(_, v)| v)
}

fn form_credentials(body: &[u8]) -> (String, String) {
    let mut user = String::new();
    let mut password = String::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        match k.as_ref() {
            "username" | "user" => user = v.into_owned(),
            "password" => password = v.into_owned(),
            _ => {}
        }
    }
    (user, password)
}

fn query_pairs(req: &Req) -> Vec<(String, String)> {
    let q = req.parts.uri.query().unwrap_or("");
    url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
