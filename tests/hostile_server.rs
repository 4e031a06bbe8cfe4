//! Servers that misbehave, on loopback: each answers every connection with fixed bytes, and
//! authlens must read what a real client reads, name what went wrong, and never panic.

use authlens::draft::Draft;
use authlens::send;
use authlens::vars::Vars;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A loopback server that reads a request head, writes `reply` and closes. Returns its URL.
async fn answering(reply: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = sock.write_all(reply).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_with_bare_lf_line_ends_is_read_as_a_head() {
    let url = answering(
        b"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\nContent-Length: 2\n\n{}",
    )
    .await;
    let ex = send::run(
        &Draft::new("GET", &url),
        &Vars::default(),
        &send::Options::default(),
    )
    .await
    .expect("a bare-LF response is still a response");
    let r = ex.final_response().unwrap();
    assert_eq!((r.status, r.reason.as_str()), (401, "Unauthorized"));
    assert_eq!(
        r.header("www-authenticate"),
        Some("Bearer realm=\"api\", error=\"invalid_token\"")
    );
    assert_eq!(r.body.bytes, b"{}");
}

/// The real binary, run off the async threads so the loopback server keeps answering.
fn authlens(args: &[&str]) -> std::process::Output {
    tokio::task::block_in_place(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_authlens"))
            .args(args)
            .current_dir(std::env::temp_dir())
            .output()
            .expect("the binary runs")
    })
}

/// A local port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_outside_100_to_599_is_no_success() {
    let url = answering(b"HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\nok").await;
    let out = authlens(&["send", &url]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("< 999"), "{stdout}");
    assert_eq!(out.status.code(), Some(5), "{stdout}");
    assert!(stdout.contains("outside HTTP's 100–599"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_after_a_redirect_then_a_network_failure_shows_the_hop_and_the_error() {
    let gone = format!("http://127.0.0.1:{}/next", closed_port());
    let reply = format!("HTTP/1.1 302 Found\r\nLocation: {gone}\r\nContent-Length: 0\r\n\r\n");
    let url = answering(Box::leak(reply.into_bytes().into_boxed_slice())).await;
    let out = authlens(&["send", &url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(doc["redirects"][0]["status"], 302, "{doc:#}");
    assert_eq!(doc["redirects"][0]["location"], gone.as_str(), "{doc:#}");
    assert_eq!(doc["exchange"]["hops"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["error"]["phase"], "connect", "{doc:#}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("could not connect for http://127.0.0.1:")),
        "{doc:#}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("authlens send: could not connect"), "{err}");
}

/// Characters a terminal acts on: ESC, BEL, DEL, a lone CR, and the C1 controls — U+009B
/// (CSI in one character) and U+0085 — and any byte that is not UTF-8 (a raw 0x9B).
fn terminal_controls(out: &[u8]) -> Vec<String> {
    let mut found: Vec<String> = String::from_utf8_lossy(out)
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    if let Err(e) = std::str::from_utf8(out) {
        found.push(format!("a byte that is not UTF-8 at {}", e.valid_up_to()));
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_from_the_server_never_reach_the_terminal() {
    // A long body stays "text" (few controls), so it is printed line by line, not hex.
    let body = format!(
        "{}\r\nred \u{1b}[31mESC bell \u{7} csi \u{9b}31m del \u{7f} nel \u{85} cr \r back\n",
        "x".repeat(2000)
    );
    let reply = format!(
        "HTTP/1.1 401 Unauthorized\r\nX-Evil: a\u{9b}31mb\u{85}c\r\nWWW-Authenticate: Bearer realm=\"\u{9b}2J\"\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let url = answering(Box::leak(reply.into_bytes().into_boxed_slice())).await;
    for format in ["text", "json"] {
        let out = authlens(&["send", &url, "--format", format]);
        assert_eq!(out.status.code(), Some(4), "{format}");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let found = terminal_controls(bytes);
            assert!(
                found.is_empty(),
                "{format} {stream} carries {found:?}:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let shown = String::from_utf8_lossy(&out.stdout);
        match format {
            "text" => {
                assert!(shown.contains("X-Evil: a‹U+009B›31mb‹U+0085›c"), "{shown}");
                assert!(
                    shown.contains("red ␛[31mESC bell ␇ csi ‹U+009B›31m"),
                    "{shown}"
                );
            }
            _ => {
                let doc: serde_json::Value = serde_json::from_str(&shown).expect("valid JSON");
                assert!(
                    doc["response"]["body"]
                        .as_str()
                        .is_some_and(|b| b.contains("csi \u{9b}31m"))
                );
            }
        }
    }
}
