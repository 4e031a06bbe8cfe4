//! A diagnosis made before the document was loaded (or with another one) is redone with it:
//! the `spec-*` rules judge the exchange, not only the draft. The exchanges are kept as they
//! came back; each gets a new `Loaded` with the new findings, made off the event loop
//! (`Effect::Rediagnose`, answered by `Msg::Rediagnosed`).

use crate::rules;
use crate::tui::app::{App, Loaded, Outcome};
use crate::tui::msg::Effect;
use crate::vars::Vars;
use std::sync::Arc;

/// One exchange to diagnose again: the one shown now, its variables, and the context with
/// the document now loaded.
#[derive(Debug, Clone)]
pub struct Job {
    pub old: Arc<Loaded>,
    pub vars: Vars,
    pub rules: rules::Context,
}

/// Jobs are the same when they redo the same exchange with the same document.
impl PartialEq for Job {
    fn eq(&self, other: &Job) -> bool {
        Arc::ptr_eq(&self.old, &other.old) && self.rules.spec == other.rules.spec
    }
}

/// An exchange diagnosed again: it replaces `old` wherever an entry shows it.
#[derive(Debug, Clone)]
pub struct Done {
    pub old: Arc<Loaded>,
    pub new: Arc<Loaded>,
}

impl Job {
    /// The diagnosis redone, everything else of the exchange kept.
    pub fn run(self) -> Done {
        let findings =
            rules::diagnose_exchange(&self.old.sent, &self.vars, &self.old.exchange, &self.rules);
        let new = Loaded {
            findings,
            spec: self.rules.spec.clone(),
            ..(*self.old).clone()
        };
        Done {
            old: self.old,
            new: Arc::new(new),
        }
    }
}

/// Every exchange whose diagnosis was made with another document than the one loaded now,
/// once each (a send and its history entry share theirs).
pub fn stale(app: &App) -> Option<Effect> {
    let current = &app.spec.loaded;
    let mut jobs: Vec<Job> = Vec::new();
    for (i, e) in app.entries.iter().enumerate() {
        let Some(old) = e.outcome.as_ref().and_then(Outcome::shared) else {
            continue;
        };
        // A diagnosis read back from the history stays as it was made.
        let restored = old.restored.is_some();
        if restored || old.spec == *current || jobs.iter().any(|j| Arc::ptr_eq(&j.old, old)) {
            continue;
        }
        jobs.push(Job {
            old: old.clone(),
            vars: app.vars_of(i, &old.sent),
            rules: app.own_rules_context(),
        });
    }
    (!jobs.is_empty()).then_some(Effect::Rediagnose(jobs))
}

/// The answers: each replaces its old exchange in every entry, unless another document was
/// loaded meanwhile (that one's own answers are on their way).
pub fn done(app: &mut App, answers: Vec<Done>) {
    let mut changed = false;
    for a in answers
        .into_iter()
        .filter(|a| a.new.spec == app.spec.loaded)
    {
        for e in &mut app.entries {
            let Some(outcome) = &mut e.outcome else {
                continue;
            };
            changed |= replace(outcome, &a);
        }
    }
    if changed {
        app.touch();
    }
}

fn replace(outcome: &mut Outcome, a: &Done) -> bool {
    let slot = match outcome {
        Outcome::Done(l) => l,
        Outcome::Failed {
            partial: Some(l), ..
        } => l,
        _ => return false,
    };
    if !Arc::ptr_eq(slot, &a.old) {
        return false;
    }
    *slot = a.new.clone();
    true
}
