//! The names of the `context` vocabulary (docs/context.md) with their short aliases: one table
//! of clients and one of loaders. A file's `context`, `--as-client`/`--as-loader` and the TUI's
//! Vars setting all read these, so they can never disagree on what `requests` means.

use super::context::{Client, split_version};
use super::loaders::Loader;

/// A client of the vocabulary: its name, its aliases, and how a version written after the
/// name (`node-fetch-2.6.7`) picks the model.
pub struct ClientName {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    make: fn(&[u32]) -> Client,
}

/// A `.env` loader of the vocabulary. A version after the name is accepted and ignored: each
/// loader is modelled at one version (docs/context.md).
pub struct LoaderName {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub loader: Loader,
}

impl ClientName {
    /// The model of this client at `version` (empty: its current release).
    pub fn client(&self, version: &[u32]) -> Client {
        (self.make)(version)
    }
}

const fn client(
    name: &'static str,
    aliases: &'static [&'static str],
    make: fn(&[u32]) -> Client,
) -> ClientName {
    ClientName {
        name,
        aliases,
        make,
    }
}

const fn loader(
    name: &'static str,
    aliases: &'static [&'static str],
    loader: Loader,
) -> LoaderName {
    LoaderName {
        name,
        aliases,
        loader,
    }
}

/// `[2, 20]` → `Some((2, 20))`: the major and minor the Python clients' rules depend on.
fn major_minor(v: &[u32]) -> Option<(u32, u32)> {
    v.get(1).map(|minor| (v[0], *minor))
}

fn reqwest(v: &[u32]) -> Client {
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    match v.len() {
        0 => Client::CURRENT_REQWEST,
        _ => Client::Reqwest(at(0), at(1), at(2)),
    }
}

fn node_fetch(v: &[u32]) -> Client {
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    Client::NodeFetch(v.first().map(|major| (*major, at(1), at(2))))
}

/// Every client the rules model, in the order of docs/context.md. `authlens` is an alias of
/// the current reqwest: it is what authlens sends with.
pub const CLIENTS: &[ClientName] = &[
    client("reqwest", &["authlens"], reqwest),
    client("curl", &[], |_| Client::Curl),
    client("php-curl", &[], |_| Client::PhpCurl),
    client("python-requests", &["requests"], |v| {
        Client::PythonRequests(major_minor(v))
    }),
    client("httpie", &[], |_| Client::Httpie),
    client("python-httpx", &["httpx"], |v| {
        Client::PythonHttpx(major_minor(v))
    }),
    client("python-aiohttp", &["aiohttp"], |_| Client::PythonAiohttp),
    client("browser-fetch", &["browser", "fetch"], |_| {
        Client::BrowserFetch
    }),
    client("node-undici", &["undici", "node-fetch-builtin"], |_| {
        Client::NodeUndici
    }),
    client("node-fetch", &[], node_fetch),
    client("axios", &[], |_| Client::Axios),
    client("node-https", &["node-http"], |_| Client::NodeHttps),
    client("go-net-http", &["go", "net/http"], |v| {
        Client::GoNetHttp(major_minor(v))
    }),
    client("guzzle", &[], |_| Client::Guzzle),
    client("java-httpclient", &["java-http-client"], |_| {
        Client::JavaHttpClient
    }),
];

/// Every loader the rules model, in the order of docs/context.md. `authlens` is an alias of
/// dotenvy, which authlens reads `.env` with.
pub const LOADERS: &[LoaderName] = &[
    loader("dotenvy", &["dotenvy-0.15", "authlens"], Loader::Dotenvy),
    loader(
        "dotenvy-override",
        &["dotenvy-0.15-override"],
        Loader::DotenvyOverride,
    ),
    loader(
        "python-dotenv",
        &["python-dotenv-1.2.2"],
        Loader::PythonDotenv,
    ),
    loader("python-dotenv-override", &[], Loader::PythonDotenvOverride),
    loader("node-dotenv", &["dotenv"], Loader::NodeDotenv),
    loader("docker-env-file", &["docker"], Loader::DockerEnvFile),
    loader(
        "docker-compose-environment",
        &["compose"],
        Loader::DockerComposeEnvironment,
    ),
    loader("shell-source", &[], Loader::ShellSource),
    loader("none", &["no-loader", "nothing"], Loader::None),
];

fn is(name: &str, aliases: &[&str], wanted: &str) -> bool {
    name == wanted || aliases.contains(&wanted)
}

/// The client a name means (a version may follow it), or `None` when the vocabulary does
/// not know it.
pub fn client_named(text: &str) -> Option<Client> {
    let lower = text.trim().to_ascii_lowercase();
    let (base, version) = split_version(&lower);
    CLIENTS
        .iter()
        .find(|c| is(c.name, c.aliases, base))
        .map(|c| c.client(&version))
}

/// The loader a name means, or `None` when the vocabulary does not know it. A version may
/// follow the name, and `-override` may end it (`dotenvy-0.15-override`).
pub fn loader_named(text: &str) -> Option<Loader> {
    let lower = text.trim().to_ascii_lowercase();
    let (rest, overriding) = match lower.strip_suffix("-override") {
        Some(rest) => (rest, true),
        None => (lower.as_str(), false),
    };
    let (base, _) = split_version(rest);
    let found = LOADERS.iter().find(|l| is(l.name, l.aliases, base))?.loader;
    Some(match found {
        Loader::Dotenvy if overriding => Loader::DotenvyOverride,
        Loader::PythonDotenv if overriding => Loader::PythonDotenvOverride,
        other => other,
    })
}

/// `reqwest (authlens), curl, …`: what a warning about an unknown name lists.
pub fn known_clients() -> String {
    listed(CLIENTS.iter().map(|c| (c.name, c.aliases)))
}

/// The loaders' names and aliases, as a warning lists them.
pub fn known_loaders() -> String {
    listed(LOADERS.iter().map(|l| (l.name, l.aliases)))
}

fn listed<'a>(names: impl Iterator<Item = (&'a str, &'a [&'a str])>) -> String {
    let shown: Vec<String> = names
        .map(|(name, aliases)| match aliases {
            [] => name.to_string(),
            _ => format!("{name} ({})", aliases.join(", ")),
        })
        .collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_versions_are_read_with_the_table() {
        assert_eq!(client_named("requests"), Some(Client::PythonRequests(None)));
        assert_eq!(client_named("HTTPX"), Some(Client::PythonHttpx(None)));
        assert_eq!(
            client_named("python-requests-2.20.0"),
            Some(Client::PythonRequests(Some((2, 20))))
        );
        assert_eq!(client_named("authlens"), Some(Client::CURRENT_REQWEST));
        assert_eq!(client_named("clj-http"), None);
        assert_eq!(loader_named("python-dotenv"), Some(Loader::PythonDotenv));
        assert_eq!(loader_named("dotenv"), Some(Loader::NodeDotenv));
        assert_eq!(
            loader_named("dotenvy-0.15-override"),
            Some(Loader::DotenvyOverride)
        );
        assert_eq!(
            loader_named("python-dotenv-1.2.2"),
            Some(Loader::PythonDotenv)
        );
        assert_eq!(loader_named("my-own-loader"), None);
    }

    #[test]
    fn every_alias_is_listed_once() {
        let mut all: Vec<&str> = CLIENTS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
        assert!(known_clients().contains("python-requests (requests)"));
        assert!(known_loaders().contains("node-dotenv (dotenv)"));
    }
}
