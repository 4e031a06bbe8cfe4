//! The context of a real send from this machine, for the CLI and the TUI.
//!
//! A scenario file states its world (`context`); a live send has to be told it: the clock,
//! the working directory, and the `.env` that the variables were actually read from, parsed
//! again with the rules' dotenvy model so `.env` causes can point at its lines. Pure: the
//! caller reads the clock and the file.

use super::context::{Client, Context};
use super::loaders::{self, Loader};
use std::collections::BTreeMap;

/// The `.env` authlens loaded, as text, with where it was found.
pub struct DotenvText {
    pub path: String,
    pub text: String,
}

pub fn context(
    now: i64,
    cwd: Option<String>,
    dotenv: Option<DotenvText>,
    process: &BTreeMap<String, String>,
) -> Context {
    let dotenv_path = dotenv.as_ref().map(|d| d.path.clone());
    let loaded = dotenv.map(|d| loaders::load(&d.path, &d.text, Loader::Dotenvy, process, true));
    Context {
        now: Some(now),
        loader: Loader::Dotenvy,
        client: Client::CURRENT_REQWEST,
        cwd,
        dotenv_path,
        dotenv: loaded,
        ..Context::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loaded_dotenv_is_parsed_with_the_dotenvy_model() {
        let d = DotenvText {
            path: "/p/.env".into(),
            text: "API_KEY=EXAMPLE-key\n".into(),
        };
        let ctx = context(1_800_000_000, Some("/p".into()), Some(d), &BTreeMap::new());
        assert_eq!(ctx.now, Some(1_800_000_000));
        assert_eq!(ctx.dotenv_path.as_deref(), Some("/p/.env"));
        let loaded = ctx.dotenv.expect("loaded");
        assert_eq!(
            loaded.value("API_KEY").map(|e| e.value.as_str()),
            Some("EXAMPLE-key")
        );
    }
}
