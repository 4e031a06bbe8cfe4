//! Inputs far larger than usual finish in time linear in their size: 20,000 `-H` flags, and a
//! 30,000-entry HAR of redirect chains. Each run of the real binary gets a deadline many times
//! what it needs (`benches/har_diagnose.py` has the figures); the quadratic versions took
//! minutes in a debug build.

use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs the binary, waiting at most `limit`: a run past it is killed and fails the test.
fn run_within(args: &[String], limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("{:?} … still running after {limit:?}", &args[..2]);
        }
    }
}

/// A loopback server that reads each request head, however long, and answers 401.
async fn answering_401() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut got = Vec::new();
                let mut buf = [0u8; 65536];
                while !got.ends_with(b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = sock
                    .write_all(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\n{}")
                    .await;
                let _ = sock.shutdown().await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_headers_are_sent_and_shown_in_seconds() {
    let url = answering_401().await;
    let mut args = vec!["send".to_string(), url];
    for i in 0..20_000 {
        args.push("-H".into());
        args.push(format!("X-Bench-{i}: value-{i}"));
    }
    let out = tokio::task::block_in_place(|| run_within(&args, Duration::from_secs(20)));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shown.contains("captured"), "the wire was captured");
    assert!(shown.contains("x-bench-19999: value-19999"));
}

#[test]
fn a_har_of_thirty_thousand_redirect_entries_is_diagnosed_in_seconds() {
    let mut entries = Vec::new();
    for chain in 0..3_000 {
        for k in 0..10 {
            let url = format!("https://api{}.example.test/c{chain}/hop{k}", k % 3);
            let next = format!(
                "https://api{}.example.test/c{chain}/hop{}",
                (k + 1) % 3,
                k + 1
            );
            entries.push(if k < 9 {
                serde_json::json!({"request": {"method": "GET", "url": url, "headers": []},
                                   "response": {"status": 302, "headers": [], "redirectURL": next}})
            } else {
                serde_json::json!({"request": {"method": "GET", "url": url, "headers": []},
                                   "response": {"status": 401, "headers": []}})
            });
        }
    }
    let har = std::env::temp_dir().join(format!("authlens-scale-{}.har", std::process::id()));
    std::fs::write(
        &har,
        serde_json::json!({"log": {"entries": entries}}).to_string(),
    )
    .unwrap();
    let args = vec!["diagnose".to_string(), har.display().to_string()];
    let out = run_within(&args, Duration::from_secs(30));
    std::fs::remove_file(&har).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(shown.matches("\n== entry ").count() + 1, 30_000);
    assert!(shown.contains("== entry 29999: GET https://api0.example.test/c2999/hop9"));
}
