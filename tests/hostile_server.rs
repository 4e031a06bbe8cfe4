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
