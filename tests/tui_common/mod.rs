//! Shared by the TUI tests and the screenshots example: a deterministic app, key helpers,
//! synthetic exchanges, app states worth a picture, and a backend whose screen can be read
//! while the real loop runs.
#![allow(dead_code)]

pub mod watch;

use authlens::draft::Draft;
use authlens::exchange::{
    BodyPreview, Capture, Exchange, Hop, Origin, Response, Stripped, Timing, WireHeader,
    WireRequest,
};
use authlens::tui::app::{App, Entry, EntryKind, EnvSnapshot, Server, Tab};
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::samples;
use authlens::vars::DotenvReport;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Size};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BASE: &str = "http://127.0.0.1:43210";

/// Samples with the practice server still to start: the real loop starts it.
pub fn fresh_app() -> App {
    App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    )
}

/// Samples with the practice server "ready" at a fixed address and an empty environment.
pub fn app() -> App {
    let mut app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    update(
        &mut app,
        Msg::ServerReady {
            base: BASE.into(),
            other: "http://127.0.0.1:43211".into(),
            page: "/tmp/authlens-EXAMPLE-page1.jpg".into(),
        },
    );
    app
}

/// `update` as the runtime runs it: the message, then a frame at the app's size whose
/// measurements the app keeps (`App::record`), so paging and clicks see what was drawn.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let effects = authlens::tui::update::update(app, msg);
    let (_, drawn) = authlens::tui::ui::render_measured(app, app.width, app.height);
    app.record(drawn);
    effects
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}
pub fn typed(s: &str) -> Vec<Msg> {
    s.chars().map(ch).collect()
}

pub fn feed(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| update(app, m)).collect()
}

fn header(name: &str, value: &str, origin: Origin) -> WireHeader {
    WireHeader {
        name: name.into(),
        value: value.into(),
        origin,
    }
}

/// The strict route's answer to a lower-case `bearer`, as the practice server gives it.
pub fn strict_401(token: &str) -> Exchange {
    hop_401(
        "/strict/v1/models",
        "43210",
        &format!("authorization: bearer {token}\r\n"),
        token,
    )
}

fn hop_401(path: &str, port: &str, auth_line: &str, token: &str) -> Exchange {
    let raw =
        format!("GET {path} HTTP/1.1\r\n{auth_line}accept: */*\r\nhost: 127.0.0.1:{port}\r\n\r\n");
    let body = r#"{"detail":"Unauthorized","fix":"Write exactly: Bearer, one space, the token."}"#;
    Exchange {
        hops: vec![Hop {
            request: WireRequest {
                method: "GET".into(),
                url: format!("http://127.0.0.1:{port}{path}"),
                capture: Capture::Captured,
                headers: vec![
                    header(
                        "authorization",
                        &format!("bearer {token}"),
                        Origin::Typed { row: 0 },
                    ),
                    header("accept", "*/*", Origin::Client),
                    header("host", &format!("127.0.0.1:{port}"), Origin::Client),
                ],
                stripped: vec![],
                head_len: raw.len(),
                raw_cut: false,
                raw: raw.into_bytes(),
            },
            response: Response {
                status: 401,
                reason: "Unauthorized".into(),
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    (
                        "www-authenticate".into(),
                        r#"Bearer realm="authlens-practice-strict""#.into(),
                    ),
                ],
                body: BodyPreview::from_bytes(body.as_bytes().to_vec()),
            },
            timing: Timing {
                connect: Some(Duration::from_millis(1)),
                head: Duration::from_millis(4),
                total: Duration::from_millis(5),
                ..Default::default()
            },
        }],
        stopped: None,
        ..Default::default()
    }
}

/// A cross-origin 307 whose second hop went out without `Authorization`.
pub fn redirect_dropped(token: &str) -> Exchange {
    let auth = format!("Authorization: Bearer {token}\r\n");
    let mut first = hop_401("/redirect/models", "43210", &auth, token)
        .hops
        .remove(0);
    first.request.url = format!("{BASE}/redirect/models");
    first.request.headers[0] = header(
        "Authorization",
        &format!("Bearer {token}"),
        Origin::Typed { row: 0 },
    );
    first.response.status = 307;
    first.response.reason = "Temporary Redirect".into();
    first.response.headers = vec![("location".into(), "http://127.0.0.1:43211/v1/models".into())];
    first.response.body = BodyPreview::default();
    let mut second = hop_401("/v1/models", "43211", "", token).hops.remove(0);
    second.request.headers.remove(0);
    second.request.stripped = vec![Stripped {
        name: "Authorization".into(),
        reason: "the redirect goes to another origin (port 43211)".into(),
    }];
    Exchange {
        hops: vec![first, second],
        stopped: None,
        ..Default::default()
    }
}

/// Delivers an exchange as if the runtime had sent the selected draft.
pub fn deliver(app: &mut App, exchange: Exchange) {
    let effects = update(app, ctrl('s'));
    let (id, draft, vars, rules) = match effects.into_iter().next() {
        Some(authlens::tui::msg::Effect::Send {
            id,
            draft,
            vars,
            rules,
            ..
        }) => (id, draft, vars, rules),
        other => panic!("expected a send, got {other:?}"),
    };
    let result = authlens::tui::runtime::load_result(Ok(exchange), &draft, &vars, &rules);
    update(app, Msg::SendDone { id, result });
}

pub fn screen(app: &App, w: u16, h: u16) -> String {
    authlens::tui::ui::buffer_text(&authlens::tui::ui::render_to_buffer(app, w, h))
}

/// A `TestBackend` whose latest frame can be read from another task while the loop runs.
pub struct SharedBackend {
    inner: TestBackend,
    pub screen: Arc<Mutex<Buffer>>,
}

impl SharedBackend {
    pub fn new(w: u16, h: u16) -> (Self, Arc<Mutex<Buffer>>) {
        let screen = Arc::new(Mutex::new(Buffer::empty(ratatui::layout::Rect::new(
            0, 0, w, h,
        ))));
        (
            SharedBackend {
                inner: TestBackend::new(w, h),
                screen: screen.clone(),
            },
            screen,
        )
    }
}

impl Backend for SharedBackend {
    type Error = <TestBackend as Backend>::Error;
    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(
        &mut self,
        content: I,
    ) -> Result<(), Self::Error> {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(t)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        *self.screen.lock().unwrap() = self.inner.buffer().clone();
        Ok(())
    }
}

/// Polls the shared screen until it contains `needle`, or panics with the screen at the deadline.
pub async fn wait_for(screen: &Arc<Mutex<Buffer>>, needle: &str, deadline: Duration) -> String {
    let end = tokio::time::Instant::now() + deadline;
    loop {
        let text = authlens::tui::ui::buffer_text(&screen.lock().unwrap());
        if text.contains(needle) {
            return text;
        }
        if tokio::time::Instant::now() > end {
            panic!("{needle:?} did not appear within {deadline:?}; screen:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The real event loop on a 160×48 test screen, starting the practice server, with input
/// from a channel and the clipboard collected.
pub struct Running {
    pub tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    pub screen: Arc<Mutex<Buffer>>,
    pub copied: Arc<Mutex<Vec<String>>>,
    handle: tokio::task::JoinHandle<Result<App, std::convert::Infallible>>,
}

/// Runs `app` (usually `App::new` with `Server::Starting`) and waits for the practice server.
pub async fn start_loop(app: App, deadline: Duration) -> Running {
    start_loop_saving(app, None, deadline).await
}

/// `start_loop`, saving the session to `save_path` on quit.
pub async fn start_loop_saving(
    app: App,
    save_path: Option<std::path::PathBuf>,
    deadline: Duration,
) -> Running {
    start_loop_with(app, save_path, None, deadline).await
}

/// `start_loop`, saving the session to `save_path` on quit and keeping the history in
/// `history_path`.
pub async fn start_loop_with(
    app: App,
    save_path: Option<std::path::PathBuf>,
    history_path: Option<std::path::PathBuf>,
    deadline: Duration,
) -> Running {
    let (backend, screen) = SharedBackend::new(160, 48);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let input =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
    let copied = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = copied.clone();
    let options = authlens::tui::runtime::Options {
        start_server: true,
        save_path,
        history_path,
        send: authlens::send::Options::default(),
        clipboard: Box::new(move |t| {
            sink.lock().unwrap().push(t.to_string());
            Ok(())
        }),
    };
    let handle = tokio::spawn(async move {
        authlens::tui::runtime::run(&mut terminal, app, Box::pin(input), options).await
    });
    wait_for(&screen, "practice server 127.0.0.1:", deadline).await;
    Running {
        tx,
        screen,
        copied,
        handle,
    }
}

impl Running {
    pub fn send(&self, msgs: impl IntoIterator<Item = Msg>) {
        for m in msgs {
            self.tx.send(m).unwrap();
        }
    }

    pub async fn wait_for(&self, needle: &str, deadline: Duration) -> String {
        wait_for(&self.screen, needle, deadline).await
    }

    /// Presses `q` and returns the app the loop ended with.
    pub async fn quit(self, deadline: Duration) -> App {
        self.finish([ch('q')], deadline).await
    }

    /// Sends `msgs` (the last of them should end the loop) and returns the app it ended with.
    pub async fn finish(self, msgs: impl IntoIterator<Item = Msg>, deadline: Duration) -> App {
        self.send(msgs);
        let app = tokio::time::timeout(deadline, self.handle)
            .await
            .expect("the loop ends")
            .unwrap()
            .unwrap();
        assert!(app.quit);
        app
    }
}

/// A draft using `${API_KEY}` where a stale exported value shadows the one in `.env`.
pub fn shadowed_app() -> App {
    let file = authlens::vars::dotenv::parse_bytes(
        Path::new("/home/learner/proj/.env"),
        b"# practice\nAPI_KEY=authlens-EXAMPLE-api-key-1111111111111111\n",
    );
    let dotenv = DotenvReport {
        searched: vec![
            "/home/learner/proj/notebooks/.env".into(),
            "/home/learner/proj/.env".into(),
        ],
        files: vec![file],
        explicit: false,
    };
    let process = vec![(
        "API_KEY".to_string(),
        "authlens-EXAMPLE-stale-key-0000000000000000".to_string(),
    )];
    let draft = Draft::new(
        "POST",
        "http://127.0.0.1:43210/api/v1/vote-extraction/extract",
    )
    .header("X-API-Key", "${API_KEY}")
    .header("X-Trace", "${TRACE_ID}");
    let entry = Entry {
        name: "my upload".into(),
        lesson: None,
        kind: EntryKind::Yours,
        sample_id: None,
        draft,
        outcome: None,
    };
    let mut app = App::new(
        vec![entry],
        EnvSnapshot {
            process,
            dotenv,
            ..EnvSnapshot::default()
        },
        Server::NotNeeded,
        Instant::now(),
    );
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    app
}
