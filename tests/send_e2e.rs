//! End to end against the real practice server on loopback: the request authlens shows as
//! captured must be, byte for byte, what the server received. These also guard the capture
//! format: if reqwest's verbose log changes, the view falls back to "reconstructed" and the
//! `Capture::Captured` assertions fail.

use authlens::draft::{Body, Draft, Part, PartValue};
use authlens::exchange::{Capture, Exchange, Origin};
use authlens::practice::{Config, PracticeServer, keys};
use authlens::send;
use authlens::vars::{DotenvReport, Vars};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(10);

fn vars(pairs: &[(&str, &str)]) -> Vars {
    Vars::build(
        &[],
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        DotenvReport::default(),
    )
}

async fn server() -> PracticeServer {
    PracticeServer::start(Config::practice_default())
        .await
        .expect("practice server starts")
}

async fn send(draft: &Draft, vars: &Vars) -> Exchange {
    send::run(draft, vars, &send::Options::default())
        .await
        .expect("send succeeds")
}

/// The server's record of the request whose raw bytes begin with `line`.
async fn recorded(server: &PracticeServer, line: &str) -> Vec<u8> {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(r) = server
            .records()
            .into_iter()
            .find(|r| r.raw.starts_with(line.as_bytes()))
        {
            return r.raw;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "server never recorded {line:?}"
        );
        server
            .wait_for_records(server.records().len() + 1, Duration::from_millis(200))
            .await;
    }
}

/// A multipart draft uploading `path` as the `files` part with the practice API key header.
fn upload(url: &str, key: &str, path: &std::path::Path) -> Draft {
    let mut draft = Draft::new("POST", url).header("X-API-Key", key);
    draft.body = Body::Multipart {
        parts: vec![Part {
            name: "files".into(),
            value: PartValue::File {
                path: path.display().to_string(),
                filename: None,
                content_type: None,
            },
        }],
    };
    draft
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_with_headers_is_captured_byte_for_byte() {
    let s = server().await;
    let draft = Draft::new("GET", &s.url("/v1/models?limit=2"))
        .header("Authorization", "Bearer ${PRACTICE_TOKEN}")
        .header("X-Trace", "one")
        .header("x-trace", "two");
    let ex = send(&draft, &vars(&[("PRACTICE_TOKEN", keys::BEARER_TOKEN)])).await;
    let hop = &ex.hops[0];
    assert_eq!(hop.request.capture, Capture::Captured);
    assert_eq!(hop.response.status, 200);
    let server_saw = recorded(&s, "GET /v1/models?limit=2 ").await;
    assert_eq!(text(&hop.request.raw), text(&server_saw));
    let origins: Vec<_> = hop
        .request
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.origin))
        .collect();
    assert!(
        origins.contains(&("authorization", Origin::Typed { row: 0 })),
        "{origins:?}"
    );
    assert!(
        origins.contains(&("x-trace", Origin::Typed { row: 2 })),
        "{origins:?}"
    );
    assert!(origins.contains(&("host", Origin::Client)), "{origins:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_post_is_captured_byte_for_byte() {
    let s = server().await;
    let mut draft = Draft::new("POST", &s.url("/echo/json")).header("X-API-Key", keys::API_KEY);
    draft.body = Body::Text {
        content_type: Some("application/json".into()),
        text: "{\"note\": \"EXAMPLE ü\"}".into(),
    };
    let ex = send(&draft, &vars(&[])).await;
    let hop = &ex.hops[0];
    assert_eq!(hop.request.capture, Capture::Captured);
    assert_eq!(
        text(&hop.request.raw),
        text(&recorded(&s, "POST /echo/json ").await)
    );
    assert!(
        hop.request
            .raw
            .ends_with("{\"note\": \"EXAMPLE ü\"}".as_bytes())
    );
    // /echo answers with what it received, so the response body is the same bytes again.
    assert_eq!(hop.response.body.bytes, hop.request.raw);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_upload_with_a_file_is_captured_byte_for_byte() {
    let s = server().await;
    let dir = std::env::temp_dir().join(format!("authlens-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let image = dir.join("ballot-EXAMPLE.jpg");
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend((0..=255u8).cycle().take(3000));
    std::fs::write(&image, &bytes).unwrap();
    let draft = upload(
        &s.url("/api/v1/vote-extraction/extract"),
        "${API_KEY}",
        &image,
    );
    let ex = send(&draft, &vars(&[("API_KEY", keys::API_KEY)])).await;
    let hop = &ex.hops[0];
    assert_eq!(hop.request.capture, Capture::Captured);
    assert_eq!(
        hop.response.status,
        200,
        "{}",
        text(&hop.response.body.bytes)
    );
    let server_saw = recorded(&s, "POST /api/v1/vote-extraction/extract ").await;
    assert_eq!(
        hop.request.raw, server_saw,
        "captured multipart bytes differ from what the server read"
    );
    assert!(
        hop.request
            .raw
            .windows(bytes.len())
            .any(|w| w == bytes.as_slice()),
        "the file bytes are on the wire"
    );
    let ct = hop
        .request
        .headers
        .iter()
        .find(|h| h.name == "content-type")
        .expect("content-type on the wire");
    assert!(ct.value.starts_with("multipart/form-data; boundary="));
    assert_eq!(ct.origin, Origin::Client);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_redirect_drops_authorization_and_forwards_the_key_header() {
    let s = server().await;
    let draft = Draft::new("GET", &s.url("/redirect/models"))
        .header("Authorization", &format!("Bearer {}", keys::BEARER_TOKEN))
        .header("X-API-Key", keys::API_KEY);
    let ex = send(&draft, &vars(&[])).await;
    assert_eq!(ex.hops.len(), 2, "one redirect, then the final response");
    let (first, second) = (&ex.hops[0], &ex.hops[1]);
    assert_eq!(first.response.status, 307);
    assert_eq!(
        second.response.status, 401,
        "Authorization was dropped, so the other origin says 401"
    );
    assert!(
        second
            .request
            .url
            .contains(&s.other_addr().port().to_string())
    );
    for hop in [first, second] {
        assert_eq!(hop.request.capture, Capture::Captured);
        let line = text(&hop.request.raw).lines().next().unwrap().to_string();
        let server_saw = recorded(&s, &line).await;
        let same_origin_record = s.records().into_iter().any(|r| r.raw == hop.request.raw);
        assert!(
            same_origin_record,
            "hop {line:?} differs from the server's record:\n{}",
            text(&server_saw)
        );
    }
    let names: Vec<_> = second
        .request
        .headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();
    assert!(!names.contains(&"authorization".to_string()), "{names:?}");
    assert!(
        names.contains(&"x-api-key".to_string()),
        "custom key headers travel on: {names:?}"
    );
    assert_eq!(second.request.stripped.len(), 1);
    assert_eq!(second.request.stripped[0].name, "Authorization");
    assert!(
        second.request.stripped[0].reason.contains("port"),
        "{}",
        second.request.stripped[0].reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_each_claim_their_own_connection() {
    let s = server().await;
    let sends = (0..8).map(|i| {
        let draft = Draft::new("POST", &s.url(&format!("/echo/{}", i % 2)))
            .header("X-Request", &format!("EXAMPLE-{i}"))
            .header("Content-Type", "text/plain");
        let mut draft = draft;
        draft.body = Body::Text {
            content_type: None,
            text: format!("body {i}"),
        };
        async move {
            (
                i,
                send::run(&draft, &vars(&[]), &send::Options::default())
                    .await
                    .unwrap(),
            )
        }
    });
    for (i, ex) in futures_util::future::join_all(sends).await {
        let hop = &ex.hops[0];
        assert_eq!(hop.request.capture, Capture::Captured);
        let raw = text(&hop.request.raw);
        assert!(
            raw.contains(&format!("x-request: EXAMPLE-{i}\r\n")),
            "send {i} got another connection:\n{raw}"
        );
        assert!(raw.ends_with(&format!("body {i}")), "{raw}");
        assert_eq!(
            hop.response.body.bytes, hop.request.raw,
            "the server echoed exactly these bytes"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_limit_stops_with_a_reason() {
    let s = server().await;
    let options = send::Options {
        max_redirects: 0,
        ..send::Options::default()
    };
    let ex = send::run(
        &Draft::new("GET", &s.url("/redirect/models")),
        &vars(&[]),
        &options,
    )
    .await
    .unwrap();
    assert_eq!(ex.hops.len(), 1);
    assert!(
        ex.stopped
            .as_deref()
            .unwrap_or("")
            .contains("following redirects is off"),
        "{:?}",
        ex.stopped
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_names_the_phase_and_keeps_nothing_half_done() {
    // A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let _held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let options = send::Options {
        timeout: Duration::from_millis(300),
        ..send::Options::default()
    };
    let err = send::run(
        &Draft::new("GET", &format!("http://{addr}/")),
        &vars(&[]),
        &options,
    )
    .await
    .unwrap_err();
    let send::SendError::Transport { error, .. } = err else {
        panic!("expected a transport error")
    };
    assert_eq!(error.phase, send::Phase::Timeout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_mid_body_is_reported_as_a_reset() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nonly part of it")
            .await;
        // Dropping the socket closes it 985 bytes short.
    });
    let err = send::run(
        &Draft::new("GET", &format!("http://{addr}/")),
        &vars(&[]),
        &send::Options::default(),
    )
    .await
    .unwrap_err();
    let send::SendError::Transport { error, .. } = err else {
        panic!("expected a transport error")
    };
    assert_eq!(error.phase, send::Phase::Reset, "{error}");
    assert!(error.detail.contains("reading the body"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_307_re_sends_the_multipart_file_to_the_new_origin() {
    let s = server().await;
    let dir = std::env::temp_dir().join(format!("authlens-e2e-307-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let image = dir.join("form-EXAMPLE.jpg");
    std::fs::write(&image, b"\xff\xd8\xff\xe0EXAMPLE-image-bytes").unwrap();
    let draft = upload(&s.url("/redirect/extract"), keys::API_KEY, &image);
    let ex = send(&draft, &vars(&[])).await;
    assert_eq!(ex.hops.len(), 2);
    assert_eq!(ex.hops[0].response.status, 307);
    let second = &ex.hops[1];
    assert_eq!(second.request.method, "POST", "307 keeps the method");
    assert_eq!(
        second.response.status,
        200,
        "X-API-Key travelled with the 307: {}",
        text(&second.response.body.bytes)
    );
    let at_other_origin: Vec<_> = s
        .records()
        .into_iter()
        .filter(|r| r.origin == s.other_addr())
        .collect();
    assert_eq!(at_other_origin.len(), 1);
    assert_eq!(at_other_origin[0].raw, second.request.raw);
    assert!(
        text(&second.request.raw).contains("EXAMPLE-image-bytes"),
        "the file was read again for the second hop"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A plain HTTP/1.1 server on loopback that reads whole requests of any size (the practice
/// server refuses bodies over 4 MiB) and answers 200; it reports each request's byte count.
async fn sink() -> (String, tokio::sync::mpsc::UnboundedReceiver<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/upload", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                let mut buf = vec![0; 64 * 1024];
                while !whole_request(&got) {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tx.send(got.len());
                let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
                let _ = sock.write_all(reply).await;
            });
        }
    });
    (url, rx)
}

/// Whether `got` holds a whole request: its head, then its Content-Length or chunked body.
fn whole_request(got: &[u8]) -> bool {
    let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(n) => got.len() >= end + 4 + n,
        None if head.contains("transfer-encoding: chunked") => got.ends_with(b"0\r\n\r\n"),
        None => true,
    }
}

/// An upload longer than the capture keeps is marked as cut, so the wire view never shows a
/// shortened body as if it were the whole request — in the model and in `send`'s output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_longer_than_the_capture_is_marked_as_cut() {
    let (url, mut received) = sink().await;
    let dir = std::env::temp_dir().join(format!("authlens-e2e-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("scan-EXAMPLE.bin");
    std::fs::write(&big, vec![b'E'; 9 << 20]).unwrap();
    let ex = send(&upload(&url, "EXAMPLE-KEY", &big), &vars(&[])).await;
    let req = &ex.hops[0].request;
    assert_eq!(req.capture, Capture::Captured);
    assert!(req.raw_cut, "a 9 MiB upload fits no 8 MiB capture");
    let server_saw = received.recv().await.unwrap();
    assert!(
        server_saw > req.raw.len(),
        "{server_saw} <= {}",
        req.raw.len()
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(["send", &url, "-F"])
        .arg(format!("files=@{}", big.display()))
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("the capture stopped after"),
        "send does not say the capture was cut:\n{}",
        &printed[..printed.len().min(2000)]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
