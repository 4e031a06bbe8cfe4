//! `GET /openapi.json`: the practice API's own OpenAPI document, written as FastAPI writes
//! one, so `authlens --spec` can be practised on a server whose spec is known to be true.
//!
//! Every operation and its `security` come from the route table's [`Guard`]s, never from a
//! second list: a route added to the table is in the document with what its handler checks.

use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::apikey;
use super::reply::{self, Reply};
use super::routes::{Ctx, Guard, Req, RouteInfo, routes};

/// The scheme names FastAPI gives its security classes (`APIKeyHeader`, `HTTPBearer`,
/// `HTTPBasic`); the OAuth one is a client-credentials `OAuth2` named as people name it.
const API_KEY: &str = "APIKeyHeader";
const BEARER: &str = "HTTPBearer";
const BASIC: &str = "HTTPBasic";
const OAUTH: &str = "OAuth2ClientCredentials";
const COOKIE: &str = "APIKeyCookie";

/// `/echo` answers any method; OpenAPI can only name these, so each is its own operation.
const EVERY_METHOD: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn serve(_req: &Req, _ctx: &Ctx) -> Reply {
    reply::json(StatusCode::OK, &document())
}

/// The whole document: `info`, one operation per route and method, and the schemes. No
/// `servers`, as FastAPI writes none: the paths then match on both origins.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        for (path, method) in operations_of(route) {
            let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
            item[method.as_str()] = operation(route, &path, &method);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "authlens practice server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Each route teaches one reason for a 401. The credentials are fake and printed by `authlens serve` and `GET /`.",
        },
        "paths": paths,
        "components": { "securitySchemes": schemes() },
    })
}

/// (path, lower-case method) of each operation a route answers. `GET` routes also answer
/// `HEAD`, which FastAPI does not list, and `find` matches a HEAD to the GET. `/echo`
/// answers every path below it; FastAPI's `{path:path}` is written `/echo/{path}`, whose
/// template matches one segment, so deeper paths are in no operation of the document.
fn operations_of(route: &RouteInfo) -> Vec<(String, String)> {
    if route.method != "ANY" {
        return vec![(route.path.to_string(), route.method.to_ascii_lowercase())];
    }
    let subtree = format!("{}/{{path}}", route.path);
    [route.path.to_string(), subtree]
        .into_iter()
        .flat_map(|p| EVERY_METHOD.map(|m| (p.clone(), m.to_string())))
        .collect()
}

/// One operation, with `security` only when the handler checks something (FastAPI leaves
/// it out of open routes).
fn operation(route: &RouteInfo, path: &str, method: &str) -> Value {
    let mut op = json!({
        "summary": summary(route.lesson),
        "description": route.lesson,
        "operationId": operation_id(path, method),
        "responses": responses(route.guard),
    });
    if let Some(security) = security(route.guard) {
        op["security"] = security;
    }
    if route.guard == Guard::Client {
        op["requestBody"] = token_body();
    }
    op
}

/// The route's `security`: a list of alternatives (OR), each an object of schemes (AND).
/// The token endpoint's client may authenticate with Basic or in the body; the body is no
/// scheme, so that alternative is `{}`, as OpenAPI writes optional security.
fn security(guard: Guard) -> Option<Value> {
    match guard {
        Guard::Open => None,
        Guard::Bearer => Some(json!([{ BEARER: [] }])),
        Guard::ApiKey => Some(json!([{ API_KEY: [] }])),
        Guard::Basic => Some(json!([{ BASIC: [] }])),
        Guard::OAuth(scopes) => Some(json!([{ OAUTH: scopes }])),
        Guard::Session => Some(json!([{ COOKIE: [] }])),
        Guard::Client => Some(json!([{ BASIC: [] }, {}])),
    }
}

fn responses(guard: Guard) -> Value {
    let mut r = json!({ "200": { "description": "Successful Response" } });
    if guard != Guard::Open {
        r["401"] = json!({ "description": "Not authenticated" });
    }
    if let Guard::OAuth(scopes) = guard
        && !scopes.is_empty()
    {
        r["403"] = json!({ "description": "Authenticated, without the scope this needs" });
    }
    r
}

fn schemes() -> Value {
    json!({
        API_KEY: { "type": "apiKey", "in": "header", "name": apikey::HEADER },
        BEARER: { "type": "http", "scheme": "bearer" },
        BASIC: { "type": "http", "scheme": "basic" },
        COOKIE: { "type": "apiKey", "in": "cookie", "name": super::cookie::NAME },
        OAUTH: {
            "type": "oauth2",
            "flows": { "clientCredentials": {
                "tokenUrl": "/jwt/token",
                "scopes": {
                    "read": "Read the practice API (what a token gets by default)",
                    "admin": "GET /admin/users (needs the client secret)",
                },
            } },
        },
    })
}

/// The form the token endpoint reads: where the `{}` alternative's credential goes.
fn token_body() -> Value {
    let field = |d: &str| json!({ "type": "string", "description": d });
    json!({ "content": { "application/x-www-form-urlencoded": { "schema": {
        "type": "object",
        "properties": {
            "grant_type": field("client_credentials"),
            "scope": field("read (default), or read admin with the client secret"),
            "client_id": field("authlens-practice-client"),
            "client_secret": field("the practice client secret"),
            "api_key": field("the practice X-API-Key value, for a read-only token"),
        },
    } } } })
}

/// FastAPI's summary is the function's name in words; the lesson's first clause is ours.
fn summary(lesson: &str) -> String {
    let end = [". ", ": ", "; "]
        .iter()
        .filter_map(|p| lesson.find(p))
        .min()
        .unwrap_or(lesson.len());
    lesson[..end].trim_end_matches('.').to_string()
}

/// FastAPI's unique id shape: the path's word characters joined by `_`, then the method.
fn operation_id(path: &str, method: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [] => format!("index_{method}"),
        w => format!("{}_{method}", w.join("_")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_are_unique_across_the_document() {
        let doc = document();
        let mut ids: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .map(|op| op["operationId"].as_str().unwrap())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(ids.contains(&"api_v1_vote_extraction_extract_post"));
        assert!(ids.contains(&"index_get"));
    }

    #[test]
    fn summaries_are_the_lessons_first_clause() {
        assert_eq!(
            summary("OpenAI-style API: the key goes."),
            "OpenAI-style API"
        );
        assert_eq!(summary("No stop here"), "No stop here");
    }
}
