//! No key in any output: each class of place a credential can hide in a request, sent with the
//! real binary to the practice server's echo route (which sends every byte back), in text and
//! JSON. Neither stream may hold the key, its base64, or its URL-encoded form.

use authlens::practice::{Config, PracticeServer};
use base64::Engine;
use std::process::{Command, Output};

/// Obviously fake, but shaped like a real project key: long enough to be masked with a prefix.
const K: &str = "sk-proj-FAKE0123456789abcdefABCDEF0123456789";

fn authlens(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .env("K", K)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

/// The forms a key takes on its way out: as typed, base64 (alone and as `user:key`), and
/// URL-encoded.
fn forms(key: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let enc: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    vec![
        key.to_string(),
        b64(key),
        b64(&format!("user:{key}")),
        enc,
        // A 16-byte slice from the middle: what a hex dump line or a cut view would keep.
        key[8..24].to_string(),
    ]
}

/// What each run showed that it should not have, one line per leak.
fn leaks(class: &str, args: Vec<String>) -> Vec<String> {
    let mut found = Vec::new();
    for format in ["text", "json"] {
        let mut a = args.clone();
        a.extend(["--format".to_string(), format.to_string()]);
        let out = authlens(&a);
        let all = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.code().is_some_and(|c| c < 100),
            "{class} ({format}): the binary crashed:\n{all}"
        );
        for f in forms(K) {
            if all.contains(&f) {
                found.push(format!("{class} ({format}) shows {f:?}"));
            }
        }
    }
    found
}

/// Runs every case and fails with all the leaks found, not only the first.
fn assert_no_leaks(cases: Vec<(&str, Vec<String>)>) {
    let found: Vec<String> = cases
        .into_iter()
        .flat_map(|(class, args)| leaks(class, args))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_place_shows_the_key() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let echo = server.url("/echo/leak");
    let with = |extra: &[&str]| {
        let mut a = s(&["send", &echo]);
        a.extend(s(extra));
        a
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "cookie pair",
            with(&["-H", &format!("Cookie: session={K}; theme=dark")]),
        ),
        (
            "json body field",
            with(&["--json", &format!("{{\"api_key\":\"{K}\"}}")]),
        ),
        (
            "form body field",
            with(&["-d", &format!("user=bob&api_key={K}")]),
        ),
        (
            "multipart text part",
            with(&["-F", &format!("api_key={K}")]),
        ),
        (
            "scheme word in a custom header",
            with(&["-H", &format!("X-Custom: Bearer {K}")]),
        ),
        (
            "query name pass",
            with(&[])
                .into_iter()
                .map(|a| {
                    if a == echo {
                        format!("{echo}?pass={K}")
                    } else {
                        a
                    }
                })
                .collect(),
        ),
        (
            "url userinfo, the key as the user name",
            s(&[
                "send",
                &echo.replacen("http://", &format!("http://{K}@"), 1),
            ]),
        ),
        (
            "url userinfo, unreachable host",
            s(&["send", &format!("http://user:{K}@127.0.0.1:1/")]),
        ),
        (
            "url userinfo",
            s(&[
                "send",
                &echo.replacen("http://", &format!("http://user:{K}@"), 1),
            ]),
        ),
    ];
    assert_no_leaks(cases);
}

/// What the server hands back is as secret as what was sent: the practice token endpoint's
/// issued `access_token` must not show, nor the client secret that bought it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issued_token_in_the_response_is_masked() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let secret = authlens::practice::keys::CLIENT_SECRET;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={secret}",
        authlens::practice::keys::CLIENT_ID
    );
    let url = server.url("/jwt/token");
    let revealed = authlens(&s(&[
        "send", &url, "-d", &form, "--reveal", "--format", "json",
    ]));
    let v: serde_json::Value = serde_json::from_slice(&revealed.stdout).unwrap();
    let body: serde_json::Value =
        serde_json::from_str(v["response"]["body"].as_str().unwrap()).unwrap();
    let token = body["access_token"]
        .as_str()
        .expect("a token was issued")
        .to_string();
    for format in ["text", "json"] {
        let out = authlens(&s(&["send", &url, "-d", &form, "--format", format]));
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(&token), "{format}: the issued token shows");
        assert!(!all.contains(secret), "{format}: the client secret shows");
    }
}

/// Error messages name the input and where it is, never the key in it: a header typed without
/// its colon, a URL that does not parse or cannot be reached, an argument clap refuses.
#[test]
fn no_error_message_shows_the_key() {
    let unreachable = "http://127.0.0.1:1";
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "-H without a colon",
            s(&[
                "send",
                unreachable,
                "-H",
                &format!("Authorization Bearer {K}"),
            ]),
        ),
        (
            "-H key header without a colon",
            s(&["send", unreachable, "-H", &format!("X-API-Key {K}")]),
        ),
        (
            "-H with an empty name",
            s(&["send", unreachable, "-H", &format!(": {K}")]),
        ),
        (
            "compare -H without a colon",
            s(&[
                "compare",
                unreachable,
                "-H",
                &format!("Authorization Bearer {K}"),
            ]),
        ),
        (
            "url userinfo, bad host",
            s(&["send", &format!("http://user:{K}@exa mple.test/")]),
        ),
        (
            "url userinfo, one-slash scheme",
            s(&["send", &format!("htp:/user:{K}@h/")]),
        ),
        (
            "key in the url path, unreachable host",
            s(&["send", &format!("{unreachable}/v1/{K}")]),
        ),
        (
            "key as the method",
            s(&["send", unreachable, "-X", &format!("{K} x")]),
        ),
        (
            "header without -H, refused by the argument parser",
            s(&["send", unreachable, &format!("Authorization: Bearer {K}")]),
        ),
        (
            "key given to --timeout",
            s(&["send", unreachable, "--timeout", K]),
        ),
    ];
    assert_no_leaks(cases);
}

/// A key pasted into the URL's path is no credential by name, but it is shaped like one: the
/// wire view, the echoed body and the JSON mask it like any other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_in_the_url_path_is_masked() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let url = server.url(&format!("/echo/{K}/models"));
    let found = tokio::task::block_in_place(|| leaks("key in the url path", s(&["send", &url])));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Every 10-character piece of the key: a hex dump's 16-byte rows, or a label cut short, keep
/// pieces no whole-key search finds.
fn pieces(key: &str) -> Vec<&str> {
    (0..=key.len() - 10).map(|i| &key[i..i + 10]).collect()
}

/// A binary-ish body that holds the key: the echo route sends back the request, head (with the
/// key header) and a binary file part, so the response is shown as a hex dump whose rows would
/// split the key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hex_dump_shows_no_piece_of_the_key() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let bin = std::env::temp_dir().join(format!("authlens-leaks-{}.bin", std::process::id()));
    std::fs::write(
        &bin,
        (0..4096u32)
            .map(|i| (i * 7 % 256) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let args = s(&[
        "send",
        &server.url("/echo/hex"),
        "-H",
        &format!("X-API-Key: {K}"),
        "-F",
        &format!("file=@{}", bin.display()),
    ]);
    let out = tokio::task::block_in_place(|| authlens(&args));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("as hex)"),
        "the echoed body is a hex dump:\n{shown}"
    );
    let found: Vec<&str> = pieces(K)
        .into_iter()
        .filter(|p| shown.contains(p))
        .collect();
    assert!(found.is_empty(), "{found:?} in\n{shown}");
    std::fs::remove_file(&bin).unwrap();
}

/// `diagnose` on a HAR: the entry labels (text `== entry …` and the JSON `id`) and the
/// findings show no query token.
#[test]
fn diagnose_shows_no_query_token_of_a_har() {
    let har = std::env::temp_dir().join(format!("authlens-leaks-{}.har", std::process::id()));
    let entries = serde_json::json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": format!("https://api.example.test/v1/models?token={K}&page=2"),
                     "headers": []},
         "response": {"status": 401, "headers": [], "content": {"text": "{}"}}},
        {"request": {"method": "GET", "url": format!("https://api.example.test/v1/files?api_key={K}"),
                     "headers": [{"name": "Authorization", "value": format!("Bearer {K}")}]},
         "response": {"status": 401, "headers": [], "content": {"text": ""}}}
    ]}});
    std::fs::write(&har, entries.to_string()).unwrap();
    let mut found = leaks("har diagnose", s(&["diagnose", &har.display().to_string()]));
    for format in ["text", "json"] {
        let out = authlens(&s(&[
            "diagnose",
            &har.display().to_string(),
            "--format",
            format,
        ]));
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("entry 0: GET"), "{format}: {shown}");
        found.extend(
            pieces(K)
                .into_iter()
                .filter(|p| shown.contains(p))
                .map(|p| format!("har diagnose ({format}) shows {p:?}")),
        );
    }
    std::fs::remove_file(&har).unwrap();
    assert!(found.is_empty(), "{}", found.join("\n"));
}
