//! `CONNECT` under `--mitm`: the watch answers the program's TLS itself, with a leaf for the
//! host its CA signs, and serves the requests inside exactly like plain forward-mode ones —
//! recorded as the program sent them, forwarded over TLS that checks the real server. A
//! program that does not trust the CA ends the handshake; that is said, with the fix.

use super::forward::{self, Conn, ProxyBody};
use super::upstream::Origin;
use super::{Event, Shared};
use crate::ca::Authority;
use crate::tee::{ConnBytes, TeeStream, lock};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncBufReadExt;

/// The first byte of a TLS record carrying a handshake.
const TLS_HANDSHAKE: u8 = 0x16;

pub(crate) fn open(
    req: Request<Incoming>,
    conn: &Conn,
    ca: Arc<Authority>,
    origin: Origin,
) -> Response<ProxyBody> {
    let shared = conn.shared.clone();
    let config = match ca.server_config(&[origin.host.as_str()]) {
        Ok(c) => c,
        Err(e) => {
            let why = format!("--mitm: no certificate for {}: {e}", origin.authority());
            shared.emit(Event::Notice(why.clone()));
            return super::tunnel::plain(StatusCode::BAD_GATEWAY, &why);
        }
    };
    // The CONNECT itself is not an exchange; what is inside is recorded on its own buffer.
    lock(&conn.seen).stop();
    // Until the handshake is decided, so a launched program's end waits for its notice.
    let handshake = super::Inflight::enter(&shared);
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(req).await else {
            return;
        };
        // A tunnel to a plain-HTTP port (`curl -p http://…`) carries HTTP, not TLS: the first
        // byte of a TLS handshake is 0x16, which no request line starts with.
        let mut io = tokio::io::BufReader::new(TokioIo::new(upgraded));
        let first = io.fill_buf().await.ok().and_then(|b| b.first().copied());
        if first != Some(TLS_HANDSHAKE) {
            drop(handshake);
            let plain = Origin {
                tls: false,
                ..origin
            };
            return serve(io, shared, plain).await;
        }
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        match acceptor.accept(io).await {
            Ok(tls) => {
                drop(handshake);
                serve(tls, shared, origin).await
            }
            Err(e) => shared.emit(Event::Notice(handshake_failed(&origin, &ca, &e))),
        }
    });
    Response::new(Empty::new().map_err(|never| match never {}).boxed_unsync())
}

/// Serves the decrypted connection: the same handler as a plain forward-mode connection,
/// its requests sent to the tunnel's origin.
async fn serve<S>(tls: S, shared: Arc<Shared>, origin: Origin)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    let seen = Arc::new(Mutex::new(ConnBytes::new(
        shared.max_body + super::listen::HEAD_ROOM,
    )));
    let inner = Arc::new(Conn::in_tunnel(shared, seen.clone(), origin));
    let io = TokioIo::new(TeeStream::new(tls, seen));
    let service = service_fn(move |req| forward::handle(req, inner.clone()));
    let _ = http1::Builder::new()
        .preserve_header_case(true)
        .timer(TokioTimer::new())
        .serve_connection(io, service)
        .await;
}

/// What a failed handshake with the program means. An alert about the certificate is the
/// program refusing authlens's CA: say so, and how to make it trust it.
fn handshake_failed(origin: &Origin, ca: &Authority, e: &std::io::Error) -> String {
    use rustls::AlertDescription as A;
    let alert = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .and_then(|r| match r {
            rustls::Error::AlertReceived(a) => Some(*a),
            _ => None,
        });
    let host = origin.authority();
    match alert {
        Some(A::UnknownCA | A::BadCertificate | A::CertificateUnknown | A::AccessDenied) => {
            format!(
                "{host}: the program does not trust authlens's CA, so it ended the TLS handshake ({e}) and sent nothing. Give it {}: curl --cacert FILE or CURL_CA_BUNDLE, Python REQUESTS_CA_BUNDLE or SSL_CERT_FILE, node NODE_EXTRA_CA_CERTS — or start it as `authlens watch --mitm -- COMMAND`, which sets them",
                ca.cert_path().display()
            )
        }
        _ => format!("{host}: the TLS handshake with the program failed ({e}); nothing was read"),
    }
}
