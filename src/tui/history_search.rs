//! `/` in the request list: type words, Enter jumps to the next request (after the selected
//! one, wrapping) whose method, URL (masked, as the list shows it), name, last status or
//! finding ids hold every word, in any case — `401 upload`, `post env-var-missing`. `/` then
//! Enter on nothing searches the last query again, as the body search does.

use super::app::{App, Entry, Level, Pane, Target};
use super::msg::Effect;
use super::search::Needle;
use super::update::start_edit;

/// `/` with the list focused: the status line becomes the query's prompt.
pub fn start(app: &mut App) -> Vec<Effect> {
    start_edit(app, Target::Search);
    Vec::new()
}

/// Whether Enter on the search prompt is the list's search rather than the body's.
pub fn is_list_search(app: &App) -> bool {
    app.focus == Pane::List
}

/// Enter: the next matching request selected, and how many match.
pub fn find(app: &mut App, typed: String) -> Vec<Effect> {
    let query = if typed.trim().is_empty() {
        app.history.query.clone()
    } else {
        typed
    };
    if query.trim().is_empty() {
        return Vec::new();
    }
    app.history.query = query.clone();
    let words: Vec<Needle> = query.split_whitespace().map(Needle::new).collect();
    let n = app.entries.len();
    let matching: Vec<usize> = (0..n)
        .filter(|&i| matches(&app.entries[i], &words))
        .collect();
    let next = matching
        .iter()
        .find(|&&i| i > app.selected)
        .or(matching.first())
        .copied();
    let Some(i) = next else {
        let text = format!("no request matches {query:?} (method, URL, status, finding id)");
        app.status = Some((Level::Info, text));
        return Vec::new();
    };
    let effects = super::list::show(app, i);
    let k = matching.iter().position(|&m| m == i).map_or(0, |p| p + 1);
    let text = format!(
        "{k} of {} matching {query:?} · / then Enter: the next",
        matching.len()
    );
    app.status = Some((Level::Info, text));
    effects
}

/// Every word is in one of the entry's texts.
pub fn matches(e: &Entry, words: &[Needle]) -> bool {
    let texts = haystack(e);
    words
        .iter()
        .all(|w| texts.iter().any(|t| w.find(t).is_some()))
}

/// What a request is found by: its name, method and masked URL, its last status, and the ids
/// of the findings its last exchange got.
fn haystack(e: &Entry) -> Vec<String> {
    let mut texts = vec![
        e.name.clone(),
        e.draft.method.clone(),
        crate::secret::masked_url(&e.draft.url),
    ];
    if let Some(l) = e.outcome.as_ref().and_then(|o| o.loaded()) {
        if let Some(r) = l.exchange.final_response() {
            texts.push(r.status.to_string());
        }
        texts.extend(l.findings.iter().map(|f| f.id.as_str().to_string()));
    }
    texts
}
