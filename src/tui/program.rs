//! The Vars tab's setting "your program's client and loader": authlens is what sends from the
//! TUI, but the program that got the 401 may use requests and python-dotenv. `o` and `O` cycle
//! through the rules' vocabulary; the findings then add what that stack would meet
//! (`rules::as_program`), as `send --as-client/--as-loader` does.

use super::app::{App, Level, Tab};
use crate::rules::{AsStack, vocabulary};

/// The choice of each, as a position in the vocabulary's table; `None` is "authlens itself".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Program {
    pub client: Option<usize>,
    pub loader: Option<usize>,
}

impl Program {
    /// The stack the rules predict for: the vocabulary's model of each name chosen.
    pub fn stack(&self) -> AsStack {
        AsStack {
            client: self.client.map(|i| vocabulary::CLIENTS[i].client(&[])),
            loader: self.loader.map(|i| vocabulary::LOADERS[i].loader),
        }
    }

    /// The client's name as the tab shows it.
    pub fn client_name(&self) -> &'static str {
        self.client.map_or(ITSELF, |i| vocabulary::CLIENTS[i].name)
    }

    pub fn loader_name(&self) -> &'static str {
        self.loader.map_or(ITSELF, |i| vocabulary::LOADERS[i].name)
    }
}

/// What the setting says while nothing is chosen.
pub const ITSELF: &str = "authlens itself";

/// The next choice after `at` among `len`, "authlens itself" between the last and the first.
fn next(at: Option<usize>, len: usize) -> Option<usize> {
    match at {
        None => Some(0),
        Some(i) if i + 1 < len => Some(i + 1),
        Some(_) => None,
    }
}

/// `o` on the Vars tab: the next client.
pub fn cycle_client(app: &mut App) {
    if !on_vars_tab(app) {
        return;
    }
    app.program.client = next(app.program.client, vocabulary::CLIENTS.len());
    changed(app, "client", app.program.client_name());
}

/// `O` on the Vars tab: the next `.env` loader.
pub fn cycle_loader(app: &mut App) {
    if !on_vars_tab(app) {
        return;
    }
    app.program.loader = next(app.program.loader, vocabulary::LOADERS.len());
    changed(app, "loader", app.program.loader_name());
}

/// The setting lives in the Vars tab; elsewhere the key says where to find it.
fn on_vars_tab(app: &mut App) -> bool {
    let here = app.editor.tab() == Tab::Vars;
    if !here {
        let text = "your program's client and loader are set in the Vars tab (o, O)";
        app.status = Some((Level::Info, text.into()));
    }
    here
}

/// The findings derive from the setting, so they are recomputed.
fn changed(app: &mut App, what: &str, name: &str) {
    app.touch();
    app.status = Some((Level::Info, format!("your program's {what}: {name}")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_passes_through_authlens_itself() {
        assert_eq!(next(None, 2), Some(0));
        assert_eq!(next(Some(0), 2), Some(1));
        assert_eq!(next(Some(1), 2), None);
    }
}
