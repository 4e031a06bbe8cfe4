//! End-to-end tests of the practice server on real loopback sockets: each lesson's pass and
//! fail cases, the raw-byte record against what a raw TCP client wrote, and robustness.

use std::time::Duration;

use authlens::practice::{self, Config, PracticeServer, keys};
use base64::Engine;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DEADLINE: Duration = Duration::from_secs(10);
const REALM_CHALLENGE: &str = "Bearer realm=\"authlens-practice\"";

async fn start(config: Config) -> PracticeServer {
    PracticeServer::start(config).await.expect("bind loopback")
}

fn client(follow_redirects: bool) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let policy = if follow_redirects {
        reqwest::redirect::Policy::limited(5)
    } else {
        reqwest::redirect::Policy::none()
    };
    reqwest::Client::builder()
        .no_proxy()
        .redirect(policy)
        .build()
        .unwrap()
}

/// A response reduced to what the lessons assert on.
#[derive(Debug)]
struct Got {
    status: u16,
    challenge: Option<String>,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn detail(&self) -> String {
        self.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

async fn got(rb: reqwest::RequestBuilder) -> Got {
    let resp = tokio::time::timeout(DEADLINE, rb.send())
        .await
        .expect("in time")
        .expect("sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let challenge = headers
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let text = resp.text().await.unwrap();
    Got {
        status,
        challenge,
        headers,
        text,
    }
}

async fn get(s: &PracticeServer, path: &str, headers: &[(&str, &str)]) -> Got {
    let mut rb = client(false).get(s.url(path));
    for (n, v) in headers {
        rb = rb.header(*n, *v);
    }
    got(rb).await
}

/// A JSON POST (reqwest's `json` feature is not enabled in this crate).
fn post_json(url: String, body: &Value) -> reqwest::RequestBuilder {
    client(false)
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

// ---------------------------------------------------------------- raw TCP

/// A raw connection: writes exactly the given bytes, reads responses by Content-Length.
struct Raw {
    stream: TcpStream,
    buf: Vec<u8>,
}

#[derive(Debug)]
struct RawResponse {
    head: String,
    body: Vec<u8>,
}

impl RawResponse {
    fn status(&self) -> u16 {
        self.head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Raw {
    async fn connect(addr: std::net::SocketAddr) -> Raw {
        Raw {
            stream: TcpStream::connect(addr).await.unwrap(),
            buf: Vec::new(),
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
    }

    async fn response(&mut self) -> RawResponse {
        tokio::time::timeout(DEADLINE, self.read_response())
            .await
            .expect("response in time")
    }

    async fn read_response(&mut self) -> RawResponse {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).to_string();
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_string())
                    })
                    .map_or(0, |v| v.parse::<usize>().unwrap());
                if self.buf.len() >= end + 4 + len {
                    let body = self.buf[end + 4..end + 4 + len].to_vec();
                    self.buf.drain(..end + 4 + len);
                    return RawResponse { head, body };
                }
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = self.stream.read(&mut chunk).await.unwrap();
            assert!(
                n > 0,
                "connection closed before a whole response: {:?}",
                String::from_utf8_lossy(&self.buf)
            );
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

// ---------------------------------------------------------------- index, 404, 405, 413

#[tokio::test]
async fn the_index_lists_every_route_as_text_and_as_json() {
    let s = start(Config::practice_default()).await;
    let text = get(&s, "/", &[]).await;
    assert_eq!(text.status, 200);
    assert!(text.header("content-type").starts_with("text/plain"));
    let json = get(&s, "/", &[("accept", "application/json")]).await;
    assert_eq!(json.header("content-type"), "application/json");
    let listed = json.json()["routes"].as_array().unwrap().len();
    assert_eq!(listed, practice::routes().len());
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in practice::routes() {
        assert!(
            text.text.contains(r.path) && words(&text.text).contains(r.lesson),
            "{r:?} missing"
        );
    }
    assert_eq!(
        json.json()["credentials"]["bearer_token"],
        keys::BEARER_TOKEN
    );
}

#[tokio::test]
async fn unknown_paths_are_404_json_and_wrong_methods_405_with_allow() {
    let s = start(Config::practice_default()).await;
    let missing = get(&s, "/nope", &[]).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "application/json");
    assert_eq!(missing.detail(), "Not Found");
    let wrong = got(client(false).delete(s.url("/v1/models"))).await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("allow"), "GET");
}

#[tokio::test]
async fn a_declared_body_over_the_limit_gets_413_before_it_is_sent() {
    let s = start(Config::practice_default()).await;
    let mut raw = Raw::connect(s.addr()).await;
    let head = format!(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        practice::MAX_BODY + 1
    );
    raw.send(head.as_bytes()).await;
    let resp = raw.response().await;
    assert_eq!(resp.status(), 413);
    assert!(String::from_utf8_lossy(&resp.body).contains("larger than"));
}

#[tokio::test]
async fn a_body_that_trickles_gets_408_instead_of_holding_the_connection() {
    let limits = practice::Limits {
        body_timeout: Duration::from_millis(300),
        ..practice::Limits::default()
    };
    let s = PracticeServer::start_with(Config::practice_default(), limits)
        .await
        .unwrap();
    let mut raw = Raw::connect(s.addr()).await;
    raw.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nEXAMPLE")
        .await;
    let resp = raw.response().await;
    assert_eq!(resp.status(), 408);
    assert!(String::from_utf8_lossy(&resp.body).contains("did not arrive in time"));
}

#[tokio::test]
async fn the_record_keeps_the_newest_requests_within_its_count_and_bytes() {
    let limits = practice::Limits {
        records: 5,
        bytes: 1 << 20,
        ..practice::Limits::default()
    };
    let s = PracticeServer::start_with(Config::practice_default(), limits)
        .await
        .unwrap();
    for i in 0..8 {
        assert_eq!(get(&s, &format!("/echo/n{i}"), &[]).await.status, 200);
    }
    let kept = s.wait_for_records(8, DEADLINE).await;
    let paths: Vec<_> = kept.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/echo/n3", "/echo/n4", "/echo/n5", "/echo/n6", "/echo/n7"]
    );
    // Three uploads of 400 KiB: only what fits in 1 MiB stays, newest first to survive.
    for i in 0..3 {
        let body = vec![b'E'; 400 * 1024];
        let r = got(client(false)
            .post(s.url(&format!("/echo/big{i}")))
            .body(body))
        .await;
        assert_eq!(r.status, 200);
    }
    let kept = s.wait_for_records(11, DEADLINE).await;
    let bytes: usize = kept.iter().map(|r| r.raw.len()).sum();
    assert!(bytes <= 1 << 20, "{bytes} bytes kept");
    assert_eq!(kept.last().unwrap().path, "/echo/big2");
    assert!(!kept.iter().any(|r| r.path == "/echo/big0"));
    assert!(s.banner().contains("newest 5 requests (at most 1 MiB)"));
}

#[test]
fn the_banner_example_for_a_key_from_the_environment_lets_the_shell_expand_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(start(config(Some("my-own-FAKE-key-0000"), false)));
    let banner = s.banner();
    assert!(banner.contains("-H \"X-API-Key: $API_KEY\""), "{banner}");
    assert!(!banner.contains("'X-API-Key: $API_KEY'"));
}

// ---------------------------------------------------------------- Bearer API

const OPENAI_MISSING: &str = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

#[tokio::test]
async fn bearer_api_accepts_the_token_in_any_scheme_case_and_spacing() {
    let s = start(Config::practice_default()).await;
    for scheme in ["Bearer ", "bearer ", "BEARER ", "Bearer  "] {
        let r = get(
            &s,
            "/v1/models",
            &[("authorization", &format!("{scheme}{}", keys::BEARER_TOKEN))],
        )
        .await;
        assert_eq!(r.status, 200, "{scheme:?}: {}", r.text);
        assert_eq!(r.json()["object"], "list");
    }
}

#[tokio::test]
async fn bearer_api_without_credentials_sends_a_challenge_without_error() {
    let s = start(Config::practice_default()).await;
    // A key in X-API-Key is not where this API looks: it counts as no key at all.
    for headers in [vec![], vec![("x-api-key", keys::BEARER_TOKEN)]] {
        let r = get(&s, "/v1/models", &headers).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.challenge.as_deref(), Some(REALM_CHALLENGE));
        assert_eq!(r.header("content-type"), "application/json");
        let err = &r.json()["error"];
        assert_eq!(err["message"], OPENAI_MISSING);
        assert_eq!(err["type"], "invalid_request_error");
        assert!(err["param"].is_null() && err["code"].is_null());
    }
}

#[tokio::test]
async fn bearer_api_with_a_wrong_key_masks_it_and_says_invalid_token() {
    let s = start(Config::practice_default()).await;
    let wrong = "sk-abEXAMPLE-wrong-key-00009f3c";
    let r = get(&s, "/v1/models", &[("authorization", &bearer(wrong))]).await;
    assert_eq!(r.status, 401);
    let challenge = r.challenge.clone().unwrap();
    assert!(
        challenge.starts_with(
            "Bearer realm=\"authlens-practice\", error=\"invalid_token\", error_description=\""
        ),
        "{challenge}"
    );
    assert_eq!(
        r.json()["error"]["message"],
        "Incorrect API key provided: sk-ab****9f3c"
    );
    assert_eq!(r.json()["error"]["code"], "invalid_api_key");
    assert!(!r.text.contains(wrong));
}

#[tokio::test]
async fn bearer_api_rejects_two_credentials_as_an_invalid_request() {
    let s = start(Config::practice_default()).await;
    let rb = client(false)
        .get(s.url("/v1/models"))
        .header("authorization", bearer(keys::BEARER_TOKEN))
        .header("authorization", bearer(keys::ADMIN_TOKEN));
    let r = got(rb).await;
    assert_eq!(r.status, 400);
    assert!(r.challenge.unwrap().contains("error=\"invalid_request\""));
}

#[tokio::test]
async fn chat_completions_uses_the_same_bearer_check() {
    let s = start(Config::practice_default()).await;
    let body = r#"{"model":"practice-small","messages":[{"role":"user","content":"hi"}]}"#;
    let post = |auth: Option<String>| {
        let rb = client(false)
            .post(s.url("/v1/chat/completions"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(a) = auth {
            rb.header("authorization", a)
        } else {
            rb
        }
    };
    let ok = got(post(Some(bearer(keys::BEARER_TOKEN)))).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["choices"][0]["message"]["role"], "assistant");
    let missing = got(post(None)).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.challenge.as_deref(), Some(REALM_CHALLENGE));
}

// ---------------------------------------------------------------- strict server

#[tokio::test]
async fn the_strict_server_accepts_only_the_canonical_spelling() {
    let s = start(Config::practice_default()).await;
    let ok = get(
        &s,
        "/strict/v1/models",
        &[("authorization", &bearer(keys::BEARER_TOKEN))],
    )
    .await;
    assert_eq!(ok.status, 200);
    let cases = [
        ("bearer ", "'bearer'"),
        ("BEARER ", "'BEARER'"),
        ("Bearer  ", "empty token"),
    ];
    for (scheme, explained) in cases {
        let value = format!("{scheme}{}", keys::BEARER_TOKEN);
        let strict = get(&s, "/strict/v1/models", &[("authorization", &value)]).await;
        assert_eq!(strict.status, 401, "{value:?}");
        assert!(
            strict
                .challenge
                .clone()
                .unwrap()
                .contains("error=\"invalid_token\"")
        );
        let saw = &strict.json()["naive_server_saw"];
        assert!(
            saw["problem"].as_str().unwrap().contains(explained),
            "{saw}"
        );
        assert!(
            !strict.text.contains(keys::BEARER_TOKEN),
            "the token is masked"
        );
        let lenient = get(&s, "/v1/models", &[("authorization", &value)]).await;
        assert_eq!(lenient.status, 200, "the lenient route accepts {value:?}");
    }
    let missing = get(&s, "/strict/v1/models", &[]).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.challenge.as_deref(),
        Some("Bearer realm=\"authlens-practice-strict\"")
    );
}

// ---------------------------------------------------------------- X-API-Key upload

const BOUNDARY: &str = "authlens-test-boundary";

fn multipart_body(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(s: &PracticeServer, path: &str, headers: &[(&str, &str)], follow: bool) -> Got {
    let mut rb = client(follow)
        .post(s.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart_body(&[("page1.jpg", b"\xff\xd8fake-jpeg")]));
    for (n, v) in headers {
        rb = rb.header(*n, *v);
    }
    got(rb).await
}

const EXTRACT: &str = "/api/v1/vote-extraction/extract";
const MISSING_KEY: &str = "Missing API key. Include X-API-Key header in your request.";

fn config(api_key: Option<&str>, required: bool) -> Config {
    Config {
        port: 0,
        api_key: api_key.map(str::to_string),
        api_key_required: required,
    }
}

#[tokio::test]
async fn api_key_matrix_empty_and_not_required_is_open() {
    for key in [None, Some("")] {
        let s = start(config(key, false)).await;
        assert_eq!(upload(&s, EXTRACT, &[], false).await.status, 200);
        assert!(
            get(&s, "/api/v1/health", &[]).await.json()["auth"]
                .as_str()
                .unwrap()
                .starts_with("open")
        );
    }
}

#[tokio::test]
async fn api_key_matrix_required_but_unset_rejects_everyone() {
    let s = start(config(None, true)).await;
    let missing = upload(&s, EXTRACT, &[], false).await;
    assert_eq!(
        (missing.status, missing.detail().as_str()),
        (401, MISSING_KEY)
    );
    let any = upload(&s, EXTRACT, &[("x-api-key", keys::API_KEY)], false).await;
    assert_eq!(
        (any.status, any.detail().as_str()),
        (401, "Invalid API key")
    );
    assert_eq!(any.challenge.as_deref(), Some("APIKey"));
    assert!(
        get(&s, "/api/v1/health", &[]).await.json()["auth"]
            .as_str()
            .unwrap()
            .starts_with("misconfigured")
    );
}

#[tokio::test]
async fn api_key_matrix_set_requires_the_key_whether_or_not_required() {
    for required in [false, true] {
        let s = start(config(Some("EXAMPLE-server-key-777777"), required)).await;
        let ok = upload(
            &s,
            EXTRACT,
            &[("X-API-Key", "EXAMPLE-server-key-777777")],
            false,
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let missing = upload(&s, EXTRACT, &[], false).await;
        assert_eq!(
            (missing.status, missing.detail().as_str()),
            (401, MISSING_KEY)
        );
        assert_eq!(missing.challenge.as_deref(), Some("APIKey"));
        assert_eq!(missing.header("content-type"), "application/json");
        let wrong = upload(&s, EXTRACT, &[("X-API-Key", keys::API_KEY)], false).await;
        assert_eq!(
            (wrong.status, wrong.detail().as_str()),
            (401, "Invalid API key")
        );
        assert_eq!(wrong.challenge.as_deref(), Some("APIKey"));
    }
}

#[tokio::test]
async fn the_key_header_name_is_case_insensitive_but_underscore_and_bearer_do_not_count() {
    let s = start(Config::practice_default()).await;
    assert_eq!(
        upload(&s, EXTRACT, &[("x-api-key", keys::API_KEY)], false)
            .await
            .status,
        200
    );
    assert_eq!(
        upload(&s, EXTRACT, &[("X-API-KEY", keys::API_KEY)], false)
            .await
            .status,
        200
    );
    let bearer_key = bearer(keys::API_KEY);
    for header in [
        ("X_API_KEY", keys::API_KEY),
        ("authorization", bearer_key.as_str()),
    ] {
        let r = upload(&s, EXTRACT, &[header], false).await;
        assert_eq!(
            (r.status, r.detail().as_str()),
            (401, MISSING_KEY),
            "{header:?}"
        );
    }
}

#[tokio::test]
async fn the_upload_describes_each_part_and_refuses_non_multipart_bodies() {
    let s = start(Config::practice_default()).await;
    let body = multipart_body(&[("a.jpg", b"0123456789"), ("b.jpg", b"xyz")]);
    let rb = client(false)
        .post(s.url(EXTRACT))
        .header("x-api-key", keys::API_KEY)
        .header(
            "content-type",
            format!("multipart/form-data; boundary=\"{BOUNDARY}\""),
        )
        .body(body);
    let r = got(rb).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let parts = r.json()["parts"].clone();
    assert_eq!(parts[0]["field"], "files");
    assert_eq!(parts[0]["filename"], "a.jpg");
    assert_eq!(parts[0]["content_type"], "image/jpeg");
    assert_eq!(parts[0]["size"], 10);
    assert_eq!(parts[1]["filename"], "b.jpg");
    assert_eq!(parts[1]["size"], 3);

    // reqwest's own multipart writer, as a client would use it.
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(b"img".to_vec())
            .file_name("c.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let r = got(client(false)
        .post(s.url(EXTRACT))
        .header("x-api-key", keys::API_KEY)
        .multipart(form))
    .await;
    assert_eq!(r.json()["parts"][0]["content_type"], "image/png");

    let json =
        post_json(s.url(EXTRACT), &serde_json::json!({"a": 1})).header("x-api-key", keys::API_KEY);
    let r = got(json).await;
    assert_eq!(r.status, 400);
    assert!(
        r.detail().contains("not multipart/form-data"),
        "{}",
        r.detail()
    );
}

// ---------------------------------------------------------------- Basic

#[tokio::test]
async fn basic_auth_passes_and_explains_each_failure() {
    let s = start(Config::practice_default()).await;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let good = format!(
        "Basic {}",
        b64(&format!("{}:{}", keys::BASIC_USER, keys::BASIC_PASSWORD))
    );
    assert_eq!(
        get(&s, "/basic/profile", &[("authorization", &good)])
            .await
            .status,
        200
    );
    let lower = good.replacen("Basic", "basic", 1);
    assert_eq!(
        get(&s, "/basic/profile", &[("authorization", &lower)])
            .await
            .status,
        200
    );

    let unencoded = format!("Basic {}:{}", keys::BASIC_USER, keys::BASIC_PASSWORD);
    let cases = [
        (None, "Missing Basic credentials"),
        (
            Some(format!("Basic {}", b64("learner:wrong"))),
            "Invalid username or password",
        ),
        (Some(unencoded), "not base64"),
        (Some("Basic !!!!".to_string()), "not valid base64"),
        (Some(format!("Basic {}", b64("no-colon-here"))), "no ':'"),
    ];
    for (value, detail) in cases {
        let headers: Vec<(&str, &str)> = value
            .iter()
            .map(|v| ("authorization", v.as_str()))
            .collect();
        let r = get(&s, "/basic/profile", &headers).await;
        assert_eq!(r.status, 401, "{value:?}");
        assert_eq!(
            r.challenge.as_deref(),
            Some("Basic realm=\"authlens-practice\", charset=\"UTF-8\"")
        );
        assert!(r.detail().contains(detail), "{value:?}: {}", r.detail());
    }
}

// ---------------------------------------------------------------- cookie session

fn login(s: &PracticeServer, query: &str, user: &str, password: &str) -> reqwest::RequestBuilder {
    client(false)
        .post(s.url(&format!("/cookie/login{query}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={user}&password={password}"))
}

#[tokio::test]
async fn a_login_sets_the_session_cookie_and_redirects_to_me() {
    let s = start(Config::practice_default()).await;
    let r = got(login(&s, "", keys::BASIC_USER, keys::BASIC_PASSWORD)).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/cookie/me");
    assert_eq!(
        r.header("set-cookie"),
        format!("session={}; Path=/cookie; HttpOnly", keys::SESSION_COOKIE)
    );
    let r = got(login(
        &s,
        "?max_age=60&secure=1",
        keys::BASIC_USER,
        keys::BASIC_PASSWORD,
    ))
    .await;
    assert!(
        r.header("set-cookie").ends_with("; Max-Age=60; Secure"),
        "{}",
        r.header("set-cookie")
    );
    // Basic works as well as the form; a wrong password sets nothing.
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        keys::BASIC_USER,
        keys::BASIC_PASSWORD
    ));
    let basic = client(false)
        .post(s.url("/cookie/login"))
        .header("authorization", format!("Basic {b64}"));
    assert_eq!(got(basic).await.status, 303);
    let r = got(login(&s, "", keys::BASIC_USER, "wrong")).await;
    assert_eq!((r.status, r.header("set-cookie")), (401, ""));
}

#[tokio::test]
async fn me_needs_the_session_cookie_and_clears_an_unknown_one() {
    let s = start(Config::practice_default()).await;
    let good = format!("session={}", keys::SESSION_COOKIE);
    let r = get(
        &s,
        "/cookie/me",
        &[("cookie", &format!("theme=dark; {good}"))],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = get(&s, "/cookie/me", &[]).await;
    assert_eq!(r.status, 401);
    assert!(
        r.detail().contains("session cookie is missing"),
        "{}",
        r.detail()
    );
    assert!(r.challenge.unwrap().starts_with("Cookie realm="));
    let r = get(
        &s,
        "/cookie/me",
        &[("cookie", "session=EXAMPLE-stale-0000")],
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(r.detail().contains("expired or unknown"), "{}", r.detail());
    assert!(r.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn logout_clears_the_cookie_and_sends_you_to_me() {
    let s = start(Config::practice_default()).await;
    let r = got(client(false).post(s.url("/cookie/logout"))).await;
    assert_eq!((r.status, r.header("location")), (303, "/cookie/me"));
    assert_eq!(
        r.header("set-cookie"),
        "session=; Path=/cookie; HttpOnly; Max-Age=0"
    );
}

// ---------------------------------------------------------------- JWT

fn description(r: &Got) -> String {
    let c = r.challenge.clone().unwrap_or_default();
    let start = c
        .find("error_description=\"")
        .map(|i| i + "error_description=\"".len())
        .unwrap_or(c.len());
    c[start..].split('"').next().unwrap_or("").to_string()
}

#[tokio::test]
async fn jwt_profile_checks_signature_expiry_not_before_and_audience() {
    let s = start(Config::practice_default()).await;
    let ok = get(
        &s,
        "/jwt/profile",
        &[("authorization", &bearer(&practice::valid_jwt()))],
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["claims"]["aud"], keys::JWT_AUDIENCE);

    let cases = [
        (practice::expired_jwt(), "The token expired at 20"),
        (
            practice::not_yet_valid_jwt(),
            "The token is not valid before 20",
        ),
        (practice::wrong_audience_jwt(), "The audience is invalid"),
        ("not.a.jwt".to_string(), "The token is malformed"),
    ];
    for (token, expected) in cases {
        let r = get(&s, "/jwt/profile", &[("authorization", &bearer(&token))]).await;
        assert_eq!(r.status, 401);
        assert!(
            r.challenge
                .clone()
                .unwrap()
                .starts_with("Bearer realm=\"authlens-practice\", error=\"invalid_token\"")
        );
        assert!(
            description(&r).starts_with(expected),
            "{expected}: {:?}",
            r.challenge
        );
        assert!(r.detail().starts_with(expected));
    }
    let missing = get(&s, "/jwt/profile", &[]).await;
    assert_eq!(
        (missing.status, missing.challenge.as_deref()),
        (401, Some(REALM_CHALLENGE))
    );
}

#[tokio::test]
async fn expired_at_is_an_iso_time_in_utc() {
    let s = start(Config::practice_default()).await;
    let r = get(
        &s,
        "/jwt/profile",
        &[("authorization", &bearer(&practice::expired_jwt()))],
    )
    .await;
    let at = description(&r)
        .trim_start_matches("The token expired at ")
        .to_string();
    assert_eq!(at.len(), "2026-01-04T10:00:00Z".len(), "{at}");
    assert!(at.ends_with('Z') && at.as_bytes()[10] == b'T', "{at}");
}

#[tokio::test]
async fn the_token_endpoint_mints_tokens_the_jwt_routes_accept() {
    let s = start(Config::practice_default()).await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=read+admin",
        keys::CLIENT_ID,
        keys::CLIENT_SECRET
    );
    let rb = client(false)
        .post(s.url("/jwt/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form);
    let minted = got(rb).await;
    assert_eq!(minted.status, 200, "{}", minted.text);
    assert_eq!(minted.json()["token_type"], "Bearer");
    assert_eq!(minted.header("cache-control"), "no-store");
    let token = minted.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        get(&s, "/jwt/profile", &[("authorization", &bearer(&token))])
            .await
            .status,
        200
    );
    assert_eq!(
        get(&s, "/admin/users", &[("authorization", &bearer(&token))])
            .await
            .status,
        200
    );

    let by_key = got(post_json(
        s.url("/jwt/token"),
        &serde_json::json!({ "api_key": keys::API_KEY }),
    ))
    .await;
    assert_eq!(by_key.status, 200, "{}", by_key.text);
    assert_eq!(by_key.json()["scope"], "read");
    let key_admin = serde_json::json!({ "api_key": keys::API_KEY, "scope": "admin" });
    let denied = got(post_json(s.url("/jwt/token"), &key_admin)).await;
    assert_eq!(
        (denied.status, denied.json()["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    let wrong = got(post_json(
        s.url("/jwt/token"),
        &serde_json::json!({ "client_secret": "nope" }),
    ))
    .await;
    assert_eq!(
        (wrong.status, wrong.json()["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(wrong.challenge.unwrap().starts_with("Basic realm="));
}

// ---------------------------------------------------------------- 401 vs 403

#[tokio::test]
async fn the_scoped_route_answers_403_for_valid_credentials_without_admin() {
    let s = start(Config::practice_default()).await;
    for token in [keys::ADMIN_TOKEN.to_string(), practice::admin_jwt()] {
        assert_eq!(
            get(&s, "/admin/users", &[("authorization", &bearer(&token))])
                .await
                .status,
            200
        );
    }
    for token in [keys::BEARER_TOKEN.to_string(), practice::valid_jwt()] {
        let r = get(&s, "/admin/users", &[("authorization", &bearer(&token))]).await;
        assert_eq!(r.status, 403);
        let c = r.challenge.clone().unwrap();
        assert!(
            c.starts_with("Bearer realm=\"authlens-practice\", error=\"insufficient_scope\""),
            "{c}"
        );
        assert!(c.ends_with(", scope=\"admin\""), "{c}");
        assert_eq!(r.json()["required_scope"], "admin");
        assert_eq!(r.header("content-type"), "application/json");
    }
    let none = get(&s, "/admin/users", &[]).await;
    assert_eq!(
        (none.status, none.challenge.as_deref()),
        (401, Some(REALM_CHALLENGE))
    );
    for token in ["EXAMPLE-unknown", practice::expired_jwt().as_str()] {
        let bad = get(&s, "/admin/users", &[("authorization", &bearer(token))]).await;
        assert_eq!(bad.status, 401, "{token}");
        assert!(bad.challenge.unwrap().contains("error=\"invalid_token\""));
    }
}

// ---------------------------------------------------------------- redirects

#[tokio::test]
async fn the_cross_origin_redirect_points_at_the_other_origin() {
    let s = start(Config::practice_default()).await;
    assert_ne!(s.addr().port(), s.other_addr().port());
    let r = get(&s, "/redirect/models?x=1", &[]).await;
    assert_eq!(r.status, 307);
    assert_eq!(
        r.header("location"),
        format!("http://{}/v1/models?x=1", s.other_addr())
    );
    let same = get(&s, "/redirect/same-origin", &[]).await;
    assert_eq!(
        same.header("location"),
        format!("http://{}/v1/models", s.addr())
    );
    let extract = got(client(false).post(s.url("/redirect/extract"))).await;
    assert_eq!(
        extract.header("location"),
        format!("http://{}{EXTRACT}", s.other_addr())
    );
}

#[tokio::test]
async fn following_the_redirect_drops_authorization_but_forwards_x_api_key() {
    let s = start(Config::practice_default()).await;
    let r = get(
        &s,
        "/redirect/models",
        &[("authorization", &bearer(keys::BEARER_TOKEN))],
    )
    .await;
    assert_eq!(r.status, 307);
    let followed = got(client(true)
        .get(s.url("/redirect/models"))
        .header("authorization", bearer(keys::BEARER_TOKEN)))
    .await;
    assert_eq!(
        followed.status, 401,
        "reqwest dropped Authorization on the port change"
    );
    assert_eq!(followed.challenge.as_deref(), Some(REALM_CHALLENGE));

    let leaked = upload(
        &s,
        "/redirect/extract",
        &[("X-API-Key", keys::API_KEY)],
        true,
    )
    .await;
    assert_eq!(
        leaked.status, 200,
        "the custom header was forwarded: {}",
        leaked.text
    );

    let same = got(client(true)
        .get(s.url("/redirect/same-origin"))
        .header("authorization", bearer(keys::BEARER_TOKEN)))
    .await;
    assert_eq!(same.status, 200, "same origin keeps Authorization");

    let records = s.wait_for_records(7, DEADLINE).await;
    let on_other: Vec<String> = records
        .iter()
        .filter(|r| r.origin == s.other_addr())
        .map(|r| String::from_utf8_lossy(&r.raw).to_ascii_lowercase())
        .collect();
    assert_eq!(on_other.len(), 2, "{on_other:?}");
    assert!(!on_other[0].contains("authorization:"), "{}", on_other[0]);
    assert!(
        on_other[1].contains(&format!(
            "x-api-key: {}",
            keys::API_KEY.to_ascii_lowercase()
        )),
        "{}",
        on_other[1]
    );
}

// ---------------------------------------------------------------- raw bytes

#[tokio::test]
async fn the_record_equals_the_bytes_a_raw_client_wrote_on_one_keep_alive_connection() {
    let s = start(Config::practice_default()).await;
    let first = b"POST /echo/first?q=1 HTTP/1.1\r\nhOsT: example.invalid\r\nX-Dup: one\r\nx-dup: two\r\nAUTHORIZATION:  bearer   abc \r\nContent-Length: 11\r\n\r\nhello world".to_vec();
    let second = b"GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-key:\tEXAMPLE\r\n\r\n".to_vec();
    let mut raw = Raw::connect(s.addr()).await;
    raw.send(&first).await;
    let echoed = raw.response().await;
    raw.send(&second).await;
    assert_eq!(raw.response().await.status(), 401);

    assert_eq!(echoed.status(), 200);
    assert!(
        echoed
            .head
            .to_ascii_lowercase()
            .contains("content-type: message/http")
    );
    assert_eq!(echoed.body, first, "/echo answers with the exact bytes");
    let records = s.wait_for_records(2, DEADLINE).await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].raw, first);
    assert_eq!(
        (records[0].method.as_str(), records[0].path.as_str()),
        ("POST", "/echo/first")
    );
    assert_eq!(records[1].raw, second);
    assert_eq!(records[1].origin, s.addr());
}

#[tokio::test]
async fn pipelined_and_chunked_requests_are_split_exactly() {
    let s = start(Config::practice_default()).await;
    let chunked = b"PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n".to_vec();
    let plain = b"GET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
    // Repeated equal lengths are accepted by hyper; the body must still be this request's.
    let twice =
        b"POST /echo/3 HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc".to_vec();
    let sent = [chunked.clone(), plain.clone(), twice.clone()];
    let mut raw = Raw::connect(s.addr()).await;
    raw.send(&sent.concat()).await;
    for expected in &sent {
        assert_eq!(&raw.response().await.body, expected);
    }
    let records = s.wait_for_records(3, DEADLINE).await;
    let recorded: Vec<Vec<u8>> = records.into_iter().map(|r| r.raw).collect();
    assert_eq!(recorded, sent);
}

#[tokio::test]
async fn records_come_from_both_origins_in_order_and_waiting_has_a_deadline() {
    let s = start(Config::practice_default()).await;
    let other = format!("http://{}/api/v1/health", s.other_addr());
    assert_eq!(got(client(false).get(other)).await.status, 200);
    assert_eq!(get(&s, "/api/v1/health", &[]).await.status, 200);
    let records = s.records();
    assert_eq!(
        records.iter().map(|r| r.origin).collect::<Vec<_>>(),
        vec![s.other_addr(), s.addr()]
    );
    let short = s.wait_for_records(3, Duration::from_millis(50)).await;
    assert_eq!(
        short.len(),
        2,
        "returns what there is when the deadline passes"
    );
}

#[tokio::test]
async fn waiting_wakes_up_when_a_request_arrives() {
    let s = start(Config::practice_default()).await;
    let url = s.url("/echo/late");
    let waiter = s.wait_for_records(1, DEADLINE);
    let sender = async { got(client(false).get(url)).await };
    let (records, response) = tokio::join!(waiter, sender);
    assert_eq!(response.status, 200);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].path, "/echo/late");
}

// ---------------------------------------------------------------- robustness

#[tokio::test]
async fn garbage_on_the_socket_does_not_kill_the_server() {
    let s = start(Config::practice_default()).await;
    let garbage: [&[u8]; 5] = [
        b"\x00\xff\xfe garbage \r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: \x01\r\n\r\n",
    ];
    for bytes in garbage {
        let mut raw = Raw::connect(s.addr()).await;
        raw.send(bytes).await;
        let mut rest = Vec::new();
        let read = tokio::time::timeout(DEADLINE, raw.stream.read_to_end(&mut rest)).await;
        assert!(
            read.is_ok(),
            "the server closes a garbage connection: {bytes:?}"
        );
    }
    let bad_multipart = client(false)
        .post(s.url(EXTRACT))
        .header("x-api-key", keys::API_KEY)
        .header("content-type", "multipart/form-data; boundary=x")
        .body(b"--x\r\n\xff\xff\r\n--x".to_vec());
    assert_eq!(got(bad_multipart).await.status, 400);
    assert_eq!(
        get(&s, "/api/v1/health", &[]).await.status,
        200,
        "still serving"
    );
}

#[test]
fn fake_credentials_are_obviously_fake() {
    for k in [
        keys::BEARER_TOKEN,
        keys::API_KEY,
        keys::BASIC_PASSWORD,
        keys::ADMIN_TOKEN,
        keys::CLIENT_SECRET,
        keys::JWT_SECRET,
        keys::SESSION_COOKIE,
    ] {
        assert!(k.contains("EXAMPLE"), "{k}");
    }
}
