//! Everything the TUI knows, as plain data: the requests, what is being edited, what came back.
//!
//! `update` is the only writer and `ui` the only reader; there are no locks, no globals and no
//! I/O handles in here, so a test can build an `App`, feed it messages and look at it.

use super::input::TextInput;
use crate::draft::{Draft, Place};
use crate::exchange::Exchange;
use crate::rules::{self, Finding};
use crate::secret::Redactor;
use crate::vars::{DotenvReport, Resolved, Vars};
use derive::Derived;
use std::sync::Arc;
use std::time::Instant;

mod derive;
mod drawn;
pub use derive::{Derivations, DeriveJob, DerivedResult};
pub use drawn::{Areas, Drawn, ExchangeRoom, WatchDrawn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Editor,
    Findings,
    Exchange,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::List, Pane::Editor, Pane::Findings, Pane::Exchange];
}

/// The editor's tabs, in the order `h`/`l` walk them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Headers,
    Query,
    Body,
    Auth,
    Vars,
    Settings,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Headers,
        Tab::Query,
        Tab::Body,
        Tab::Auth,
        Tab::Vars,
        Tab::Settings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Headers => "Headers",
            Tab::Query => "Query",
            Tab::Body => "Body",
            Tab::Auth => "Auth",
            Tab::Vars => "Vars",
            Tab::Settings => "Settings",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A built-in lesson against the practice server.
    Sample,
    /// Drafted from the command line, a pasted curl command, or restored from the last session.
    Yours,
    /// A copy of a draft as it was sent, with what came back.
    History,
    /// The request of a lesson, in the lesson's world; not saved, since that world is not
    /// (`L` opens the lesson again).
    Lesson,
    /// A request `authlens watch` recorded from the user's own program, held by the watch
    /// screen's inspector (`tui::watch::inspect`): shown, never in the list, never saved;
    /// `e` copies it into a draft of the user's own to change.
    Watched,
    /// A request of a `.http` file (`tui::collection`): read from the file on every start,
    /// never kept in the session; `w` writes it back in place.
    File(super::collection::FileRef),
}

/// One request in the list.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// What the sample teaches; `None` for the user's own requests.
    pub lesson: Option<String>,
    pub kind: EntryKind,
    /// Stable id of a sample, so a restored session can refill its practice variables.
    pub sample_id: Option<String>,
    pub draft: Draft,
    pub outcome: Option<Outcome>,
}

impl Entry {
    /// One of the user's own requests: no lesson, no sample, not sent yet.
    pub fn yours(name: String, draft: Draft) -> Entry {
        Entry {
            name,
            lesson: None,
            kind: EntryKind::Yours,
            sample_id: None,
            draft,
            outcome: None,
        }
    }
}

/// The result of the last send of an entry.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Shared with the history entry made by the same send; never mutated.
    Done(Arc<Loaded>),
    /// The send failed before any response (bad input, unreachable host); the one-line reason.
    Failed {
        message: String,
        partial: Option<Arc<Loaded>>,
    },
    Cancelled,
}

impl Outcome {
    pub fn loaded(&self) -> Option<&Loaded> {
        self.shared().map(|l| &**l)
    }

    /// The exchange, shared: a search on another thread holds it while the app moves on.
    pub fn shared(&self) -> Option<&Arc<Loaded>> {
        match self {
            Outcome::Done(l) => Some(l),
            Outcome::Failed { partial, .. } => partial.as_ref(),
            Outcome::Cancelled => None,
        }
    }
}

/// An exchange prepared for viewing: the line index of every body is built once, off the event
/// loop, so drawing a frame touches only the visible lines of a 20 MiB body.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub exchange: Exchange,
    /// Masks the credentials this send used wherever they appear.
    pub redactor: Redactor,
    /// One per hop: the response body's line starts.
    pub bodies: Vec<BodyIndex>,
    /// The draft as sent: the diagnosis below is about it, and stops applying once it is edited.
    pub sent: Draft,
    /// The rules' diagnosis of this exchange (lint included), made off the event loop.
    pub findings: Vec<Finding>,
    /// The API's document the diagnosis was made with: when another is loaded, the
    /// diagnosis is redone (`tui::spec::rediagnose`).
    pub spec: Option<Arc<crate::spec::Spec>>,
    /// Read back from the history file: the Unix time its findings were made. They are shown
    /// as they were and never redone — the file holds masks, which the rules would judge as
    /// values (`tui::history_store`).
    pub restored: Option<i64>,
}

/// Where each displayed line of a body starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyIndex {
    /// Byte offsets of line starts (text), or of 16-byte rows (binary, shown as hex).
    pub starts: Vec<usize>,
    pub binary: bool,
    /// The body parses as JSON, so visible lines get JSON colours.
    pub json: bool,
    /// A pretty-printed copy of a one-line JSON body, which is what gets shown and searched.
    pub pretty: Option<Vec<u8>>,
}

/// Minified JSON up to this size is pretty-printed once for display; larger stays as sent.
const PRETTY_MAX: usize = 4 << 20;

impl BodyIndex {
    pub fn build(bytes: &[u8]) -> BodyIndex {
        if bytes.is_empty() {
            return BodyIndex::default();
        }
        // A capped body may end mid-character; it is still shown as text.
        if crate::exchange::text_of(bytes, true).is_none() {
            return BodyIndex {
                starts: (0..bytes.len()).step_by(16).collect(),
                binary: true,
                ..BodyIndex::default()
            };
        }
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let json = matches!(first, Some(b'{') | Some(b'['));
        let pretty =
            (json && bytes.len() <= PRETTY_MAX && !bytes.trim_ascii_end().contains(&b'\n'))
                .then(|| serde_json::from_slice::<serde_json::Value>(bytes).ok())
                .flatten()
                .and_then(|v| serde_json::to_vec_pretty(&v).ok());
        let shown = pretty.as_deref().unwrap_or(bytes);
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr_iter(b'\n', shown)
                .map(|i| i + 1)
                .filter(|&s| s < shown.len()),
        );
        BodyIndex {
            starts,
            binary: false,
            json,
            pretty,
        }
    }

    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The bytes that are displayed: the pretty copy if there is one.
    pub fn shown<'a>(&'a self, raw: &'a [u8]) -> &'a [u8] {
        self.pretty.as_deref().unwrap_or(raw)
    }

    /// The bytes of display line `i` (of `shown`), without its line break.
    pub fn line<'a>(&self, shown: &'a [u8], i: usize) -> &'a [u8] {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).copied().unwrap_or(shown.len());
        let line = &shown[start..end];
        if self.binary {
            return line;
        }
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

/// What a text field edits: a field of the draft, or the exchange view's search box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Draft(Place),
    /// The search box of the exchange view; not part of the draft.
    Search,
    /// The name of a request, typed in the list (`tui::list_actions`): not part of the draft,
    /// and taken only on Enter, so Esc leaves the name it had.
    EntryName,
    /// The file, then the name, a request is first saved under (`tui::collection::save`).
    SaveAs,
    /// The value of the jar's cookie at this index of `Jar::list`; taken on Enter only.
    Cookie(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    pub target: Target,
    pub input: TextInput,
    /// The field's text when editing began: a method typed empty sends this one, never "".
    pub was: String,
    /// The entry and its draft when editing began: a finished edit becomes one step of the
    /// Ctrl+Z stack, like a fix or a deleted row.
    pub entry: usize,
    pub before: Option<Arc<Draft>>,
}

/// The editor pane: which row is selected and the field being typed in, if any.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    pub tab_index: usize,
    /// 0 is the method + URL line; 1.. are the rows of the current tab.
    pub row: usize,
    pub scroll: usize,
}

impl Editor {
    pub fn tab(&self) -> Tab {
        Tab::ALL[self.tab_index]
    }
}

#[derive(Debug, Clone, Default)]
pub struct ExchangeState {
    pub hop: usize,
    /// First visible line of the pane's scrolling column: the head lines (request, response
    /// head) come first, then the body (`ui::exchange::Column` says why one column).
    pub scroll: usize,
    /// The last query searched for: highlighted in the body, found again by `n`, and searched
    /// again by `/` then Enter on an empty query.
    pub search: String,
    /// The body line of the last match, so `n` goes on after it even where the window could
    /// not put it at the top (near the end of the body); cleared by scrolling.
    pub found: Option<usize>,
    /// The id of the search running off the event loop (a large body), whose answer is
    /// awaited; an answer with another id is for a search since superseded.
    pub searching: Option<u64>,
    /// Credentials shown in full; switched off when the focus leaves the exchange.
    pub reveal: bool,
    /// A place of the shown response to scroll to ("go to the finding"): the next frame
    /// draws from it and `App::record` keeps that offset as `scroll`.
    pub goto: Option<rules::Anchor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// The list of lessons (`L`).
    Lessons {
        selected: usize,
    },
    /// The active lesson's text.
    Lesson {
        scroll: usize,
    },
    MethodPicker {
        selected: usize,
    },
    /// `x`: the export targets, the selected one's code shown beside them (`tui::export`).
    Export(Box<super::export::ExportView>),
    /// Quit while a request is in flight?
    ConfirmQuit,
    /// Quit, dropping secrets typed into drafts (`tui::quit`)?
    UnsavedSecrets(Box<UnsavedQuestion>),
}

/// The question at quit when typed secrets would not be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsavedQuestion {
    pub lost: Vec<super::keep::Lost>,
    /// The `.env` `w` writes to (`keep::dotenv_path`).
    pub path: Option<std::path::PathBuf>,
    /// What git would do with it, once the runtime has asked.
    pub git: super::keep::GitState,
    /// `w`'s write, while the runtime does it.
    pub writing: Option<super::keep::EnvWrite>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    Starting,
    Ready {
        base: String,
        other: String,
        /// The fake scan the upload samples send (`${PAGE}`).
        page: String,
    },
    Failed(String),
    /// Opened on the user's own request: no practice server was started.
    NotNeeded,
}

#[derive(Debug, Clone)]
pub struct InFlight {
    pub id: u64,
    pub entry: usize,
    pub started: Instant,
    /// The draft as sent, for the history entry.
    pub draft: Draft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The process environment and `.env` search, read once at start by the runtime.
#[derive(Debug, Clone, Default)]
pub struct EnvSnapshot {
    pub process: Vec<(String, String)>,
    pub dotenv: DotenvReport,
    /// What the rules know about this machine (cwd, the `.env` text); the clock is set per use.
    pub rules: rules::Context,
}

#[derive(Debug, Clone)]
pub struct App {
    pub entries: Vec<Entry>,
    pub selected: usize,
    pub focus: Pane,
    pub editor: Editor,
    pub editing: Option<Editing>,
    pub exchange: ExchangeState,
    pub overlay: Option<Overlay>,
    pub server: Server,
    pub inflight: Option<InFlight>,
    pub next_id: u64,
    /// Replaced only through `set_env`, so what derives from it is recomputed.
    pub env: EnvSnapshot,
    /// The selected draft's variables. Derived (`derive`): rebuilt when the draft's own
    /// variables or the environment change, not on every message.
    pub vars: Vars,
    /// The selected draft resolved with `vars`: what the editor says will be sent. Derived;
    /// `None` while a large draft just selected is resolved off the event loop.
    pub resolved: Option<Resolved>,
    pub status: Option<(Level, String)>,
    /// The clock as of the last message, so drawing an elapsed time needs no clock.
    pub now: Instant,
    pub width: u16,
    pub height: u16,
    /// What the last frame measured (`App::record`): controllers page, scroll and hit-test
    /// with it.
    pub drawn: Drawn,
    /// Files named by multipart parts that do not exist (checked by the runtime).
    pub missing_files: Vec<String>,
    /// Unix seconds as of the last message (set by the runtime), for the JWT time rules.
    pub unix_now: Option<i64>,
    /// What the rules say about the selected request: the diagnosis of its last send while
    /// the draft is unchanged, else lint of the draft as it is now. Derived: recomputed after a
    /// change, and for lint when the clock has moved on a second (the JWT rules read it).
    pub findings: Vec<Finding>,
    pub finding_sel: usize,
    /// What each change made outside a text field replaced (a fix, a deleted or moved row, a
    /// new method or helper, a finished edit, a deleted request), with its entry: Ctrl+Z
    /// outside a field takes them back, newest first (`tui::undo`).
    pub undo: Vec<(usize, super::undo::Step)>,
    /// The compare view, while it is open: it covers the panes until Esc.
    pub compare: Option<super::compare::CompareView>,
    /// `c` asked once about a host that is not this machine: the URL asked about, and when;
    /// a second `c` soon after on the same URL sends.
    pub compare_asked: Option<(String, std::time::Instant)>,
    /// The export target last copied with `x` (an index of `Target::ALL`), where the list
    /// opens next time.
    pub export_target: usize,
    /// The lesson being worked on, if any.
    pub lesson: Option<super::lesson::ActiveLesson>,
    /// The Vars tab's "your program's client and loader": the findings add what that stack
    /// would meet. Changed only through `tui::program`, which marks the findings stale.
    pub program: super::program::Program,
    /// `authlens watch`: the watch screen's state, drawn over everything while `shown`.
    pub watch: Option<Box<super::watch::WatchState>>,
    /// The API's own OpenAPI document (`--spec`, or found by discovery), which every lint
    /// and diagnosis reads. Changed only through `tui::spec`, which marks the findings stale.
    pub spec: super::spec::SpecState,
    /// The history file's side of the list: whether its entries are back, the last `/` query.
    pub history: super::history_keep::HistoryState,
    /// The `.http` files listed, the environment in force, a save being asked. The active
    /// environment changes only through `collection::envs`, which marks the variables stale.
    pub collection: super::collection::Collection,
    /// The connection flags `authlens` was started with (`-k`, `--timeout`, `--proxy`…): every
    /// send's defaults, under each request's own settings. Shown on the Settings tab.
    pub flags: crate::draft::Settings,
    /// The session's cookies: what responses set, sent back on the requests they match.
    /// Held in memory only (a session cookie is a credential); shown and edited on the Vars
    /// tab, emptied with `C`. A send takes a copy and its `JarAfterSend` brings it back.
    pub jar: crate::cookies::Jar,
    pub quit: bool,
    /// Bumped (`touch`) by every change that derived state depends on: a draft, the selection,
    /// an entry's outcome, the environment. Derived state remembers the generation it was
    /// computed for, so a message that changes none of these (a tick, a key release, a
    /// scroll) recomputes nothing: gitui's `NeedsUpdate`, as a counter.
    generation: u64,
    env_generation: u64,
    selection_epoch: u64,
    derived: Derived,
    /// While an action is handled (`watch_changes`): the selected draft as it was before the
    /// action first changed it, copied by `draft_mut` then, so an action that changes nothing
    /// (j, k, a tab) copies nothing.
    before_change: Option<Option<(usize, Draft)>>,
}

impl App {
    pub fn new(entries: Vec<Entry>, env: EnvSnapshot, server: Server, now: Instant) -> App {
        let mut app = App {
            entries,
            selected: 0,
            focus: Pane::Editor,
            editor: Editor::default(),
            editing: None,
            exchange: ExchangeState::default(),
            overlay: None,
            server,
            inflight: None,
            next_id: 1,
            env,
            vars: Vars::default(),
            resolved: None,
            status: None,
            now,
            width: 80,
            height: 24,
            drawn: Drawn::default(),
            missing_files: Vec::new(),
            unix_now: None,
            findings: Vec::new(),
            finding_sel: 0,
            undo: Vec::new(),
            compare: None,
            compare_asked: None,
            export_target: 0,
            flags: crate::draft::Settings::default(),
            jar: crate::cookies::Jar::new(),
            lesson: None,
            program: Default::default(),
            watch: None,
            spec: Default::default(),
            history: Default::default(),
            collection: Default::default(),
            quit: false,
            generation: 0,
            env_generation: 0,
            selection_epoch: 0,
            derived: Derived::default(),
            before_change: None,
        };
        app.derive();
        app
    }

    pub fn entry(&self) -> Option<&Entry> {
        self.entries.get(self.selected)
    }

    pub fn draft(&self) -> Option<&Draft> {
        self.entry().map(|e| &e.draft)
    }

    /// The selected draft, to change: what derives from it will be recomputed.
    pub fn draft_mut(&mut self) -> Option<&mut Draft> {
        self.entry_draft_mut(self.selected)
    }

    /// Entry `i`'s draft, to change: marks derived state stale and, if `i` is selected and an
    /// action is being watched, keeps the draft as it was for the action's undo step.
    pub fn entry_draft_mut(&mut self, i: usize) -> Option<&mut Draft> {
        self.touch();
        if i == self.selected
            && let Some(before @ None) = &mut self.before_change
        {
            *before = self.entries.get(i).map(|e| (i, e.draft.clone()));
        }
        self.entries.get_mut(i).map(|e| &mut e.draft)
    }

    /// From now until `take_before`, the first `draft_mut` of the selected draft keeps a copy
    /// of it as it was.
    pub(crate) fn watch_changes(&mut self) {
        self.before_change = Some(None);
    }

    /// The copy `draft_mut` kept since `watch_changes`, with its entry; stops watching.
    pub(crate) fn take_before(&mut self) -> Option<(usize, Draft)> {
        self.before_change.take().flatten()
    }

    /// The exchange to show: the selected entry's last result.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.entry()?.outcome.as_ref()?.loaded()
    }

    /// The variables of a draft of the selected entry (its file's, if it has one).
    pub fn vars_for(&self, draft: &Draft) -> Vars {
        self.vars_of(self.selected, draft)
    }

    /// The variables of a draft of entry `i`: a `.http` file's variables and the active
    /// environment sit between the request's own and the process environment.
    pub fn vars_of(&self, i: usize, draft: &Draft) -> Vars {
        Vars::build_layered(
            &draft.vars,
            &self.file_layers(i),
            self.env.process.iter().cloned(),
            self.env.dotenv.clone(),
        )
    }

    /// The rules' context with the clock as of the last message, and the user's program's
    /// stack from the Vars tab: what the findings pane shows is judged with it.
    pub fn rules_context(&self) -> rules::Context {
        let mut ctx = self.own_rules_context();
        ctx.program = self.program.stack();
        ctx
    }

    /// The context of what authlens itself sends (a send, a compare): predictions for the
    /// user's program are added when the findings are derived, so changing the setting after
    /// a send needs no new send. The API's document, when loaded, is in it: kept apart from
    /// `env`, which a lesson replaces with its own world.
    pub fn own_rules_context(&self) -> rules::Context {
        let mut ctx = self.env.rules.clone();
        ctx.now = self.unix_now;
        ctx.spec = self.spec.loaded.clone();
        ctx
    }

    pub fn selected_finding(&self) -> Option<&Finding> {
        self.findings.get(self.finding_sel)
    }

    pub fn sending(&self) -> bool {
        self.inflight.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::BodyIndex;

    fn shown_lines(bytes: &[u8]) -> Vec<String> {
        let idx = BodyIndex::build(bytes);
        let shown = idx.shown(bytes);
        (0..idx.lines())
            .map(|i| String::from_utf8_lossy(idx.line(shown, i)).into_owned())
            .collect()
    }

    #[test]
    fn text_lines_drop_their_breaks_and_a_final_newline_adds_no_line() {
        assert_eq!(shown_lines(b"one\r\ntwo\nthree\n"), ["one", "two", "three"]);
        assert_eq!(shown_lines(b"a\n\nb"), ["a", "", "b"]);
    }

    #[test]
    fn minified_json_is_shown_pretty_and_marked_json() {
        let idx = BodyIndex::build(br#"{"a":[1,2]}"#);
        assert!(idx.json && idx.pretty.is_some());
        assert_eq!(
            shown_lines(br#"{"a":[1,2]}"#),
            ["{", r#"  "a": ["#, "    1,", "    2", "  ]", "}"]
        );
    }

    #[test]
    fn binary_is_indexed_in_rows_of_sixteen_bytes() {
        let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 30]].concat();
        let idx = BodyIndex::build(&png);
        assert!(idx.binary && !idx.json);
        assert_eq!(idx.starts, [0, 16, 32]);
        assert_eq!(idx.line(&png, 2).len(), 6);
    }
}
