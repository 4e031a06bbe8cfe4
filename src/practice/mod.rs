//! The practice server: a real HTTP server on loopback whose routes each teach one reason for
//! a 401, and which records the exact bytes of every request it receives.
//!
//! It runs in-process (the TUI's offline default, `authlens serve`, and the end-to-end tests)
//! on two loopback listeners: the main origin, and a second origin on another port that the
//! redirect lessons point at, because a port change is what makes clients drop `Authorization`.
//! Nothing here knows about terminals.

mod apikey;
mod basic;
mod cookie;
mod credentials;
mod index;
pub(crate) mod jwt;
mod multipart;
mod openai;
mod openapi;
mod record;
mod reply;
mod routes;
mod token_routes;

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

pub use jwt::{
    admin_jwt, expired_jwt, mint_jwt, not_yet_valid_jwt, same_but_minted_later, valid_jwt,
    wrong_audience_jwt,
};
pub use openapi::document as openapi_document;
pub use record::{Limits, Recorded};
pub use routes::{Guard, RouteInfo, routes};

use crate::tee::{ConnBytes, Framing, TeeStream};
use record::Recorder;
use reply::Reply;

/// Bodies above this get 413: enough for a few scanned form pages, small enough that a
/// runaway client cannot fill memory (recent requests are also kept in the record).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// The fake credentials the routes accept.
///
/// They are obviously fake (`EXAMPLE`, repeated digits) so that they can be printed, committed
/// and shown in screenshots, and never look like a leaked provider key to a secret scanner.
pub mod keys {
    /// `Authorization: Bearer …` for the OpenAI-style API, the strict server and (as a
    /// non-admin credential) the scoped route.
    pub const BEARER_TOKEN: &str = "sk-authlens-EXAMPLE-bearer-0000000000000000";
    /// `X-API-Key: …` for the FastAPI-style API in the default configuration.
    pub const API_KEY: &str = "authlens-EXAMPLE-api-key-1111111111111111";
    pub const BASIC_USER: &str = "learner";
    pub const BASIC_PASSWORD: &str = "EXAMPLE-password-2222";
    /// A Bearer token that carries the `admin` scope.
    pub const ADMIN_TOKEN: &str = "sk-authlens-EXAMPLE-admin-3333333333333333";
    /// Client credentials for `POST /jwt/token`.
    pub const CLIENT_ID: &str = "authlens-practice-client";
    pub const CLIENT_SECRET: &str = "EXAMPLE-client-secret-4444444444444444";
    /// The HS256 key the practice JWTs are signed with.
    pub const JWT_SECRET: &str = "authlens-EXAMPLE-jwt-secret-5555555555555555";
    /// The `aud` the JWT routes require, and the `iss` they check when present.
    pub const JWT_AUDIENCE: &str = "authlens-practice-api";
    pub const JWT_ISSUER: &str = "authlens-practice-issuer";
    /// The `session` cookie `POST /cookie/login` sets and `GET /cookie/me` accepts.
    pub const SESSION_COOKIE: &str = "authlens-EXAMPLE-session-6666666666666666";
    /// The realm named in every challenge, so a learner can tell which server answered.
    pub const REALM: &str = "authlens-practice";
}

/// How the FastAPI-style `X-API-Key` routes behave (the `API_KEY` / `API_KEY_REQUIRED`
/// matrix of the notebook story, docs/ARCHITECTURE.md §8). The other lessons do not depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// 0 picks a free port.
    pub port: u16,
    /// `None` or empty means unset.
    pub api_key: Option<String>,
    pub api_key_required: bool,
}

impl Config {
    /// Defaults for the built-in server: random port, the fake practice API key set, not required.
    pub fn practice_default() -> Config {
        Config {
            port: 0,
            api_key: Some(keys::API_KEY.to_string()),
            api_key_required: false,
        }
    }

    /// Reads `API_KEY` and `API_KEY_REQUIRED` from a variable lookup (the process env in
    /// `serve`), used when the flags are not given; an empty `API_KEY` means "unset" as in the
    /// story's backend. `API_KEY_REQUIRED` is true for the spellings pydantic accepts as true
    /// (`true`, `1`, `yes`, `on`, `t`, `y`, any case); anything else is false.
    pub fn from_env(port: u16, lookup: impl Fn(&str) -> Option<String>) -> Config {
        let api_key = lookup("API_KEY").filter(|k| !k.is_empty());
        let required = lookup("API_KEY_REQUIRED").is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "yes" | "on" | "t" | "y"
            )
        });
        Config {
            port,
            api_key,
            api_key_required: required,
        }
    }

    /// The key the `X-API-Key` routes compare with; an empty string counts as unset.
    pub(crate) fn effective_api_key(&self) -> Option<&str> {
        self.api_key.as_deref().filter(|k| !k.is_empty())
    }
}

/// What every connection handler needs: the configuration and where both origins live.
#[derive(Debug)]
struct Shared {
    config: Config,
    main: SocketAddr,
    other: SocketAddr,
    recorder: Recorder,
    limits: Limits,
}

/// A running practice server; dropping it stops both listeners and their connections.
#[derive(Debug)]
pub struct PracticeServer {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl PracticeServer {
    /// Binds 127.0.0.1:port and a second origin on another random loopback port (the redirect
    /// target), spawns both on the current tokio runtime and returns as soon as both are bound.
    pub async fn start(config: Config) -> std::io::Result<PracticeServer> {
        PracticeServer::start_with(config, Limits::default()).await
    }

    /// [`start`](Self::start) with other limits on what is kept and how long a body may take.
    pub async fn start_with(config: Config, limits: Limits) -> std::io::Result<PracticeServer> {
        let main = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let other = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let shared = Arc::new(Shared {
            config,
            main: main.local_addr()?,
            other: other.local_addr()?,
            recorder: Recorder::new(limits),
            limits,
        });
        let tasks = vec![
            tokio::spawn(accept_loop(main, shared.clone())),
            tokio::spawn(accept_loop(other, shared.clone())),
        ];
        Ok(PracticeServer { shared, tasks })
    }

    /// The main origin.
    pub fn addr(&self) -> SocketAddr {
        self.shared.main
    }

    /// The second origin, where the cross-origin redirects point.
    pub fn other_addr(&self) -> SocketAddr {
        self.shared.other
    }

    /// `http://127.0.0.1:PORT` + path, on the main origin.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.shared.main, path)
    }

    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The requests received so far, in order, on both origins: the newest ones, within
    /// the server's [`Limits`].
    pub fn records(&self) -> Vec<Recorded> {
        self.shared.recorder.snapshot()
    }

    /// Waits until at least `n` requests have been received or `deadline` has passed, then
    /// returns the records kept (fewer than `n` on timeout, or once old ones were dropped).
    pub async fn wait_for_records(&self, n: usize, deadline: Duration) -> Vec<Recorded> {
        self.shared.recorder.wait_for(n, deadline).await
    }

    /// The text `authlens serve` prints at start: URLs, routes, and the fake credentials.
    pub fn banner(&self) -> String {
        index::banner(
            &self.shared.config,
            &self.shared.limits,
            self.shared.main,
            self.shared.other,
        )
    }

    /// Also listens with TLS on 127.0.0.1:`port` (0 picks one), same routes, on a leaf for
    /// `127.0.0.1` and `localhost` that `ca` signs; returns the address.
    pub async fn listen_tls(
        &mut self,
        port: u16,
        ca: &crate::ca::Authority,
    ) -> std::io::Result<SocketAddr> {
        let config = ca
            .server_config(&["127.0.0.1", "localhost"])
            .map_err(std::io::Error::other)?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let shared = self.shared.clone();
        self.tasks
            .push(tokio::spawn(tls_accept_loop(listener, acceptor, shared)));
        Ok(addr)
    }

    /// Stops both listeners and every open connection (dropping the server does the same).
    pub fn shutdown(self) {}
}

impl Drop for PracticeServer {
    fn drop(&mut self) {
        // Each accept task owns its connections' JoinSet, so aborting it ends them too.
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    log::warn!("practice server: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn tls_accept_loop(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    shared: Arc<Shared>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (acceptor, shared) = (acceptor.clone(), shared.clone());
                    connections.spawn(async move {
                        let Ok(here) = stream.local_addr() else { return };
                        // A client that refuses the certificate ends only its own connection.
                        if let Ok(tls) = acceptor.accept(stream).await {
                            serve_io(tls, here, shared).await;
                        }
                    });
                }
                Err(e) => {
                    log::warn!("practice server: TLS accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let Ok(here) = stream.local_addr() else {
        return;
    };
    serve_io(stream, here, shared).await
}

/// Serves one connection, plain or TLS: the bytes recorded are the HTTP inside.
async fn serve_io<S>(stream: S, here: SocketAddr, shared: Arc<Shared>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    let seen = Arc::new(Mutex::new(ConnBytes::new(record::CONN_CAP)));
    let io = TokioIo::new(TeeStream::new(stream, seen.clone()));
    let service = service_fn(move |req| handle(req, shared.clone(), here, seen.clone()));
    // Garbage, timeouts and resets end this connection only; hyper answers 400 where it can.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(io, service)
        .await;
}

/// Reads the whole body, records the request's raw bytes, then lets the routes answer.
async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    here: SocketAddr,
    seen: Arc<Mutex<ConnBytes>>,
) -> Result<Reply, Infallible> {
    let (parts, body) = req.into_parts();
    let declared = Framing::of(&parts.headers);
    let body =
        match tokio::time::timeout(shared.limits.body_timeout, read_body(body, declared)).await {
            Ok(read) => read,
            Err(_) => Err(StatusCode::REQUEST_TIMEOUT),
        };
    // Without a transfer coding the body on the wire is exactly the bytes read.
    let framing = match &body {
        Ok(bytes) if declared != Framing::Chunked => Framing::Length(bytes.len() as u64),
        _ => declared,
    };
    let raw = seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take_request(framing);
    shared.recorder.push(Recorded {
        origin: here,
        raw: raw.clone(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
    });
    let body = match body {
        Ok(body) => body,
        Err(status) => return Ok(reply::body_error(status)),
    };
    let req = routes::Req {
        parts,
        body,
        raw: Bytes::from(raw),
    };
    let ctx = routes::Ctx {
        config: &shared.config,
        here,
        other: if here == shared.main {
            shared.other
        } else {
            shared.main
        },
    };
    Ok(routes::dispatch(&req, &ctx))
}

/// The body, or the status to answer with: 413 above [`MAX_BODY`] (refused before reading
/// when the declared length is already too big), 400 when the client broke off.
async fn read_body(body: Incoming, framing: Framing) -> Result<Bytes, StatusCode> {
    if matches!(framing, Framing::Length(n) if n > MAX_BODY as u64) {
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(StatusCode::PAYLOAD_TOO_LARGE),
        Err(_) => Err(StatusCode::BAD_REQUEST),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn empty_api_key_means_unset_and_required_parses_like_pydantic() {
        let c = Config::from_env(0, env(&[("API_KEY", ""), ("API_KEY_REQUIRED", "True")]));
        assert_eq!(c.api_key, None);
        assert!(c.api_key_required);
        let c = Config::from_env(
            8000,
            env(&[("API_KEY", "EXAMPLE-k"), ("API_KEY_REQUIRED", "no")]),
        );
        assert_eq!(c.api_key.as_deref(), Some("EXAMPLE-k"));
        assert!(!c.api_key_required);
        assert_eq!(c.port, 8000);
        assert!(!Config::from_env(0, env(&[])).api_key_required);
    }

    #[test]
    fn an_empty_key_set_directly_is_also_unset() {
        let c = Config {
            port: 0,
            api_key: Some(String::new()),
            api_key_required: false,
        };
        assert_eq!(c.effective_api_key(), None);
        assert_eq!(
            Config::practice_default().effective_api_key(),
            Some(keys::API_KEY)
        );
    }
}
