//! The terminal UI: the main way to use authlens.
//!
//! ```text
//!  crossterm events ─► Msg ─► update(&mut App, Msg) ─► Vec<Effect> ─► runtime (tokio)
//!                              ▲                                          │ send, cancel,
//!                              └────────────── Msg (SendDone, …) ◄───────┘ copy, save
//!  ui::render(&App) draws a frame whenever a message changed something.
//! ```
//!
//! `app` is the state, `update` the only code that changes it (no I/O), `keymap` the one table
//! of keys, `runtime` the loop with its effects, `ui` the panes. This module sets up and
//! restores the terminal — on quit, on panic and on SIGTERM.
//!
//! What derives from the draft is computed once per change, not per message (`app::derive`).
//! What would take longer than a frame with a large body — linting a large draft, searching
//! or copying a large response body — is an effect the runtime runs on another thread.

pub mod app;
pub mod collection;
pub(crate) mod compare;
pub(crate) mod complete;
pub(crate) mod cookies;
pub(crate) mod editor;
pub(crate) mod exchange;
pub(crate) mod export;
pub(crate) mod fields;
pub(crate) mod findings;
pub(crate) mod history;
pub mod history_keep;
pub mod history_search;
pub mod history_store;
pub mod imported;
pub(crate) mod input;
pub mod keep;
pub mod keymap;
pub mod lesson;
pub(crate) mod list;
pub(crate) mod list_actions;
pub mod msg;
pub mod names;
pub mod program;
pub mod quit;
pub mod runtime;
pub mod samples;
pub mod search;
pub(crate) mod sending;
pub mod session;
pub mod spec;
pub mod ui;
pub mod undo;
pub mod update;
pub(crate) mod url_params;
pub mod watch;

use crate::flags::RequestArgs;
use app::{App, Entry, EntryKind, EnvSnapshot, Level, Server};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures_util::StreamExt;
use msg::Msg;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

/// Opens the TUI: on the samples, or with the request given on the command line selected.
pub fn run(args: Option<RequestArgs>, flags: crate::draft::Settings) -> ExitCode {
    start(args, flags, false)
}

/// `authlens learn`: the TUI with the list of lessons open.
pub fn learn() -> ExitCode {
    start(None, crate::draft::Settings::default(), true)
}

fn start(args: Option<RequestArgs>, flags: crate::draft::Settings, lessons: bool) -> ExitCode {
    // Certificate files are read now: a wrong `--cert` is said before the screen opens.
    let here = std::path::Path::new("");
    let send = match crate::send::settings::apply(
        &crate::send::Options::default(),
        &flags,
        here,
        crate::send::settings::Origin::Flags,
    ) {
        Ok(send) => send,
        Err(e) => {
            eprintln!("authlens: {e}");
            return ExitCode::from(2);
        }
    };
    let opened = match opened_files(args.as_ref()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("authlens: {e}");
            return ExitCode::from(2);
        }
    };
    let imported = match args.as_ref().and_then(|a| imported::import_arg(&a.url)) {
        Some(path) => match imported::entries(path) {
            Ok(entries) => entries,
            Err(e) => {
                eprintln!("authlens: {e}");
                return ExitCode::from(2);
            }
        },
        None => Vec::new(),
    };
    let draft = match args
        .as_ref()
        .filter(|a| !a.url.is_empty() && collection::file_arg(&a.url).is_none())
        .filter(|a| imported::import_arg(&a.url).is_none())
        .map(crate::flags::draft_from_args)
    {
        Some(Err(e)) => {
            eprintln!("authlens: {e}");
            return ExitCode::from(2);
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };
    let spec = args.as_ref().and_then(|a| a.spec.clone());
    let env_files = args.map(|a| a.env_files).unwrap_or_default();
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("authlens: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut app = initial_app(draft, &env_files, Instant::now());
    open_collection(&mut app, opened);
    if let Some(first) = imported::add(&mut app.entries, imported) {
        app.selected = first;
        app.selection_changed();
        app.derive();
    }
    if lessons {
        app.overlay = Some(app::Overlay::Lessons { selected: 0 });
    }
    if let Some(source) = spec {
        spec::want(&mut app, source);
    }
    app.flags = flags;
    match tokio.block_on(run_terminal(app, send)) {
        Ok(app) => {
            // Left by quitting (`tui::quit`): a failed save, what became of typed secrets.
            if let Some((_, m)) = &app.status {
                eprintln!("authlens: {m}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("authlens: terminal error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The samples, the saved session over them, and the command line's draft selected.
pub fn initial_app(
    draft: Option<crate::draft::Draft>,
    env_files: &[std::path::PathBuf],
    now: Instant,
) -> App {
    let vars = crate::vars::Vars::from_system(&[], env_files);
    let rules = crate::live_context::rules_context(&vars);
    let env = EnvSnapshot {
        process: std::env::vars().collect(),
        dotenv: vars.dotenv,
        rules,
    };
    let mut note = None;
    let (mut entries, mut selected) = (samples::samples(), 0);
    if let Some(path) = session::default_path() {
        match session::load(&path) {
            session::Loaded::Fresh => {}
            session::Loaded::Saved(file) => (entries, selected) = session::restore(entries, file),
            session::Loaded::Corrupt { moved_to, error } => {
                note = Some(format!(
                    "the saved session did not load ({error}); it was moved to {}",
                    moved_to.display()
                ));
            }
        }
    }
    if let Some(d) = draft {
        selected = add_cli_draft(&mut entries, d);
    }
    let mut app = App::new(entries, env, Server::Starting, now);
    app.selected = selected;
    app.status = note
        .map(|n| (Level::Error, n))
        .or_else(|| unsaved_secrets_note(&app));
    app.refresh_vars();
    app
}

/// The `.http` files to list: the one the command line names (any error ends the start,
/// naming file and line), else those of the current directory (a broken one is skipped, and
/// the status line says so).
type Opened = (
    Vec<(collection::OpenFile, Vec<Entry>)>,
    Option<String>,
    bool,
);

fn opened_files(args: Option<&RequestArgs>) -> Result<Opened, String> {
    if let Some(path) = args.and_then(|a| collection::file_arg(&a.url)) {
        let one = collection::open(path).map_err(|e| e.to_string())?;
        return Ok((vec![one], None, true));
    }
    let (all, note) = collection::open_all(&collection::files_in(std::path::Path::new(".")));
    Ok((all, note, false))
}

/// Lists the files' requests after the samples and the session's drafts; the file named on
/// the command line has its first request selected.
pub fn open_collection(app: &mut App, (opened, note, named): Opened) {
    let first = collection::add(&mut app.collection, &mut app.entries, opened);
    if named && first < app.entries.len() {
        app.selected = first;
        app.selection_changed();
    }
    if let Some(n) = note {
        app.status = Some((Level::Error, n));
    }
    app.layers_changed();
    app.derive();
}

/// Secrets are saved only as `${NAME}` references; when a restored draft refers to one that
/// nothing sets, say so at once rather than let the user find a 401 later. A secret that was
/// typed literally (saved as `${AUTHLENS_UNSAVED_…}`) has to be typed again.
fn unsaved_secrets_note(app: &App) -> Option<(Level, String)> {
    let mut names: Vec<String> = Vec::new();
    let mut typed: Vec<String> = Vec::new();
    // Samples too: an edited sample is saved, and scrubbed, like the user's own drafts.
    let saved = |(_, e): &(usize, &Entry)| {
        matches!(
            e.kind,
            EntryKind::Yours | EntryKind::Sample | EntryKind::File(_)
        )
    };
    for (i, e) in app.entries.iter().enumerate().filter(saved) {
        let r = crate::vars::resolve(&e.draft, &app.vars_of(i, &e.draft));
        for (name, _) in r.unresolved {
            let list = if name.starts_with(session::UNSAVED) {
                &mut typed
            } else if crate::secret::is_credential_name(&name) {
                &mut names
            } else {
                continue;
            };
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
    if !typed.is_empty() {
        let text = match typed.len() {
            1 => "a secret you typed was not saved: type it again (it shows as ${AUTHLENS_UNSAVED_…})".to_string(),
            n => format!("{n} secrets you typed were not saved: type them again (they show as ${{AUTHLENS_UNSAVED_…}})"),
        };
        return Some((Level::Info, text));
    }
    // Two names at most, so the line never has to be cut inside one.
    let mut list: Vec<String> = names.iter().take(2).map(|n| format!("${{{n}}}")).collect();
    if names.len() > 2 {
        list.push(format!("{} more", names.len() - 2));
    }
    (!names.is_empty()).then(|| {
        let text = format!(
            "secrets are not saved: set {} (export, .env, or the Vars tab)",
            list.join(", ")
        );
        (Level::Info, text)
    })
}

/// Adds the command line's draft and returns its index. The same command line run twice
/// reuses the entry saved last time (its credentials were saved as references, so it takes
/// the command line's draft again).
fn add_cli_draft(entries: &mut Vec<Entry>, d: crate::draft::Draft) -> usize {
    let same =
        |e: &Entry| e.kind == EntryKind::Yours && session::scrub(&e.draft) == session::scrub(&d);
    if let Some(i) = entries.iter().position(same) {
        entries[i].draft = d;
        return i;
    }
    // Unnamed: the list names it by its method and path (`names::from_draft`).
    entries.push(Entry::yours(String::new(), d));
    entries.len() - 1
}

/// Puts the terminal back: raw mode off, main screen, no mouse or paste reporting.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

async fn run_terminal(app: App, send: crate::send::Options) -> std::io::Result<App> {
    let options = TerminalOptions {
        start_server: true,
        save_path: session::default_path(),
        history_path: history_store::default_path(),
        send,
    };
    run_in_terminal(app, futures_util::stream::pending(), options).await
}

/// What differs between the TUI and the watch screen when they take the terminal.
pub(crate) struct TerminalOptions {
    pub start_server: bool,
    pub save_path: Option<std::path::PathBuf>,
    pub history_path: Option<std::path::PathBuf>,
    /// Every send's defaults (the command line's connection flags).
    pub send: crate::send::Options,
}

/// The terminal taken over (raw mode, alternate screen) and restored on every way out, with
/// `extra` messages (a watch's events) merged into the keys and signals.
pub(crate) async fn run_in_terminal(
    app: App,
    extra: impl futures_util::Stream<Item = Msg> + Unpin,
    opts: TerminalOptions,
) -> std::io::Result<App> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture
    )?;
    let out = FrameWriter(Vec::with_capacity(1 << 16));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(out))?;
    // A read error on the terminal (it went away) ends the session like SIGHUP: save and quit.
    let keys = EventStream::new()
        .filter_map(|e| async move { e.map_or(Some(Msg::Terminate), runtime::msg_from_event) });
    let input = futures_util::stream::select(keys, terminate_signals());
    let input = futures_util::stream::select(input, extra);
    let options = runtime::Options {
        start_server: opts.start_server,
        save_path: opts.save_path,
        history_path: opts.history_path,
        send: opts.send,
        clipboard: Box::new(osc52),
    };
    let result = runtime::run(&mut terminal, app, Box::pin(input), options).await;
    restore_terminal();
    result
}

/// Holds a frame until ratatui flushes it, then writes it to stdout at once: stdout's own
/// line buffer would hand the terminal a 160×48 frame in 1 KiB pieces. It writes only on
/// flush, never on drop (unlike a `BufWriter`), and ratatui renders a whole frame in memory
/// before writing any of it, so a panic in drawing code leaves nothing here to spill onto the
/// restored terminal.
struct FrameWriter(Vec<u8>);

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(&self.0)?;
        self.0.clear();
        out.flush()
    }
}

/// SIGTERM and SIGHUP as a `Terminate` message: drafts are saved and the terminal restored.
fn terminate_signals() -> impl futures_util::Stream<Item = Msg> {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate()).ok();
    let hup = signal(SignalKind::hangup()).ok();
    futures_util::stream::unfold((term, hup), |(mut term, mut hup)| async move {
        tokio::select! {
            Some(_) = async { term.as_mut()?.recv().await } => {}
            Some(_) = async { hup.as_mut()?.recv().await } => {}
        }
        Some((Msg::Terminate, (term, hup)))
    })
}

/// OSC 52: the terminal puts the text on the system clipboard, even over SSH.
fn osc52(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{b64}\x07")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Draft;

    fn yours(d: Draft) -> Entry {
        Entry::yours("mine".into(), d)
    }

    #[test]
    fn a_restored_draft_missing_its_secret_says_which_to_set() {
        let with_ref =
            Draft::new("GET", "http://h/").header("Authorization", "Bearer ${BEARER_TOKEN}");
        let env = EnvSnapshot::default();
        let app = App::new(
            vec![yours(with_ref)],
            env.clone(),
            Server::NotNeeded,
            Instant::now(),
        );
        let (_, note) = unsaved_secrets_note(&app).expect("a note");
        assert!(note.contains("set ${BEARER_TOKEN} (export"), "{note}");
        // Set in the environment: nothing to say.
        let env = EnvSnapshot {
            process: vec![("BEARER_TOKEN".into(), "EXAMPLE-FAKE-0000".into())],
            ..env
        };
        let with_ref =
            Draft::new("GET", "http://h/").header("Authorization", "Bearer ${BEARER_TOKEN}");
        let app = App::new(
            vec![yours(with_ref)],
            env,
            Server::NotNeeded,
            Instant::now(),
        );
        assert_eq!(unsaved_secrets_note(&app), None);
    }

    /// A key typed into the URL and saved comes back as a reference nothing sets — even with
    /// another `API_KEY` in `.env` — and the note says to type it again.
    #[test]
    fn a_restored_typed_key_is_never_swapped_for_another() {
        let typed = Draft::new("GET", "http://h/v1?api_key=QUERYSECRET-EXAMPLE-0000");
        let saved = session::scrub(&typed);
        let env = EnvSnapshot {
            process: vec![("API_KEY".into(), "OTHER-EXAMPLE-KEY-1111".into())],
            ..EnvSnapshot::default()
        };
        let app = App::new(
            vec![yours(saved.clone())],
            env,
            Server::NotNeeded,
            Instant::now(),
        );
        let r = crate::vars::resolve(&saved, &app.vars_for(&saved));
        assert!(!r.url.text.contains("OTHER-EXAMPLE-KEY"), "{}", r.url.text);
        assert_eq!(r.unresolved.len(), 1);
        let (_, note) = unsaved_secrets_note(&app).expect("a note");
        assert!(
            note.starts_with("a secret you typed was not saved: type it again"),
            "{note}"
        );
    }
}
