//! The token lessons: a JWT-protected profile (expiry, not-before, audience), a token
//! endpoint that mints one, and a scoped route that tells 401 ("who are you?") from 403
//! ("I know who you are, and no").

use hyper::StatusCode;
use hyper::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};

use super::credentials::{AuthHeader, authorization, basic_credentials, bearer_token};
use super::jwt;
use super::keys;
use super::reply::{self, BearerError, Reply};
use super::routes::{Ctx, Req};

/// The reply for a request without a usable Bearer credential.
fn bearer_failure(e: BearerError) -> Reply {
    let challenge = reply::bearer_challenge(keys::REALM, &e);
    match &e {
        BearerError::Missing => reply::unauthorized(
            &challenge,
            &json!({ "detail": "Missing bearer token. Send Authorization: Bearer <JWT>; POST /jwt/token mints one." }),
        ),
        BearerError::InvalidRequest(d) => {
            let reply = reply::json(StatusCode::BAD_REQUEST, &json!({ "detail": d }));
            reply::with_header(reply, "www-authenticate", &challenge)
        }
        BearerError::InvalidToken(d) | BearerError::InsufficientScope { description: d, .. } => {
            reply::unauthorized(&challenge, &json!({ "detail": d }))
        }
    }
}

fn invalid_token(description: String) -> Reply {
    bearer_failure(BearerError::InvalidToken(description))
}

/// `GET /jwt/profile`: the claims of a valid practice JWT.
pub(crate) fn profile(req: &Req, _ctx: &Ctx) -> Reply {
    let token = match bearer_token(&req.parts.headers) {
        Ok(token) => token,
        Err(e) => return bearer_failure(e),
    };
    match jwt::verify(&token, jwt::now()) {
        Ok(claims) => {
            let expires = claims["exp"].as_f64().map(|e| jwt::iso8601(e as i64));
            reply::json(
                StatusCode::OK,
                &json!({ "claims": claims, "expires_at": expires }),
            )
        }
        Err(e) => invalid_token(e.description()),
    }
}

/// `GET /admin/users`: any valid credential gets in the door, only `admin` gets an answer.
pub(crate) fn admin_users(req: &Req, _ctx: &Ctx) -> Reply {
    let token = match bearer_token(&req.parts.headers) {
        Ok(token) => token,
        Err(e) => return bearer_failure(e),
    };
    let is_admin = if token == keys::ADMIN_TOKEN {
        true
    } else if token == keys::BEARER_TOKEN {
        false
    } else if !token.contains('.') {
        return invalid_token("The access token is not recognised".into());
    } else {
        match jwt::verify(&token, jwt::now()) {
            Ok(claims) => jwt::has_scope(&claims, "admin"),
            Err(e) => return invalid_token(e.description()),
        }
    };
    if is_admin {
        let users = json!({ "users": [{ "id": 1, "name": keys::BASIC_USER }, { "id": 2, "name": "admin" }] });
        return reply::json(StatusCode::OK, &users);
    }
    let description = "The token is valid but lacks the admin scope".to_string();
    let challenge = reply::bearer_challenge(
        keys::REALM,
        &BearerError::InsufficientScope {
            scope: "admin",
            description,
        },
    );
    let body = json!({
        "detail": "Forbidden: your credential is valid, but it does not grant the admin scope. 403 means the server knows who you are and the answer is no; sending the same token again will not help, a token with scope admin will.",
        "required_scope": "admin",
    });
    reply::with_header(
        reply::json(StatusCode::FORBIDDEN, &body),
        "www-authenticate",
        &challenge,
    )
}

/// An OAuth error (RFC 6749 §5.2); a 401 challenges with Basic, the client auth we accept.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Reply {
    let reply = reply::json(
        status,
        &json!({ "error": error, "error_description": description }),
    );
    if status == StatusCode::UNAUTHORIZED {
        reply::with_header(reply, "www-authenticate", &reply::basic_challenge())
    } else {
        reply
    }
}

/// Who is asking for a token, and the scopes they may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    /// Authenticated with the client secret: may have `read` and `admin`.
    Confidential,
    /// Presented the practice API key: `read` only.
    KeyHolder,
}

/// `POST /jwt/token`: a client-credentials token endpoint that answers with a fresh JWT.
pub(crate) fn token(req: &Req, ctx: &Ctx) -> Reply {
    let params = match request_params(req) {
        Ok(params) => params,
        Err(d) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &d),
    };
    let param = |name: &str| param(&params, name);
    if param("grant_type").is_some_and(|g| g != "client_credentials") {
        let d = "Only grant_type=client_credentials is supported";
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", d);
    }
    let client = match identify(req, ctx, &params) {
        Ok(client) => client,
        Err(d) => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", &d),
    };
    let scope = param("scope").unwrap_or("read").trim();
    let allowed: &[&str] = if client == Client::Confidential {
        &["read", "admin"]
    } else {
        &["read"]
    };
    if scope.is_empty() || !scope.split(' ').all(|s| allowed.contains(&s)) {
        let d = format!("This client may request only: {}", allowed.join(" "));
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", &d);
    }
    let subject = if client == Client::Confidential {
        keys::CLIENT_ID
    } else {
        "api-key-holder"
    };
    let access_token = jwt::mint_jwt(&jwt::practice_claims(jwt::now(), subject, scope));
    let body = json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": 3600, "scope": scope });
    reply::with_header(
        reply::json(StatusCode::OK, &body),
        "cache-control",
        "no-store",
    )
}

/// The client, or why it is not one (an `invalid_client` description): Basic client
/// authentication, a `client_secret` parameter, or the practice key in an `api_key` parameter
/// (the built-in one, or the server's configured `API_KEY`).
fn identify(req: &Req, ctx: &Ctx, params: &Map<String, Value>) -> Result<Client, String> {
    let param = |name: &str| param(params, name);
    if !matches!(authorization(&req.parts.headers), AuthHeader::Missing) {
        return match basic_credentials(&req.parts.headers) {
            Ok((id, secret)) if id == keys::CLIENT_ID && secret == keys::CLIENT_SECRET => {
                Ok(Client::Confidential)
            }
            Ok(_) => Err("Unknown client_id or wrong client_secret".into()),
            Err(e) => Err(e.detail()),
        };
    }
    if let Some(secret) = param("client_secret") {
        let id_ok = param("client_id").is_none_or(|id| id == keys::CLIENT_ID);
        return if id_ok && secret == keys::CLIENT_SECRET {
            Ok(Client::Confidential)
        } else {
            Err("Unknown client_id or wrong client_secret".into())
        };
    }
    match param("api_key") {
        Some(k) if k == keys::API_KEY || Some(k) == ctx.config.effective_api_key() => {
            Ok(Client::KeyHolder)
        }
        Some(_) => Err("Invalid api_key".into()),
        None => {
            Err("Client authentication failed: send client_secret (or the practice api_key)".into())
        }
    }
}

fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    params.get(name).and_then(Value::as_str)
}

/// The request's parameters from a form or JSON body; an empty body has none.
fn request_params(req: &Req) -> Result<Map<String, Value>, String> {
    let content_type = req
        .parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if req.body.is_empty() {
        return Ok(Map::new());
    }
    match essence.as_str() {
        "application/x-www-form-urlencoded" => Ok(parse_form(&req.body)),
        "application/json" => match serde_json::from_slice(&req.body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err("The body is not a JSON object".into()),
        },
        _ => Err(
            "Send the parameters as application/x-www-form-urlencoded or application/json".into(),
        ),
    }
}

/// `a=1&b=x+y%21` into string values; the first occurrence of a name wins.
fn parse_form(body: &[u8]) -> Map<String, Value> {
    let mut map = Map::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = pair.splitn(2, |&b| b == b'=');
        let key = percent_decode(kv.next().unwrap_or_default());
        let value = percent_decode(kv.next().unwrap_or_default());
        map.entry(key).or_insert(Value::String(value));
    }
    map
}

fn percent_decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (s[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_percent_and_plus() {
        let map = parse_form(b"client_secret=a%2Bb+c&scope=read%20admin&x&scope=ignored&bad=%zz");
        assert_eq!(map["client_secret"], "a+b c");
        assert_eq!(map["scope"], "read admin");
        assert_eq!(map["x"], "");
        assert_eq!(map["bad"], "%zz");
    }
}
