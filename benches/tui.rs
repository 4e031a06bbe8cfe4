//! What the TUI costs: indexing a 20 MiB body once, a frame showing it (must cost the
//! visible lines, not the body), a keystroke in the URL field (update + frame), and start-up
//! to the first frame.

use authlens::exchange::{BodyPreview, Capture, Exchange, Hop, Response, Timing, WireRequest};
use authlens::tui::app::{App, BodyIndex, EnvSnapshot, Loaded, Pane, Server};
use authlens::tui::msg::Msg;
use authlens::tui::update::update;
use authlens::tui::{samples, ui};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Instant;

/// About 20 MiB of pretty-printed-style JSON, one object a line.
fn big_body() -> Vec<u8> {
    let line =
        br#"{"id": 123456, "name": "EXAMPLE row with some text", "ok": true, "score": 0.75},"#;
    let mut body = b"[\n".to_vec();
    while body.len() < 20 << 20 {
        body.extend_from_slice(line);
        body.push(b'\n');
    }
    body.extend_from_slice(b"{}]\n");
    body
}

fn big_body_app() -> App {
    let body = big_body();
    let raw = b"GET /big HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n".to_vec();
    let hop = Hop {
        request: WireRequest {
            method: "GET".into(),
            url: "http://127.0.0.1/big".into(),
            capture: Capture::Captured,
            headers: vec![],
            stripped: vec![],
            head_len: raw.len(),
            raw_cut: false,
            raw,
        },
        response: Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: BodyPreview::from_bytes(body),
        },
        timing: Timing::default(),
    };
    let exchange = Exchange {
        hops: vec![hop],
        stopped: None,
    };
    let bodies = exchange
        .hops
        .iter()
        .map(|h| BodyIndex::build(&h.response.body.bytes))
        .collect();
    let sent = authlens::draft::Draft::new("GET", "http://127.0.0.1/big");
    let loaded = Arc::new(Loaded {
        sent,
        findings: vec![],
        exchange,
        redactor: Default::default(),
        bodies,
    });
    let mut app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::NotNeeded,
        Instant::now(),
    );
    app.entries[0].outcome = Some(authlens::tui::app::Outcome::Done(loaded));
    app.focus = Pane::Exchange;
    app.exchange.scroll = 100_000;
    app
}

/// What happens once, off the event loop, when a 20 MiB response lands: the text check and
/// the line index.
fn index(c: &mut Criterion) {
    let body = big_body();
    c.bench_function("index a 20 MiB JSON body", |b| {
        b.iter(|| BodyIndex::build(&body))
    });
}

fn frame(c: &mut Criterion) {
    let app = big_body_app();
    c.bench_function("frame with a 20 MiB body, 160x48", |b| {
        b.iter(|| ui::render_to_buffer(&app, 160, 48))
    });
}

fn keystroke(c: &mut Criterion) {
    let mut app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::NotNeeded,
        Instant::now(),
    );
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE)),
    );
    c.bench_function("keystroke in the URL + frame, 160x48", |b| {
        b.iter(|| {
            update(
                &mut app,
                Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
            );
            update(
                &mut app,
                Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
            );
            ui::render_to_buffer(&app, 160, 48)
        })
    });
}

/// Start-up to the first frame, minus the terminal: samples built (JWTs minted), the lint of
/// the selected draft, one frame. The practice server binds concurrently and is not waited for.
fn first_frame(c: &mut Criterion) {
    c.bench_function("start-up to first frame (no terminal), 160x48", |b| {
        b.iter(|| {
            let app = App::new(
                samples::samples(),
                EnvSnapshot::default(),
                Server::Starting,
                Instant::now(),
            );
            ui::render_to_buffer(&app, 160, 48)
        })
    });
}

criterion_group!(benches, index, frame, keystroke, first_frame);
criterion_main!(benches);
