//! The real event loop with scripted input against the in-process practice server: the
//! lower-case `bearer` sample is linted, gets 401 and a diagnosis; one key applies the fix,
//! sending again gets 200, and `q` ends the loop.

mod tui_common;

use authlens::tui::app::{App, EnvSnapshot, Server};
use authlens::tui::msg::Msg;
use authlens::tui::{runtime, samples};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tui_common::*;

const DEADLINE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_route_401_finding_fix_then_200_then_quit() {
    let (backend, screen) = SharedBackend::new(160, 48);
    let mut terminal = Terminal::new(backend).unwrap();
    let app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let input =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
    let copied = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = copied.clone();
    let options = runtime::Options {
        start_server: true,
        save_path: None,
        send: authlens::send::Options::default(),
        clipboard: Box::new(move |t| {
            sink.lock().unwrap().push(t.to_string());
            Ok(())
        }),
    };
    let lp =
        tokio::spawn(
            async move { runtime::run(&mut terminal, app, Box::pin(input), options).await },
        );

    wait_for(&screen, "practice server 127.0.0.1:", DEADLINE).await;
    // Lint, before sending: the lower-case scheme is already pointed out, with a fix.
    wait_for(&screen, "[fix: F]", DEADLINE).await;
    tx.send(ctrl('s')).unwrap();
    let s = wait_for(&screen, "▼ 401 Unauthorized", DEADLINE).await;
    assert!(
        s.contains("typed h1 │ authorization: bearer sk-au…0000 (43 chars)"),
        "{s}"
    );
    assert!(s.contains("captured from the socket"), "{s}");
    let s = wait_for(&screen, "diagnosis of the last send", DEADLINE).await;
    assert!(
        s.contains("auth-scheme-case"),
        "the finding names its rule:\n{s}"
    );

    // One key applies the fix and says what changed; sending again gets 200.
    tx.send(ch('F')).unwrap();
    let s = wait_for(&screen, "fixed (", DEADLINE).await;
    assert!(s.contains("Authorization: Bearer ${OPENAI_API_KEY}"), "{s}");
    tx.send(ctrl('s')).unwrap();
    let s = wait_for(&screen, "▼ 200 OK", DEADLINE).await;
    assert!(
        s.contains("authorization: Bearer sk-au…0000 (43 chars)"),
        "{s}"
    );

    // Copy as curl from the exchange pane: masked.
    tx.send(key(KeyCode::Tab)).unwrap();
    tx.send(key(KeyCode::Tab)).unwrap();
    wait_for(&screen, "● Exchange", DEADLINE).await;
    tx.send(ch('y')).unwrap();
    wait_for(&screen, "copied curl command (secrets masked)", DEADLINE).await;
    let curl = copied.lock().unwrap()[0].clone();
    assert!(curl.contains("Authorization: Bearer sk-au…0000"), "{curl}");

    // The list: down to another sample.
    tx.send(key(KeyCode::Tab)).unwrap();
    tx.send(ch('j')).unwrap();
    wait_for(&screen, "▶  ✓ Bearer (exact)", DEADLINE).await;

    tx.send(ch('q')).unwrap();
    let app = tokio::time::timeout(DEADLINE, lp)
        .await
        .expect("the loop ends on q")
        .unwrap()
        .unwrap();
    assert!(app.quit);
}
