//! The event loop: reads input, feeds `update`, performs the effects it returns on tokio, and
//! draws only when something changed.
//!
//! The backend and the input stream are parameters, so tests run this very loop on a
//! `TestBackend` with scripted keys against a real practice server.

use super::app::{App, BodyIndex, DeriveJob, Loaded};
use super::msg::{Effect, Msg, SendFailure};
use super::session;
use super::ui;
use super::update::update;
use crate::draft::Draft;
use crate::exchange::Exchange;
use crate::practice::{Config, PracticeServer};
use crate::rules;
use crate::send::{self, SendError};
use crate::vars::{Vars, resolve};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};
use tokio::task::AbortHandle;

/// Where the clipboard text goes: OSC 52 on a real terminal, a vector in tests.
pub type Clipboard = Box<dyn FnMut(&str) -> std::io::Result<()> + Send>;

pub struct Options {
    pub start_server: bool,
    /// Where drafts are saved on quit; `None` saves nothing (tests).
    pub save_path: Option<PathBuf>,
    /// The history file (`history_store`): read when the loop starts, written as sends
    /// land; `None` keeps no history (tests).
    pub history_path: Option<PathBuf>,
    pub send: send::Options,
    pub clipboard: Clipboard,
}

struct Shell {
    tx: mpsc::UnboundedSender<Msg>,
    tasks: HashMap<u64, AbortHandle>,
    options: Options,
    /// The id of the newest body search: an older one still running stops at its next look.
    latest_search: Arc<AtomicU64>,
    /// Jobs for the worker thread that resolves and lints large drafts (started on first use).
    derive_jobs: Option<std::sync::mpsc::Sender<DeriveJob>>,
    /// `Options::clipboard`, shared with the threads that copy.
    clipboard: Arc<Mutex<Clipboard>>,
    /// The history thread, when there is a history file.
    history: Option<super::history_store::worker::Worker>,
    /// The command line's connection flags (`App::flags`), already in `options.send`.
    flags: crate::draft::Settings,
}

/// Runs until the app quits or the input ends; returns the final state (for tests and for
/// the message printed after the terminal is restored).
pub async fn run<B: Backend, S: Stream<Item = Msg> + Unpin>(
    terminal: &mut Terminal<B>,
    mut app: App,
    mut input: S,
    options: Options,
) -> Result<App, B::Error> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut server_rx = options.start_server.then(start_server);
    // The practice server and the fake scan it serves the upload samples: both end with
    // this function, the scan's file removed (`TempFile`).
    let mut server: Option<(PracticeServer, TempFile)> = None;
    let mut options = options;
    let clipboard = std::mem::replace(&mut options.clipboard, Box::new(|_| Ok(())));
    let mut shell = Shell {
        tx,
        tasks: HashMap::new(),
        clipboard: Arc::new(Mutex::new(clipboard)),
        options,
        latest_search: Arc::new(AtomicU64::new(0)),
        derive_jobs: None,
        history: None,
        flags: app.flags.clone(),
    };
    shell.history = shell
        .options
        .history_path
        .clone()
        .map(|path| super::history_store::worker::Worker::start(path, shell.tx.clone()));
    let size = terminal.size()?;
    app.unix_now = Some(unix_now());
    update(&mut app, Msg::Resize(size.width, size.height));
    for effect in update(&mut app, Msg::Started) {
        shell.perform(effect);
    }
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut dirty = true;
    loop {
        if dirty {
            let mut drawn = Default::default();
            terminal.draw(|f| drawn = ui::render(&app, f))?;
            app.record(drawn);
        }
        if app.quit {
            break;
        }
        let msg = tokio::select! {
            m = input.next() => m.unwrap_or(Msg::Terminate),
            Some(m) = rx.recv() => m,
            r = async { server_rx.as_mut().unwrap().await }, if server_rx.is_some() => {
                server_rx = None;
                server_ready(r, &mut server)
            }
            _ = tick.tick(), if app.sending() => Msg::Tick,
        };
        app.now = Instant::now();
        app.unix_now = Some(unix_now());
        dirty = visible_change(&msg);
        for effect in update(&mut app, msg) {
            shell.perform(effect);
        }
    }
    // A failure to save on the way out (a Note sent by `perform`) is still news: keep it
    // for the caller, who prints it once the terminal is back.
    while let Ok(m) = rx.try_recv() {
        if matches!(m, Msg::Note { error: true, .. }) {
            update(&mut app, m);
        }
    }
    // What was kept is on disk before the caller goes on (and the process ends).
    if let Some(history) = shell.history.take() {
        let _ = tokio::task::spawn_blocking(move || history.finish()).await;
    }
    drop(server);
    Ok(app)
}

type ServerResult = std::io::Result<(PracticeServer, TempFile)>;

/// Binds the practice server in the background, so the first frame is not kept waiting.
fn start_server() -> oneshot::Receiver<ServerResult> {
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let r = async {
            let server = PracticeServer::start(Config::practice_default()).await?;
            // Written here, with no await between the file and its guard: if the loop has
            // already ended, the send below fails and dropping the guard removes the file.
            let page = TempFile::create("authlens-page1", "jpg", FAKE_JPEG)?;
            Ok((server, page))
        };
        let _ = tx.send(r.await);
    });
    rx
}

/// A file this run made in the temporary directory, removed when the guard is dropped: at
/// the end of `run`, however the loop ended (`q`, Ctrl+C, SIGTERM or SIGHUP, the input
/// closing, a terminal error) or if it unwinds.
#[derive(Debug)]
pub struct TempFile(PathBuf);

impl TempFile {
    /// Creates `<prefix>-<pid>-<n>.<ext>` in the temporary directory with `bytes`: a new file
    /// (`0600`), never one that was there already — not another run's, not a link someone
    /// left in a shared `/tmp` — so removing it removes only what this run wrote.
    pub fn create(prefix: &str, ext: &str, bytes: &[u8]) -> std::io::Result<TempFile> {
        use std::io::Write;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        for attempt in 0.. {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("{prefix}-{}-{n}.{ext}", std::process::id()));
            match crate::data_dir::create_new_private(&path) {
                Ok(mut file) => {
                    let guard = TempFile(path);
                    file.write_all(bytes)?;
                    return Ok(guard);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {}
                Err(e) => return Err(e),
            }
        }
        unreachable!("the loop returns")
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A few bytes that start and end like a JPEG: enough for the upload lesson.
const FAKE_JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00EXAMPLE-FAKE-SCAN-PAGE-0000\xFF\xD9";

fn server_ready(
    r: Result<ServerResult, oneshot::error::RecvError>,
    keep: &mut Option<(PracticeServer, TempFile)>,
) -> Msg {
    match r {
        Ok(Ok((server, page))) => {
            let base = server.url("");
            let other = format!("http://{}", server.other_addr());
            let page_path = page.path().display().to_string();
            *keep = Some((server, page));
            Msg::ServerReady {
                base,
                other,
                page: page_path,
            }
        }
        Ok(Err(e)) => Msg::ServerFailed(e.to_string()),
        Err(_) => Msg::ServerFailed("the start-up task ended".into()),
    }
}

/// A request's own settings as a send applies them over the command line's: a client key
/// given alone on the Settings tab goes with the command line's certificate, which the tab
/// shows as that request's.
fn own_settings(
    flags: &crate::draft::Settings,
    own: &crate::draft::Settings,
) -> crate::draft::Settings {
    let mut s = own.clone();
    if s.client_key.is_some() && s.client_cert.is_none() {
        s.client_cert.clone_from(&flags.client_cert);
    }
    s
}

impl Shell {
    /// Sends on its own task (aborting it is the cancel); the result is prepared off the loop
    /// and comes back as `SendDone`.
    fn send(
        &mut self,
        id: u64,
        draft: Draft,
        vars: Vars,
        rules: rules::Context,
        mut jar: Box<crate::cookies::Jar>,
    ) {
        let tx = self.tx.clone();
        let opts = self.options.send.clone();
        let own = own_settings(&self.flags, &draft.settings);
        let task = tokio::spawn(async move {
            // The request's own settings (its Settings tab, or a `.http` file's `# @insecure`,
            // `# @timeout 5`…) over the command line's; a file's paths were made absolute
            // when it was read, the tab's are relative to where authlens started.
            let here = std::path::Path::new(".");
            let origin = send::settings::Origin::Tui;
            let result = match send::settings::apply(&opts, &own, here, origin) {
                Ok(opts) => send::run_with_jar(&draft, &vars, &opts, &mut jar).await,
                Err(e) => Err(send::SendError::Input(e)),
            };
            let loaded =
                tokio::task::spawn_blocking(move || load_result(result, &draft, &vars, &rules))
                    .await;
            let result = loaded.unwrap_or_else(|e| {
                Err(SendFailure {
                    message: e.to_string(),
                    partial: None,
                })
            });
            let _ = tx.send(Msg::JarAfterSend { id, jar });
            let _ = tx.send(Msg::SendDone { id, result });
        });
        self.tasks.retain(|_, t| !t.is_finished());
        self.tasks.insert(id, task.abort_handle());
    }

    /// Reads or fetches the API's document on its own task (a file is read on a blocking
    /// thread by `load_spec` itself).
    fn load_spec(&self, id: u64, source: String) {
        let tx = self.tx.clone();
        let opts = self.options.send.clone();
        tokio::spawn(async move {
            let result = send::document::load_spec(&source, &opts)
                .await
                .map(Box::new);
            let _ = tx.send(Msg::SpecLoaded { id, result });
        });
    }

    /// Tries the discovery paths on `origin`, one GET at a time, with no credential.
    fn discover_spec(&self, id: u64, origin: String) {
        let tx = self.tx.clone();
        let opts = self.options.send.clone();
        tokio::spawn(async move {
            let discovery = Box::new(send::document::discover(&origin, &opts).await);
            let _ = tx.send(Msg::SpecDiscovered { id, discovery });
        });
    }

    /// Sends the four slots on their own task, cancellable like a send.
    fn compare(
        &mut self,
        id: u64,
        draft: Draft,
        vars: Vars,
        cred: crate::slots::Credential,
        rules: rules::Context,
    ) {
        let tx = self.tx.clone();
        let opts = self.options.send.clone();
        let own = own_settings(&self.flags, &draft.settings);
        let task = tokio::spawn(async move {
            // The request's own settings hold for every slot, as for a send.
            let here = std::path::Path::new(".");
            let origin = send::settings::Origin::Tui;
            let opts = match send::settings::apply(&opts, &own, here, origin) {
                Ok(opts) => opts,
                Err(e) => {
                    let _ = tx.send(Msg::CompareDone {
                        id,
                        outcomes: Vec::new(),
                    });
                    let text = format!("compare not sent: {e}");
                    let _ = tx.send(Msg::Note { error: true, text });
                    return;
                }
            };
            let outcomes = crate::slots::run(&draft, &vars, &cred, &opts, &rules).await;
            let _ = tx.send(Msg::CompareDone { id, outcomes });
        });
        self.tasks.retain(|_, t| !t.is_finished());
        self.tasks.insert(id, task.abort_handle());
    }

    /// Puts `text()` on the clipboard on a blocking thread: OSC 52 of a 20 MiB body is base64
    /// of all of it, written to the terminal, and making the text may take a while too. The
    /// note saying so comes back as a message.
    fn copy(&self, what: &'static str, text: impl FnOnce() -> String + Send + 'static) {
        let tx = self.tx.clone();
        let clipboard = self.clipboard.clone();
        tokio::task::spawn_blocking(move || {
            let text = text();
            let mut clipboard = clipboard.lock().unwrap_or_else(|e| e.into_inner());
            let note = match (*clipboard)(&text) {
                Ok(()) => Msg::Note {
                    error: false,
                    text: format!("copied {what} to the clipboard (OSC 52)"),
                },
                Err(e) => Msg::Note {
                    error: true,
                    text: format!("could not copy: {e}"),
                },
            };
            let _ = tx.send(note);
        });
    }

    fn perform(&mut self, effect: Effect) {
        match effect {
            Effect::Send {
                id,
                draft,
                vars,
                rules,
                jar,
            } => self.send(id, *draft, *vars, *rules, jar),
            Effect::Compare {
                id,
                draft,
                vars,
                credential,
                rules,
            } => self.compare(id, *draft, *vars, credential, *rules),
            Effect::Cancel { id } => {
                if let Some(t) = self.tasks.remove(&id) {
                    t.abort();
                }
            }
            Effect::Copy { what, text } => self.copy(what, move || text),
            Effect::CopyBody(job) => self.copy(super::exchange::CopyBody::WHAT, move || job.text()),
            Effect::Save(json) => {
                if let Some(path) = &self.options.save_path
                    && let Err(e) = session::write_atomic(path, &json)
                {
                    let text = format!("drafts not saved to {}: {e}", path.display());
                    let _ = self.tx.send(Msg::Note { error: true, text });
                }
            }
            Effect::WriteLessonAssets(dir) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = crate::lessons::write_assets(&dir) {
                        let text = format!("lesson files not written to {}: {e}", dir.display());
                        let _ = tx.send(Msg::Note { error: true, text });
                    }
                });
            }
            Effect::CheckEnvGit(path) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let state = super::keep::git_state(&path);
                    let _ = tx.send(Msg::EnvGit { path, state });
                });
            }
            Effect::WriteEnv(job) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::EnvWritten(super::keep::write_env(&job)));
                });
            }
            Effect::CompletePath { target, typed } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let found = super::complete::candidates(&typed);
                    let _ = tx.send(Msg::PathCompleted {
                        target,
                        typed,
                        found,
                    });
                });
            }
            Effect::Derive(job) => {
                let jobs = self
                    .derive_jobs
                    .get_or_insert_with(|| derive_worker(self.tx.clone()));
                let _ = jobs.send(*job);
            }
            Effect::Search(job) => {
                self.latest_search.store(job.id, Ordering::SeqCst);
                let latest = self.latest_search.clone();
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let superseded = || latest.load(Ordering::Relaxed) != job.id;
                    if let Ok(line) = job.run(superseded) {
                        let _ = tx.send(Msg::SearchDone { id: job.id, line });
                    }
                });
            }
            Effect::ExportHar(job) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
                    let (error, text) = match job.write_in(&dir) {
                        Ok(note) => (false, note),
                        Err(why) => (true, why),
                    };
                    let _ = tx.send(Msg::Note { error, text });
                });
            }
            Effect::History(op) => {
                if let Some(h) = &self.history {
                    h.send(op);
                }
            }
            Effect::LoadSpec { id, source } => self.load_spec(id, source),
            Effect::DiscoverSpec { id, origin } => self.discover_spec(id, origin),
            Effect::Rediagnose(jobs) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let done = jobs.into_iter().map(|j| j.run()).collect();
                    let _ = tx.send(Msg::Rediagnosed(done));
                });
            }
            Effect::SaveHttp(job) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::HttpSaved(Box::new(job.run())));
                });
            }
            Effect::CheckFiles(paths) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let missing = paths
                        .into_iter()
                        .filter(|p| !std::path::Path::new(p).is_file())
                        .collect();
                    let _ = tx.send(Msg::FilesChecked(missing));
                });
            }
        }
    }
}

/// The thread that resolves and lints large drafts: one job at a time, and of the jobs that
/// queued meanwhile (typing went on) only the newest. It ends with the loop (its sender).
fn derive_worker(out: mpsc::UnboundedSender<Msg>) -> std::sync::mpsc::Sender<DeriveJob> {
    let (tx, rx) = std::sync::mpsc::channel::<DeriveJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
            if out.send(Msg::Derived(Box::new(job.run()))).is_err() {
                break;
            }
        }
    });
    tx
}

/// Indexes every body and runs the diagnosis once, off the event loop, so neither scrolling
/// nor drawing ever rescans a body.
pub fn load_result(
    result: Result<Exchange, SendError>,
    draft: &Draft,
    vars: &Vars,
    ctx: &rules::Context,
) -> Result<Arc<Loaded>, SendFailure> {
    let redactor = resolve(draft, vars).redactor;
    let load = |exchange: Exchange| {
        let bodies = exchange
            .hops
            .iter()
            .map(|h| BodyIndex::build(&h.response.body.bytes))
            .collect();
        let findings = rules::diagnose_exchange(draft, vars, &exchange, ctx);
        let mut redactor = redactor.clone();
        redactor.learn_response(&exchange);
        Arc::new(Loaded {
            exchange,
            redactor,
            bodies,
            sent: draft.clone(),
            findings,
            spec: ctx.spec.clone(),
            restored: None,
        })
    };
    match result {
        Ok(ex) => Ok(load(ex)),
        Err(SendError::Input(e)) => Err(SendFailure {
            message: e.to_string(),
            partial: None,
        }),
        Err(SendError::Transport { error, partial }) => {
            let partial = (!partial.hops.is_empty()).then(|| load(*partial));
            Err(SendFailure {
                message: error.to_string(),
                partial,
            })
        }
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Mouse motion changes nothing on screen; everything else may.
fn visible_change(msg: &Msg) -> bool {
    !matches!(msg, Msg::Mouse(m) if m.kind == crossterm::event::MouseEventKind::Moved)
}

/// A terminal event as a message; `None` for events the app does not use.
pub fn msg_from_event(ev: crossterm::event::Event) -> Option<Msg> {
    use crossterm::event::Event;
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::TempFile;
    use crate::draft::Settings;

    #[test]
    fn a_key_given_alone_on_the_tab_goes_with_the_command_lines_certificate() {
        let flags = Settings {
            client_cert: Some("flag-client.pem".into()),
            ..Settings::default()
        };
        let key_only = Settings {
            client_key: Some("tab-client.key".into()),
            ..Settings::default()
        };
        let s = super::own_settings(&flags, &key_only);
        assert_eq!(s.client_cert.as_deref(), Some("flag-client.pem"));
        assert_eq!(s.client_key.as_deref(), Some("tab-client.key"));
        let own_cert = Settings {
            client_cert: Some("tab-client.pem".into()),
            ..Settings::default()
        };
        assert_eq!(super::own_settings(&flags, &own_cert), own_cert);
    }

    #[test]
    fn a_temp_file_is_new_private_and_gone_when_dropped() {
        let a = TempFile::create("authlens-test-scan", "jpg", b"EXAMPLE-FAKE").unwrap();
        let b = TempFile::create("authlens-test-scan", "jpg", b"EXAMPLE-FAKE").unwrap();
        assert_ne!(
            a.path(),
            b.path(),
            "each run (and each loop) has its own file"
        );
        assert_eq!(std::fs::read(a.path()).unwrap(), b"EXAMPLE-FAKE");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
        assert!(b.path().exists(), "dropping one leaves the other");
    }
}
