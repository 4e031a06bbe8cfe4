//! What the TUI costs: indexing a 20 MiB body once, a frame showing it (must cost the
//! visible lines, not the body), a keystroke in the URL field (update + frame), and start-up
//! to the first frame.
//!
//! Then the same loop work on a realistic machine: 200+ process variables and a 50-line `.env`
//! (made in a temp dir here; the real environment is never read). Targets: a keystroke and its
//! frame within 1 ms, in the URL and in a 1 MiB body; every message the event loop handles
//! with a 20 MiB body open (a tick, a key release, a scroll, typing a query, the search) within
//! 16 ms, frame included. The frames are drawn as the runtime draws them: one terminal kept
//! across frames, the app not copied.

use authlens::draft::{Body, Draft};
use authlens::exchange::{BodyPreview, Capture, Exchange, Hop, Response, Timing, WireRequest};
use authlens::tui::app::{
    App, BodyIndex, Entry, EntryKind, EnvSnapshot, Loaded, Pane, Server, Tab,
};
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::update::update;
use authlens::tui::{samples, ui};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
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
    big_body_app_in(EnvSnapshot::default())
}

fn big_body_app_in(env: EnvSnapshot) -> App {
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
        ..Default::default()
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
        spec: None,
        restored: None,
    });
    let mut app = App::new(samples::samples(), env, Server::NotNeeded, Instant::now());
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

/// A developer's machine: 200 exported variables (and the usual few), and a 50-line `.env`
/// in a temp dir that sets some of the same names, so bindings shadow each other.
fn realistic_env() -> EnvSnapshot {
    let mut process: Vec<(String, String)> = (0..200)
        .map(|i| {
            let value = format!("FAKE-EXAMPLE-value-{i:03}-{}", "x".repeat(i % 40));
            (format!("EXAMPLE_VAR_{i:03}"), value)
        })
        .collect();
    process.extend(
        [
            ("HOME", "/home/EXAMPLE"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
            (
                "OPENAI_API_KEY",
                "sk-proj-FAKE0000EXAMPLE0000FAKE0000EXAMPLE00",
            ),
            ("API_KEY", "EXAMPLE-stale-FAKE-key-0000"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let dir = std::env::temp_dir().join(format!("authlens-bench-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut text = String::from("# EXAMPLE .env for the TUI bench\n");
    for i in 0..43 {
        text.push_str(&format!("EXAMPLE_DOTENV_{i:02}=FAKE-dotenv-value-{i:02}\n"));
    }
    text.push_str("# shadowed by the exported ones\n");
    for i in 0..4 {
        text.push_str(&format!("EXAMPLE_VAR_{i:03}=FAKE-from-dotenv-{i}\n"));
    }
    text.push_str("API_KEY=EXAMPLE-fresh-FAKE-key-1111\n");
    assert_eq!(text.lines().count(), 50);
    let path = dir.join(".env");
    std::fs::write(&path, &text).expect("the .env written");
    let dotenv = authlens::vars::dotenv::explicit(std::slice::from_ref(&path));
    let names: BTreeMap<String, String> = process.iter().cloned().collect();
    let mut rules = authlens::rules::Context::live(1_772_366_400).with_dotenv(
        &path.display().to_string(),
        &text,
        &names,
    );
    rules.cwd = Some(dir.display().to_string());
    rules.dotenv_path = Some(path.display().to_string());
    EnvSnapshot {
        process,
        dotenv,
        rules,
    }
}

/// Draws as the runtime does: into one terminal kept across frames, the app not copied.
struct Screen(Terminal<TestBackend>);

impl Screen {
    fn new(app: &mut App) -> Screen {
        update(app, Msg::Resize(160, 48));
        Screen(Terminal::new(TestBackend::new(160, 48)).expect("a test backend"))
    }

    /// A frame and its measurements, kept as the runtime keeps them.
    fn draw(&mut self, app: &mut App) {
        let mut drawn = Default::default();
        self.0
            .draw(|f| drawn = ui::render(app, f))
            .expect("a test backend never fails");
        app.record(drawn);
    }
}

fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// One keystroke and its frame per iteration, alternately a letter and Backspace, so the
/// field stays the same size however long criterion runs.
fn type_and_draw(c: &mut Criterion, name: &str, app: &mut App) {
    let mut screen = Screen::new(app);
    let mut n = 0u64;
    c.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            let code = if n % 2 == 1 {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            };
            update(app, press(code));
            screen.draw(app);
        })
    });
}

fn keystroke_realistic(c: &mut Criterion) {
    let mut app = App::new(
        samples::samples(),
        realistic_env(),
        Server::NotNeeded,
        Instant::now(),
    );
    update(&mut app, press(KeyCode::Char('e')));
    type_and_draw(
        c,
        "keystroke in the URL + frame, 200 env vars + 50-line .env, 160x48",
        &mut app,
    );
}

/// About 1 MiB of JSON, one object a line, with a `${VAR}` here and there.
fn mib_body() -> String {
    let mut text = String::from("[\n");
    let mut i = 0;
    while text.len() < 1 << 20 {
        let line = if i % 100 == 0 {
            format!(
                "  {{\"id\": {i}, \"key\": \"${{EXAMPLE_VAR_{:03}}}\", \"ok\": true}},\n",
                i % 200
            )
        } else {
            format!("  {{\"id\": {i}, \"name\": \"EXAMPLE row with some text\", \"ok\": true}},\n")
        };
        text.push_str(&line);
        i += 1;
    }
    text.push_str("  {}\n]");
    text
}

fn keystroke_in_big_body(c: &mut Criterion) {
    let mut draft = Draft::new("POST", "https://api.example.test/v1/items")
        .header("Authorization", "Bearer ${OPENAI_API_KEY}")
        .header("Content-Type", "application/json");
    draft.body = Body::Text {
        content_type: None,
        text: mib_body(),
    };
    let mut entries = samples::samples();
    entries.insert(
        0,
        Entry {
            name: "1 MiB upload".into(),
            lesson: None,
            kind: EntryKind::Yours,
            sample_id: None,
            draft,
            outcome: None,
        },
    );
    let mut app = App::new(entries, realistic_env(), Server::NotNeeded, Instant::now());
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    app.editor.row = 2;
    update(&mut app, press(KeyCode::Enter));
    assert!(app.editing.as_ref().is_some_and(|e| e.input.multiline));
    type_and_draw(
        c,
        "keystroke in a 1 MiB body + frame, 200 env vars + 50-line .env, 160x48",
        &mut app,
    );
    // What each key asked for, run as the runtime runs it: on its worker, off the loop.
    let effects = update(&mut app, press(KeyCode::Char('x')));
    let Some(job) = effects.into_iter().find_map(|e| match e {
        Effect::Derive(job) => Some(job),
        _ => None,
    }) else {
        panic!("a 1 MiB draft is linted off the loop")
    };
    let mut g = c.benchmark_group("off the event loop");
    g.sample_size(10);
    g.bench_function("resolve + lint a 1 MiB draft", |b| {
        b.iter(|| job.as_ref().clone().run())
    });
    g.finish();
}

/// Messages handled with a 20 MiB response open in the exchange pane, each with its frame.
fn messages_with_big_body(c: &mut Criterion) {
    let mut app = big_body_app_in(realistic_env());
    let mut screen = Screen::new(&mut app);
    app.exchange.scroll = 100_000;
    let mut g = c.benchmark_group("20 MiB body open, 200 env vars + 50-line .env, 160x48");
    g.sample_size(20);
    g.bench_function("Tick + frame", |b| {
        b.iter(|| {
            update(&mut app, Msg::Tick);
            screen.draw(&mut app);
        })
    });
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    g.bench_function("key release + frame", |b| {
        b.iter(|| {
            update(&mut app, Msg::Key(release));
            screen.draw(&mut app);
        })
    });
    let mut n = 0u64;
    g.bench_function("j/k + frame", |b| {
        b.iter(|| {
            n += 1;
            update(
                &mut app,
                press(KeyCode::Char(if n % 2 == 1 { 'k' } else { 'j' })),
            );
            screen.draw(&mut app);
        })
    });
    // `/` then a query that is nowhere in the body: each key highlights, Enter reads it all.
    update(&mut app, press(KeyCode::Char('/')));
    let mut n = 0u64;
    g.bench_function("typing the query + frame", |b| {
        b.iter(|| {
            n += 1;
            let code = if n % 2 == 1 {
                KeyCode::Char('z')
            } else {
                KeyCode::Backspace
            };
            update(&mut app, press(code));
            screen.draw(&mut app);
        })
    });
    for ch in "EXAMPLE-nowhere".chars() {
        update(&mut app, press(KeyCode::Char(ch)));
    }
    update(&mut app, press(KeyCode::Enter));
    g.bench_function("Y (copy the body: update only) + frame", |b| {
        b.iter(|| {
            let copy = update(&mut app, press(KeyCode::Char('Y')));
            screen.draw(&mut app);
            copy
        })
    });
    g.bench_function("n (search on) + frame", |b| {
        b.iter(|| {
            update(&mut app, press(KeyCode::Char('n')));
            screen.draw(&mut app);
        })
    });
    g.finish();
    // What n asked for, run as the runtime runs it: on a blocking thread, off the loop.
    let effects = update(&mut app, press(KeyCode::Char('n')));
    let [Effect::Search(job)] = &effects[..] else {
        panic!("a 20 MiB body is searched off the loop: {effects:?}")
    };
    let effects = update(&mut app, press(KeyCode::Esc));
    assert!(effects.is_empty() && app.editing.is_none());
    let effects = update(&mut app, press(KeyCode::Char('Y')));
    let [Effect::CopyBody(copy)] = &effects[..] else {
        panic!("a 20 MiB body is copied off the loop: {effects:?}")
    };
    let mut g = c.benchmark_group("off the event loop");
    g.sample_size(10);
    g.bench_function("search a 20 MiB body, no match", |b| {
        b.iter(|| job.run(|| false))
    });
    g.bench_function("the masked copy of a 20 MiB body (before OSC 52)", |b| {
        b.iter(|| copy.text())
    });
    g.finish();
}

criterion_group!(benches, index, frame, keystroke, first_frame);
criterion_group!(
    realistic,
    keystroke_realistic,
    keystroke_in_big_body,
    messages_with_big_body
);
criterion_main!(benches, realistic);
