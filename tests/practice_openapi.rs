//! The practice server's own `/openapi.json` is true: authlens reads it as `--spec` would,
//! and for every route of the table a request with the credential in the slot the document
//! names passes the route's credential check, while the same credential in another slot is
//! refused — sent to the real server, not compared with the table.

use authlens::practice::{self, Config, PracticeServer, keys};
use authlens::send::{self, document::load_spec};
use authlens::spec::{Alternative, KeyIn, Lookup, Scheme, Spec};
use base64::Engine;
use serde_json::Value;

/// The methods OpenAPI can name, which is how the document spells `/echo`'s "any method".
const EVERY_METHOD: [&str; 8] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Where one credential goes: a header's name and its whole value.
type Slot = (String, String);

/// The practice credential for one scheme of the document, in the slot it names. Basic on
/// the token endpoint is client authentication, so it carries the client id and secret.
fn right_slot(scheme: &Scheme, path: &str) -> Slot {
    let basic = |u: &str, p: &str| {
        let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
        ("Authorization".to_string(), format!("Basic {b64}"))
    };
    match scheme {
        Scheme::ApiKey {
            location: KeyIn::Header,
            name,
        } => (name.clone(), keys::API_KEY.to_string()),
        Scheme::ApiKey {
            location: KeyIn::Cookie,
            name,
        } => (
            "Cookie".to_string(),
            format!("{name}={}", keys::SESSION_COOKIE),
        ),
        Scheme::Http { scheme, .. } if scheme == "bearer" => bearer(keys::BEARER_TOKEN),
        Scheme::Http { scheme, .. } if scheme == "basic" && path == "/jwt/token" => {
            basic(keys::CLIENT_ID, keys::CLIENT_SECRET)
        }
        Scheme::Http { scheme, .. } if scheme == "basic" => {
            basic(keys::BASIC_USER, keys::BASIC_PASSWORD)
        }
        // An admin-scoped JWT passes every OAuth route, whatever scope it asks.
        Scheme::OAuth2 { .. } => bearer(&practice::admin_jwt()),
        other => {
            panic!("{path}: the practice document has a scheme this test cannot send: {other:?}")
        }
    }
}

fn bearer(token: &str) -> Slot {
    ("Authorization".to_string(), format!("Bearer {token}"))
}

/// The same credential moved to the other kind of slot: `Authorization` ↔ `X-API-Key`.
fn wrong_slot((name, value): &Slot) -> Slot {
    if name.eq_ignore_ascii_case("authorization") {
        let raw = value.split_once(' ').map_or(value.as_str(), |(_, v)| v);
        ("X-API-Key".to_string(), raw.to_string())
    } else {
        bearer(value)
    }
}

async fn status(method: &str, url: &str, slots: &[Slot], form: Option<&str>) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut rb = client().request(method, url);
    for (name, value) in slots {
        rb = rb.header(name, value);
    }
    if let Some(body) = form {
        rb = rb
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string());
    }
    rb.send().await.unwrap().status().as_u16()
}

/// Every (method, path) the table answers, as the document should list it.
fn table_operations() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in practice::routes() {
        if r.method == "ANY" {
            for path in [r.path.to_string(), format!("{}/sample", r.path)] {
                out.extend(EVERY_METHOD.map(|m| (m.to_string(), path.clone())));
            }
        } else {
            out.push((r.method.to_string(), r.path.to_string()));
        }
    }
    out
}

async fn served_spec(s: &PracticeServer) -> Spec {
    let url = s.url("/openapi.json");
    load_spec(&url, &send::Options::default())
        .await
        .unwrap_or_else(|e| panic!("the served document does not load: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_is_fastapi_shaped_and_authlens_reads_it() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let text = client()
        .get(s.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["APIKeyHeader"]["name"], "X-API-Key");
    assert_eq!(schemes["HTTPBearer"]["scheme"], "bearer");
    assert_eq!(schemes["HTTPBasic"]["scheme"], "basic");
    let flow = &schemes["OAuth2ClientCredentials"]["flows"]["clientCredentials"];
    assert_eq!(flow["tokenUrl"], "/jwt/token");
    assert!(flow["scopes"]["admin"].is_string());
    assert!(
        doc["paths"]["/api/v1/health"]["get"]["security"].is_null(),
        "open routes have no security, as FastAPI writes them"
    );

    let spec = authlens::spec::parse(&text, &s.url("/openapi.json"), None).unwrap();
    assert_eq!(spec.version, "3.1.0");
    assert_eq!(spec.operation_count(), table_operations().len());
    let Lookup::Found(found) = spec.find("POST", &s.url("/api/v1/vote-extraction/extract")) else {
        panic!("the upload is not in the document");
    };
    assert_eq!(
        spec.security(found.operation).describe(),
        "the `X-API-Key` header (APIKeyHeader)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_in_the_document_with_the_security_its_handler_enforces() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let spec = served_spec(&s).await;
    let mut problems = Vec::new();
    for (method, path) in table_operations() {
        let url = s.url(&path);
        let Lookup::Found(found) = spec.find(&method, &url) else {
            problems.push(format!("{method} {path}: no operation in the document"));
            continue;
        };
        let security = spec.security(found.operation);
        for alt in &security.alternatives {
            problems.extend(probe_alternative(&method, &path, &url, alt).await);
        }
        let anonymous = status(&method, &url, &[], anonymous_body(&path).as_deref()).await;
        match (security.anonymous_allowed(), anonymous) {
            (true, 401 | 403) => problems.push(format!(
                "{method} {path}: the document allows no credential, the server answered {anonymous}"
            )),
            (false, st) if st != 401 => problems.push(format!(
                "{method} {path}: the document requires {}, yet no credential got {st}",
                security.describe()
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The `{}` alternative of the token endpoint: the client authenticates in the form body,
/// which no security scheme names. Other open routes take no body.
fn anonymous_body(path: &str) -> Option<String> {
    (path == "/jwt/token").then(|| {
        format!(
            "grant_type=client_credentials&client_secret={}",
            keys::CLIENT_SECRET
        )
    })
}

/// One alternative: its credentials in the slots it names pass; each moved to the other
/// kind of slot is refused with 401.
async fn probe_alternative(
    method: &str,
    path: &str,
    url: &str,
    alt: &Alternative<'_>,
) -> Vec<String> {
    if alt.parts.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let right: Vec<Slot> = alt
        .parts
        .iter()
        .map(|p| right_slot(p.scheme.expect("every scheme is defined"), path))
        .collect();
    let got = status(method, url, &right, None).await;
    if matches!(got, 401 | 403) {
        problems.push(format!("{method} {path}: {alt} in its slot got {got}"));
    }
    let wrong: Vec<Slot> = right.iter().map(wrong_slot).collect();
    let got = status(method, url, &wrong, None).await;
    if got != 401 {
        problems.push(format!(
            "{method} {path}: {alt} moved to {:?} got {got}, not 401",
            wrong.iter().map(|w| &w.0).collect::<Vec<_>>()
        ));
    }
    problems
}
