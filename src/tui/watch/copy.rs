//! `e` on the watch screen: the selected request into a new draft, opened in the normal
//! editor to fix and send as usual. The watch goes on behind it; `W` comes back.

use super::keys::shown;
use super::state::Row;
use crate::draft::Draft;
use crate::tui::app::{App, Entry, Level, Pane};
use crate::tui::msg::Effect;

pub fn to_draft(app: &mut App) -> Vec<Effect> {
    let Some(w) = shown(app) else {
        return Vec::new();
    };
    let x = match w.selected_row() {
        Some(Row::Exchange(x)) => x.clone(),
        Some(Row::Tunnel { host, .. }) => {
            let text = format!(
                "a tunnel's request was never read: watch with --upstream https://{host} to see it"
            );
            app.status = Some((Level::Info, text));
            return Vec::new();
        }
        None => {
            app.status = Some((Level::Info, "no request watched yet".into()));
            return Vec::new();
        }
    };
    let url = w.upstream_url(&x);
    let (draft, body_left_out) = Draft::from_wire(&x.sent, &url);
    let name = format!(
        "watched #{} {} {}",
        x.id,
        draft.method,
        crate::secret::masked_url(&draft.url)
    );
    app.entries.push(Entry::yours(name, draft));
    if let Some(w) = app.watch.as_deref_mut() {
        w.shown = false;
    }
    let effects = crate::tui::list::show(app, app.entries.len() - 1);
    crate::tui::update::set_focus(app, Pane::Editor);
    let text = if body_left_out {
        "copied without its body (binary, or cut off by the capture): add it, then ^S sends · W returns to the watch"
    } else {
        "copied into a draft: fix it, then ^S sends · W returns to the watch"
    };
    app.status = Some((Level::Info, text.into()));
    effects
}

/// `W`: back to the watch screen from the editor.
pub fn back(app: &mut App) -> Vec<Effect> {
    app.editing = None;
    if let Some(w) = app.watch.as_deref_mut() {
        w.shown = true;
    }
    Vec::new()
}
