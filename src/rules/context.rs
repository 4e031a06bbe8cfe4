//! The world around a request that the draft alone does not show: the clock, the `.env`
//! loader, the HTTP client (its redirect rules differ), proxies, `.netrc`, the server's env.
//!
//! Rules never read the real clock or the real environment; everything arrives here, so the
//! engine stays pure and a recorded scenario is judged exactly as it happened.

use super::as_program::AsStack;
use super::loaders::{Loaded, Loader};
use std::collections::BTreeMap;

/// The HTTP client that sent (or will send) the request; it decides redirect stripping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// reqwest `(major, minor, patch)`; the scheme check on redirects arrived in 0.13.4.
    Reqwest(u32, u32, u32),
    Curl,
    /// python-requests with its version when known (2.20.x compared explicit ports).
    PythonRequests(Option<(u32, u32)>),
    /// httpx with its version when known (`.netrc` handling changed in 0.24).
    PythonHttpx(Option<(u32, u32)>),
    BrowserFetch,
    /// node-fetch with its version when known (redirect rules changed in 2.6.7 and 2.6.8/3.2.9).
    NodeFetch(Option<(u32, u32, u32)>),
    /// axios (follow-redirects): strips on a host change that is not a subdomain, or a downgrade.
    Axios,
    /// Node's built-in `fetch` (undici): strips on any cross-origin hop.
    NodeUndici,
    /// Node's `http`/`https` modules: they do not follow redirects at all.
    NodeHttps,
    /// Go `net/http` with its version when known: strips unless the new host is the same or a
    /// subdomain; Go ≤ 1.12 compared `host:port`, so http → https on one host stripped too
    /// (golang/go#35104).
    GoNetHttp(Option<(u32, u32)>),
    /// Guzzle's RedirectMiddleware: strips on a change of host, port or scheme.
    Guzzle,
    /// PHP's curl extension: libcurl's rules (`CURLOPT_UNRESTRICTED_AUTH` to keep it).
    PhpCurl,
    /// HTTPie: python-requests underneath.
    Httpie,
    /// aiohttp: strips when the origin changes.
    PythonAiohttp,
    /// `java.net.http.HttpClient`: `Redirect.NORMAL` never follows https → http.
    JavaHttpClient,
    Other(String),
}

impl Client {
    /// The current reqwest, which authlens itself uses for live sends.
    pub const CURRENT_REQWEST: Client = Client::Reqwest(0, 13, 5);

    /// Parses names such as `reqwest-0.12`, `reqwest-0.13.4`, `curl`, `node-fetch-2.6.7`, with
    /// the aliases of the vocabulary's table (`rules::vocabulary`). A client named without a
    /// version means its current release (docs/catalogue.md §2, E); an unknown name is
    /// `Other`, which draws no client-specific conclusion.
    pub fn parse(name: &str) -> Client {
        super::vocabulary::client_named(name)
            .unwrap_or_else(|| Client::Other(name.trim().to_ascii_lowercase()))
    }
}

impl Client {
    /// What this client does with a CR or LF inside a header value (most refuse to send).
    pub fn on_newline_in_header(&self) -> &'static str {
        match self {
            Client::Reqwest(..) => {
                "reqwest refuses it (InvalidHeaderValue) and the request never leaves"
            }
            Client::Curl | Client::PhpCurl => {
                "curl cuts the header at the line break, so a shortened value (or a stray line) goes out"
            }
            Client::PythonRequests(_) | Client::Httpie => {
                "requests raises InvalidHeader (\"Invalid leading whitespace, reserved character(s), or return character(s)\")"
            }
            Client::PythonHttpx(_) | Client::PythonAiohttp => {
                "the Python client refuses the header value"
            }
            Client::BrowserFetch => "the browser's fetch throws TypeError (invalid header value)",
            Client::NodeFetch(_) | Client::Axios | Client::NodeUndici | Client::NodeHttps => {
                "Node refuses it (\"Invalid character in header content\")"
            }
            Client::GoNetHttp(_) => "Go refuses it (\"net/http: invalid header field value\")",
            Client::Guzzle => "Guzzle throws InvalidArgumentException",
            Client::JavaHttpClient => {
                "Java's HttpClient throws IllegalArgumentException (invalid header value)"
            }
            Client::Other(_) => "most clients refuse it; some send a truncated value",
        }
    }
}

/// `node-fetch-2.6.7` → ("node-fetch", [2, 6, 7]).
/// What may stand between a name and its version.
const SEPARATORS: [char; 4] = ['-', '@', ' ', '/'];

pub(super) fn split_version(name: &str) -> (&str, Vec<u32>) {
    let cut = name
        .char_indices()
        .find(|(i, c)| c.is_ascii_digit() && name[..*i].ends_with(['-', '@', ' ', '/', 'v']))
        .map(|(i, _)| i);
    match cut {
        Some(i) => {
            // A `v` before the digits is the version's (`node-fetch@v2`), not the name's:
            // `python-dotenv-1.2.2` keeps its `v`.
            let base = name[..i].strip_suffix(SEPARATORS).unwrap_or(&name[..i]);
            let base = match base.strip_suffix('v') {
                Some(rest) if rest.ends_with(SEPARATORS) => rest,
                _ => base,
            };
            let base = base.trim_end_matches(SEPARATORS);
            let version = name[i..].split('.').map_while(|p| p.parse().ok()).collect();
            (base, version)
        }
        None => (name, Vec::new()),
    }
}

/// A proxy, CDN or gateway between the client and the origin, with the settings that matter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Intermediary {
    /// `nginx`, `cloudfront`, `apache-mod_wsgi`, `azure-apim`, …
    pub kind: String,
    /// Every other setting as text (`underscores_in_headers` → `false`).
    pub settings: BTreeMap<String, String>,
}

impl Intermediary {
    pub fn setting(&self, name: &str) -> Option<&str> {
        self.settings.get(name).map(String::as_str)
    }
}

/// Everything the rules know about the world around the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Unix seconds; `None` disables the JWT time checks (the engine never reads the clock).
    pub now: Option<i64>,
    pub loader: Loader,
    /// How the program calls the loader, e.g. `dotenvy::dotenv().ok()`.
    pub loader_call: Option<String>,
    pub client: Client,
    /// The file named the client (`context.client`); otherwise `client` is authlens's own,
    /// and a rule about what the user's client would have done has nothing to go on.
    pub client_named: bool,
    pub client_args: Vec<String>,
    pub cwd: Option<String>,
    pub dotenv_path: Option<String>,
    /// The `.env` as the loader read it (entries, raw text, errors), when one exists.
    pub dotenv: Option<Loaded>,
    /// The `.env.example` text, to recognise a value copied from it unchanged.
    pub dotenv_example: Option<String>,
    /// `fastapi-0.115`, `fastsitephp`, …
    pub server: Option<String>,
    /// The server's effective environment, for a local or dev target.
    pub server_env: Option<BTreeMap<String, String>>,
    /// Names or `PREFIX_*` patterns of the variable the server reads its inbound key from.
    pub server_key_vars: Vec<String>,
    pub expected_audience: Option<String>,
    pub expected_issuer: Option<String>,
    pub intermediaries: Vec<Intermediary>,
    /// The text of `~/.netrc` (or `$NETRC`).
    pub netrc: Option<String>,
    /// The clock leeway the server allows for token times, when known (`jwt_leeway_seconds`).
    pub jwt_leeway: Option<i64>,
    /// When authlens sent but the user's own program uses another client or loader
    /// (`--as-client`, `--as-loader`, the TUI's Vars setting): the engine adds what that
    /// stack would meet, as predictions. Empty for a recorded file, whose context *is* the
    /// program's.
    pub program: AsStack,
    /// The API's own OpenAPI document (`--spec`), when one is loaded: the `spec-` rules read
    /// which slot each operation accepts from it. Shared, since a large one is kept once.
    pub spec: Option<std::sync::Arc<crate::spec::Spec>>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            now: None,
            loader: Loader::Dotenvy,
            loader_call: None,
            client: Client::CURRENT_REQWEST,
            client_named: false,
            client_args: Vec::new(),
            cwd: None,
            dotenv_path: None,
            dotenv: None,
            dotenv_example: None,
            server: None,
            server_env: None,
            server_key_vars: Vec::new(),
            expected_audience: None,
            expected_issuer: None,
            intermediaries: Vec::new(),
            netrc: None,
            jwt_leeway: None,
            program: AsStack::default(),
            spec: None,
        }
    }
}

impl Context {
    /// A live send by authlens itself: reqwest 0.13.5, dotenvy, and the caller's clock.
    pub fn live(now_unix: i64) -> Context {
        Context {
            now: Some(now_unix),
            ..Context::default()
        }
    }

    /// Attaches the `.env` text the program loaded, read with this context's loader, so the
    /// `.env` rules (parse errors, BOM, `$` expansion) can see the file, not only its values.
    pub fn with_dotenv(
        mut self,
        path: &str,
        text: &str,
        process: &BTreeMap<String, String>,
    ) -> Context {
        self.dotenv = Some(super::loaders::load(path, text, self.loader, process, true));
        self
    }

    /// The server's major/minor version when `server` names it (`fastapi-0.115` → (0, 115)).
    pub fn server_version(&self, name: &str) -> Option<(u32, u32)> {
        let server = self.server.as_deref()?.to_ascii_lowercase();
        let (base, version) = split_version(&server);
        (base == name && version.len() >= 2).then(|| (version[0], version[1]))
    }

    pub fn server_is(&self, name: &str) -> bool {
        self.server
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().starts_with(name))
    }

    pub fn intermediary(&self, kind: &str) -> Option<&Intermediary> {
        self.intermediaries
            .iter()
            .find(|i| i.kind.to_ascii_lowercase().contains(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clients_with_and_without_versions() {
        assert_eq!(Client::parse("reqwest-0.12"), Client::Reqwest(0, 12, 0));
        assert_eq!(Client::parse("reqwest"), Client::CURRENT_REQWEST);
        assert_eq!(
            Client::parse("node-fetch-2.6.7"),
            Client::NodeFetch(Some((2, 6, 7)))
        );
        assert_eq!(Client::parse("node-fetch"), Client::NodeFetch(None));
        assert_eq!(
            Client::parse("python-httpx-0.23"),
            Client::PythonHttpx(Some((0, 23)))
        );
        assert_eq!(Client::parse("curl"), Client::Curl);
        assert_eq!(
            Client::parse("python-requests-2.20.0"),
            Client::PythonRequests(Some((2, 20)))
        );
        assert_eq!(Client::parse("requests"), Client::PythonRequests(None));
        assert_eq!(Client::parse("axios"), Client::Axios);
        assert_eq!(Client::parse("go-net-http"), Client::GoNetHttp(None));
        assert_eq!(
            Client::parse("go-net-http-1.12.4"),
            Client::GoNetHttp(Some((1, 12)))
        );
        assert_eq!(Client::parse("clj-http"), Client::Other("clj-http".into()));
    }

    #[test]
    fn server_versions() {
        let ctx = Context {
            server: Some("fastapi-0.115".into()),
            ..Context::default()
        };
        assert_eq!(ctx.server_version("fastapi"), Some((0, 115)));
        assert!(ctx.server_is("fastapi"));
    }
}
