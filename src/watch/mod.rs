//! `authlens watch`: a proxy between the user's own program and its API that records each
//! exchange as the program sent it and diagnoses it while the program runs.
//!
//! The proxy reports everything as [`event::Event`]s on one channel; the CLI streams them,
//! the TUI draws them. Nothing here knows about the terminal, and nothing is kept here: an
//! exchange is sent out as soon as it is written down, and views bound their own lists.
//!
//! One request's life (docs/ARCHITECTURE.md §9): `listen` accepts and tees the program's
//! socket; `forward` finds the target and streams the request upstream (`upstream`) through a
//! `capture::Tap`; the response streams back through another; when it ends, `record` writes the
//! exchange down and diagnoses it on the `writer` thread, and the event goes out.

pub mod capture;
pub mod client;
mod decode;
pub mod event;
mod forward;
pub mod launch;
mod listen;
mod location;
mod mitm;
pub mod program_env;
pub mod record;
pub mod setup;
mod tunnel;
pub mod upstream;
mod writer;

pub use event::{Event, Mode, Stream, Watched};

use crate::rules::AsStack;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// The recorded copy of each body is cut here unless `--max-body` says otherwise; the bodies
/// themselves always pass whole.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// How to run a watch.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    pub listen: SocketAddr,
    /// The most of each body kept in the recorded copy.
    pub max_body: usize,
    /// `--as-client` / `--as-loader`: override what the `User-Agent` says.
    pub stack: AsStack,
    pub as_client: Option<String>,
    pub as_loader: Option<String>,
    /// `watch -- COMMAND`: more variables set to the base URL (`--base-url-env`); `None` when
    /// no program is launched. The set-up lines say what the program is given.
    pub launch: Option<Vec<String>>,
    /// `--mitm` and `--cacert`.
    pub tls: TlsOptions,
    /// `--spec`: the API's OpenAPI document, which every exchange is also judged against.
    pub spec: Option<Arc<crate::spec::Spec>>,
}

fn shared_judging(options: &Options) -> record::Judging {
    record::Judging {
        stack: options.stack.clone(),
        spec: options.spec.clone(),
    }
}

/// What the watch does with TLS besides checking servers against the platform's roots.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// `--mitm`: terminate each `CONNECT` with a leaf this CA signs for the host, and record
    /// the requests inside like plain forward-mode ones. `None`: tunnels pass unread.
    pub mitm: Option<Arc<crate::ca::Authority>>,
    /// `--cacert`: more roots trusted for the upstream leg.
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// `--mitm -- COMMAND`: the CA bundle the program is pointed at (system roots + the CA).
    pub bundle: Option<std::path::PathBuf>,
}

/// The reverse proxy's target: the upstream's origin and its path prefix (no trailing `/`).
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    pub origin: upstream::Origin,
    pub prefix: String,
}

impl Upstream {
    /// `http://` or `https://` URLs only, with a host; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Upstream, String> {
        let url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(format!("the scheme must be http or https, not {other}"));
            }
        };
        let host = url
            .host_str()
            .ok_or_else(|| "the URL has no host".to_string())?
            .trim_matches(['[', ']'])
            .to_string();
        let port = url
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        if url.query().is_some() || url.fragment().is_some() {
            return Err("an upstream is an origin and a path, without ? or #".into());
        }
        Ok(Upstream {
            origin: upstream::Origin { tls, host, port },
            prefix: url.path().trim_end_matches('/').to_string(),
        })
    }
}

/// Whether `text` can be a reverse proxy's upstream; the error says why not.
pub fn upstream_check(text: &str) -> Result<(), String> {
    Upstream::parse(text).map(|_| ())
}

/// What every connection handler shares.
pub(crate) struct Shared {
    pub events: UnboundedSender<Event>,
    pub upstream: Option<Upstream>,
    pub addr: SocketAddr,
    pub base_url: String,
    pub max_body: usize,
    pub judging: record::Judging,
    pub as_client: Option<String>,
    pub as_loader: Option<String>,
    /// The launched program's `.env` and environment (`None` unless the watch launched it).
    pub program: Option<Arc<program_env::ProgramEnv>>,
    next_id: AtomicU64,
    pub inflight: Inflight,
    /// Where finished exchanges go to be written down and diagnosed (bounded).
    pub writer: std::sync::mpsc::SyncSender<writer::Job>,
    /// Exchanges that passed through while the writer's backlog was full.
    pub unrecorded: AtomicU64,
    /// The client side of TLS upstream: the platform's roots and `--cacert`'s.
    pub tls: Arc<rustls::ClientConfig>,
    /// `--mitm`'s CA, when `CONNECT`s are terminated.
    pub mitm: Option<Arc<crate::ca::Authority>>,
}

impl Shared {
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Sends an event; a view that went away loses nothing the proxy needs.
    pub fn emit(&self, event: Event) {
        let _ = self.events.send(event);
    }
}

/// Exchanges begun and not yet reported, so the end of a launched program can wait for the
/// last one's event before saying it exited.
#[derive(Default)]
pub(crate) struct Inflight {
    count: AtomicUsize,
    settled: Notify,
}

/// Held while an exchange is in flight; dropped once its event has gone out.
pub(crate) struct InflightGuard(Arc<Shared>);

impl Inflight {
    pub fn enter(shared: &Arc<Shared>) -> InflightGuard {
        shared.inflight.count.fetch_add(1, Ordering::SeqCst);
        InflightGuard(shared.clone())
    }
}

impl Drop for InflightGuard {
    fn drop(&mut self) {
        let i = &self.0.inflight;
        if i.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            i.settled.notify_waiters();
        }
    }
}

/// A running watch; dropping it stops listening and ends every connection.
pub struct Watch {
    shared: Arc<Shared>,
    /// The accept loop, and the launched program's waiter.
    tasks: Vec<JoinHandle<()>>,
}

impl Watch {
    /// Binds `options.listen`, reports [`Event::Listening`] with the set-up lines and serves
    /// on the current tokio runtime. The error names what failed (`listen on ADDR: …`) and
    /// keeps the kind (`AddrInUse`).
    pub async fn start(options: Options, events: UnboundedSender<Event>) -> std::io::Result<Watch> {
        let context = |what: String| {
            move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{what}: {e}"))
        };
        let upstream = match &options.mode {
            Mode::Reverse { upstream } => Some(
                Upstream::parse(upstream)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
            ),
            Mode::Forward => None,
        };
        let tls = upstream::tls_config(&options.tls.extra_roots)
            .map_err(|e| std::io::Error::other(format!("TLS set-up: {e}")))?;
        let listening = format!("listen on {}", options.listen);
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(context(listening.clone()))?;
        let addr = listener.local_addr().map_err(context(listening))?;
        let shared = Arc::new(Shared {
            events: events.clone(),
            upstream,
            addr,
            base_url: setup::base_url(addr),
            max_body: options.max_body,
            judging: shared_judging(&options),
            as_client: options.as_client.clone(),
            as_loader: options.as_loader.clone(),
            // The program inherits this process's environment and directory.
            program: options
                .launch
                .as_ref()
                .and_then(|_| {
                    let dir = std::env::current_dir().ok()?;
                    program_env::ProgramEnv::read(&dir, |n| std::env::var(n).ok())
                })
                .map(Arc::new),
            next_id: AtomicU64::new(0),
            inflight: Inflight::default(),
            unrecorded: AtomicU64::new(0),
            tls,
            mitm: options.tls.mitm.clone(),
            writer: writer::start(events.clone(), shared_judging(&options))
                .map_err(context("start the exchange writer".into()))?,
        });
        shared.emit(Event::Listening {
            addr,
            mode: options.mode.clone(),
            setup: setup::lines(
                addr,
                &options.mode,
                &options.tls,
                options
                    .launch
                    .as_ref()
                    .map(|extra| setup::child_env(addr, &options.mode, &options.tls, extra))
                    .as_deref(),
            ),
        });
        let accept = tokio::spawn(listen::accept_loop(listener, shared.clone()));
        Ok(Watch {
            shared,
            tasks: vec![accept],
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// `http://127.0.0.1:PORT`: what the program uses as its base URL or proxy.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Waits until every exchange begun has been reported, or `deadline` passes.
    pub async fn settle(&self, deadline: Duration) {
        settle(&self.shared, deadline).await
    }

    /// Starts `command` routed through this watch (`watch -- COMMAND`); its output becomes
    /// [`Event::Output`], and once it exits and the last exchange is reported,
    /// [`Event::Exited`] follows. `mode` decides the variables it gets, plus `base_url_env`.
    pub fn launch(
        &mut self,
        command: &[String],
        mode: &Mode,
        tls: &TlsOptions,
        base_url_env: &[String],
    ) -> std::io::Result<()> {
        let env = setup::child_env(self.shared.addr, mode, tls, base_url_env);
        let exited = launch::spawn(command, &env, self.shared.events.clone())?;
        let shared = self.shared.clone();
        self.tasks.push(tokio::spawn(async move {
            let code = exited.await.unwrap_or(1);
            settle(&shared, Duration::from_secs(5)).await;
            shared.emit(Event::Exited { code });
        }));
        Ok(())
    }
}

async fn settle(shared: &Shared, deadline: Duration) {
    let until = tokio::time::Instant::now() + deadline;
    loop {
        let notified = shared.inflight.settled.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if shared.inflight.count.load(Ordering::SeqCst) == 0 {
            return;
        }
        if tokio::time::timeout_at(until, notified).await.is_err() {
            return;
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
