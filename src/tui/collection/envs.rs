//! Switching environments (`E`): `.env` alone, as without `.http` files, then each
//! environment the `http-client.env.json` / `http-client.private.env.json` files beside the
//! listed `.http` files name (dev, staging, prod). The active one's variables sit above the
//! process environment and `.env` for the requests of those files (`Vars::build_layered`);
//! the Vars tab says where each value came from.

use super::Collection;
use crate::tui::app::{App, Level};
use crate::tui::msg::Effect;

/// Every environment name the listed files' directories define, in the order first seen.
pub fn names(c: &Collection) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in &c.files {
        for n in f.envs.names() {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// What the list's title and the Vars tab call the active environment (`dev`, or `.env`
/// alone); `None` while no listed file has an environment file beside it (nothing to switch).
pub fn label(c: &Collection) -> Option<String> {
    if names(c).is_empty() {
        return None;
    }
    Some(c.env.clone().unwrap_or_else(|| ".env".to_string()))
}

/// `E`: the next environment, after the last `.env` alone again. The variables, the resolved
/// draft and the findings are recomputed (`App::layers_changed`).
pub fn cycle(app: &mut App) -> Vec<Effect> {
    let all = names(&app.collection);
    if all.is_empty() {
        let text = "no environments: put an http-client.env.json (or .private.env.json) beside a .http file";
        app.status = Some((Level::Info, text.into()));
        return Vec::new();
    }
    let next = match &app.collection.env {
        None => Some(all[0].clone()),
        Some(now) => match all.iter().position(|n| n == now) {
            Some(i) if i + 1 < all.len() => Some(all[i + 1].clone()),
            _ => None,
        },
    };
    set(app, next);
    Vec::new()
}

/// Makes `env` the active environment (`None`: `.env` alone) and says so.
pub fn set(app: &mut App, env: Option<String>) {
    app.collection.env = env;
    app.layers_changed();
    let text = match &app.collection.env {
        Some(name) => format!(
            "environment {name}: its variables come before the process environment and .env (E switches)"
        ),
        None => "environment: .env and the process environment only (E switches)".to_string(),
    };
    app.status = Some((Level::Info, text));
}
