//! The compare view's state and its updates: the selected request's credential sent in every
//! slot, so the learner sees which slot the server reads. The sending is an effect; this is
//! only what to ask for and what to keep when the answer lands.

use super::app::{App, Level};
use super::keymap::Action;
use super::msg::Effect;
use crate::secret::Redactor;
use crate::slots::{self, Outcome};
use std::time::Instant;

/// What the compare view shows: running (with the id to cancel), or the four outcomes.
#[derive(Debug, Clone)]
pub struct CompareView {
    pub id: u64,
    pub started: Instant,
    /// The request compared, as `METHOD URL` (typed, not resolved), for the title.
    pub request: String,
    /// Masks the credential in each form the slots send it (raw, Basic, query-encoded).
    pub redactor: Redactor,
    /// `None` while the four sends are in flight.
    pub outcomes: Option<Vec<Outcome>>,
    pub scroll: usize,
}

impl CompareView {
    pub fn running(&self) -> bool {
        self.outcomes.is_none()
    }

    /// The `slots::summary` sentence, once there is something to summarise.
    pub fn summary(&self) -> Option<String> {
        self.outcomes.as_deref().map(slots::summary)
    }
}

/// `c`: finds the draft's credential and asks the runtime to send it in every slot.
pub fn open(app: &mut App) -> Vec<Effect> {
    app.editing = None;
    let Some(draft) = app.draft().cloned() else {
        return Vec::new();
    };
    let vars = app.vars_for(&draft);
    let Some(credential) = slots::find_credential(&draft, &vars) else {
        app.status = Some((
            Level::Error,
            "nothing to compare: this request has no credential (an Authorization or key header, or an auth helper)".into(),
        ));
        return Vec::new();
    };
    let id = app.next_id;
    app.next_id += 1;
    app.compare = Some(CompareView {
        id,
        started: app.now,
        request: format!("{} {}", draft.method, crate::secret::masked_url(&draft.url)),
        redactor: crate::slots::redactor(&draft, &vars, &credential),
        outcomes: None,
        scroll: 0,
    });
    app.status = Some((
        Level::Info,
        "comparing: the credential in every slot…".into(),
    ));
    vec![Effect::Compare {
        id,
        rules: Box::new(app.own_rules_context()),
        draft: Box::new(draft),
        vars: Box::new(vars),
        credential,
    }]
}

/// The four outcomes landed; a late answer to a closed or replaced view is dropped.
pub fn done(app: &mut App, id: u64, outcomes: Vec<Outcome>) -> Vec<Effect> {
    let Some(view) = app.compare.as_mut().filter(|v| v.id == id) else {
        return Vec::new();
    };
    view.outcomes = Some(outcomes);
    let summary = view.summary().unwrap_or_default();
    app.status = Some((Level::Info, view.redactor.redact(&summary)));
    Vec::new()
}

/// Keys while the view is open: scroll, and Esc closes it (cancelling the sends if running).
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(view) = app.compare.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Down => view.scroll += 1,
        Action::Up => view.scroll = view.scroll.saturating_sub(1),
        Action::CloseOverlay => {
            let running = view.running().then_some(view.id);
            app.compare = None;
            if let Some(id) = running {
                app.status = Some((Level::Info, "compare cancelled".into()));
                return vec![Effect::Cancel { id }];
            }
        }
        _ => {}
    }
    Vec::new()
}
