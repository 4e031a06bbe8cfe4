//! The watch screen of `authlens watch`: the exchanges of the user's own program as they
//! happen, each shown as a sent request is, with the program's output beside them.
//!
//! ```text
//!  proxy (src/watch) ─► watch::Event ─► Msg::Watch ─► update ─► App.watch (WatchState)
//!                                                        │ e: a copy into the editor (W back)
//!                                                        │ H: Effect::ExportHar → HAR file
//! ```
//!
//! The screen is a mode of the one `App`: the watch's state sits in `App::watch`, its events
//! enter the same message queue as keys, and a request copied with `e` becomes an ordinary
//! draft in the ordinary editor, sent by the ordinary send — nothing there knows about the
//! watch, which goes on receiving meanwhile.

pub mod copy;
pub mod export;
pub mod inspect;
pub mod keys;
pub mod state;

pub use state::{MAX_OUTPUT, MAX_ROWS, Row, WatchPane, WatchState};

use super::app::{App, EnvSnapshot, Server};
use super::msg::Msg;
use futures_util::StreamExt;
use std::time::Instant;
use tokio::sync::mpsc::UnboundedReceiver;

/// Takes over the terminal until the user quits, showing what the proxy reports; returns
/// the launched program's exit code if it ended. The proxy runs on the same runtime. `spec`
/// (`--spec`) is what the proxy judges exchanges against; a copied request is judged by it too.
pub async fn run(
    events: UnboundedReceiver<crate::watch::Event>,
    spec: Option<std::sync::Arc<crate::spec::Spec>>,
) -> std::io::Result<Option<i32>> {
    // The proxy closing its side ends nothing: what was watched stays on screen until `q`.
    let events = futures_util::stream::unfold(events, |mut rx| async move {
        rx.recv().await.map(|e| (Msg::Watch(e), rx))
    })
    .chain(futures_util::stream::pending());
    let options = super::TerminalOptions {
        start_server: false,
        save_path: None,
        // A watch saves no session, but what the user keeps with `s` goes to the history.
        history_path: crate::tui::history_store::default_path(),
        send: crate::send::Options::default(),
    };
    let mut app = watch_app(Instant::now());
    app.spec.loaded = spec;
    let app = super::run_in_terminal(app, Box::pin(events), options).await?;
    // A failure left in the status line at quit is still news once the terminal is back.
    if let Some((super::app::Level::Error, m)) = &app.status {
        eprintln!("authlens: {m}");
    }
    Ok(app.watch.and_then(|w| w.exited))
}

/// The app a watch starts with: no requests of its own (drafts come from the watch), the
/// environment read as the TUI reads it (so a copied request's `${VARS}` resolve), no
/// practice server, and nothing saved at quit.
pub fn watch_app(now: Instant) -> App {
    let vars = crate::vars::Vars::from_system(&[], &[]);
    let rules = crate::live_context::rules_context(&vars);
    let env = EnvSnapshot {
        process: std::env::vars().collect(),
        dotenv: vars.dotenv,
        rules,
    };
    with_watch(App::new(Vec::new(), env, Server::NotNeeded, now))
}

/// `app` with the watch screen on top.
pub fn with_watch(mut app: App) -> App {
    app.watch = Some(Box::default());
    app
}
