//! `CONNECT` in forward mode: an HTTPS client asks for a tunnel, and the bytes inside are TLS
//! authlens cannot read without being a certificate authority the program trusts. Without
//! `--mitm` it does not pretend to be one: the tunnel is passed through untouched and reported
//! by host and port only. With `--mitm` the tunnel is handed to `mitm.rs`.

use super::Event;
use super::forward::{Conn, ProxyBody};
use crate::tee::lock;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::time::SystemTime;
use tokio::net::TcpStream;

pub(crate) async fn open(req: Request<Incoming>, conn: &Conn) -> Response<ProxyBody> {
    let shared = &conn.shared;
    if shared.upstream.is_some() {
        let why = "CONNECT came to a reverse proxy: point the program's base URL at the watch instead of using it as HTTPS_PROXY";
        shared.emit(Event::Notice(why.into()));
        return plain(StatusCode::METHOD_NOT_ALLOWED, why);
    }
    let Some(authority) = req.uri().authority() else {
        return plain(StatusCode::BAD_REQUEST, "CONNECT needs host:port");
    };
    let host = authority.host().trim_matches(['[', ']']).to_string();
    let port = authority.port_u16().unwrap_or(443);
    if let Some(ca) = &shared.mitm {
        let origin = super::upstream::Origin {
            tls: true,
            host,
            port,
        };
        return super::mitm::open(req, conn, ca.clone(), origin);
    }
    shared.emit(Event::Tunnel {
        id: shared.next_id(),
        at: SystemTime::now(),
        host: host.clone(),
        port,
    });
    let server = match TcpStream::connect((host.as_str(), port)).await {
        Ok(s) => s,
        Err(e) => {
            let why = format!("tunnel to {host}:{port}: could not connect: {e}");
            shared.emit(Event::Notice(why.clone()));
            return plain(StatusCode::BAD_GATEWAY, &why);
        }
    };
    // From here on the connection carries TLS: nothing of it is recorded.
    lock(&conn.seen).stop();
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(req).await else {
            return;
        };
        let mut client = TokioIo::new(upgraded);
        let mut server = server;
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    });
    Response::new(Empty::new().map_err(|never| match never {}).boxed_unsync())
}

pub(crate) fn plain(status: StatusCode, text: &str) -> Response<ProxyBody> {
    let body = Full::new(Bytes::from(format!("authlens watch: {text}\n")))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    resp
}
