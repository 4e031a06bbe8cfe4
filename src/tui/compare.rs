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

    /// A slot met TLS with the certificate unchecked (`-k`, or the request's Settings).
    pub fn tls_unverified(&self) -> bool {
        self.outcomes.iter().flatten().any(|o| {
            o.exchange
                .as_ref()
                .is_some_and(|e| e.transport.tls_unverified)
        })
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
    let url = app
        .resolved
        .as_ref()
        .map(|r| r.url.text.clone())
        .unwrap_or_default();
    if !confirmed(app, &url) {
        return Vec::new();
    }
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

/// How long a first `c` about another host stays asked: a second press later is a new question.
const ASKED_FOR: std::time::Duration = std::time::Duration::from_secs(15);

/// Whether the compare may go: at once to this machine, or to another host when `c` was
/// pressed a moment ago on the same URL. One of the slots puts the key in the URL's query,
/// which servers, proxies and logs keep; a key press should not send it to the world unasked.
fn confirmed(app: &mut App, url: &str) -> bool {
    let host = crate::url_text::Url::parse(url.trim())
        .map(|u| u.host)
        .unwrap_or_default();
    if is_this_machine(&host) {
        return true;
    }
    let now = app.now;
    let again = app
        .compare_asked
        .as_ref()
        .is_some_and(|(u, at)| u == url && now.saturating_duration_since(*at) <= ASKED_FOR);
    if again {
        app.compare_asked = None;
        return true;
    }
    app.compare_asked = Some((url.to_string(), now));
    app.status = Some((
        Level::Info,
        format!(
            "compare sends this credential to {} four ways, one in the URL's query (logged by servers and proxies): press c again to send it there",
            if host.is_empty() { "this URL" } else { &host }
        ),
    ));
    false
}

/// Loopback names and addresses: the practice server and the user's own local servers.
fn is_this_machine(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.ends_with(".localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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
