//! Accepting the program's connections: each socket is teed (so the request is known as it
//! was written) and served by hyper, keeping header case, one upstream connection per
//! program connection.

use super::Shared;
use super::forward::{self, Conn};
use crate::tee::{ConnBytes, TeeStream};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// Room for a request head besides the recorded body.
pub(crate) const HEAD_ROOM: usize = 64 * 1024;

pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve(stream, peer, shared.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: say so once, back off, go on.
                    shared.emit(super::Event::Notice(format!("accepting a connection failed: {e}")));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let seen = Arc::new(Mutex::new(ConnBytes::new(shared.max_body + HEAD_ROOM)));
    let conn = Arc::new(Conn::new(shared.clone(), seen.clone()));
    let io = TokioIo::new(TeeStream::new(stream, seen));
    let service = service_fn(move |req| forward::handle(req, conn.clone()));
    let served = http1::Builder::new()
        .preserve_header_case(true)
        .timer(TokioTimer::new())
        .serve_connection(io, service)
        .with_upgrades()
        .await;
    if let Err(e) = served
        && (e.is_parse() || e.is_parse_too_large())
    {
        shared.emit(super::Event::Notice(format!(
                "a connection from {peer} sent a request that is not HTTP/1.1 authlens can read ({e}); it was answered 400 and nothing was forwarded"
            )));
    }
}
