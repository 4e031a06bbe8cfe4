//! What flows through the loop: messages into `update`, effects out of it.
//!
//! Effects are requests for I/O that `update` may not do itself; the runtime performs them and
//! answers with messages, so every outcome (a response, a failure, a cancel) is one more `Msg`.

use super::app::Loaded;
use crate::draft::Draft;
use crate::vars::Vars;
use crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Bracketed paste: the whole text at once, so a pasted `curl …` arrives in one piece.
    Paste(String),
    Resize(u16, u16),
    /// Time passed while a request is in flight (the spinner and the elapsed time).
    Tick,
    ServerReady {
        base: String,
        other: String,
        /// A small fake JPEG for the upload samples.
        page: String,
    },
    ServerFailed(String),
    SendDone {
        id: u64,
        result: Result<Arc<Loaded>, SendFailure>,
    },
    /// The cookie jar as send `id` left it (every `Set-Cookie` of every hop stored), sent
    /// just before that send's `SendDone`.
    JarAfterSend {
        id: u64,
        jar: Box<crate::cookies::Jar>,
    },
    /// The four slots of a compare came back (never sent after a cancel).
    CompareDone {
        id: u64,
        outcomes: Vec<crate::slots::Outcome>,
    },
    /// Multipart file paths of the selected draft that do not exist.
    FilesChecked(Vec<String>),
    /// The paths that start with what was typed in a file part's path (Tab).
    PathCompleted {
        target: super::app::Target,
        typed: String,
        found: Vec<String>,
    },
    /// The answer to `Effect::Derive`: a large draft resolved and linted.
    Derived(Box<super::app::DerivedResult>),
    /// The answer to `Effect::Search`: the first body line with a match, if any.
    SearchDone {
        id: u64,
        line: Option<usize>,
    },
    /// A note from the runtime for the status line (saved, copied, a failure to do either).
    Note {
        error: bool,
        text: String,
    },
    /// What git would do with the `.env` the quit question names (`Effect::CheckEnvGit`).
    EnvGit {
        path: std::path::PathBuf,
        state: super::keep::GitState,
    },
    /// The answer to `Effect::WriteEnv`: the names the secrets were written under, or why not.
    EnvWritten(Result<super::keep::Written, String>),
    /// SIGTERM or the end of the input: quit now, saving drafts.
    Terminate,
    /// What the `authlens watch` proxy reported (`tui::watch`).
    Watch(crate::watch::Event),
    /// The loop runs: what was asked for before it (`--spec`) can be fetched now.
    Started,
    /// The answer to `Effect::LoadSpec`.
    SpecLoaded {
        id: u64,
        result: Result<Box<crate::spec::Spec>, crate::spec::SpecError>,
    },
    /// The answer to `Effect::DiscoverSpec`: what each URL tried gave.
    SpecDiscovered {
        id: u64,
        discovery: Box<crate::send::document::Discovery>,
    },
    /// The answer to `Effect::Rediagnose`: the exchanges diagnosed with the document.
    Rediagnosed(Vec<super::spec::rediagnose::Done>),
    /// The history file was read (`history_store::worker`): its entries, back in the list.
    HistoryLoaded(Box<super::history_store::Restored>),
    /// The answer to `Effect::SaveHttp`: the file as written, or why not.
    HttpSaved(Box<Result<super::collection::save::Saved, String>>),
}

#[derive(Debug)]
pub struct SendFailure {
    pub message: String,
    pub partial: Option<Arc<Loaded>>,
}

#[derive(Debug, PartialEq)]
pub enum Effect {
    Send {
        id: u64,
        draft: Box<Draft>,
        vars: Box<Vars>,
        /// For the diagnosis when the response lands.
        rules: Box<crate::rules::Context>,
        /// A copy of the session's jar: its cookies go out, what comes back is stored.
        jar: Box<crate::cookies::Jar>,
    },
    Cancel {
        id: u64,
    },
    /// Send the credential in every slot (`slots::run`); answered by `CompareDone`.
    Compare {
        id: u64,
        draft: Box<Draft>,
        vars: Box<Vars>,
        credential: crate::slots::Credential,
        rules: Box<crate::rules::Context>,
    },
    /// Put text on the clipboard (OSC 52).
    Copy {
        what: &'static str,
        text: String,
    },
    /// Write the session file (already serialized, secrets left as references).
    Save(String),
    CheckFiles(Vec<String>),
    /// List the paths starting with `typed` (`complete::candidates`); answered by `PathCompleted`.
    CompletePath {
        target: super::app::Target,
        typed: String,
    },
    /// Put a large response body on the clipboard, the text made off the event loop; answered
    /// by a `Note` like `Copy`.
    CopyBody(super::exchange::CopyBody),
    /// Resolve and lint a large draft off the event loop (`DeriveJob::run`); the runtime runs
    /// only the newest job waiting. Answered by `Derived`.
    Derive(Box<super::app::DeriveJob>),
    /// Search a large body off the event loop (`search::SearchJob::run`); a newer search
    /// supersedes it. Answered by `SearchDone`, unless superseded.
    Search(super::search::SearchJob),
    /// Write the lesson files (`lessons::write_assets`) into this directory.
    WriteLessonAssets(std::path::PathBuf),
    /// Ask git whether this `.env` is tracked or not ignored (`keep::git_state`); answered by
    /// `EnvGit`.
    CheckEnvGit(std::path::PathBuf),
    /// Add typed secrets to a `.env` (`keep::write_env`); answered by `EnvWritten`.
    WriteEnv(super::keep::EnvWrite),
    /// Write the watched exchanges as a HAR file in the current directory; answered by a
    /// `Note` saying where.
    ExportHar(super::watch::export::HarJob),
    /// Read the API's document from a file or URL (`send::document::load_spec`); answered
    /// by `SpecLoaded`.
    LoadSpec {
        id: u64,
        source: String,
    },
    /// Try `spec::DISCOVERY_PATHS` on this origin (`send::document::discover`), without
    /// credentials; answered by `SpecDiscovered`.
    DiscoverSpec {
        id: u64,
        origin: String,
    },
    /// Diagnose these exchanges again with the document now loaded; answered by
    /// `Rediagnosed`.
    Rediagnose(Vec<super::spec::rediagnose::Job>),
    /// Keep an exchange in the history file, or forget deleted ones (`history_store::Op`),
    /// masked and written on the history thread.
    History(super::history_store::Op),
    /// Write a request into a `.http` file (`collection::save::SaveJob::run`); answered by
    /// `HttpSaved`.
    SaveHttp(Box<super::collection::save::SaveJob>),
}
