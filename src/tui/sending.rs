//! Sending the selected request and taking in what came back: the in-flight record, cancel,
//! the history entry each finished send adds, and the status line's one-line summary.

use super::app::{App, Entry, EntryKind, Level, Loaded, Outcome};
use super::msg::{Effect, SendFailure};
use std::sync::Arc;

pub fn send(app: &mut App) -> Vec<Effect> {
    app.editing = None;
    if app.inflight.is_some() {
        app.status = Some((
            Level::Info,
            "a request is already in flight; Esc cancels it".into(),
        ));
        return Vec::new();
    }
    super::history::fork_unchanged(app);
    let Some(draft) = app.draft().cloned() else {
        return Vec::new();
    };
    let vars = app.vars_for(&draft);
    let id = app.next_id;
    app.next_id += 1;
    app.inflight = Some(super::app::InFlight {
        id,
        entry: app.selected,
        started: app.now,
        draft: draft.clone(),
    });
    app.status = Some((
        Level::Info,
        format!(
            "sending {} {}",
            draft.method,
            crate::secret::masked_url(&draft.url)
        ),
    ));
    let rules = Box::new(app.own_rules_context());
    vec![Effect::Send {
        id,
        draft: Box::new(draft),
        vars: Box::new(vars),
        rules,
        jar: Box::new(app.jar.clone()),
    }]
}

/// The jar as the send in flight left it; a cancelled send's jar is not taken back.
pub fn jar_after_send(app: &mut App, id: u64, jar: crate::cookies::Jar) {
    if app.inflight.as_ref().is_some_and(|f| f.id == id) {
        app.jar = jar;
    }
}

pub fn cancel(app: &mut App) -> Vec<Effect> {
    let Some(f) = app.inflight.take() else {
        return Vec::new();
    };
    if let Some(e) = app.entries.get_mut(f.entry) {
        e.outcome = Some(Outcome::Cancelled);
    }
    app.touch(); // the findings were the diagnosis of this entry's last send
    app.status = Some((Level::Info, "cancelled; nothing more will be read".into()));
    vec![Effect::Cancel { id: f.id }]
}

pub fn send_done(app: &mut App, id: u64, result: Result<Arc<Loaded>, SendFailure>) -> Vec<Effect> {
    let Some(f) = app.inflight.take_if(|f| f.id == id) else {
        return Vec::new(); // a cancelled send that finished anyway
    };
    let (outcome, status) = match result {
        Ok(loaded) => {
            let summary = summary(&loaded);
            (Outcome::Done(loaded), (Level::Info, summary))
        }
        Err(SendFailure { message, partial }) => (
            Outcome::Failed {
                message: message.clone(),
                partial,
            },
            (Level::Error, message),
        ),
    };
    app.status = Some(status);
    let name = history_name(&f.draft, &outcome);
    let keep = super::history_keep::sent(app, &name, &f.draft, &outcome);
    if let Some(e) = app.entries.get_mut(f.entry) {
        e.outcome = Some(outcome.clone());
    }
    app.touch(); // a diagnosis of the draft as sent replaces its lint
    app.entries.push(Entry {
        name,
        lesson: None,
        kind: EntryKind::History,
        sample_id: None,
        draft: f.draft,
        outcome: Some(outcome),
    });
    super::lesson::after_send(app, f.entry);
    if f.entry == app.selected {
        app.exchange.scroll = 0;
        app.exchange.found = None;
        app.exchange.searching = None;
        app.exchange.hop = app
            .loaded()
            .map_or(0, |l| l.exchange.hops.len().saturating_sub(1));
    }
    // A document loaded while the request was in flight: its diagnosis is redone with it.
    keep.into_iter()
        .chain(super::spec::rediagnose::stale(app))
        .collect()
}

fn summary(l: &Loaded) -> String {
    let Some(last) = l.exchange.hops.last() else {
        return "no response".into();
    };
    let hops = l.exchange.hops.len();
    let via = if hops > 1 {
        format!(" after {} redirect(s)", hops - 1)
    } else {
        String::new()
    };
    let ms: f64 = l
        .exchange
        .hops
        .iter()
        .map(|h| h.timing.total.as_secs_f64() * 1e3)
        .sum();
    format!(
        "{} {}{via} in {ms:.0} ms",
        last.response.status, last.response.reason
    )
}

fn history_name(d: &crate::draft::Draft, o: &Outcome) -> String {
    let status = match o {
        Outcome::Done(l) => l
            .exchange
            .final_response()
            .map_or("—".into(), |r| r.status.to_string()),
        Outcome::Failed { .. } => "ERR".into(),
        Outcome::Cancelled => "—".into(),
    };
    // `${BASE}/v1/models` is named by its path; only a leading reference is dropped.
    let path = d
        .url
        .strip_prefix("${")
        .and_then(|r| r.split_once('}'))
        .map_or(d.url.as_str(), |(_, p)| p);
    format!("{status} {} {}", d.method, crate::secret::masked_url(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Draft;

    #[test]
    fn a_history_name_drops_only_a_leading_reference() {
        let name = |url: &str| history_name(&Draft::new("GET", url), &Outcome::Cancelled);
        assert_eq!(name("${BASE}/v1/models"), "— GET /v1/models");
        assert_eq!(
            name("https://api.example.test/v1?key=${KEY}&q=1"),
            "— GET https://api.example.test/v1?key=${KEY}&q=1"
        );
    }
}
