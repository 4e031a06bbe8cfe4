//! What the server says about itself: the index page and the `authlens serve` banner. Both
//! are read from the route table, so they cannot drift from what the server does.

use std::net::SocketAddr;

use base64::Engine;
use hyper::StatusCode;
use hyper::header::ACCEPT;
use serde_json::{Value, json};

use super::reply::{self, Reply};
use super::routes::{Ctx, Req, routes};
use super::{Config, Limits, jwt, keys};

/// `GET /`: text for people, JSON for programs (`Accept: application/json`).
pub(crate) fn index(req: &Req, ctx: &Ctx) -> Reply {
    let wants_json = req.parts.headers.get_all(ACCEPT).iter().any(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .to_ascii_lowercase()
            .contains("application/json")
    });
    if wants_json {
        return reply::json(StatusCode::OK, &index_json(ctx));
    }
    let mut text = format!(
        "authlens practice server on http://{}\n\nRoutes:\n",
        ctx.here
    );
    text.push_str(&route_table());
    text.push_str("\nFake credentials (practice only):\n");
    text.push_str(&credential_lines(ctx.config));
    reply::text(StatusCode::OK, text)
}

fn index_json(ctx: &Ctx) -> Value {
    let routes: Vec<Value> = routes()
        .iter()
        .map(|r| json!({ "method": r.method, "path": r.path, "scheme": r.scheme, "lesson": r.lesson }))
        .collect();
    let credentials = json!({
        "bearer_token": keys::BEARER_TOKEN,
        "admin_token": keys::ADMIN_TOKEN,
        "x_api_key": api_key_text(ctx.config),
        "basic_user": keys::BASIC_USER,
        "basic_password": keys::BASIC_PASSWORD,
        "client_id": keys::CLIENT_ID,
        "client_secret": keys::CLIENT_SECRET,
    });
    let origins =
        json!({ "here": format!("http://{}", ctx.here), "other": format!("http://{}", ctx.other) });
    json!({ "routes": routes, "credentials": credentials, "origins": origins })
}

/// `METHOD  PATH  [scheme]` lines, each followed by its lesson wrapped to a terminal's width.
fn route_table() -> String {
    let width = routes().iter().map(|r| r.path.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in routes() {
        out.push_str(&format!(
            "  {:<5} {:<width$}  [{}]\n",
            r.method, r.path, r.scheme
        ));
        out.push_str(&wrap(r.lesson, 8, 92));
    }
    out
}

/// Word-wraps `text` to `width` columns, each line indented by `indent` spaces.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > width {
            out.push_str(&format!("{:indent$}{line}\n", ""));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{:indent$}{line}\n", ""));
    }
    out
}

/// The `X-API-Key` to use. The fake key is shown; a key from the environment may be a real
/// one, so it is only described.
fn api_key_text(config: &Config) -> String {
    match (config.effective_api_key(), config.api_key_required) {
        (Some(k), _) if k == keys::API_KEY => k.to_string(),
        (Some(k), _) => format!("the value of API_KEY, {}", crate::secret::mask(k)),
        (None, true) => {
            "none works: API_KEY is empty but required, so the upload always answers 401".into()
        }
        (None, false) => {
            "none needed: API_KEY is empty and not required, so the upload is open".into()
        }
    }
}

fn credential_lines(config: &Config) -> String {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        keys::BASIC_USER,
        keys::BASIC_PASSWORD
    ));
    [
        format!("  Authorization: Bearer {}", keys::BEARER_TOKEN),
        format!(
            "  Authorization: Bearer {}   (admin scope)",
            keys::ADMIN_TOKEN
        ),
        format!("  X-API-Key: {}", api_key_text(config)),
        format!(
            "  Authorization: Basic {basic}   ({}:{})",
            keys::BASIC_USER,
            keys::BASIC_PASSWORD
        ),
        format!(
            "  POST /jwt/token: client_id={} client_secret={}",
            keys::CLIENT_ID,
            keys::CLIENT_SECRET
        ),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect()
}

/// What `authlens serve` prints: where the server is, its routes, what to paste and to try.
pub(crate) fn banner(
    config: &Config,
    limits: &Limits,
    main: SocketAddr,
    other: SocketAddr,
) -> String {
    let mut out = format!(
        "authlens practice server\n  main origin   http://{main}\n  other origin  http://{other}   (target of the cross-origin redirects)\n\nRoutes:\n"
    );
    out.push_str(&route_table());
    out.push_str(&format!(
        "\nBodies over {} MiB get 413. The newest {} requests (at most {} MiB) are kept for\ninspection; older ones are dropped.\n",
        super::MAX_BODY >> 20,
        limits.records,
        limits.bytes >> 20
    ));
    out.push_str("\nFake credentials (practice only, safe to copy):\n");
    out.push_str(&credential_lines(config));
    out.push_str(&format!(
        "  JWT valid for 1 h from now:  {}\n",
        jwt::valid_jwt()
    ));
    out.push_str(&format!(
        "  JWT that has expired:        {}\n",
        jwt::expired_jwt()
    ));
    // A key of the user's own is not printed: the shell expands `$API_KEY`, so that example
    // is in double quotes (in single quotes curl would send the literal text and get 401).
    let key_header = match config.effective_api_key() {
        Some(k) if k == keys::API_KEY => format!("'X-API-Key: {k}'"),
        _ => "\"X-API-Key: $API_KEY\"".to_string(),
    };
    let bearer = keys::BEARER_TOKEN;
    out.push_str(&format!(
        "\nTry:\n  curl -i http://{main}/v1/models -H 'Authorization: Bearer {bearer}'\n  curl -i http://{main}/api/v1/vote-extraction/extract -H {key_header} -F files=@page1.jpg\n  curl -i -L http://{main}/redirect/models -H 'Authorization: Bearer {bearer}'\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banner_of(config: &Config) -> String {
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        banner(config, &Limits::default(), addr, addr)
    }

    #[test]
    fn the_banner_shows_fake_keys_but_only_describes_a_key_from_the_environment() {
        let banner = banner_of(&Config::practice_default());
        assert!(banner.contains(keys::API_KEY) && banner.contains(keys::BEARER_TOKEN));
        assert!(banner.contains("/redirect/models"));
        let own = "my-own-secret-value-0987654321";
        let real = Config {
            api_key: Some(own.into()),
            ..Config::practice_default()
        };
        assert!(!banner_of(&real).contains(own));
        assert!(banner_of(&real).contains("the value of API_KEY, my-ow…4321"));
    }

    #[test]
    fn lessons_wrap_at_the_width_without_losing_words() {
        let text = "one two three four five six seven eight nine ten";
        let wrapped = wrap(text, 2, 16);
        assert!(
            wrapped
                .lines()
                .all(|l| l.len() <= 16 && l.starts_with("  ")),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>().join(" "),
            text
        );
    }
}
