//! What the screens read about the selected request, computed once per change: its variables,
//! the draft resolved with them, and the findings.
//!
//! `App::touch` bumps a generation counter on every change these depend on (a draft, the
//! selection, an outcome, the environment); each piece remembers what it was computed from and
//! is recomputed only when that differs (gitui's `NeedsUpdate`, as a counter). A tick, a key
//! release or a scroll recomputes nothing.
//!
//! A large draft (a 1 MiB body: linting it takes ~15 ms) is resolved and linted off the event
//! loop: `update` asks for an `Effect::Derive`, the runtime runs the newest such job on a
//! worker thread and answers with `Msg::Derived`. Meanwhile the last results for the same
//! request stay on screen; for a request just selected there are none yet, and the panes say
//! so. Small drafts, which are nearly all of them, are derived inline as before.

use super::{App, EnvSnapshot, Loaded};
use crate::draft::{Body, Draft, PartValue};
use crate::rules::{self, Finding};
use crate::vars::{Resolved, Vars, resolve};
use std::sync::Arc;

/// Drafts with more text than this (URL, headers, query, body, variables) are resolved and
/// linted off the event loop.
pub const INLINE_MAX: usize = 64 << 10;

/// What the derived fields of `App` were computed from.
#[derive(Debug, Clone, Default)]
pub(super) struct Derived {
    /// The generation and request `resolved` and `findings` were made for.
    draft: Option<(u64, Which)>,
    vars: Option<VarsFrom>,
    findings: Option<FindingsFrom>,
    /// The job asked for and not yet answered.
    pending: Option<DeriveKey>,
    counts: Derivations,
}

/// Which request is selected: its index, and the selection epoch (`App::selection_changed`),
/// since after a delete the same index is another request.
pub(crate) type Which = (usize, u64);

/// The environment generation, the selected request's `.http` file and the request
/// variables `vars` was built from (`None` for no draft).
type VarsFrom = (u64, Option<usize>, Option<Vec<(String, String)>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FindingsFrom {
    /// No draft selected: no findings.
    NoDraft,
    /// The diagnosis of the last send, made when the response landed.
    Send,
    /// Lint of the draft with the clock at this second (the JWT rules read it).
    Lint(Option<i64>),
}

/// How many times each piece of derived state has been computed since the app was made: a
/// message that changes nothing leaves these as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Derivations {
    pub vars: u64,
    pub resolved: u64,
    pub findings: u64,
}

/// Which state of the app a job derives from: the draft's generation, the request, the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DeriveKey {
    generation: u64,
    which: Which,
    clock: Option<i64>,
}

/// Resolving and linting a large draft, to run off the event loop (`Effect::Derive`).
#[derive(Debug, Clone)]
pub struct DeriveJob {
    key: DeriveKey,
    draft: Draft,
    vars: Vars,
    rules: rules::Context,
    /// The selected entry's last exchange, whose diagnosis stands while the draft is as sent.
    loaded: Option<Arc<Loaded>>,
}

impl PartialEq for DeriveJob {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// The answer to a `DeriveJob` (`Msg::Derived`).
#[derive(Debug, Clone)]
pub struct DerivedResult {
    key: DeriveKey,
    resolved: Resolved,
    findings: Vec<Finding>,
    from: FindingsFrom,
}

impl DeriveJob {
    pub fn run(self) -> DerivedResult {
        let resolved = resolve(&self.draft, &self.vars);
        let (findings, from) =
            findings_of(&self.draft, &self.vars, self.loaded.as_deref(), &self.rules);
        DerivedResult {
            key: self.key,
            resolved,
            findings,
            from,
        }
    }
}

fn findings_of(
    d: &Draft,
    vars: &Vars,
    loaded: Option<&Loaded>,
    ctx: &rules::Context,
) -> (Vec<Finding>, FindingsFrom) {
    match loaded {
        Some(l) if l.sent == *d => {
            let mut findings = l.findings.clone();
            let predicted = rules::predict_exchange(d, vars, &l.exchange, ctx, &l.findings);
            findings.extend(predicted);
            (findings, FindingsFrom::Send)
        }
        _ => (rules::lint(d, vars, ctx), FindingsFrom::Lint(ctx.now)),
    }
}

/// Bytes of text in a draft: what resolving and linting it costs grows with.
fn size(d: &Draft) -> usize {
    let rows =
        |r: &[crate::draft::Row]| -> usize { r.iter().map(|r| r.name.len() + r.value.len()).sum() };
    let body: usize = match &d.body {
        Body::None => 0,
        Body::Text { text, .. } => text.len(),
        Body::Multipart { parts } => parts
            .iter()
            .map(|p| match &p.value {
                PartValue::Text { text } => text.len(),
                PartValue::File { path, .. } => path.len(),
            })
            .sum(),
    };
    let vars: usize = d.vars.iter().map(|(k, v)| k.len() + v.len()).sum();
    d.url.len() + rows(&d.headers) + rows(&d.query) + body + vars
}

impl App {
    /// Marks what derives from the selected draft as stale. Every change to a draft, the
    /// selection, an entry's outcome or the environment calls it (`draft_mut` does).
    pub fn touch(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }

    /// The selection now points at another request (selected, removed, forked, a lesson's
    /// loaded): what is shown about the one before must not linger as this one's.
    pub fn selection_changed(&mut self) {
        self.selection_epoch = self.selection_epoch.wrapping_add(1);
        self.touch();
    }

    /// The selected request, as an index and the selection epoch: equal before and after a
    /// message only if the same request is selected.
    pub(crate) fn which(&self) -> Which {
        (self.selected, self.selection_epoch)
    }

    /// Replaces the environment (a lesson's world, and back again).
    pub fn set_env(&mut self, env: EnvSnapshot) {
        self.env = env;
        self.env_generation = self.env_generation.wrapping_add(1);
        self.touch();
    }

    /// The `.http` side changed (an environment switched, a file written): every request's
    /// variables are rebuilt.
    pub fn layers_changed(&mut self) {
        self.env_generation = self.env_generation.wrapping_add(1);
        self.touch();
    }

    /// Recomputes everything derived, here and now, whatever changed: for code that set the
    /// app's fields directly (tests do). `update` derives only what is stale.
    pub fn refresh_vars(&mut self) {
        self.env_generation = self.env_generation.wrapping_add(1);
        self.touch();
        self.derive();
    }

    /// Brings the variables, the resolved draft and the findings up to date, here and now,
    /// computing each only if what it derives from changed since.
    pub fn derive(&mut self) {
        let job = self.derive_or_ask(false);
        debug_assert!(job.is_none());
    }

    /// `derive`, except that a large draft's resolution and lint are asked for as a job to
    /// run off the event loop (none if the same is already asked for).
    pub fn derive_or_ask(&mut self, may_ask: bool) -> Option<DeriveJob> {
        self.sync_vars();
        let key = (self.generation, self.which());
        let draft_stale = self.derived.draft != Some(key);
        let findings_fresh = match self.derived.findings {
            Some(FindingsFrom::Send | FindingsFrom::NoDraft) => true,
            Some(FindingsFrom::Lint(clock)) => clock == self.unix_now,
            None => false,
        };
        if !draft_stale && findings_fresh {
            self.derived.pending = None;
            return None;
        }
        let large = self.draft().is_some_and(|d| size(d) > INLINE_MAX);
        if !(may_ask && large) {
            if draft_stale {
                self.resolved = self.draft().map(|d| resolve(d, &self.vars));
                self.derived.counts.resolved += 1;
            }
            let (findings, from) = self.current_findings();
            self.install(key, findings, from);
            self.derived.pending = None;
            return None;
        }
        let want = DeriveKey {
            generation: self.generation,
            which: self.which(),
            clock: self.unix_now,
        };
        if self.derived.pending == Some(want) {
            return None;
        }
        // What is shown is about another request: it would mislead until the answer comes.
        if self.derived.draft.is_none_or(|(_, w)| w != self.which()) {
            self.resolved = None;
            self.findings.clear();
            self.finding_sel = 0;
        }
        self.derived.pending = Some(want);
        let loaded = self
            .entry()
            .and_then(|e| e.outcome.as_ref()?.shared().cloned());
        Some(DeriveJob {
            key: want,
            draft: self.draft()?.clone(),
            vars: self.vars.clone(),
            rules: self.rules_context(),
            loaded,
        })
    }

    /// Takes in a job's answer: the one awaited, or an older one (typing went on meanwhile)
    /// that is still newer than what is shown for the same request, while the newest runs.
    pub fn derived(&mut self, r: DerivedResult) {
        let awaited = self.derived.pending == Some(r.key);
        let after = |a: u64, b: u64| a != b && a.wrapping_sub(b) < u64::MAX / 2;
        let stale = self
            .derived
            .draft
            .is_some_and(|(g, w)| w == r.key.which && !after(r.key.generation, g));
        if r.key.which != self.which() || (stale && !awaited) {
            return;
        }
        self.resolved = Some(r.resolved);
        self.derived.counts.resolved += 1;
        self.install((r.key.generation, r.key.which), r.findings, r.from);
        if awaited {
            self.derived.pending = None;
        }
    }

    fn install(&mut self, key: (u64, Which), findings: Vec<Finding>, from: FindingsFrom) {
        self.derived.draft = Some(key);
        self.findings = findings;
        self.derived.findings = Some(from);
        self.derived.counts.findings += 1;
        self.finding_sel = self.finding_sel.min(self.findings.len().saturating_sub(1));
    }

    /// Whether the findings and the resolution shown are waiting for a newer answer.
    pub fn deriving(&self) -> bool {
        self.derived.pending.is_some()
    }

    /// The variables, rebuilt only when the draft's own variables or the environment differ
    /// from what they were built from (a key typed in the URL keeps them).
    pub fn sync_vars(&mut self) {
        let request = self.draft().map(|d| &d.vars);
        let file = self.file_of(self.selected).map(|(r, _)| r.file);
        let same = |(env, f, vars): &VarsFrom| {
            *env == self.env_generation && *f == file && vars.as_ref() == request
        };
        if self.derived.vars.as_ref().is_some_and(same) {
            return;
        }
        let request = request.cloned();
        self.vars = match self.draft() {
            Some(d) => self.vars_for(d),
            None => Vars::default(),
        };
        self.derived.vars = Some((self.env_generation, file, request));
        self.derived.counts.vars += 1;
    }

    /// How many times each piece of derived state has been computed.
    pub fn derivations(&self) -> Derivations {
        self.derived.counts
    }

    /// Whether the findings are the diagnosis of the last send (else lint of the draft).
    pub fn findings_from_send(&self) -> bool {
        self.derived.findings == Some(FindingsFrom::Send)
    }

    fn current_findings(&self) -> (Vec<Finding>, FindingsFrom) {
        match self.draft() {
            Some(d) => findings_of(d, &self.vars, self.loaded(), &self.rules_context()),
            None => (Vec::new(), FindingsFrom::NoDraft),
        }
    }

    /// Debug builds check after every message that the derived state is what computing it
    /// afresh gives (unless a newer answer is awaited): a change that forgot `touch` fails
    /// whichever test makes it.
    #[cfg(debug_assertions)]
    pub fn assert_derived(&self) {
        let vars = match self.draft() {
            Some(d) => self.vars_for(d),
            None => Vars::default(),
        };
        let stale = "is stale: a change to the draft, the selection, an outcome or the \
                     environment did not call App::touch";
        assert!(vars == self.vars, "the variables {stale}");
        if self.deriving() {
            return;
        }
        let resolved = self.draft().map(|d| resolve(d, &vars));
        assert!(resolved == self.resolved, "the resolved draft {stale}");
        assert!(
            self.current_findings().0 == self.findings,
            "the findings {stale}"
        );
    }
}
