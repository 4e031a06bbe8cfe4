//! The API's spec on the real event loop: `--spec FILE` read while the practice server
//! answers the seed notebook's upload, discovery (`D`) against a small loopback API that
//! serves its document at `/openapi.json` and 401 everywhere else, and a `--spec` URL with a
//! key in its query shown masked.

mod tui_common;

use authlens::draft::Draft;
use authlens::tui::app::{App, Entry, Outcome};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tui_common::*;

const DEADLINE: Duration = Duration::from_secs(20);
const FIXTURE: &str = "tests/fixtures/openapi/fastapi-seed.json";

/// The app with `draft` added and selected.
fn with_draft(draft: Draft) -> App {
    let mut app = fresh_app();
    app.entries.push(Entry::yours("mine".into(), draft));
    app.selected = app.entries.len() - 1;
    app.refresh_vars();
    app
}

/// A loopback API: its document at `/openapi.json` (any query), 401 elsewhere. Every request
/// head it read is kept, to check what discovery sent.
async fn tiny_api() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let doc = std::fs::read(FIXTURE).unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (doc, log) = (doc.clone(), log.clone());
            tokio::spawn(async move {
                let head = read_head(&mut sock).await;
                let path = head.split(' ').nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push(head);
                let (status, body) = if path.split('?').next() == Some("/openapi.json") {
                    ("200 OK", doc)
                } else {
                    (
                        "401 Unauthorized",
                        br#"{"detail":"Not authenticated"}"#.to_vec(),
                    )
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    (base, seen)
}

async fn read_head(sock: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// `--spec FILE`, then the practice server's upload route refusing a key sent as Bearer: the
/// spec line says which slot the operation wants, and the diagnosis of the send read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_file_is_read_at_start_and_the_send_is_diagnosed_with_it() {
    let mut app = fresh_app();
    app.selected = app
        .entries
        .iter()
        .position(|e| e.name == "✗ API key sent as Bearer")
        .unwrap();
    authlens::tui::spec::want(&mut app, FIXTURE.into());
    let ui = start_loop(app, DEADLINE).await;
    let s = ui
        .wait_for(
            "spec POST /api/v1/vote-extraction/extract wants the",
            DEADLINE,
        )
        .await;
    assert!(s.contains("`X-API-Key` header (APIKeyHeader)"), "{s}");
    ui.send([ctrl('s')]);
    let s = ui.wait_for("diagnosis of the last send", DEADLINE).await;
    assert!(s.contains("401 Unauthorized"), "{s}");
    assert!(
        s.contains("spec POST /api/v1/vote-extraction/extract"),
        "{s}"
    );
    assert!(
        !s.contains("D  find the API's spec"),
        "no offer with a spec loaded:\n{s}"
    );
    let app = ui.quit(DEADLINE).await;
    let Some(Outcome::Done(l)) = &app.entry().unwrap().outcome else {
        panic!("no exchange")
    };
    assert_eq!(l.spec.as_ref().unwrap().source, FIXTURE);
}

/// A 401 from an API with no spec loaded: `D` is offered, finds `/openapi.json` on the same
/// origin with no credential sent, loads it and says where it came from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_after_a_401_finds_the_document_on_the_origin_and_loads_it() {
    let (base, seen) = tiny_api().await;
    let draft = Draft::new("GET", &format!("{base}/api/v1/ballots/7"))
        .header("Authorization", "Bearer ${API_KEY}");
    let mut app = with_draft(draft);
    app.env.process = vec![("API_KEY".into(), "EXAMPLE-FAKE-KEY-000000000000".into())];
    app.refresh_vars();
    let ui = start_loop(app, DEADLINE).await;
    ui.send([ctrl('s')]);
    ui.wait_for("401 Unauthorized", DEADLINE).await;
    let s = ui.wait_for("D  find the API's spec", DEADLINE).await;
    assert!(
        s.contains("D looks for the API's OpenAPI document on"),
        "{s}"
    );
    ui.send([ch('D')]);
    let found = format!("spec found at {base}/openapi.json");
    let s = ui.wait_for(&found, DEADLINE).await;
    assert!(
        s.contains(&format!("next time: --spec {base}/openapi.json")),
        "{s}"
    );
    assert!(
        s.contains("spec GET /api/v1/ballots/{ballot_id} wants the"),
        "{s}"
    );
    assert!(
        !s.contains("D  find the API's spec"),
        "the offer is gone:\n{s}"
    );
    ui.send((0..4).map(|_| ch('l')));
    let s = ui.wait_for("found · next time:", DEADLINE).await;
    assert!(s.contains("the API's spec (OpenAPI)"), "{s}");
    assert!(!s.contains("EXAMPLE-FAKE-KEY-000000000000"), "{s}");
    let app = ui.quit(DEADLINE).await;
    let heads = seen.lock().unwrap().clone();
    let discovery = heads
        .iter()
        .find(|h| h.starts_with("GET /openapi.json "))
        .expect("discovery asked for /openapi.json");
    assert!(
        !discovery.to_ascii_lowercase().contains("authorization"),
        "{discovery}"
    );
    assert!(!discovery.contains("EXAMPLE-FAKE-KEY"), "{discovery}");
    let Some(Outcome::Done(l)) = &app.entry().unwrap().outcome else {
        panic!("no exchange")
    };
    assert!(
        l.spec.is_some(),
        "the last exchange was diagnosed again with it"
    );
}

/// A `--spec` URL carrying a key in its query: loaded, and never shown in full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_url_with_a_key_is_loaded_and_shown_masked() {
    let (base, _) = tiny_api().await;
    let key = "EXAMPLE-FAKE-QUERY-KEY-99999999";
    let mut app = fresh_app();
    authlens::tui::spec::want(&mut app, format!("{base}/openapi.json?api_key={key}"));
    let ui = start_loop(app, DEADLINE).await;
    let s = ui.wait_for("spec loaded: ", DEADLINE).await;
    assert!(s.contains("(Vote Extraction API, 3 operations)"), "{s}");
    assert!(s.contains("/openapi.json?api_key=EXAMP…9999"), "{s}");
    assert!(!s.contains(key), "{s}");
    ui.quit(DEADLINE).await;
}
