//! The connection to where a request goes: TCP, TLS for `https` with the same rustls stack and
//! certificate check reqwest uses, and hyper's HTTP/1.1 client on top — with both directions
//! copied, so the request as forwarded and the response head are known byte for byte.

use hyper::client::conn::http1::{Builder, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::pki_types::CertificateDer;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::tee::{ConnBytes, TeeStream};

/// Where a request goes: scheme, host and port, the unit a connection is reused for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub tls: bool,
    /// Without IPv6 brackets.
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// `host` or `host:port` when the port is not the scheme's own: the `Host` header.
    pub fn authority(&self) -> String {
        let host = match self.host.contains(':') {
            true => format!("[{}]", self.host),
            false => self.host.clone(),
        };
        match (self.tls, self.port) {
            (true, 443) | (false, 80) => host,
            _ => format!("{host}:{}", self.port),
        }
    }

    pub fn url_base(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.authority())
    }
}

/// How long connecting (and the TLS handshake) may take before the program gets a 502.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a response head kept from the upstream's side of the connection; the body's
/// copy is kept by the body's tap.
const HEAD_CAP: usize = 64 * 1024;

/// One open connection upstream, and what went over it since the last exchange was cut off.
pub struct Upstream<B> {
    pub origin: Origin,
    pub sender: SendRequest<B>,
    /// What the upstream sent: the response head, then the start of its body.
    pub read: Arc<Mutex<ConnBytes>>,
    /// What authlens wrote: the request as forwarded.
    pub written: Arc<Mutex<ConnBytes>>,
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// Opens a connection to `origin`; the error is one line naming what failed.
pub async fn connect<B>(
    origin: &Origin,
    max_body: usize,
    tls: &Arc<rustls::ClientConfig>,
) -> Result<(Upstream<B>, Duration), String>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let started = Instant::now();
    let io = tokio::time::timeout(CONNECT_TIMEOUT, open(origin, tls))
        .await
        .map_err(|_| {
            format!(
                "upstream {} did not answer within {} s",
                origin.authority(),
                CONNECT_TIMEOUT.as_secs()
            )
        })??;
    let read = Arc::new(Mutex::new(ConnBytes::new(HEAD_CAP)));
    let written = Arc::new(Mutex::new(ConnBytes::new(max_body + HEAD_CAP)));
    let tee = TeeStream::both(io, read.clone(), written.clone());
    let (sender, conn) = Builder::new()
        .preserve_header_case(true)
        .handshake(TokioIo::new(tee))
        .await
        .map_err(|e| {
            format!(
                "upstream {}: HTTP handshake failed: {e}",
                origin.authority()
            )
        })?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let up = Upstream {
        origin: origin.clone(),
        sender,
        read,
        written,
    };
    Ok((up, started.elapsed()))
}

async fn open(origin: &Origin, config: &Arc<rustls::ClientConfig>) -> Result<Box<dyn Io>, String> {
    let at = origin.authority();
    let tcp = TcpStream::connect((origin.host.as_str(), origin.port))
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                format!("upstream {at} refused the connection")
            }
            _ => format!("could not connect to upstream {at}: {e}"),
        })?;
    let _ = tcp.set_nodelay(true);
    if !origin.tls {
        return Ok(Box::new(tcp));
    }
    let name = rustls::pki_types::ServerName::try_from(origin.host.clone())
        .map_err(|e| format!("TLS with upstream {at}: {e}"))?;
    let tls = tokio_rustls::TlsConnector::from(config.clone())
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS with upstream {at} failed: {e}"))?;
    Ok(Box::new(tls))
}

/// The client configuration for a watch: HTTP/1.1 over rustls with the platform's certificate
/// check, as reqwest builds it for `send`, plus the roots of `--cacert` (a practice server's
/// CA, a company's): a server is trusted when the platform or one of those vouches for it.
pub fn tls_config(
    extra_roots: &[CertificateDer<'static>],
) -> Result<Arc<rustls::ClientConfig>, String> {
    crate::tls::install_provider();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = match extra_roots {
        [] => rustls_platform_verifier::Verifier::new(provider.clone()),
        roots => rustls_platform_verifier::Verifier::new_with_extra_roots(
            roots.iter().cloned(),
            provider.clone(),
        ),
    }
    .map_err(|e| format!("no certificate verifier: {e}"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
