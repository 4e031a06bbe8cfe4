//! `--as-client` and `--as-loader`: which client and `.env` loader the user's own program
//! uses, read with the rules' vocabulary (`rules::vocabulary`). An unknown name is accepted
//! with a one-line warning — it only means no client- or loader-specific conclusion.

use super::print;
use crate::rules::{AsStack, Client, Loader, vocabulary};
use clap::Args;

#[derive(Debug, Clone, Default, Args)]
pub struct StackArgs {
    /// The HTTP client your own program uses (python-requests or requests, python-httpx or
    /// httpx, node-fetch, axios, curl, go-net-http… as in a file's `context.client`): the
    /// findings say what that client would do. `send` adds them as predictions; `diagnose`
    /// uses it instead of the file's `context.client`.
    #[arg(long = "as-client", value_name = "NAME")]
    pub as_client: Option<String>,
    /// The `.env` loader your own program uses (python-dotenv, node-dotenv or dotenv,
    /// dotenvy, docker-env-file, shell-source, none… as in a file's `context.loader`).
    /// `send` adds what it would do as predictions; `diagnose` uses it instead of the file's.
    #[arg(long = "as-loader", value_name = "NAME")]
    pub as_loader: Option<String>,
}

impl StackArgs {
    /// The stack named, warning on stderr about a name the vocabulary does not know: an
    /// unknown client is kept as `Other` and an unknown loader read as dotenvy, exactly as a
    /// file's `context` is read.
    pub fn stack(&self, command: &str) -> AsStack {
        AsStack {
            client: self.as_client.as_deref().map(|n| client(command, n)),
            loader: self.as_loader.as_deref().map(|n| loader(command, n)),
        }
    }
}

fn client(command: &str, name: &str) -> Client {
    vocabulary::client_named(name).unwrap_or_else(|| {
        let meaning = "no client-specific conclusion is drawn";
        warn(
            command,
            "--as-client",
            name,
            meaning,
            &vocabulary::known_clients(),
        );
        Client::parse(name)
    })
}

fn loader(command: &str, name: &str) -> Loader {
    vocabulary::loader_named(name).unwrap_or_else(|| {
        let meaning =
            "it is read as dotenvy, authlens's own loader, as an unknown `context.loader` is";
        warn(
            command,
            "--as-loader",
            name,
            meaning,
            &vocabulary::known_loaders(),
        );
        Loader::Dotenvy
    })
}

fn warn(command: &str, flag: &str, name: &str, meaning: &str, known: &str) {
    let name = crate::secret::escape_controls(name);
    print::errln(&format!(
        "authlens {command}: warning: unknown {flag} {name:?}, so {meaning}; known: {known}"
    ));
}
