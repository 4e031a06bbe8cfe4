//! The one table of routes: it drives dispatch, the index page, the `serve` banner and
//! the TUI's sample requests, so a lesson added here shows up everywhere at once.

use std::fmt;
use std::net::SocketAddr;

use bytes::Bytes;
use hyper::header::ALLOW;
use hyper::http::request::Parts;
use hyper::{Method, StatusCode};
use serde_json::json;

use super::reply::{self, Reply};
use super::{Config, apikey, basic, cookie, index, openai, openapi, token_routes};

/// A request whose body has been read in full.
pub(crate) struct Req {
    pub parts: Parts,
    pub body: Bytes,
    /// The exact bytes it arrived as (what `/echo` sends back).
    pub raw: Bytes,
}

/// Where the request arrived and what the server is configured with.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    /// The origin that received the request.
    pub here: SocketAddr,
    /// The other origin: the target of the cross-origin redirects.
    pub other: SocketAddr,
}

type Handler = fn(&Req, &Ctx) -> Reply;

/// One route and the lesson it teaches.
#[derive(Clone, Copy)]
pub struct RouteInfo {
    /// `GET`, `POST`, or `ANY` for every method. `GET` routes also answer `HEAD`.
    pub method: &'static str,
    /// The path; for `/echo` also every path below it.
    pub path: &'static str,
    /// The credential the route reads, as a learner would name it.
    pub scheme: &'static str,
    /// What the handler really checks: `/openapi.json` states each route's `security` from
    /// this, so a route added to the table is in the document with what it enforces.
    pub guard: Guard,
    pub lesson: &'static str,
    handler: Handler,
}

/// What a route's handler checks before it answers, in the terms of the API's own OpenAPI
/// document (`practice/openapi.rs` turns it into FastAPI's scheme names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// No credential is read: everyone gets the same answer. The redirect routes are open:
    /// they answer 307 to anyone, and what their target needs is the target's own guard.
    Open,
    /// `Authorization: Bearer` with the practice token (`HTTPBearer`).
    Bearer,
    /// The key in the `X-API-Key` header (`APIKeyHeader`). Stated whatever `API_KEY` and
    /// `API_KEY_REQUIRED` are, as FastAPI states it: its document does not change with the
    /// server's environment, which is the notebook story's trap.
    ApiKey,
    /// `Authorization: Basic` (`HTTPBasic`).
    Basic,
    /// An access token from `POST /jwt/token` as `Authorization: Bearer`, with these scopes
    /// (`OAuth2ClientCredentials`).
    OAuth(&'static [&'static str]),
    /// The `session` cookie set by `POST /cookie/login` (`APIKeyCookie`).
    Session,
    /// The token endpoint's client authentication: Basic with the client id and secret, or
    /// `client_secret` / `api_key` in the body, which no security scheme can name.
    Client,
}

impl fmt::Debug for RouteInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteInfo")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("scheme", &self.scheme)
            .field("guard", &self.guard)
            .field("lesson", &self.lesson)
            .finish()
    }
}

impl RouteInfo {
    fn matches_path(&self, path: &str) -> bool {
        path == self.path
            || (self.path == "/echo"
                && path
                    .strip_prefix("/echo")
                    .is_some_and(|r| r.starts_with('/')))
    }

    fn allows(&self, method: &Method) -> bool {
        self.method == "ANY"
            || self.method == method.as_str()
            || (self.method == "GET" && method == Method::HEAD)
    }
}

const fn route(
    method: &'static str,
    path: &'static str,
    scheme: &'static str,
    guard: Guard,
    lesson: &'static str,
    handler: Handler,
) -> RouteInfo {
    RouteInfo {
        method,
        path,
        scheme,
        guard,
        lesson,
        handler,
    }
}

/// Kept as one line per route so the table reads as a table.
#[rustfmt::skip]
static ROUTES: [RouteInfo; 18] = [
    route("GET", "/", "none", Guard::Open,
        "This index: every route, the credential it reads and what it teaches (JSON with Accept: application/json).",
        index::index),
    route("GET", "/openapi.json", "none", Guard::Open,
        "The API's own OpenAPI document, FastAPI style: securitySchemes say where each credential goes, each operation's security which it needs. authlens --spec reads it.",
        openapi::serve),
    route("GET", "/v1/models", "Bearer", Guard::Bearer,
        "OpenAI-style API: the key goes in Authorization: Bearer <key>. The scheme is case-insensitive; a key in X-API-Key is no key at all here.",
        openai::models),
    route("POST", "/v1/chat/completions", "Bearer", Guard::Bearer,
        "Same Bearer check on a POST with a JSON body; the answer is canned.",
        openai::chat_completions),
    route("GET", "/api/v1/health", "none", Guard::Open,
        "Open health check of the FastAPI-style API; it says whether the server's own API_KEY and API_KEY_REQUIRED make the key check open, required, or impossible.",
        apikey::health),
    route("POST", "/api/v1/vote-extraction/extract", "X-API-Key", Guard::ApiKey,
        "FastAPI-style upload: the raw key in X-API-Key, no scheme word. Authorization: Bearer and X_API_KEY (underscore) do not count; a required but empty API_KEY rejects everyone.",
        apikey::extract),
    route("GET", "/basic/profile", "Basic", Guard::Basic,
        "Basic auth is base64(user:password): an encoding, not encryption. Unencoded or colon-less credentials are rejected with a reason.",
        basic::profile),
    route("GET", "/jwt/profile", "Bearer (JWT)", Guard::OAuth(&[]),
        "A JWT is checked for signature, exp and nbf (60 s leeway) and aud; the challenge's error_description says which check failed.",
        token_routes::profile),
    route("POST", "/jwt/token", "client_secret or api_key", Guard::Client,
        "Token endpoint (client credentials, form or JSON body): mints a JWT valid for one hour; scope admin needs the client secret.",
        token_routes::token),
    route("GET", "/admin/users", "Bearer + scope admin", Guard::OAuth(&["admin"]),
        "401 vs 403: a valid credential without the admin scope gets 403 insufficient_scope; no credential or a bad one gets 401.",
        token_routes::admin_users),
    route("POST", "/cookie/login", "Basic or form → session cookie", Guard::Basic,
        "Cookie session: a login (Basic, or a form with username and password) answers 303 to /cookie/me with Set-Cookie session=…; Path=/cookie. A client with a cookie jar sends it back on the next hop; ?max_age=N gives it a lifetime, ?secure=1 marks it Secure (kept off plain http except to localhost, as curl and browsers do), ?path=/cookie/admin sets a Path that /cookie/me is not under.",
        cookie::login),
    route("GET", "/cookie/me", "session cookie", Guard::Session,
        "Only the session cookie counts here: without it 401 says the cookie is missing; an unknown or expired one is 401 and cleared with Max-Age=0.",
        cookie::me),
    route("POST", "/cookie/logout", "none", Guard::Open,
        "Clears the session cookie (Max-Age=0) and sends you to /cookie/me, which then answers 401.",
        cookie::logout),
    // The redirects read no credential: anyone gets the 307, so their security is none; the
    // target's own route says what the next hop needs.
    route("GET", "/redirect/models", "Bearer (redirected)", Guard::Open,
        "307 to /v1/models on the other origin (another port): clients drop Authorization on the way, so the Bearer request arrives without it.",
        redirect_models),
    route("POST", "/redirect/extract", "X-API-Key (redirected)", Guard::Open,
        "307 to the upload on the other origin: clients forward a custom X-API-Key header, so the key leaks to the new host.",
        redirect_extract),
    route("GET", "/redirect/same-origin", "Bearer (redirected)", Guard::Open,
        "307 to /v1/models on the same origin, for contrast: Authorization is kept.",
        redirect_same_origin),
    route("GET", "/strict/v1/models", "Bearer (byte-exact)", Guard::Bearer,
        "A naive server: only the exact text 'Bearer ' + token passes. bearer, BEARER or two spaces fail here and pass on /v1/models.",
        openai::strict_models),
    // Open; in the document as every method OpenAPI can name, on /echo and /echo/{path}.
    route("ANY", "/echo", "none", Guard::Open,
        "Any method, any path under /echo: answers with the exact bytes it received (message/http).",
        echo),
];

/// Every route with its method, credential scheme and lesson.
pub fn routes() -> &'static [RouteInfo] {
    &ROUTES
}

/// Finds the route for a request: 404 for an unknown path, 405 for a known one with another method.
pub(crate) fn dispatch(req: &Req, ctx: &Ctx) -> Reply {
    let path = req.parts.uri.path();
    let on_path: Vec<&RouteInfo> = ROUTES.iter().filter(|r| r.matches_path(path)).collect();
    if let Some(route) = on_path.iter().find(|r| r.allows(&req.parts.method)) {
        return (route.handler)(req, ctx);
    }
    if on_path.is_empty() {
        let body = json!({ "detail": "Not Found", "path": path, "hint": "GET / lists the routes" });
        return reply::json(StatusCode::NOT_FOUND, &body);
    }
    let allow: Vec<&str> = on_path.iter().map(|r| r.method).collect();
    let body = json!({ "detail": "Method Not Allowed", "allowed": allow });
    reply::with_header(
        reply::json(StatusCode::METHOD_NOT_ALLOWED, &body),
        ALLOW.as_str(),
        &allow.join(", "),
    )
}

/// A 307 (method and body kept) to `path` on `origin`, with the request's query carried over.
fn redirect_to(req: &Req, origin: SocketAddr, path: &str, lesson: &str) -> Reply {
    let query = req
        .parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let location = format!("http://{origin}{path}{query}");
    let body = json!({ "detail": format!("Temporary Redirect to {location}"), "lesson": lesson });
    reply::with_header(
        reply::json(StatusCode::TEMPORARY_REDIRECT, &body),
        "location",
        &location,
    )
}

fn redirect_models(req: &Req, ctx: &Ctx) -> Reply {
    let lesson =
        "Another port is another origin: clients remove Authorization before following this.";
    redirect_to(req, ctx.other, "/v1/models", lesson)
}

fn redirect_extract(req: &Req, ctx: &Ctx) -> Reply {
    let lesson = "Another origin: clients forward custom headers such as X-API-Key, so the key goes there too.";
    redirect_to(req, ctx.other, "/api/v1/vote-extraction/extract", lesson)
}

fn redirect_same_origin(req: &Req, ctx: &Ctx) -> Reply {
    let lesson = "Same scheme, host and port: clients keep Authorization.";
    redirect_to(req, ctx.here, "/v1/models", lesson)
}

/// `/echo…`: the request exactly as received.
fn echo(req: &Req, _ctx: &Ctx) -> Reply {
    reply::bytes(StatusCode::OK, "message/http", req.raw.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_routed_once_per_method_and_echo_covers_its_subtree() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(!(a.path == b.path && a.method == b.method), "{a:?} twice");
            }
        }
        let echo = ROUTES.iter().find(|r| r.path == "/echo").unwrap();
        assert!(echo.matches_path("/echo") && echo.matches_path("/echo/a/b"));
        assert!(!echo.matches_path("/echoes"));
        assert!(echo.allows(&Method::from_bytes(b"PURGE").unwrap()));
    }
}
